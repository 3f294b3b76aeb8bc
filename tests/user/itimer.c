/*
 * itimer.c - alarm, setitimer and getitimer: ITIMER_REAL fires SIGALRM
 * (once and by its interval), ITIMER_VIRTUAL and ITIMER_PROF fire as
 * the process uses CPU time, the old value comes back, alarm rounds
 * its result as Linux, bad arguments fail, and fork does not inherit
 * a timer. Waits are for signals or for CPU-time clocks to move, never
 * thresholds on elapsed time.
 */
#define _GNU_SOURCE
#include "t.h"

#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t hits[65], last_code;

static void on_sig(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	hits[sig]++;
	last_code = si->si_code;
}

static void install(int sig)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sig;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	CHECK_OK(sigaction(sig, &sa, NULL));
}

/* Wait (blocked, in sigwaitinfo) until sig has arrived n times. */
static void await_hits(int sig, int n)
{
	sigset_t block, old;
	siginfo_t si;

	sigemptyset(&block);
	sigaddset(&block, sig);
	CHECK_OK(sigprocmask(SIG_BLOCK, &block, &old));
	while (hits[sig] < n) {
		if (sigwaitinfo(&block, &si) != sig)
			continue;
		hits[sig]++;
		last_code = si.si_code;
	}
	CHECK_OK(sigprocmask(SIG_SETMASK, &old, NULL));
}

static struct itimerval itv(long vs, long vus, long is, long ius)
{
	struct itimerval v = { { is, ius }, { vs, vus } };

	return v;
}

static void case_alarm_fires(void)
{
	install(SIGALRM);
	CHECK_EQ(alarm(1), 0);
	await_hits(SIGALRM, 1);
	CHECK_EQ(last_code, SI_KERNEL);
	CHECK_EQ(alarm(0), 0);	/* it went off: nothing left */
}

/* alarm returns the seconds left, rounded to nearest (99.99 -> 100). */
static void case_alarm_remaining(void)
{
	CHECK_EQ(alarm(100), 0);
	CHECK_EQ(alarm(0), 100);
	CHECK_EQ(alarm(0), 0);
}

static void case_real_interval(void)
{
	struct itimerval v = itv(0, 10000, 0, 10000), cur;

	install(SIGALRM);
	CHECK_OK(setitimer(ITIMER_REAL, &v, NULL));
	await_hits(SIGALRM, 5);
	CHECK_OK(getitimer(ITIMER_REAL, &cur));
	CHECK_EQ(cur.it_interval.tv_sec, 0);
	CHECK_EQ(cur.it_interval.tv_usec, 10000);
	CHECK(cur.it_value.tv_sec == 0 && cur.it_value.tv_usec > 0 &&
	      cur.it_value.tv_usec <= 10000);
	v = itv(0, 0, 0, 0);
	CHECK_OK(setitimer(ITIMER_REAL, &v, &cur));
	CHECK_EQ(cur.it_interval.tv_usec, 10000);
	CHECK_OK(getitimer(ITIMER_REAL, &cur));
	CHECK_EQ(cur.it_value.tv_sec + cur.it_value.tv_usec, 0);
	CHECK_EQ(cur.it_interval.tv_sec + cur.it_interval.tv_usec, 0);
}

static void case_real_old_value(void)
{
	struct itimerval v = itv(100, 0, 7, 500000), old;

	CHECK_OK(setitimer(ITIMER_REAL, &v, NULL));
	v = itv(0, 0, 0, 0);
	CHECK_OK(setitimer(ITIMER_REAL, &v, &old));
	CHECK(old.it_value.tv_sec <= 100 && old.it_value.tv_sec >= 1);
	CHECK(old.it_value.tv_usec >= 0 && old.it_value.tv_usec < 1000000);
	CHECK_EQ(old.it_interval.tv_sec, 7);
	CHECK_EQ(old.it_interval.tv_usec, 500000);
}

/* Spin in user mode until sig has come n times. */
static void spin_until(int sig, int n)
{
	volatile unsigned long x = 0;

	while (hits[sig] < n)
		x++;
}

