/*
 * /proc/lockdep_stats, which exists only with "lockdep" on the kernel
 * command line (docs/locking.md#lockdep-lite): how many lock classes and
 * order pairs the checker has recorded and the room for them, in the
 * shape of the first lines of Linux's file, and whether it still checks
 * (debug_locks: 0 once a table filled up).
 */
#include "procfs.h"
#include <lib/printk.h>
#include <sync/lockdep.h>

bool proc_lockdep_present(void)
{
	return lockdep_requested;
}

long proc_lockdep_show(char *buf, size_t size, pid_t pid)
{
	unsigned int classes, pairs, max_classes, max_pairs;

	lockdep_counts(&classes, &pairs);
	lockdep_limits(&max_classes, &max_pairs);
	return snprintf(buf, size,
			" lock-classes:                %6u [max: %u]\n"
			" direct dependencies:         %6u [max: %u]\n"
			" debug_locks:                 %6d\n",
			classes, max_classes, pairs, max_pairs,
			__atomic_load_n(&lockdep_on, __ATOMIC_RELAXED));
}
