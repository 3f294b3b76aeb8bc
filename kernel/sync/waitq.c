/*
 * Wait queues (sync/waitq.h). A sleeping task sits on wq->sleepers through
 * its wait_link; waking puts it back on the run queue. Lock order:
 * wq->lock before sched_lock.
 */
#include <sync/waitq.h>
#include <proc/sched.h>
#include <proc/task.h>
#include <proc/signal.h>
#include <uapi/errno.h>
#include <lib/printk.h>

void waitq_init(struct waitq *wq, const char *name)
{
	spin_init(&wq->lock, name);
	list_init(&wq->sleepers);
}

/* What may end a sleep besides a wake-up (and the deadline). */
enum sleep_kind {
	SLEEP_UNINTERRUPTIBLE,		/* nothing */
	SLEEP_KILLABLE,			/* SIGKILL */
	SLEEP_INTERRUPTIBLE,		/* any signal the task would act on */
};

static bool sleep_broken(enum sleep_kind kind)
{
	if (kind == SLEEP_INTERRUPTIBLE)
		return signal_pending();
	return kind == SLEEP_KILLABLE && fatal_signal_pending();
}

/*
 * Sleep until woken, a signal of the kind arrives, or the deadline (0:
 * none) passes. Called and returns with wq->lock held.
 */
static int waitq_sleep_until(struct waitq *wq, uint64_t deadline,
			     enum sleep_kind kind)
{
	struct task *t = current;

	spin_assert_held(&wq->lock);
	spin_lock(&sched_lock);
	/*
	 * Tested under sched_lock: a sender sets the pending bit before it
	 * takes sched_lock to look at our state, so either we see its signal
	 * here or it sees us asleep and wakes us.
	 */
	if (sleep_broken(kind)) {
		spin_unlock(&sched_lock);
		return -ERESTARTSYS;
	}
	t->state = TASK_SLEEPING;
	t->interruptible = kind == SLEEP_INTERRUPTIBLE;
	t->killable = kind == SLEEP_KILLABLE;
	t->timed_out = false;
	t->wake_deadline_ns = deadline;
	list_add_tail(&t->wait_link, &wq->sleepers);
	spin_unlock(&wq->lock);
	sched_switch();			/* returns with sched_lock held */
	spin_unlock(&sched_lock);
	spin_lock(&wq->lock);
	/* Woken by a timeout or a signal: we may still be queued. */
	if (!list_empty(&t->wait_link))
		list_del(&t->wait_link);
	if (t->timed_out)
		return -ETIMEDOUT;
	return sleep_broken(kind) ? -ERESTARTSYS : 0;
}

int waitq_sleep(struct waitq *wq)
{
	return waitq_sleep_until(wq, 0, SLEEP_INTERRUPTIBLE);
}

int waitq_sleep_killable(struct waitq *wq)
{
	return waitq_sleep_until(wq, 0, SLEEP_KILLABLE);
}

void waitq_sleep_uninterruptible(struct waitq *wq)
{
	waitq_sleep_until(wq, 0, SLEEP_UNINTERRUPTIBLE);
}

int waitq_sleep_timeout(struct waitq *wq, uint64_t timeout_ns)
{
	return waitq_sleep_until(wq, clock_monotonic_ns() + timeout_ns,
				 SLEEP_INTERRUPTIBLE);
}

int waitq_sleep_timeout_uninterruptible(struct waitq *wq, uint64_t timeout_ns)
{
	return waitq_sleep_until(wq, clock_monotonic_ns() + timeout_ns, false);
}

int waitq_sleep_deadline(struct waitq *wq, uint64_t deadline_ns)
{
	return waitq_sleep_until(wq, deadline_ns, SLEEP_INTERRUPTIBLE);
}

static void waitq_wake(struct waitq *wq, bool all)
{
	bool held = spin_held(&wq->lock);

	if (!held)
		spin_lock(&wq->lock);
	while (!list_empty(&wq->sleepers)) {
		struct task *t = list_first_entry(&wq->sleepers, struct task,
						  wait_link);
		list_del(&t->wait_link);
		sched_wake(t);
		if (!all)
			break;
	}
	if (!held)
		spin_unlock(&wq->lock);
}

void waitq_wake_all(struct waitq *wq)
{
	waitq_wake(wq, true);
}

void waitq_wake_one(struct waitq *wq)
{
	waitq_wake(wq, false);
}
