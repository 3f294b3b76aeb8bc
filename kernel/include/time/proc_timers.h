/*
 * A process's timers (kernel/time/): what struct thread_group holds for
 * alarm and setitimer (itimer.c), for timer_create (posix_timer.c) and
 * for the limits checked against CPU time (cpu_timers.c), and the calls
 * that process life-cycle code makes.
 *
 * Lock order: proc_tree_lock, then proc_timers.lock, then group->siglock
 * and sched_lock (a timer sends its signal holding its lock); ktimer's
 * lock is a leaf.
 */
#ifndef BASALT_TIME_PROC_TIMERS_H
#define BASALT_TIME_PROC_TIMERS_H

#include <types.h>
#include <lib/list.h>
#include <sync/spinlock.h>
#include <time/ktimer.h>

struct task;
struct thread_group;
struct ksiginfo;

/* ITIMER_VIRTUAL or ITIMER_PROF: a deadline on the group's sampled CPU
 * time (tick_utime, or tick_utime + tick_stime), in ns; 0: disarmed. */
struct cpu_itimer {
	uint64_t expires, incr;
};

struct proc_timers {
	struct spinlock lock;		/* guards what follows */
	struct thread_group *owner;	/* fixed */
	struct ktimer real;		/* ITIMER_REAL (alarm) */
	uint64_t real_incr;		/* its interval, ns */
	struct cpu_itimer virt, prof;
	struct list_head posix;		/* struct posix_timer, by id */
	int next_id;			/* the next timer_create id */
	unsigned int nr_cpu_armed;	/* POSIX timers armed on CPU clocks */
	uint64_t xcpu_next_ns;		/* RLIMIT_CPU: next SIGXCPU, 0: none yet */
};

/* A new process's timers: all disarmed (fork does not inherit them). */
void proc_timers_init(struct proc_timers *pt, struct thread_group *owner);
/* The process ended: every timer is disarmed and freed. No locks held. */
void proc_timers_exit(struct proc_timers *pt);
/* execve: the POSIX timers go; alarm and the itimers stay (Linux). */
void posix_timers_exec(struct proc_timers *pt);

/* The tick found t running: its process's CPU-time timers and
 * RLIMIT_CPU (time/cpu_timers.c). Interrupt context, no locks held. */
void cpu_timers_tick(struct task *t);

/*
 * A signal with code SI_TIMER was taken off a pending set by the current
 * task: a periodic timer starts again now, and info->overrun becomes the
 * number of expirations that passed while the signal waited (Linux's
 * posixtimer_rearm). Called by the signal code, no locks held.
 */
void posix_timer_dequeued(struct ksiginfo *info);

#endif