static void case_virtual_fires(void)
{
	struct itimerval v = itv(0, 20000, 0, 20000), cur;

	install(SIGVTALRM);
	CHECK_OK(setitimer(ITIMER_VIRTUAL, &v, NULL));
	CHECK_OK(getitimer(ITIMER_VIRTUAL, &cur));
	CHECK(cur.it_value.tv_sec > 0 || cur.it_value.tv_usec > 0);
	spin_until(SIGVTALRM, 3);
	CHECK_EQ(last_code, SI_KERNEL);
	v = itv(0, 0, 0, 0);
	CHECK_OK(setitimer(ITIMER_VIRTUAL, &v, NULL));
}

static void case_prof_fires(void)
{
	struct itimerval v = itv(0, 20000, 0, 0);

	install(SIGPROF);
	CHECK_OK(setitimer(ITIMER_PROF, &v, NULL));
	spin_until(SIGPROF, 1);
	CHECK_OK(getitimer(ITIMER_PROF, &v));
	CHECK_EQ(v.it_value.tv_sec + v.it_value.tv_usec, 0);	/* one-shot */
}

/* A process sleeping uses no CPU time: its virtual timer stays put. */
static void case_virtual_needs_cpu(void)
{
	struct itimerval v = itv(5, 0, 0, 0), before, after;
	struct timespec ts = { 0, 50 * 1000 * 1000 };

	CHECK_OK(setitimer(ITIMER_VIRTUAL, &v, NULL));
	CHECK_OK(getitimer(ITIMER_VIRTUAL, &before));
	CHECK_OK(nanosleep(&ts, NULL));
	CHECK_OK(getitimer(ITIMER_VIRTUAL, &after));
	CHECK(after.it_value.tv_sec >= 4);
	CHECK_EQ(hits[SIGVTALRM], 0);
}

static void case_invalid(void)
{
	struct itimerval v = itv(0, 1000000, 0, 0), cur;

	CHECK_ERR(setitimer(ITIMER_REAL, &v, NULL), EINVAL);
	v = itv(-1, 0, 0, 0);
	CHECK_ERR(setitimer(ITIMER_REAL, &v, NULL), EINVAL);
	v = itv(1, 0, 0, -1);
	CHECK_ERR(setitimer(ITIMER_REAL, &v, NULL), EINVAL);
	CHECK_ERR(syscall(SYS_getitimer, 3, &cur), EINVAL);
	CHECK_ERR(syscall(SYS_setitimer, 3, &v, NULL), EINVAL);
	CHECK_ERR(syscall(SYS_getitimer, ITIMER_REAL, NULL), EFAULT);
}

static void case_not_inherited(void)
{
	struct itimerval v = itv(100, 0, 0, 0);

	CHECK_OK(setitimer(ITIMER_REAL, &v, NULL));
	pid_t pid = t_fork();
	if (pid == 0) {
		struct itimerval c;

		if (getitimer(ITIMER_REAL, &c) || c.it_value.tv_sec ||
		    c.it_value.tv_usec || alarm(0) != 0)
			_exit(1);
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
	CHECK(alarm(0) > 0);	/* the parent's is still there */
}

/* The alarm's default action ends the process with SIGALRM. */
static void case_alarm_kills(void)
{
	pid_t pid = t_fork();

	if (pid == 0) {
		alarm(1);
		for (;;)
			pause();
	}
	CHECK_SIGNALED(t_wait(pid), SIGALRM);
}

static const struct t_case cases[] = {
	{ case_alarm_fires, "alarm_fires" },
	{ case_alarm_remaining, "alarm_remaining" },
	{ case_real_interval, "real_interval" },
	{ case_real_old_value, "real_old_value" },
	{ case_virtual_fires, "virtual_fires" },
	{ case_prof_fires, "prof_fires" },
	{ case_virtual_needs_cpu, "virtual_needs_cpu" },
	{ case_invalid, "invalid" },
	{ case_not_inherited, "not_inherited" },
	{ case_alarm_kills, "alarm_kills" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
