/*
 * pthread_mutex.c - the mutex types between threads and processes: normal
 * (trylock EBUSY, timedlock ETIMEDOUT, a blocked locker woken by unlock),
 * recursive (the lock count), error-checking (EDEADLK, EPERM), robust (an
 * owner that dies makes the next locker get EOWNERDEAD, then
 * pthread_mutex_consistent or ENOTRECOVERABLE; owners that are threads
 * and owners that are processes, exiting or killed, with a waiter already
 * blocked), priority inheritance (FUTEX_LOCK_PI under contention) and
 * process-shared mutexes in MAP_SHARED memory.
 *
 * Both C libraries support every type here on Linux 6.1. The robust
 * cases are where the kernel matters most: for a process that dies, only
 * the kernel's walk of the robust list (set_robust_list) can release the
 * mutex.
 */
#define _GNU_SOURCE
#include "t.h"
#include "threadtest.h"

#include <stdint.h>
#include <stdlib.h>

static void mutex_init_attr(pthread_mutex_t *m, int type, int robust,
			    int protocol, int pshared)
{
	pthread_mutexattr_t a;

	CHECK_ZERO(pthread_mutexattr_init(&a));
	CHECK_ZERO(pthread_mutexattr_settype(&a, type));
	CHECK_ZERO(pthread_mutexattr_setrobust(&a, robust));
	CHECK_ZERO(pthread_mutexattr_setprotocol(&a, protocol));
	CHECK_ZERO(pthread_mutexattr_setpshared(&a, pshared));
	CHECK_ZERO(pthread_mutex_init(m, &a));
	CHECK_ZERO(pthread_mutexattr_destroy(&a));
}

static void mutex_init_type(pthread_mutex_t *m, int type)
{
	mutex_init_attr(m, type, PTHREAD_MUTEX_STALLED, PTHREAD_PRIO_NONE,
			PTHREAD_PROCESS_PRIVATE);
}

/* Runs fn(m) in a new thread and returns what it returned. */
static intptr_t in_thread(void *(*fn)(void *), pthread_mutex_t *m)
{
	return (intptr_t)th_join(th_start(fn, m));
}

static void *try_lock(void *m)
{
	int r = pthread_mutex_trylock(m);

	if (r == 0)
		CHECK_ZERO(pthread_mutex_unlock(m));
	return (void *)(intptr_t)r;
}

static void *timed_lock_10ms(void *m)
{
	struct timespec ts = th_deadline(10);
	int r = pthread_mutex_timedlock(m, &ts);

	if (r == 0)
		CHECK_ZERO(pthread_mutex_unlock(m));
	return (void *)(intptr_t)r;
}

static void *lock_it(void *m)
{
	int r = pthread_mutex_lock(m);

	if (r == 0)
		CHECK_ZERO(pthread_mutex_unlock(m));
	return (void *)(intptr_t)r;
}

static void *unlock_it(void *m)
{
	return (void *)(intptr_t)pthread_mutex_unlock(m);
}

static void case_normal_trylock_timedlock(void)
{
	static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
	struct timespec past = { 0, 0 };

	CHECK_ZERO(pthread_mutex_lock(&m));
	CHECK_RET(pthread_mutex_trylock(&m), EBUSY);	/* even by the owner */
	CHECK_EQ(in_thread(try_lock, &m), EBUSY);
	CHECK_EQ(in_thread(timed_lock_10ms, &m), ETIMEDOUT);
	CHECK_RET(pthread_mutex_timedlock(&m, &past), ETIMEDOUT);
	CHECK_ZERO(pthread_mutex_unlock(&m));
	CHECK_EQ(in_thread(try_lock, &m), 0);
	CHECK_EQ(in_thread(timed_lock_10ms, &m), 0);
	/* A free mutex is taken whatever the deadline says. */
	CHECK_ZERO(pthread_mutex_timedlock(&m, &past));
	CHECK_ZERO(pthread_mutex_unlock(&m));
}

struct handoff {
	pthread_mutex_t *m;
	volatile int stage;	/* 1: waiter about to lock; 2: it has the lock */
	int seen;		/* written by the owner under the mutex */
};

static void *lock_and_read(void *arg)
{
	struct handoff *h = arg;

	t_post(&h->stage, 1);
	CHECK_ZERO(pthread_mutex_lock(h->m));
	int seen = h->seen;
	t_post(&h->stage, 2);
	CHECK_ZERO(pthread_mutex_unlock(h->m));
	return (void *)(intptr_t)seen;
}

