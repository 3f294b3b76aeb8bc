/*
 * timer.c - POSIX timers (timer_create, timer_settime, timer_gettime,
 * timer_getoverrun, timer_delete): every clock fires with SI_TIMER and
 * the timer's value, SIGEV_NONE only counts down, SIGEV_THREAD_ID
 * reaches its thread, a periodic timer whose signal waits counts the
 * periods it missed, ids are given out as Linux's, bad arguments fail,
 * and creating and deleting timers leaks nothing. Timers are called
 * through the raw system calls (the kernel's int ids); waits are for
 * signals (sigwaitinfo) or for clocks to move, never time thresholds.
 */
#define _GNU_SOURCE
#include "t.h"

#include <pthread.h>
#include <stdbool.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define MS (1000 * 1000L)

/* The kernel's struct sigevent (the C libraries name the tid field
 * differently). */
struct ksigevent {
	union sigval value;
	int signo, notify, tid;
	int pad[11];
};

static int tcreate(clockid_t clock, int notify, int sig, int value, int tid)
{
	struct ksigevent ev;
	int id = -1;

	memset(&ev, 0, sizeof(ev));
	ev.notify = notify;
	ev.signo = sig;
	ev.value.sival_int = value;
	ev.tid = tid;
	if (syscall(SYS_timer_create, clock, &ev, &id))
		return -1;
	return id;
}

static long tset(int id, int flags, long value_ns, long interval_ns,
		 struct itimerspec *old)
{
	struct itimerspec its = {
		{ interval_ns / 1000000000, interval_ns % 1000000000 },
		{ value_ns / 1000000000, value_ns % 1000000000 },
	};

	return syscall(SYS_timer_settime, id, flags, &its, old);
}

static long tget(int id, struct itimerspec *cur)
{
	return syscall(SYS_timer_gettime, id, cur);
}

static long tdel(int id)
{
	return syscall(SYS_timer_delete, id);
}

static long ns_of(const struct timespec *ts)
{
	return ts->tv_sec * 1000000000L + ts->tv_nsec;
}

static void block(int sig)
{
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, sig);
	CHECK_OK(sigprocmask(SIG_BLOCK, &s, NULL));
}

/* Take sig (blocked) when it comes. */
static void wait_sig(int sig, siginfo_t *si)
{
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, sig);
	CHECK_EQ(sigwaitinfo(&s, si), sig);
}

/* Burn CPU in user mode until clock has moved by ns. */
static void burn(clockid_t clock, long ns)
{
	struct timespec a, b;
	volatile unsigned long x = 0;

	CHECK_OK(clock_gettime(clock, &a));
	do {
		for (int i = 0; i < 10000; i++)
			x++;
		CHECK_OK(clock_gettime(clock, &b));
	} while (ns_of(&b) - ns_of(&a) < ns);
}

/*
 * Burn CPU until sig is pending. A CPU-time timer fires from a tick that
 * finds its thread running past the deadline; a clock read can jump past
 * it with no tick in between (the virtual CPU was descheduled), and a
 * thread that then went to sleep would never be found running again.
 */
static void burn_until_pending(clockid_t clock, int sig)
{
	sigset_t p;

	for (;;) {
		CHECK_OK(sigpending(&p));
		if (sigismember(&p, sig))
			return;
		burn(clock, 1 * MS);
	}
}

/* A one-shot 10 ms timer on clock fires once with SI_TIMER and value. */
static void fires_on(clockid_t clock, bool cpu)
{
	siginfo_t si;
	struct itimerspec cur;
	int id;

	block(SIGUSR1);
	id = tcreate(clock, SIGEV_SIGNAL, SIGUSR1, 4242, 0);
	CHECK(id >= 0);
	CHECK_OK(tset(id, 0, 10 * MS, 0, NULL));
	if (cpu)
		burn_until_pending(clock, SIGUSR1);
	wait_sig(SIGUSR1, &si);
	CHECK_EQ(si.si_code, SI_TIMER);
	CHECK_EQ(si.si_value.sival_int, 4242);
	CHECK_EQ(si.si_timerid, id);
	CHECK_EQ(si.si_overrun, 0);
	CHECK_OK(tget(id, &cur));	/* a one-shot that fired is off */
	CHECK_EQ(ns_of(&cur.it_value), 0);
	CHECK_OK(tdel(id));
}

