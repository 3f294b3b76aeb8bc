/*
 * Wait queues: a task sleeps on a queue until another task or an interrupt
 * wakes it. The classic race (wake-up between the condition test and the
 * sleep) is closed by testing the condition under the queue's lock:
 *
 *	spin_lock(&wq->lock);
 *	while (!condition)
 *		if (waitq_sleep(wq) < 0) { ...interrupted: return it... }
 *	spin_unlock(&wq->lock);
 *
 * waitq_sleep() drops wq->lock while asleep and retakes it before return.
 */
#ifndef BASALT_SYNC_WAITQ_H
#define BASALT_SYNC_WAITQ_H

#include <types.h>
#include <lib/list.h>
#include <sync/spinlock.h>

struct waitq {
	struct spinlock lock;
	struct list_head sleepers;	/* guarded by lock */
};

void waitq_init(struct waitq *wq, const char *name);
/*
 * Called with wq->lock held; returns 0, or -ERESTARTSYS if a signal is
 * pending (signal delivery turns that into -EINTR or a restart).
 */
int waitq_sleep(struct waitq *wq);
/* Like waitq_sleep, but only SIGKILL ends the sleep (Linux's
 * TASK_KILLABLE): for waits that must not be cut short by a handler, yet
 * must not keep a killed task alive. */
int waitq_sleep_killable(struct waitq *wq);
/* Like waitq_sleep, but signals do not end the sleep. */
void waitq_sleep_uninterruptible(struct waitq *wq);
/* Like waitq_sleep, but gives up after timeout_ns; returns -ETIMEDOUT then. */
int waitq_sleep_timeout(struct waitq *wq, uint64_t timeout_ns);
/* Neither: signals do not end it; 0 when woken, -ETIMEDOUT. */
int waitq_sleep_timeout_uninterruptible(struct waitq *wq, uint64_t timeout_ns);
/* The same with an absolute deadline on clock_monotonic_ns(); 0: none. */
int waitq_sleep_deadline(struct waitq *wq, uint64_t deadline_ns);
/* Wake every sleeper. May be called with or without wq->lock held. */
void waitq_wake_all(struct waitq *wq);
void waitq_wake_one(struct waitq *wq);

#endif