/* The owner lets a locker block, then unlocks: the locker sees its write. */
static void check_handoff(pthread_mutex_t *m)
{
	struct handoff h = { .m = m };

	CHECK_ZERO(pthread_mutex_lock(m));
	pthread_t t = th_start(lock_and_read, &h);
	t_await(&h.stage, 1);
	th_yield(20);			/* very likely asleep in the lock now */
	CHECK_EQ(th_load(&h.stage), 1);	/* and certainly not past it */
	h.seen = 1234;
	CHECK_ZERO(pthread_mutex_unlock(m));
	CHECK_EQ((intptr_t)th_join(t), 1234);
}

static void case_normal_handoff(void)
{
	pthread_mutex_t m;

	mutex_init_type(&m, PTHREAD_MUTEX_NORMAL);
	for (int i = 0; i < 20; i++)
		check_handoff(&m);
	CHECK_ZERO(pthread_mutex_destroy(&m));
}

static void case_recursive(void)
{
	pthread_mutex_t m;

	mutex_init_type(&m, PTHREAD_MUTEX_RECURSIVE);
	CHECK_ZERO(pthread_mutex_lock(&m));
	CHECK_ZERO(pthread_mutex_lock(&m));
	CHECK_ZERO(pthread_mutex_lock(&m));
	CHECK_ZERO(pthread_mutex_trylock(&m));		/* count 4 */
	CHECK_EQ(in_thread(try_lock, &m), EBUSY);
	CHECK_EQ(in_thread(unlock_it, &m), EPERM);	/* not the owner */
	for (int i = 0; i < 3; i++) {
		CHECK_ZERO(pthread_mutex_unlock(&m));
		CHECK_EQ(in_thread(try_lock, &m), EBUSY);	/* still held */
	}
	CHECK_ZERO(pthread_mutex_unlock(&m));		/* count 0 */
	CHECK_EQ(in_thread(try_lock, &m), 0);
	CHECK_RET(pthread_mutex_unlock(&m), EPERM);	/* not locked */
	check_handoff(&m);
	CHECK_ZERO(pthread_mutex_destroy(&m));
}

static void case_errorcheck(void)
{
	pthread_mutex_t m;
	struct timespec ts = th_deadline(1000);

	mutex_init_type(&m, PTHREAD_MUTEX_ERRORCHECK);
	CHECK_RET(pthread_mutex_unlock(&m), EPERM);	/* not locked */
	CHECK_ZERO(pthread_mutex_lock(&m));
	CHECK_RET(pthread_mutex_lock(&m), EDEADLK);
	CHECK_RET(pthread_mutex_timedlock(&m, &ts), EDEADLK);
	CHECK_RET(pthread_mutex_trylock(&m), EBUSY);
	CHECK_EQ(in_thread(unlock_it, &m), EPERM);	/* not the owner */
	CHECK_EQ(in_thread(try_lock, &m), EBUSY);
	CHECK_ZERO(pthread_mutex_unlock(&m));
	CHECK_RET(pthread_mutex_unlock(&m), EPERM);
	check_handoff(&m);
	CHECK_ZERO(pthread_mutex_destroy(&m));
}

/*
 * Locks a robust mutex whose owner died. Only the kernel's walk of the
 * dead owner's robust list can release it, so a kernel that skips the
 * walk would leave the plain lock asleep forever; the generous deadline
 * turns that hang into a failure and measures nothing.
 */
static int lock_dead_owner(pthread_mutex_t *m)
{
	struct timespec ts = th_deadline(60 * 1000);

	return pthread_mutex_timedlock(m, &ts);
}

/* Locks the mutex and ends the thread without unlocking it. */
static void *lock_and_leave(void *m)
{
	CHECK_ZERO(pthread_mutex_lock(m));
	return NULL;
}

static void case_robust_thread_dies(void)
{
	pthread_mutex_t m;

	/* Made consistent: the mutex lives on. */
	mutex_init_attr(&m, PTHREAD_MUTEX_NORMAL, PTHREAD_MUTEX_ROBUST,
			PTHREAD_PRIO_NONE, PTHREAD_PROCESS_PRIVATE);
	in_thread(lock_and_leave, &m);
	CHECK_RET(lock_dead_owner(&m), EOWNERDEAD);	/* we own it now */
	CHECK_ZERO(pthread_mutex_consistent(&m));
	CHECK_ZERO(pthread_mutex_unlock(&m));
	CHECK_ZERO(pthread_mutex_lock(&m));
	CHECK_ZERO(pthread_mutex_unlock(&m));
	CHECK_EQ(in_thread(try_lock, &m), 0);
	CHECK_ZERO(pthread_mutex_destroy(&m));

	/* Not made consistent: unusable for good. */
	mutex_init_attr(&m, PTHREAD_MUTEX_NORMAL, PTHREAD_MUTEX_ROBUST,
			PTHREAD_PRIO_NONE, PTHREAD_PROCESS_PRIVATE);
	in_thread(lock_and_leave, &m);
	CHECK_RET(pthread_mutex_trylock(&m), EOWNERDEAD);
	CHECK_ZERO(pthread_mutex_unlock(&m));
	CHECK_RET(pthread_mutex_lock(&m), ENOTRECOVERABLE);
	CHECK_EQ(in_thread(lock_it, &m), ENOTRECOVERABLE);
	/*
	 * Not trylock: glibc 2.36's pthread_mutex_trylock returns
	 * ENOTRECOVERABLE but keeps the lock word it just took, so every
	 * other thread then gets EBUSY (musl gets this right).
	 */
	CHECK_ZERO(pthread_mutex_destroy(&m));
}

