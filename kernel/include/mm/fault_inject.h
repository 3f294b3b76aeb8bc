/*
 * Fault injection (kernel/mm/fault_inject.c, docs/security.md "Failure
 * paths"): with "fault_inject" on the kernel command line, a task may make
 * one of its own allocations fail on purpose, to test the error paths
 * that real exhaustion seldom reaches. The page allocator and kmalloc ask
 * fault_inject_should_fail() first thing, before the reserve and the OOM
 * killer; without the switch that is one load of a boolean.
 */
#ifndef BASALT_MM_FAULT_INJECT_H
#define BASALT_MM_FAULT_INJECT_H

#include <types.h>

enum fault_site {
	FAULT_PAGE,		/* alloc_pages_flags, any order */
	FAULT_KMALLOC,		/* kmalloc, any size */
};

extern bool fault_inject_enabled;	/* "fault_inject" on the command line */

/* Counts this allocation against the current task's countdown; true if
 * it is the one to fail. caller is for the log line. */
bool fault_inject_fail(enum fault_site site, const void *caller);

static inline bool fault_inject_should_fail(enum fault_site site,
					    const void *caller)
{
	return unlikely(fault_inject_enabled) &&
	       fault_inject_fail(site, caller);
}

/* Failures injected at site since boot. */
uint64_t fault_inject_count(enum fault_site site);

/* The countdown of task t, as /proc/<pid>/fail-nth shows and sets it:
 * N > 0 makes t's Nth allocation from now in a system call fail; it
 * reads 0 once that has happened (or if nothing was armed). */
struct task;
unsigned int fault_inject_get_nth(const struct task *t);
void fault_inject_set_nth(struct task *t, unsigned int n);

#endif
