/*
 * Fault injection: making a chosen allocation fail (docs/security.md,
 * "Failure paths (fault injection)").
 *
 * Off unless the kernel command line has "fault_inject". Then every task
 * has a countdown, task->fail_nth, which it sets through
 * /proc/self/fail-nth (Linux's /proc/thread-self/fail-nth, with the same
 * meaning): writing N makes the task's Nth allocation from then on fail,
 * once; the file reads N minus the allocations made so far, and 0 once
 * the failure has been injected. A test arms N = 1, 2, 3, ... around one
 * system call until the call gets through with the countdown unspent,
 * and so walks every allocation the call makes, failing each in turn.
 *
 * Counted are page allocations (alloc_pages_flags, whatever the order, also
 * those kmalloc makes for its slabs) and kmalloc calls, made by the task
 * inside a system call. A page fault from user mode is not a system call:
 * Linux retries such a fault when memory runs out rather than failing
 * it, so an injected failure there would test nothing but the kill.
 * Tasks are created with the countdown at 0, so nothing is inherited.
 *
 * Each injected failure is counted (/proc/fault_inject) and logged at
 * LOG_INFO (seen with loglevel=6 or more) with the function that asked
 * for the memory.
 */
#include <mm/fault_inject.h>
#include <lib/ksyms.h>
#include <lib/printk.h>
#include <proc/task.h>

bool fault_inject_enabled;
static uint64_t injected[2];	/* atomic: failures made, by site */

static const char *const site_name[] = {
	[FAULT_PAGE] = "page",
	[FAULT_KMALLOC] = "kmalloc",
};

bool fault_inject_fail(enum fault_site site, const void *caller)
{
	struct task *t = current;
	uint64_t off = 0;
	const char *fn;

	if (!t || !t->in_syscall || t->fail_nth == 0)
		return false;
	if (--t->fail_nth != 0)
		return false;
	__atomic_fetch_add(&injected[site], 1, __ATOMIC_RELAXED);
	fn = ksyms_lookup((uint64_t)caller, &off);
	pr_info("fault_inject: %s fails for %s[%d] in %s+0x%lx", site_name[site],
		t->comm, t->tid, fn ? fn : "?", (unsigned long)off);
	return true;
}

uint64_t fault_inject_count(enum fault_site site)
{
	return __atomic_load_n(&injected[site], __ATOMIC_RELAXED);
}

unsigned int fault_inject_get_nth(const struct task *t)
{
	return __atomic_load_n(&t->fail_nth, __ATOMIC_RELAXED);
}

void fault_inject_set_nth(struct task *t, unsigned int n)
{
	__atomic_store_n(&t->fail_nth, n, __ATOMIC_RELAXED);
}
