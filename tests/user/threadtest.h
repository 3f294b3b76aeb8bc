/*
 * threadtest.h - helpers shared by the multi-threaded tests (pthread,
 * pthread_mutex, pthread_sync, pthread_sem, pthread_signal, thread_leak,
 * thread_stress): checks for functions that return an error number, thread
 * start and join that fail the case on error, deadlines, shared pages and
 * a wait for a thread to be gone from the kernel.
 *
 * A failed CHECK in any thread calls _exit(), which ends every thread of
 * the process (exit_group), so the case fails as a whole.
 *
 * Events are ordered with t_await() on ints (it works between threads as
 * well as between processes) or with the synchronisation objects under
 * test; deadlines serve only to provoke ETIMEDOUT, and no assertion
 * depends on how much time passed.
 *
 * Not in lib/: the harness there is also built against libbasalt, which
 * has no threads. Everything is static; include it once per test, after
 * t.h.
 */
#ifndef BASALT_TESTS_THREADTEST_H
#define BASALT_TESTS_THREADTEST_H

#include "t.h"

#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* t_errname() plus the error numbers only thread functions return. */
static inline const char *th_errname(int err)
{
	switch (err) {
	case EDEADLK: return "EDEADLK";
	case ETIMEDOUT: return "ETIMEDOUT";
	case EOWNERDEAD: return "EOWNERDEAD";
	case ENOTRECOVERABLE: return "ENOTRECOVERABLE";
	case ENOTSUP: return "ENOTSUP";
	case ECANCELED: return "ECANCELED";
	default: return t_errname(err);
	}
}

/* For pthread_* calls, which return 0 or an error number (errno untouched). */
#define CHECK_RET(expr, want)                                              \
	do {                                                               \
		int e_ = (expr), w_ = (want);                              \
		if (e_ != w_) {                                            \
			char got_[16];                                     \
			snprintf(got_, sizeof(got_), "%s", th_errname(e_)); \
			T_FAIL("%s: got %s, want %s", #expr, got_,         \
			       th_errname(w_));                            \
		}                                                          \
	} while (0)
#define CHECK_ZERO(expr) CHECK_RET((expr), 0)

/* CHECK_ERR with names for the errors above (sem_timedwait's ETIMEDOUT). */
#define CHECK_FAILS(expr, err)                                             \
	do {                                                               \
		errno = 0;                                                 \
		long r_ = (long)(expr);                                    \
		int e_ = errno;                                            \
		if (r_ != -1 || e_ != (err)) {                             \
			char got_[16];                                     \
			snprintf(got_, sizeof(got_), "%s", th_errname(e_)); \
			T_FAIL("%s: got %ld (errno %s), want -1 (errno %s)", \
			       #expr, r_, got_, th_errname(err));          \
		}                                                          \
	} while (0)

static inline pid_t th_gettid(void)
{
	return (pid_t)syscall(SYS_gettid);
}

static inline pthread_t th_start(void *(*fn)(void *), void *arg)
{
	pthread_t t;

	CHECK_ZERO(pthread_create(&t, NULL, fn, arg));
	return t;
}

static inline void *th_join(pthread_t t)
{
	void *ret = NULL;

	CHECK_ZERO(pthread_join(t, &ret));
	return ret;
}

/* Atomic add on a counter shared by threads or processes; the new value. */
static inline int th_add(volatile int *p, int v)
{
	return __atomic_add_fetch(p, v, __ATOMIC_SEQ_CST);
}

static inline int th_load(volatile int *p)
{
	return __atomic_load_n(p, __ATOMIC_SEQ_CST);
}

/* CLOCK_REALTIME (or clock) now plus ms: an absolute deadline. */
static inline struct timespec th_deadline_on(clockid_t clock, long ms)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ts;
}

static inline struct timespec th_deadline(long ms)
{
	return th_deadline_on(CLOCK_REALTIME, ms);
}

/* A MAP_SHARED anonymous mapping of len bytes (zeroed), for processes. */
static inline void *th_shared(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		T_FAIL("mmap(MAP_SHARED, %zu): errno %s", len, t_errname(errno));
	return p;
}

/*
 * Waits until the thread tid of this process no longer exists in the
 * kernel (tgkill with signal 0 says ESRCH): a detached thread has nobody
 * to join it, so this is how a case knows it is really gone.
 */
static inline void th_wait_gone(pid_t tid)
{
	for (long spins = 0; spins < (1L << 24); spins++) {
		if (syscall(SYS_tgkill, getpid(), tid, 0) == -1 &&
		    errno == ESRCH)
			return;
		sched_yield();
	}
	T_FAIL("thread %d never went away", (int)tid);
}

/* Gives the other threads a chance to run (orders nothing by itself). */
static inline void th_yield(int times)
{
	for (int i = 0; i < times; i++)
		sched_yield();
}

#endif