static void case_realtime(void) { fires_on(CLOCK_REALTIME, false); }
static void case_monotonic(void) { fires_on(CLOCK_MONOTONIC, false); }
static void case_boottime(void) { fires_on(CLOCK_BOOTTIME, false); }
static void case_process_cpu(void) { fires_on(CLOCK_PROCESS_CPUTIME_ID, true); }
static void case_thread_cpu(void) { fires_on(CLOCK_THREAD_CPUTIME_ID, true); }

/* An absolute time: now + 10 ms fires; a time long past fires at once. */
static void case_abstime(void)
{
	struct timespec now;
	siginfo_t si;
	int id;

	block(SIGUSR1);
	id = tcreate(CLOCK_MONOTONIC, SIGEV_SIGNAL, SIGUSR1, 1, 0);
	CHECK_OK(clock_gettime(CLOCK_MONOTONIC, &now));
	CHECK_OK(tset(id, TIMER_ABSTIME, ns_of(&now) + 10 * MS, 0, NULL));
	wait_sig(SIGUSR1, &si);
	CHECK_EQ(si.si_timerid, id);
	CHECK_OK(tset(id, TIMER_ABSTIME, 1, 0, NULL));
	wait_sig(SIGUSR1, &si);
	CHECK_EQ(si.si_timerid, id);
	CHECK_OK(tdel(id));
}

/* The default event: SIGALRM with the timer id as its value. */
static void case_default_event(void)
{
	siginfo_t si;
	int id;

	block(SIGALRM);
	CHECK_OK(syscall(SYS_timer_create, CLOCK_MONOTONIC, NULL, &id));
	CHECK_OK(tset(id, 0, 5 * MS, 0, NULL));
	wait_sig(SIGALRM, &si);
	CHECK_EQ(si.si_code, SI_TIMER);
	CHECK_EQ(si.si_value.sival_int, id);
	CHECK_OK(tdel(id));
}

/* SIGEV_NONE counts down and never signals; gettime reports it. */
static void case_sigev_none(void)
{
	struct itimerspec a, b;
	int id = tcreate(CLOCK_MONOTONIC, SIGEV_NONE, 0, 0, 0);

	CHECK(id >= 0);
	CHECK_OK(tset(id, 0, 100 * 1000 * MS, 0, NULL));
	CHECK_OK(tget(id, &a));
	burn(CLOCK_MONOTONIC, 5 * MS);
	CHECK_OK(tget(id, &b));
	CHECK(ns_of(&a.it_value) > 0);
	CHECK(ns_of(&b.it_value) < ns_of(&a.it_value));
	CHECK_OK(tset(id, 0, 1 * MS, 0, NULL));
	burn(CLOCK_MONOTONIC, 5 * MS);
	CHECK_OK(tget(id, &b));
	CHECK_EQ(ns_of(&b.it_value), 0);	/* expired, reports 0 */
	CHECK_OK(tdel(id));
}

/* A periodic timer: settime's old value and gettime's interval; the
 * periods missed while its signal waits blocked are the overrun. */