/*
 * A robust, process-shared mutex in a MAP_SHARED page. The child locks it
 * and dies holding it (exit, or SIGKILL while it sleeps); the parent is
 * already blocked in pthread_mutex_lock (very likely), and the kernel's
 * robust-list walk must wake it with the owner-died bit set.
 */
struct shared_mutex {
	pthread_mutex_t m;
	volatile int stage;
	long counter;
};

static void robust_owner_process_dies(int killed)
{
	struct shared_mutex *s = th_shared(T_PAGE);

	mutex_init_attr(&s->m, PTHREAD_MUTEX_NORMAL, PTHREAD_MUTEX_ROBUST,
			PTHREAD_PRIO_NONE, PTHREAD_PROCESS_SHARED);
	pid_t pid = t_fork();
	if (pid == 0) {
		CHECK_ZERO(pthread_mutex_lock(&s->m));
		t_post(&s->stage, 1);
		t_await(&s->stage, 2);
		th_yield(20);
		if (!killed)
			_exit(0);
		for (;;)
			pause();
	}
	t_await(&s->stage, 1);
	CHECK_RET(pthread_mutex_trylock(&s->m), EBUSY);
	t_post(&s->stage, 2);
	if (killed) {
		CHECK_OK(kill(pid, SIGKILL));
		CHECK_RET(lock_dead_owner(&s->m), EOWNERDEAD);
		CHECK_SIGNALED(t_wait(pid), SIGKILL);
	} else {
		CHECK_RET(lock_dead_owner(&s->m), EOWNERDEAD);
		CHECK_EXITED(t_wait(pid), 0);
	}
	CHECK_ZERO(pthread_mutex_consistent(&s->m));
	CHECK_ZERO(pthread_mutex_unlock(&s->m));
	CHECK_ZERO(pthread_mutex_lock(&s->m));
	CHECK_ZERO(pthread_mutex_unlock(&s->m));
	CHECK_ZERO(pthread_mutex_destroy(&s->m));
	CHECK_OK(munmap(s, T_PAGE));
}

static void case_robust_process_exits(void)
{
	robust_owner_process_dies(0);
}

static void case_robust_process_killed(void)
{
	robust_owner_process_dies(1);
}

#define PI_THREADS 4
#define PI_ROUNDS 20000

static long pi_counter;

static void *pi_hammer(void *m)
{
	for (int i = 0; i < PI_ROUNDS; i++) {
		int r = (i % 4 == 0) ? pthread_mutex_trylock(m)
				     : pthread_mutex_lock(m);
		if (r == EBUSY) {
			CHECK_ZERO(pthread_mutex_lock(m));
		} else {
			CHECK_ZERO(r);
		}
		pi_counter++;
		if (i % 64 == 0)
			sched_yield();	/* sometimes hold it across a switch */
		CHECK_ZERO(pthread_mutex_unlock(m));
	}
	return NULL;
}

