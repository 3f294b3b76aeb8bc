/*
 * timer_clock.c - setting the wall clock and sleeping on clocks:
 * clock_settime(CLOCK_REALTIME) and settimeofday for root (EPERM for
 * others, EINVAL for other clocks, bad times and times before boot),
 * settimeofday's timezone, a TFD_TIMER_CANCEL_ON_SET timerfd cancelled
 * by a clock change, clock_nanosleep with TIMER_ABSTIME, and nanosleep
 * cut short by a handled signal reporting the time left. The clock is
 * only ever set to what it reads (moving it back by microseconds).
 */
#define _GNU_SOURCE
#include "t.h"

#include <grp.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

static long ns_of(const struct timespec *ts)
{
	return ts->tv_sec * 1000000000L + ts->tv_nsec;
}

static void case_settime_root(void)
{
	struct timespec now, bad = { 0, 1000000000 }, zero = { 0, 0 };

	CHECK_OK(clock_gettime(CLOCK_REALTIME, &now));
	CHECK_OK(clock_settime(CLOCK_REALTIME, &now));
	CHECK_ERR(clock_settime(CLOCK_MONOTONIC, &now), EINVAL);
	CHECK_ERR(clock_settime(CLOCK_BOOTTIME, &now), EINVAL);
	CHECK_ERR(clock_settime(99, &now), EINVAL);
	CHECK_ERR(clock_settime(CLOCK_REALTIME, &bad), EINVAL);
	CHECK_ERR(clock_settime(CLOCK_REALTIME, &zero), EINVAL);	/* before boot */
	CHECK_ERR(clock_settime(CLOCK_PROCESS_CPUTIME_ID, &now), EINVAL);
	CHECK_ERR(syscall(SYS_clock_settime, CLOCK_REALTIME, NULL), EFAULT);
}

static void case_settimeofday_tz(void)
{
	struct timeval tv;
	struct timezone tz = { -60, 0 }, got, bad = { 16 * 60, 0 };

	CHECK_OK(syscall(SYS_settimeofday, NULL, &tz));
	CHECK_OK(syscall(SYS_gettimeofday, &tv, &got));
	CHECK_EQ(got.tz_minuteswest, -60);
	CHECK_ERR(syscall(SYS_settimeofday, NULL, &bad), EINVAL);
	tz.tz_minuteswest = 0;
	CHECK_OK(syscall(SYS_settimeofday, NULL, &tz));
	CHECK_OK(gettimeofday(&tv, NULL));
	CHECK_OK(syscall(SYS_settimeofday, &tv, NULL));
	tv.tv_usec = 1000000;
	CHECK_ERR(syscall(SYS_settimeofday, &tv, NULL), EINVAL);
}

static void case_settime_nonroot(void)
{
	struct timespec now;
	struct timeval tv;

	CHECK_OK(setgroups(0, NULL));
	CHECK_OK(setgid(65534));
	CHECK_OK(setuid(65534));
	CHECK_OK(clock_gettime(CLOCK_REALTIME, &now));
	CHECK_ERR(clock_settime(CLOCK_REALTIME, &now), EPERM);
	CHECK_OK(gettimeofday(&tv, NULL));
	CHECK_ERR(settimeofday(&tv, NULL), EPERM);
}

/* A far-off absolute REALTIME timerfd that cancels on a clock change. */
static void case_timerfd_cancel_on_set(void)
{
	int fd = CHECK_OK(timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK));
	struct timespec now;
	struct itimerspec its = { { 0, 0 }, { 0, 0 } };
	uint64_t n;

	CHECK_OK(clock_gettime(CLOCK_REALTIME, &now));
	its.it_value.tv_sec = now.tv_sec + 3600;
	CHECK_OK(timerfd_settime(fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET,
				 &its, NULL));
	CHECK_ERR(read(fd, &n, sizeof(n)), EAGAIN);
	CHECK_OK(clock_gettime(CLOCK_REALTIME, &now));
	CHECK_OK(clock_settime(CLOCK_REALTIME, &now));
	CHECK_ERR(read(fd, &n, sizeof(n)), ECANCELED);
	CHECK_ERR(read(fd, &n, sizeof(n)), EAGAIN);	/* once */
	CHECK_OK(close(fd));
}

/* An absolute sleep ends at its time, never before. */
static void case_nanosleep_abstime(void)
{
	struct timespec t, after;

	CHECK_OK(clock_gettime(CLOCK_MONOTONIC, &t));
	t.tv_nsec += 20 * 1000 * 1000;
	if (t.tv_nsec >= 1000000000) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000;
	}
	CHECK_EQ(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL), 0);
	CHECK_OK(clock_gettime(CLOCK_MONOTONIC, &after));
	CHECK(ns_of(&after) >= ns_of(&t));
	CHECK_OK(clock_gettime(CLOCK_REALTIME, &t));
	t.tv_nsec = 0;		/* already past: returns at once */
	CHECK_EQ(clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &t, NULL), 0);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* A handled signal ends a relative sleep: EINTR and the time left. */
static void case_nanosleep_eintr_remaining(void)
{
	struct sigaction sa;
	struct itimerval v = { { 0, 0 }, { 0, 20000 } };
	struct timespec req = { 10, 0 }, rem = { -1, -1 };

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;	/* no SA_RESTART */
	CHECK_OK(sigaction(SIGALRM, &sa, NULL));
	CHECK_OK(setitimer(ITIMER_REAL, &v, NULL));
	CHECK_ERR(nanosleep(&req, &rem), EINTR);
	CHECK(rem.tv_sec >= 0 && rem.tv_sec <= 10);
	CHECK(rem.tv_nsec >= 0 && rem.tv_nsec < 1000000000);
	CHECK(ns_of(&rem) > 0 && ns_of(&rem) < ns_of(&req));
	CHECK_OK(setitimer(ITIMER_REAL, &v, NULL));
	CHECK_EQ(clock_nanosleep(CLOCK_MONOTONIC, 0, &req, &rem), EINTR);
	CHECK(ns_of(&rem) > 0 && ns_of(&rem) < ns_of(&req));
}

static volatile int stop;

static void *spinner(void *arg)
{
	volatile unsigned long x = 0;

	(void)arg;
	while (!stop)
		x++;
	return NULL;
}

/* Sleeping on the process's CPU clock: another thread's work wakes it. */
static void case_cpu_clock_sleep(void)
{
	struct timespec req = { 0, 20 * 1000 * 1000 }, a, b;
	pthread_t th;

	CHECK_OK(clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a));
	CHECK_EQ(pthread_create(&th, NULL, spinner, NULL), 0);
	CHECK_EQ(clock_nanosleep(CLOCK_PROCESS_CPUTIME_ID, 0, &req, NULL), 0);
	CHECK_OK(clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b));
	CHECK(ns_of(&b) - ns_of(&a) >= ns_of(&req));
	stop = 1;
	CHECK_EQ(pthread_join(th, NULL), 0);
	CHECK_EQ(clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &req, NULL), EINVAL);
}

static const struct t_case cases[] = {
	{ case_settime_root, "settime_root" },
	{ case_settimeofday_tz, "settimeofday_tz" },
	{ case_settime_nonroot, "settime_nonroot" },
	{ case_timerfd_cancel_on_set, "timerfd_cancel_on_set" },
	{ case_nanosleep_abstime, "nanosleep_abstime" },
	{ case_nanosleep_eintr_remaining, "nanosleep_eintr_remaining" },
	{ case_cpu_clock_sleep, "cpu_clock_sleep" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
