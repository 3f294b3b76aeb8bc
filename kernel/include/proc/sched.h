/*
 * The scheduler (kernel/proc/sched.c): a run queue per CPU, round robin,
 * preemption by the timer tick on return to user mode and at the
 * kernel's preemption points (cond_resched); wake-up placement, work
 * stealing and balancing between the queues (sched_policy.c).
 */
#ifndef BASALT_PROC_SCHED_H
#define BASALT_PROC_SCHED_H

#include <types.h>
#include <sync/spinlock.h>
#include <arch/smp.h>

struct task;

extern struct spinlock sched_lock;

/* The run queues, before the first task is woken (proc_init). */
void sched_init(void);
/* Make t runnable. */
void sched_wake(struct task *t);
/* The same, with sched_lock held. */
void sched_wake_locked(struct task *t);
/*
 * t, running on another CPU, has something to look at on its way back
 * to user mode (a signal): interrupt it there. sched_lock held.
 */
void sched_kick_locked(struct task *t);
/* sched_setaffinity and sched_getaffinity: the CPUs t may run on. */
void sched_set_allowed(struct task *t, cpumask_t mask);
/* After changing its own mask: move now if this CPU is no longer in it
 * (Linux returns from sched_setaffinity on an allowed CPU). */
void sched_leave_forbidden_cpu(void);
cpumask_t sched_get_allowed(struct task *t);
/* Give up the CPU; called with sched_lock held and current's state set. */
void sched_switch(void);
void sched_yield(void);
/*
 * Timer interrupt: account the tick, ask for a reschedule when due.
 * Returns non-zero (the number of ticks) when the running task has
 * ignored a due reschedule that long: a kernel loop without a
 * preemption point, which the caller reports.
 */
unsigned int sched_tick(void);
/*
 * A preemption point for long kernel work: yield if the slice ran out
 * and someone else is waiting. Never with a spinlock held (it
 * panics). See docs/locking.md.
 */
void cond_resched(void);
/* Whether cond_resched() would yield now: for work that must tidy up first. */
bool sched_resched_due(void);
/* A new task releases the scheduler lock taken by whoever switched to it. */
void sched_finish_switch(void);

/* What /proc/stat and /proc/loadavg report about the scheduler. */
struct sched_stats {
	unsigned long nr_running;	/* runnable or running tasks */
	unsigned long nr_uninterruptible; /* in uninterruptible sleeps */
	uint64_t nr_switches;		/* context switches since boot */
	uint64_t idle_ns;		/* time the idle task ran */
	uint64_t now_ns;		/* CLOCK_MONOTONIC when idle_ns was read */
};
void sched_get_stats(struct sched_stats *st);

/*
 * The load average (kernel/proc/loadavg.c), Linux's: every 5 seconds the
 * number of runnable and uninterruptibly sleeping tasks is folded into
 * three exponentially damped averages (1, 5 and 15 minutes), fixed point
 * with FSHIFT fraction bits. The hooks are called with sched_lock held.
 */
#define FSHIFT		11
#define FIXED_1		(1UL << FSHIFT)
void loadavg_get(unsigned long avg[3]);
void loadavg_tick(uint64_t now_ns, unsigned long nr_running);
void loadavg_sleeping(struct task *t);	/* t leaves the CPU */
void loadavg_woken(struct task *t);	/* t becomes runnable */
unsigned long loadavg_nr_uninterruptible(void);
/* Sleep for ns nanoseconds; -ERESTARTSYS if a signal arrives first. */
int sched_sleep_ns(uint64_t ns);

/* Monotonic time since boot, in nanoseconds (arch timer). */
uint64_t clock_monotonic_ns(void);
/* Wall-clock time: nanoseconds since the Unix epoch (RTC at boot + monotonic). */
uint64_t clock_realtime_ns(void);
/* Set the wall clock to epoch_ns now (RTC at boot, clock_settime);
 * returns the new wall-clock time at monotonic 0 (arch timer). */
uint64_t timer_set_realtime_base(uint64_t epoch_ns);
/* A kernel timer is due at monotonic deadline_ns: make sure the timer
 * interrupt comes by then (arch timer; time/ktimer.c calls it). */
void timer_kick(uint64_t deadline_ns);

#endif
