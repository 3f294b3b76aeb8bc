/*
 * Sleeping mutexes, for long critical sections that may block (allocating
 * memory, copying from user space). Never taken from interrupt context.
 */
#ifndef BASALT_SYNC_MUTEX_H
#define BASALT_SYNC_MUTEX_H

#include <types.h>
#include <sync/waitq.h>

struct task;

struct mutex {
	struct waitq wq;	/* wq.lock guards owner */
	struct task *owner;
	const char *name;
};

void mutex_init(struct mutex *m, const char *name);
void mutex_lock(struct mutex *m);
void mutex_unlock(struct mutex *m);
bool mutex_held(const struct mutex *m);	/* by the current task */

#endif
