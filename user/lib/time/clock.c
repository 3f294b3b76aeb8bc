/*
 * clock.c - reading clocks: clock_gettime, clock_getres, gettimeofday,
 * time, clock. Every one is a system call (libbasalt does not use the
 * vDSO), which keeps them simple and makes them work the same on every
 * kernel.
 */
#include <sys/time.h>
#include <time.h>
#include "../internal/syscall.h"

int clock_gettime(clockid_t clk, struct timespec *ts)
{
	return (int)__syscall_ret(sys_call2(SYS_clock_gettime, clk, (long)ts));
}

int clock_getres(clockid_t clk, struct timespec *ts)
{
	return (int)__syscall_ret(sys_call2(SYS_clock_getres, clk, (long)ts));
}

int gettimeofday(struct timeval *tv, void *tz)
{
	return (int)__syscall_ret(sys_call2(SYS_gettimeofday, (long)tv,
					    (long)tz));
}

time_t time(time_t *t)
{
	struct timespec ts = { 0, 0 };

	clock_gettime(CLOCK_REALTIME, &ts);
	if (t)
		*t = ts.tv_sec;
	return ts.tv_sec;
}

/* Processor time used, in CLOCKS_PER_SEC units. */
clock_t clock(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) < 0)
		return (clock_t)-1;
	return ts.tv_sec * CLOCKS_PER_SEC + ts.tv_nsec / 1000;
}
