/*
 * What lockdep (sync/lockdep.c) needs from the kernel around it: the
 * current task's held-lock stack, interrupts off, and a lock of its own
 * that is not itself checked. The host unit test supplies its own.
 */
#include <sync/lockdep.h>
#include <arch/cpu.h>
#include <proc/task.h>

static volatile uint32_t graph_locked;	/* lockdep's graph_lock */

struct lockdep_task *lockdep_current(void)
{
	struct task *t = current;	/* NULL until proc_init */

	return t ? &t->lockdep : NULL;
}

unsigned long lockdep_irq_off(void)
{
	unsigned long flags = read_rflags();

	irq_disable();
	return flags;
}

void lockdep_irq_restore(unsigned long flags)
{
	if (flags & RFLAGS_IF)
		irq_enable();
}

unsigned long lockdep_graph_lock(void)
{
	unsigned long flags = lockdep_irq_off();

	while (__atomic_exchange_n(&graph_locked, 1, __ATOMIC_ACQUIRE))
		while (graph_locked)
			cpu_relax();
	return flags;
}

void lockdep_graph_unlock(unsigned long flags)
{
	__atomic_store_n(&graph_locked, 0, __ATOMIC_RELEASE);
	lockdep_irq_restore(flags);
}
