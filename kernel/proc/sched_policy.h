/*
 * The scheduler's placement and balancing decisions, as pure functions
 * of a snapshot of the run queues (sched_policy.c), so that they can be
 * unit-tested on the host (tests/unit/test_sched_policy.c). sched.c
 * takes the snapshot under sched_lock and acts on the answer.
 */
#ifndef BASALT_PROC_SCHED_POLICY_H
#define BASALT_PROC_SCHED_POLICY_H

#include <types.h>
#include <arch/smp.h>

/* What the decisions see of one CPU. */
struct cpu_load {
	unsigned int queued;	/* runnable tasks waiting in its queue */
	unsigned int movable;	/* of those, tasks allowed on the asking CPU */
	bool busy;		/* running a task other than its idle task */
};

static inline unsigned int cpu_load_of(const struct cpu_load *l)
{
	return l->queued + l->busy;
}

/*
 * Where a task waking up (or starting, or leaving a CPU it may no longer
 * use) should run, among the n CPUs whose bit is in allowed (at least
 * one): prev, where its cache is warm, if prev is idle; else an idle
 * CPU; else the least loaded, prev on a tie.
 */
unsigned int sched_pick_cpu(const struct cpu_load *load, unsigned int n,
			    cpumask_t allowed, unsigned int prev);

/*
 * The CPU that CPU self should take a waiting task from, or -1 for none:
 * the one with the most load that has a task self may run. A CPU about
 * to go idle (newly_idle) takes any such task (work stealing); a busy one
 * only evens out an imbalance of two or more (periodic balancing), so
 * that tasks do not bounce between equally loaded CPUs.
 */
int sched_pick_busiest(const struct cpu_load *load, unsigned int n,
		       unsigned int self, bool newly_idle);

#endif
