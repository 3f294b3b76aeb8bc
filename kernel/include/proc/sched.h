/*
 * The scheduler (kernel/proc/sched.c): one run queue, round robin,
 * preemption by the timer tick on return to user mode and at the
 * kernel's preemption points (cond_resched).
 */
#ifndef BASALT_PROC_SCHED_H
#define BASALT_PROC_SCHED_H

#include <types.h>
#include <sync/spinlock.h>

struct task;

extern struct spinlock sched_lock;

/* Make t runnable. */
void sched_wake(struct task *t);
/* The same, with sched_lock held. */
void sched_wake_locked(struct task *t);
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
/* Sleep for ns nanoseconds; -ERESTARTSYS if a signal arrives first. */
int sched_sleep_ns(uint64_t ns);

/* Monotonic time since boot, in nanoseconds (arch timer). */
uint64_t clock_monotonic_ns(void);
/* Wall-clock time: nanoseconds since the Unix epoch (RTC at boot + monotonic). */
uint64_t clock_realtime_ns(void);

#endif
