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
	const char *name;		/* for panic messages */
	struct cpu *owner;		/* CPU holding it, for misuse checks */
};

#define SPINLOCK_INIT(n) { .locked = 0, .name = (n), .owner = NULL }

void spin_init(struct spinlock *l, const char *name);
void spin_lock(struct spinlock *l);
void spin_unlock(struct spinlock *l);
bool spin_held(const struct spinlock *l);	/* by this CPU */

#define spin_assert_held(l) BUG_ON(!spin_held(l))

#endif
