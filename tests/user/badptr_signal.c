/*
 * badptr_signal.c - bad pointers in the signal and clock calls (see
 * badptr.h).
 *
 * Linux facts the rows record: the old-action and old-mask pointers and
 * the new ones are all optional (NULL is "none"); clock_getres and
 * gettimeofday accept NULL for what they would write, and time(NULL)
 * just returns the time; a sleep writes its remainder only when it is
 * interrupted, so a bad `rem` is never noticed; rt_sigtimedwait reads
 * its timeout before it takes the signal, then takes the signal even if
 * it cannot write the siginfo.
 */
#include "badptr.h"


static char act[32], oact[32];	/* the kernel's struct sigaction */
static uint64_t set = 1UL << (SIGUSR1 - 1), oset;
static long ts_zero[2];

static void s_sigaction(struct bp_call *c)
{
	memset(act, 0, sizeof(act));	/* SIG_DFL */
	c->a[0] = SIGUSR1;
	c->a[1] = (long)act;
	c->a[2] = (long)oact;
	c->a[3] = 8;
}
static void s_sigprocmask(struct bp_call *c)
{
	c->a[0] = SIG_BLOCK;
	c->a[1] = (long)&set;
	c->a[2] = (long)&oset;
	c->a[3] = 8;
}
static void s_sigpending(struct bp_call *c)
{
	c->a[0] = (long)&oset;
	c->a[1] = 8;
}
/* SIGUSR1 blocked and pending, so the wait takes it at once. */
static void s_sigtimedwait(struct bp_call *c)
{
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	CHECK_OK(sigprocmask(SIG_BLOCK, &s, NULL));
	CHECK_OK(raise(SIGUSR1));
	c->a[0] = (long)&set;
	c->a[1] = (long)bp_buf;
	c->a[2] = (long)ts_zero;
	c->a[3] = 8;
}
static void s_clock(struct bp_call *c)
{
	c->a[0] = CLOCK_MONOTONIC;
	c->a[1] = (long)bp_buf;
}
static void s_nanosleep(struct bp_call *c)
{
	c->a[0] = (long)ts_zero;
	c->a[1] = (long)bp_buf;
}
static void s_clock_nanosleep(struct bp_call *c)
{
	c->a[0] = CLOCK_MONOTONIC;
	c->a[2] = (long)ts_zero;
	c->a[3] = (long)bp_buf;
}
static void s_two(struct bp_call *c)
{
	c->a[0] = (long)bp_buf;
	c->a[1] = (long)bp_buf2;
}

#define OUT(name, arg, what, size, setup)                                  \
	BP_ROW(name, arg, what, size, setup, EF, EF, EF, EF)
#define OPT(name, arg, what, size, setup)                                  \
	BP_ROW(name, arg, what, size, setup, OK, EF, EF, EF)

static const struct bp_row rows[] = {
	OPT(rt_sigaction, 1, "act", 32, s_sigaction),
	OPT(rt_sigaction, 2, "oldact", 32, s_sigaction),
	OPT(rt_sigprocmask, 1, "set", 8, s_sigprocmask),
	OPT(rt_sigprocmask, 2, "oldset", 8, s_sigprocmask),
	OUT(rt_sigpending, 0, "set", 8, s_sigpending),
	OUT(rt_sigtimedwait, 0, "set", 8, s_sigtimedwait),
	BP_ROW(rt_sigtimedwait, 1, "info", 128, s_sigtimedwait,
	       RET(SIGUSR1), EF, EF, EF),
	BP_ROW(rt_sigtimedwait, 2, "timeout", 16, s_sigtimedwait,
	       RET(SIGUSR1), EF, EF, EF),
	OUT(clock_gettime, 1, "tp", 16, s_clock),
	OPT(clock_getres, 1, "res", 16, s_clock),
	OUT(nanosleep, 0, "req", 16, s_nanosleep),
	BP_ROW(nanosleep, 1, "rem", 16, s_nanosleep, OK, OK, OK, OK),
	OUT(clock_nanosleep, 2, "req", 16, s_clock_nanosleep),
	BP_ROW(clock_nanosleep, 3, "rem", 16, s_clock_nanosleep,
	       OK, OK, OK, OK),
	OPT(gettimeofday, 0, "tv", 16, s_two),
	OPT(gettimeofday, 1, "tz", 8, s_two),
	OPT(time, 0, "tloc", 8, s_two),
};

BP_NONE_LIST = {
	BP_NONE(kill, "a pid and a signal"),
	BP_NONE(tkill, "a tid and a signal"),
	BP_NONE(tgkill, "ids and a signal"),
	BP_NONE(pause, "no arguments (and it waits for a signal)"),
};

BP_TABLE_MAIN(rows)
