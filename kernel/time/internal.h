/* Declarations shared by the files of kernel/time/ only. */
#ifndef BASALT_TIME_INTERNAL_H
#define BASALT_TIME_INTERNAL_H

#include <types.h>
#include <uapi/time.h>

#define NSEC_PER_SEC	1000000000ULL
#define NSEC_PER_USEC	1000ULL
#define KTIME_MAX	((uint64_t)INT64_MAX)

struct task;
struct proc_timers;

/* Linux's timespec64_valid(): a non-negative time, nsec in range. */
static inline bool ts_valid(const struct timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 &&
	       (uint64_t)ts->tv_nsec < NSEC_PER_SEC;
}

/* A valid timespec in ns, saturating at KTIME_MAX like Linux. */
static inline uint64_t ts_to_ns(const struct timespec *ts)
{
	if ((uint64_t)ts->tv_sec >= KTIME_MAX / NSEC_PER_SEC)
		return KTIME_MAX;
	return (uint64_t)ts->tv_sec * NSEC_PER_SEC + (uint64_t)ts->tv_nsec;
}

static inline struct timespec ns_to_ts(uint64_t ns)
{
	return (struct timespec){ (int64_t)(ns / NSEC_PER_SEC),
				  (int64_t)(ns % NSEC_PER_SEC) };
}

/* Linux's hrtimer_forward: move *expires past now by whole intervals;
 * how many intervals that took (0 if *expires is still ahead). */
static inline uint64_t timer_forward(uint64_t *expires, uint64_t now,
				     uint64_t interval)
{
	uint64_t n;

	if (now < *expires || !interval)
		return 0;
	n = (now - *expires) / interval + 1;
	*expires += n * interval;
	return n;
}

/* The CPU time a tick is worth (timer.c's HZ is 250), for itimers. */
#define TICK_NSEC	(NSEC_PER_SEC / 250)

/* cpu_timers.c: the group's sampled CPU time (user, or user+system). */
uint64_t itimer_cpu_sample(struct task *t, bool prof);

/* itimer.c: a new process's ITIMER_REAL. */
void itimer_init(struct proc_timers *pt);

/* posix_timer.c: check the POSIX timers on CPU clocks of t's process at
 * a tick: thread_ns is t's own clock, process_ns its process's.
 * proc_tree_lock and pt->lock held. */
void posix_cpu_timers_check(struct proc_timers *pt, struct task *t,
			    uint64_t thread_ns, uint64_t process_ns);

#endif
