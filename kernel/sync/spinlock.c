/*
 * Spinlocks (sync/spinlock.h). Interrupts stay off on this CPU while any
 * spinlock is held, so an interrupt handler taking the same lock cannot
 * deadlock against the code it interrupted.
 */
#include <sync/spinlock.h>
#include <arch/cpu.h>
#include <arch/smp.h>
#include <lib/printk.h>

void spin_init(struct spinlock *l, const char *name)
{
	l->locked = 0;
	l->name = name;
	l->owner = NULL;
}

void spin_lock(struct spinlock *l)
{
	irq_save();
	if (spin_held(l))
		panic("spin_lock: %s already held by this CPU", l->name);
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (l->locked) {
			smp_call_poll();
			cpu_relax();
		}
	l->owner = this_cpu();
}

void spin_unlock(struct spinlock *l)
{
	if (!spin_held(l))
		panic("spin_unlock: %s not held", l->name);
	l->owner = NULL;
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
	irq_restore();
}

bool spin_held(const struct spinlock *l)
{
	return l->locked && l->owner == this_cpu();
}