static void case_periodic_overrun(void)
{
	struct itimerspec cur, old;
	siginfo_t si;
	int id;

	block(SIGUSR2);
	id = tcreate(CLOCK_MONOTONIC, SIGEV_SIGNAL, SIGUSR2, 7, 0);
	CHECK_OK(tset(id, 0, 1 * MS, 1 * MS, NULL));
	CHECK_OK(tget(id, &cur));
	CHECK_EQ(ns_of(&cur.it_interval), 1 * MS);
	burn(CLOCK_MONOTONIC, 50 * MS);	/* 50 periods pass, signal waits */
	wait_sig(SIGUSR2, &si);
	CHECK(si.si_overrun >= 10);
	CHECK_EQ(syscall(SYS_timer_getoverrun, id), si.si_overrun);
	wait_sig(SIGUSR2, &si);		/* it goes on after the first */
	CHECK_EQ(si.si_timerid, id);
	CHECK_OK(tset(id, 0, 0, 0, &old));
	CHECK_EQ(ns_of(&old.it_interval), 1 * MS);
	CHECK_EQ(syscall(SYS_timer_getoverrun, id), 0);	/* reset by settime */
	CHECK_OK(tdel(id));
}

/* A periodic timer fires again and again. */
static void case_periodic_count(void)
{
	siginfo_t si;
	int id;

	block(SIGUSR1);
	id = tcreate(CLOCK_REALTIME, SIGEV_SIGNAL, SIGUSR1, 3, 0);
	CHECK_OK(tset(id, 0, 2 * MS, 2 * MS, NULL));
	for (int i = 0; i < 5; i++) {
		wait_sig(SIGUSR1, &si);
		CHECK_EQ(si.si_value.sival_int, 3);
	}
	CHECK_OK(tdel(id));
}

static volatile int thread_tid, thread_got;

static void *sig_thread(void *arg)
{
	siginfo_t si;

	(void)arg;
	thread_tid = (int)syscall(SYS_gettid);
	wait_sig(SIGUSR1, &si);
	thread_got = si.si_value.sival_int;
	return NULL;
}

/* SIGEV_THREAD_ID: the signal goes to that thread, not the process. */
static void case_thread_id(void)
{
	pthread_t th;
	int id;

	block(SIGUSR1);		/* in every thread: only sigwaitinfo takes it */
	CHECK_EQ(pthread_create(&th, NULL, sig_thread, NULL), 0);
	while (!thread_tid)
		sched_yield();
	id = tcreate(CLOCK_MONOTONIC, SIGEV_SIGNAL | SIGEV_THREAD_ID, SIGUSR1,
		     99, thread_tid);
	CHECK(id >= 0);
	CHECK_OK(tset(id, 0, 5 * MS, 0, NULL));
	CHECK_EQ(pthread_join(th, NULL), 0);
	CHECK_EQ(thread_got, 99);
	CHECK_OK(tdel(id));
}

/* Ids: 0, 1, ... in each process, not reused after a delete. */
static void case_ids(void)
{
	int a = tcreate(CLOCK_MONOTONIC, SIGEV_NONE, 0, 0, 0);
	int b = tcreate(CLOCK_MONOTONIC, SIGEV_NONE, 0, 0, 0);

	CHECK_EQ(a, 0);
	CHECK_EQ(b, 1);
	CHECK_OK(tdel(a));
	CHECK_EQ(tcreate(CLOCK_MONOTONIC, SIGEV_NONE, 0, 0, 0), 2);
	CHECK_ERR(tdel(a), EINVAL);
	CHECK_ERR(tset(a, 0, MS, 0, NULL), EINVAL);
	CHECK_ERR(syscall(SYS_timer_getoverrun, a), EINVAL);
}

