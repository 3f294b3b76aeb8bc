/*
 * POSIX timers inside kernel/time/: the timer object that posix_timer.c
 * runs (expiry, re-arming, the tick's CPU checks, the process's list)
 * and posix_timer_sys.c exposes as timer_create and friends.
 */
#ifndef BASALT_TIME_POSIX_TIMER_H
#define BASALT_TIME_POSIX_TIMER_H

#include <types.h>
#include <lib/list.h>
#include <time/ktimer.h>
#include <uapi/time.h>

struct proc_timers;

#define SIGEV_SIGNAL	0
#define SIGEV_NONE	1
#define SIGEV_THREAD	2	/* the C library's: a signal to the kernel */
#define SIGEV_THREAD_ID	4
#define SIGRTMAX	64

struct sigevent {
	uint64_t sigev_value;
	int32_t sigev_signo;
	int32_t sigev_notify;
	int32_t sigev_tid;		/* SIGEV_THREAD_ID */
	int32_t pad[11];
};
_Static_assert(sizeof(struct sigevent) == 64, "sigevent ABI");

struct itimerspec {
	struct timespec it_interval;
	struct timespec it_value;
};

enum timer_kind { PT_CLOCK, PT_THREAD_CPU, PT_PROCESS_CPU };

/* Guarded by pt->lock, but for what is fixed at creation. */
struct posix_timer {
	struct list_head link;		/* in pt->posix, by id */
	struct proc_timers *pt;		/* fixed */
	int id;				/* fixed */
	enum timer_kind kind;		/* fixed */
	bool realtime;			/* fixed: REALTIME or TAI */
	pid_t cpu_tid;			/* fixed: PT_THREAD_CPU's thread */
	int notify, signo;		/* fixed: SIGEV_*, signal */
	pid_t target_tid;		/* fixed: SIGEV_THREAD_ID's thread */
	uint64_t value;			/* fixed: si_value */
	struct ktimer kt;		/* PT_CLOCK */
	enum ktimer_base base;		/* PT_CLOCK: the clock expires counts */
	uint64_t expires;		/* next expiry on its clock; 0: off */
	uint64_t interval;
	bool active;			/* will fire: armed, not waiting */
	bool requeue_pending;		/* periodic, its signal not yet taken */
	unsigned int seq;		/* arming number (timer_seq) */
	int64_t overrun, overrun_last;
};

static inline bool is_cpu(const struct posix_timer *tm)
{
	return tm->kind != PT_CLOCK;
}

static inline int overrun_to_int(int64_t v)
{
	return v > INT32_MAX ? INT32_MAX : (int)v;
}

/* The ktimer function of a clock timer. */
void ptimer_fire(struct ktimer *kt);
/* Timer id of pt's process, or NULL. pt->lock held. */
struct posix_timer *ptimer_find(struct proc_timers *pt, int id);
/* The current time on timer id's clock (0 if there is no such timer).
 * No lock held. */
uint64_t ptimer_clock_now(struct proc_timers *pt, int id);
/* What is left and the interval (Linux's common_timer_get). pt->lock. */
void ptimer_get(struct posix_timer *tm, uint64_t now, struct itimerspec *cur);
/* Disarm (settime's first step); -1 if its ktimer is firing right now
 * (drop the locks and retry). pt->lock held. */
int ptimer_disarm(struct posix_timer *tm);
/* Arm with new, relative to now on its clock unless abs.
 * proc_tree_lock and pt->lock held. */
void ptimer_set(struct posix_timer *tm, const struct itimerspec *new,
		bool abs, uint64_t now);
/* Off the list, stopped for good (the caller frees it); false if its
 * ktimer is firing (retry). pt->lock held. */
bool ptimer_unlink(struct posix_timer *tm);

#endif
