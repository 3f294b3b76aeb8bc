/*
 * Spinlocks (sync/spinlock.h). Interrupts stay off on this CPU while any
 * spinlock is held, so an interrupt handler taking the same lock cannot
 * deadlock against the code it interrupted.
 */
#include <sync/spinlock.h>
#include <sync/lockdep.h>
#include <arch/cpu.h>
#include <arch/smp.h>
#include <lib/printk.h>

void spin_init(struct spinlock *l, const char *name)
{
	l->locked = 0;
	l->dep_class = 0;
	l->name = name;
	l->owner = NULL;
}

/* Checked by lockdep before it spins, so a deadlock is named, not hung. */
static inline void spin_acquire(struct spinlock *l, unsigned int sub,
				uint64_t ip)
{
	irq_save();
	if (spin_held(l))
		panic("spin_lock: %s already held by this CPU", l->name);
	if (unlikely(lockdep_on))
		lockdep_acquire(l, &l->dep_class, l->name, LOCKDEP_SPIN, sub,
				false, ip);
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (l->locked) {
			smp_call_poll();
			cpu_relax();
		}
	l->owner = this_cpu();
}

void spin_lock(struct spinlock *l)
{
	spin_acquire(l, 0, (uint64_t)__builtin_return_address(0));
}

void spin_lock_nested(struct spinlock *l, unsigned int sub)
{
	spin_acquire(l, sub, (uint64_t)__builtin_return_address(0));
}

void spin_unlock(struct spinlock *l)
{
	if (!spin_held(l))
		panic("spin_unlock: %s not held", l->name);
	if (unlikely(lockdep_on))
		lockdep_release(l, l->dep_class, l->name,
				(uint64_t)__builtin_return_address(0));
	l->owner = NULL;
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
	irq_restore();
}

bool spin_held(const struct spinlock *l)
{
	return l->locked && l->owner == this_cpu();
}
