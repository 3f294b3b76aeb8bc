/*
 * Sleeping mutexes, for long critical sections that may block (allocating
 * memory, copying from user space). Never taken from interrupt context.
 */
#ifndef BASALT_SYNC_MUTEX_H
#define BASALT_SYNC_MUTEX_H

#include <types.h>
#include <lib/printk.h>	/* BUG_ON, for mutex_assert_held */
#include <sync/waitq.h>

struct task;

struct mutex {
	struct waitq wq;	/* wq.lock (not tracked by lockdep) guards owner */
	struct task *owner;
	const char *name;	/* for panic messages; the lockdep class */
	uint16_t dep_class;	/* lockdep's class, 0 until looked up */
};

void mutex_init(struct mutex *m, const char *name);
void mutex_lock(struct mutex *m);
/* A second mutex of a class already held, sub (1..7) its place in the
 * documented order between them (spin_lock_nested). */
void mutex_lock_nested(struct mutex *m, unsigned int sub);
/* Take m if it is free, without sleeping; whether it was taken. */
bool mutex_trylock(struct mutex *m);
void mutex_unlock(struct mutex *m);
bool mutex_held(const struct mutex *m);	/* by the current task */

/* For functions whose contract is "caller holds m": panics otherwise. */
#define mutex_assert_held(m) BUG_ON(!mutex_held(m))

#endif
