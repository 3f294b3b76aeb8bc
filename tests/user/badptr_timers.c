/*
 * badptr_timers.c - bad pointers in the timer, CPU-time and clock-setting
 * calls (see badptr.h).
 *
 * Linux facts the rows record: setitimer's new value may be NULL (a
 * disarm, a misfeature Linux still accepts) and its old value too;
 * timer_create's sigevent may be NULL (the default SIGALRM event) but
 * its id pointer must be writable; timer_settime's new value must be
 * there (NULL is EINVAL); times(NULL) just returns the clock; a NULL
 * settimeofday argument is "leave it" (the probes never change the
 * time: the time row passes no timezone and the timezone row no time,
 * and the timezone written is zero); timerfd_settime reads its new
 * value before it looks at the fd.
 */
#include "badptr.h"

#include <sys/syscall.h>
#include <time.h>
#include <sys/time.h>
#include <sys/resource.h>

static long itv_zero[4];		/* struct itimerval: disarm */
static long its_zero[4];		/* struct itimerspec: disarm */
static int tz_zero[2];

static void s_itimer(struct bp_call *c)
{
	c->a[0] = ITIMER_REAL;
	c->a[1] = (long)itv_zero;
	c->a[2] = (long)bp_buf;
}
static void s_getitimer(struct bp_call *c)
{
	c->a[0] = ITIMER_REAL;
	c->a[1] = (long)bp_buf;
}
/* sigevent: SIGEV_NONE, so nothing ever fires. */
static void s_timer_create(struct bp_call *c)
{
	static struct sigevent ev = { .sigev_notify = SIGEV_NONE };

	c->a[0] = CLOCK_MONOTONIC;
	c->a[1] = (long)&ev;
	c->a[2] = (long)bp_buf;
}
/* A timer to work on: the first of the (forked) probe process, id 0. */
static void s_timer(struct bp_call *c)
{
	struct sigevent ev = { .sigev_notify = SIGEV_NONE };
	int id;

	CHECK_OK(syscall(SYS_timer_create, CLOCK_MONOTONIC, &ev, &id));
	c->a[0] = id;
	c->a[1] = 0;
	c->a[2] = (long)its_zero;
	c->a[3] = (long)bp_buf;
}
static void s_timer_gettime(struct bp_call *c)
{
	s_timer(c);
	c->a[1] = (long)bp_buf;
}
static void s_clock_settime(struct bp_call *c)
{
	c->a[0] = CLOCK_REALTIME;
	c->a[1] = (long)bp_buf;
}
static void s_settime_tv(struct bp_call *c)
{
	c->a[0] = (long)bp_buf;
	c->a[1] = 0;
}
static void s_settime_tz(struct bp_call *c)
{
	c->a[0] = 0;
	c->a[1] = (long)tz_zero;
}
static void s_rusage(struct bp_call *c)
{
	c->a[0] = RUSAGE_SELF;
	c->a[1] = (long)bp_buf;
}
/* A timerfd of the (forked) probe process, disarmed. */
static void s_timerfd(struct bp_call *c)
{
	c->a[0] = CHECK_OK(syscall(SYS_timerfd_create, CLOCK_MONOTONIC, 0));
	c->a[1] = 0;
	c->a[2] = (long)its_zero;
	c->a[3] = (long)bp_buf;
}
static void s_timerfd_gettime(struct bp_call *c)
{
	s_timerfd(c);
	c->a[1] = (long)bp_buf;
}
static void s_times(struct bp_call *c)
{
	c->a[0] = (long)bp_buf;
}

#define OUT(name, arg, what, size, setup)                                  \
	BP_ROW(name, arg, what, size, setup, EF, EF, EF, EF)
#define OPT(name, arg, what, size, setup)                                  \
	BP_ROW(name, arg, what, size, setup, OK, EF, EF, EF)

static const struct bp_row rows[] = {
	OUT(getitimer, 1, "curr_value", 32, s_getitimer),
	OPT(setitimer, 1, "new_value", 32, s_itimer),
	OPT(setitimer, 2, "old_value", 32, s_itimer),
	OPT(timer_create, 1, "sevp", 64, s_timer_create),
	OUT(timer_create, 2, "timerid", 4, s_timer_create),
	BP_ROW(timer_settime, 2, "new_value", 32, s_timer,
	       EINVAL, EF, EF, EF),
	OPT(timer_settime, 3, "old_value", 32, s_timer),
	OUT(timer_gettime, 1, "curr_value", 32, s_timer_gettime),
	OUT(clock_settime, 1, "tp", 16, s_clock_settime),
	BP_ROW(settimeofday, 0, "tv", 16, s_settime_tv, OK, EF, EF, EF),
	BP_ROW(settimeofday, 1, "tz", 8, s_settime_tz, OK, EF, EF, EF),
	OUT(timerfd_settime, 2, "new_value", 32, s_timerfd),
	OPT(timerfd_settime, 3, "old_value", 32, s_timerfd),
	OUT(timerfd_gettime, 1, "curr_value", 32, s_timerfd_gettime),
	OUT(getrusage, 1, "usage", 144, s_rusage),
	OPT(times, 0, "buf", 32, s_times),
};

BP_NONE_LIST = {
	BP_NONE(alarm, "a number of seconds"),
	BP_NONE(timerfd_create, "a clock and flags"),
	BP_NONE(timer_getoverrun, "a timer id"),
	BP_NONE(timer_delete, "a timer id"),
	BP_NONE(restart_syscall, "no arguments"),
};

BP_TABLE_MAIN(rows)