static void case_pi(void)
{
	pthread_mutex_t m;
	pthread_t t[PI_THREADS];
	int proto = -1;
	pthread_mutexattr_t a;

	CHECK_ZERO(pthread_mutexattr_init(&a));
	CHECK_ZERO(pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT));
	CHECK_ZERO(pthread_mutexattr_getprotocol(&a, &proto));
	CHECK_EQ(proto, PTHREAD_PRIO_INHERIT);
	CHECK_ZERO(pthread_mutexattr_destroy(&a));

	mutex_init_attr(&m, PTHREAD_MUTEX_ERRORCHECK, PTHREAD_MUTEX_STALLED,
			PTHREAD_PRIO_INHERIT, PTHREAD_PROCESS_PRIVATE);
	CHECK_ZERO(pthread_mutex_lock(&m));
	CHECK_RET(pthread_mutex_lock(&m), EDEADLK);
	/* The owner's trylock: glibc says EDEADLK for a PI error-checking
	 * mutex (EBUSY for a plain one, see errorcheck); musl says EBUSY. */
	CHECK_RET(pthread_mutex_trylock(&m),
		  strcmp(t_libc(), "glibc") == 0 ? EDEADLK : EBUSY);
	CHECK_EQ(in_thread(try_lock, &m), EBUSY);
	CHECK_EQ(in_thread(timed_lock_10ms, &m), ETIMEDOUT);
	CHECK_EQ(in_thread(unlock_it, &m), EPERM);
	CHECK_ZERO(pthread_mutex_unlock(&m));
	CHECK_EQ(in_thread(try_lock, &m), 0);
	for (int i = 0; i < 10; i++)
		check_handoff(&m);	/* the waiter sleeps in FUTEX_LOCK_PI */
	CHECK_ZERO(pthread_mutex_destroy(&m));

	mutex_init_attr(&m, PTHREAD_MUTEX_NORMAL, PTHREAD_MUTEX_STALLED,
			PTHREAD_PRIO_INHERIT, PTHREAD_PROCESS_PRIVATE);
	for (int i = 0; i < PI_THREADS; i++)
		t[i] = th_start(pi_hammer, &m);
	for (int i = 0; i < PI_THREADS; i++)
		th_join(t[i]);
	CHECK_EQ(pi_counter, PI_THREADS * PI_ROUNDS);
	CHECK_ZERO(pthread_mutex_destroy(&m));
}

/* A robust PI mutex whose owner thread ends holding it. */
static void case_pi_robust(void)
{
	pthread_mutex_t m;

	mutex_init_attr(&m, PTHREAD_MUTEX_NORMAL, PTHREAD_MUTEX_ROBUST,
			PTHREAD_PRIO_INHERIT, PTHREAD_PROCESS_PRIVATE);
	in_thread(lock_and_leave, &m);
	CHECK_RET(lock_dead_owner(&m), EOWNERDEAD);
	CHECK_ZERO(pthread_mutex_consistent(&m));
	CHECK_ZERO(pthread_mutex_unlock(&m));
	CHECK_EQ(in_thread(try_lock, &m), 0);
	CHECK_ZERO(pthread_mutex_destroy(&m));
}

#define PS_ROUNDS 20000

static void pshared_add(struct shared_mutex *s)
{
	for (int i = 0; i < PS_ROUNDS; i++) {
		CHECK_ZERO(pthread_mutex_lock(&s->m));
		s->counter++;
		if (i % 64 == 0)
			sched_yield();
		CHECK_ZERO(pthread_mutex_unlock(&s->m));
	}
}

/* Two processes count under one process-shared mutex (plain, then PI). */
static void case_pshared(void)
{
	for (int proto = 0; proto < 2; proto++) {
		struct shared_mutex *s = th_shared(T_PAGE);

		mutex_init_attr(&s->m, PTHREAD_MUTEX_NORMAL,
				PTHREAD_MUTEX_STALLED,
				proto ? PTHREAD_PRIO_INHERIT : PTHREAD_PRIO_NONE,
				PTHREAD_PROCESS_SHARED);
		pid_t pid = t_fork();
		if (pid == 0) {
			CHECK_ZERO(pthread_mutex_lock(&s->m));
			t_post(&s->stage, 1);
			t_await(&s->stage, 2);
			CHECK_ZERO(pthread_mutex_unlock(&s->m));
			pshared_add(s);
			_exit(0);
		}
		t_await(&s->stage, 1);
		CHECK_RET(pthread_mutex_trylock(&s->m), EBUSY);	/* the child's */
		t_post(&s->stage, 2);
		pshared_add(s);
		CHECK_EXITED(t_wait(pid), 0);
		CHECK_EQ(s->counter, 2 * PS_ROUNDS);
		CHECK_ZERO(pthread_mutex_destroy(&s->m));
		CHECK_OK(munmap(s, T_PAGE));
	}
}

static const struct t_case cases[] = {
	{ case_normal_trylock_timedlock, "normal_trylock_timedlock" },
	{ case_normal_handoff, "normal_handoff" },
	{ case_recursive, "recursive" },
	{ case_errorcheck, "errorcheck" },
	{ case_robust_thread_dies, "robust_thread_dies" },
	{ case_robust_process_exits, "robust_process_exits" },
	{ case_robust_process_killed, "robust_process_killed" },
	{ case_pi, "pi" },
	{ case_pi_robust, "pi_robust" },
	{ case_pshared, "pshared" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
