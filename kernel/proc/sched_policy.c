/*
 * Placement and balancing decisions (sched_policy.h). No locks and no
 * kernel state here: the caller passes a snapshot taken under
 * sched_lock.
 */
#include "sched_policy.h"

unsigned int sched_pick_cpu(const struct cpu_load *load, unsigned int n,
			    cpumask_t allowed, unsigned int prev)
{
	unsigned int best = n, best_load = ~0u;

	if (prev < n && cpumask_test(allowed, prev) &&
	    cpu_load_of(&load[prev]) == 0)
		return prev;
	/* Scan from prev on, so that wake-ups spread rather than pile on 0. */
	for (unsigned int k = 0; k < n; k++) {
		unsigned int c = (prev + 1 + k) % n;
		unsigned int l = cpu_load_of(&load[c]);

		if (!cpumask_test(allowed, c))
			continue;
		if (l < best_load || (l == best_load && c == prev)) {
			best = c;
			best_load = l;
		}
	}
	return best < n ? best : 0;
}

int sched_pick_busiest(const struct cpu_load *load, unsigned int n,
		       unsigned int self, bool newly_idle)
{
	unsigned int mine = cpu_load_of(&load[self]);
	int best = -1;
	unsigned int best_load = 0;

	for (unsigned int c = 0; c < n; c++) {
		unsigned int l = cpu_load_of(&load[c]);

		if (c == self || load[c].movable == 0)
			continue;
		if (!newly_idle && l < mine + 2)
			continue;
		if (best < 0 || l > best_load) {
			best = c;
			best_load = l;
		}
	}
	return best;
}
