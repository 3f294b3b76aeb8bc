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
	struct waitq wq;	/* wq.lock guards owner */
	struct task *owner;
	const char *name;
};

void mutex_init(struct mutex *m, const char *name);
void mutex_lock(struct mutex *m);
/* Take m if it is free, without sleeping; whether it was taken. */
bool mutex_trylock(struct mutex *m);
void mutex_unlock(struct mutex *m);
bool mutex_held(const struct mutex *m);	/* by the current task */

/* For functions whose contract is "caller holds m": panics otherwise. */
#define mutex_assert_held(m) BUG_ON(!mutex_held(m))

#endif