static void case_invalid(void)
{
	struct itimerspec its = { { 0, 0 }, { 0, 1000000000 } };
	int id;

	CHECK_ERR(tcreate(99, SIGEV_NONE, 0, 0, 0), EINVAL);
	CHECK_ERR(tcreate(CLOCK_MONOTONIC_RAW, SIGEV_NONE, 0, 0, 0), EOPNOTSUPP);
	CHECK_ERR(tcreate(CLOCK_MONOTONIC, SIGEV_SIGNAL, 0, 0, 0), EINVAL);
	CHECK_ERR(tcreate(CLOCK_MONOTONIC, SIGEV_SIGNAL, 65, 0, 0), EINVAL);
	CHECK_ERR(tcreate(CLOCK_MONOTONIC, 99, SIGUSR1, 0, 0), EINVAL);
	CHECK_ERR(tcreate(CLOCK_MONOTONIC, SIGEV_SIGNAL | SIGEV_THREAD_ID,
			  SIGUSR1, 0, 999999), EINVAL);
	id = tcreate(CLOCK_MONOTONIC, SIGEV_NONE, 0, 0, 0);
	CHECK_ERR(syscall(SYS_timer_settime, id, 0, &its, NULL), EINVAL);
	its.it_value.tv_nsec = -1;
	CHECK_ERR(syscall(SYS_timer_settime, id, 0, &its, NULL), EINVAL);
	CHECK_ERR(syscall(SYS_timer_settime, id, 0, NULL, NULL), EINVAL);
	CHECK_ERR(tget(12345, &its), EINVAL);
}

/* Timers go with the process: a child that leaves timers armed. */
static void create_delete(int rounds)
{
	for (int i = 0; i < rounds; i++) {
		int id = tcreate(CLOCK_MONOTONIC, SIGEV_SIGNAL, SIGUSR1, 0, 0);

		if (id < 0 || tset(id, 0, 1000 * MS, MS, NULL) || tdel(id))
			T_FAIL("create/arm/delete round %d", i);
	}
	pid_t pid = t_fork();
	if (pid == 0) {
		for (int i = 0; i < 50; i++)
			tset(tcreate(CLOCK_MONOTONIC, SIGEV_SIGNAL, SIGUSR1, 0, 0),
			     0, 1000 * MS, 0, NULL);
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
}

static void case_no_leak(void)
{
	t_check_no_leak("500 x timer_create+settime+delete", create_delete, 500);
}

/*
 * What the program checks when exec_deletes runs it again: its POSIX
 * timer is gone, its alarm is not (Linux keeps itimers across execve).
 */
static int after_exec_check(void)
{
	struct itimerspec cur;
	struct itimerval v;

	if (syscall(SYS_timer_gettime, 0, &cur) != -1 || errno != EINVAL)
		return 1;
	if (getitimer(ITIMER_REAL, &v) || v.it_value.tv_sec == 0)
		return 2;
	return 0;
}

static void case_exec_deletes(void)
{
	pid_t pid = t_fork();

	if (pid == 0) {
		char *argv[] = { (char *)t_self(), NULL };
		struct itimerval v = { { 0, 0 }, { 100, 0 } };

		if (tcreate(CLOCK_MONOTONIC, SIGEV_NONE, 0, 0, 0) != 0 ||
		    tset(0, 0, 1000 * 1000 * MS, 0, NULL) ||
		    setitimer(ITIMER_REAL, &v, NULL) ||
		    setenv("T_TIMER_AFTER_EXEC", "1", 1))
			_exit(3);
		execv(argv[0], argv);
		_exit(4);
	}
	CHECK_EXITED(t_wait(pid), 0);
}

static const struct t_case cases[] = {
	{ case_realtime, "realtime" },
	{ case_monotonic, "monotonic" },
	{ case_boottime, "boottime" },
	{ case_process_cpu, "process_cpu" },
	{ case_thread_cpu, "thread_cpu" },
	{ case_abstime, "abstime" },
	{ case_default_event, "default_event" },
	{ case_sigev_none, "sigev_none" },
	{ case_periodic_overrun, "periodic_overrun" },
	{ case_periodic_count, "periodic_count" },
	{ case_thread_id, "thread_id" },
	{ case_ids, "ids" },
	{ case_invalid, "invalid" },
	{ case_no_leak, "no_leak" },
	{ case_exec_deletes, "exec_deletes" },
};

int main(int argc, char **argv)
{
	if (getenv("T_TIMER_AFTER_EXEC"))
		return after_exec_check();
	return T_RUN(argc, argv, cases);
}
