/*
 * Spinlocks. Holding one disables interrupts on this CPU (irq_save), so a
 * lock taken by an interrupt handler can never deadlock against the code
 * it interrupted. A spinlock is never held across a sleep.
 */
#ifndef BASALT_SYNC_SPINLOCK_H
#define BASALT_SYNC_SPINLOCK_H

#include <types.h>
#include <lib/printk.h>	/* BUG_ON, for the assert below */

struct cpu;

struct spinlock {
	volatile uint32_t locked;
	uint16_t dep_class;		/* lockdep's class, 0 until looked up */
	const char *name;		/* for panic messages; the lockdep class */
	struct cpu *owner;		/* CPU holding it, for misuse checks */
};

#define SPINLOCK_INIT(n) { .locked = 0, .name = (n), .owner = NULL }

void spin_init(struct spinlock *l, const char *name);
void spin_lock(struct spinlock *l);
/*
 * Take a second lock of a class already held (two futex buckets, two
 * inodes' queues): sub (1..7) names its place in the documented order
 * between them, so lockdep checks it as a class of its own.
 */
void spin_lock_nested(struct spinlock *l, unsigned int sub);
void spin_unlock(struct spinlock *l);
bool spin_held(const struct spinlock *l);	/* by this CPU */

#define spin_assert_held(l) BUG_ON(!spin_held(l))

#endif
