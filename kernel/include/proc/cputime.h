/*
 * CPU-time accounting (kernel/proc/cputime.c): how much CPU time each
 * thread, each process and its reaped children used, split into user and
 * system time.
 *
 * How it is measured: the total is exact, from the clock source read at
 * every task switch (struct task's cpu_ns). The tick samples whether the
 * running thread was in user mode or in the kernel; the total is split
 * in the proportion of those samples, as Linux does (cputime_adjust),
 * and each half never goes backwards. docs/time.md says why.
 *
 * For /proc/<pid>/stat (utime, stime, cutime, cstime in clock ticks):
 *
 *	struct cputime ct;
 *	cputime_of_process(t, &ct);		(or cputime_of_thread)
 *	cputime_to_clock_t(ct.utime)		(USER_HZ, 100 a second)
 *
 * and cputime_of_children(t, &ct) for cutime/cstime. None may be called
 * with proc_tree_lock or sched_lock held (they take them).
 */
#ifndef BASALT_PROC_CPUTIME_H
#define BASALT_PROC_CPUTIME_H

#include <types.h>

struct task;
struct thread_group;
struct rusage;

struct cputime {
	uint64_t utime, stime;		/* ns */
};

#define USER_HZ 100			/* clock_t units (times, /proc) */

static inline uint64_t cputime_to_clock_t(uint64_t ns)
{
	return ns / (1000000000ULL / USER_HZ);
}

/* The thread t alone. */
void cputime_of_thread(struct task *t, struct cputime *ct);
/* t's whole process: its live threads and those gone. */
void cputime_of_process(struct task *t, struct cputime *ct);
/* The same for the process g, with proc_tree_lock held. */
void cputime_of_process_locked(struct thread_group *g, struct cputime *ct);
/* t's process's reaped children (with theirs, as Linux sums them). */
void cputime_of_children(struct task *t, struct cputime *ct);

/*
 * CPU n's time since it came up (n < nr_cpus), for /proc/stat's cpuN
 * line: idle is its idle task's run time, and the rest is split into
 * user and system time in the proportion of its tick's samples; none of
 * the three ever goes back. Takes sched_lock.
 */
struct cpu_usage {
	uint64_t user_ns, system_ns, idle_ns;
};
void cputime_of_cpu(unsigned int n, struct cpu_usage *u);

/* The tick found t running, in user mode or not, for tick_ns. Called
 * from the timer interrupt. */
void cputime_tick(struct task *t, bool user, uint64_t tick_ns);
/* A thread leaves its group: keep its times. proc_tree_lock held. */
void cputime_thread_exit(struct task *t);
/* The process of leader was reaped by parent's process: add its times
 * (and its children's) to parent's children. proc_tree_lock held. */
void cputime_reap(struct thread_group *parent, struct task *leader);

/* Sample t's resident memory into its process's maxrss (KiB), which is
 * returned. Before the thread drops its mm; no spinlock held. */
uint64_t cputime_note_rss(struct task *t);

/*
 * getrusage's answer for t: who is RUSAGE_SELF, RUSAGE_CHILDREN,
 * RUSAGE_THREAD, or RUSAGE_BOTH (self and children: what wait4 reports
 * for a child it reaps). No locks held.
 */
void rusage_fill(struct task *t, int who, struct rusage *ru);

#endif
