/*
 * PI futexes: FUTEX_LOCK_PI(2), FUTEX_TRYLOCK_PI, FUTEX_UNLOCK_PI. The
 * word holds the owner's TID, FUTEX_WAITERS while the kernel may have
 * waiters, FUTEX_OWNER_DIED once an owner died holding it. User space
 * takes a free lock with a 0 -> TID cmpxchg and releases an uncontended
 * one with TID -> 0; the kernel does the rest: it queues contenders,
 * hands the lock over on unlock (the word becomes the new owner's TID |
 * FUTEX_WAITERS) and, when an owner exits, gives the lock to a waiter
 * with FUTEX_OWNER_DIED set.
 *
 * The protocol, its checks and its errors are Linux's (kernel/futex/
 * pi.c), with one difference: Basalt's scheduler has no priorities, so
 * there is nothing to inherit. Where Linux queues waiters on an rt_mutex
 * ordered by priority, here they wait FIFO on their bucket, which is the
 * order Linux gives tasks of equal priority.
 *
 * A futex_pi_state exists while a PI futex has waiters in the kernel: it
 * names the owner the kernel believes in (checked against the word, so
 * user space cannot fake ownership) and is shared by all the waiters,
 * each holding a reference. Everything about it is guarded by the lock
 * of the bucket its waiters are queued on.
 */
#include <types.h>
#include <mm/kmalloc.h>
#include <mm/uaccess.h>
#include <proc/futex.h>
#include <proc/sched.h>
#include <proc/signal.h>
#include <proc/task.h>
#include <uapi/errno.h>
#include <uapi/futex.h>
#include "futex_internal.h"

struct futex_pi_state {
	struct task *owner;		/* NULL once the owner died */
	unsigned int refs;		/* one per waiter pointing here */
};

/* How many exist: exit scans the buckets only when some do. Atomic. */
static unsigned long nr_pi_states;

static void pi_state_put(struct futex_pi_state *ps)
{
	if (--ps->refs == 0) {
		__atomic_fetch_sub(&nr_pi_states, 1, __ATOMIC_RELAXED);
		kfree(ps);
	}
}

/* *uaddr: uval -> newval under a bucket lock; -EAGAIN if it changed. */
static int pi_update_word(uint32_t __user *uaddr, uint32_t uval,
			  uint32_t newval)
{
	uint32_t cur;
	int err = futex_atomic_cmpxchg_user(&cur, uaddr, uval, newval);

	if (err)
		return err;
	return cur == uval ? 0 : -EAGAIN;
}

/*
 * Join the waiters that already hold ps, if the word agrees with it
 * (Linux's attach_to_pi_state and its table of valid states): the owner
 * died and nobody owns it yet (TID 0), or the word's TID is ps's owner.
 */
static int pi_attach_state(uint32_t __user *uaddr, uint32_t uval,
			   struct futex_pi_state *ps,
			   struct futex_pi_state **out)
{
	pid_t pid = uval & FUTEX_TID_MASK;
	uint32_t again;

	if (!ps)
		return -EINVAL;		/* the waiters are not PI waiters */
	if (futex_get_value_locked(&again, uaddr))
		return -EFAULT;
	if (again != uval)
		return -EAGAIN;
	if (!ps->owner) {
		/* Only a dead owner leaves none, and its exit cleared the TID. */
		if (!(uval & FUTEX_OWNER_DIED) || pid)
			return -EINVAL;
	} else if (pid != ps->owner->tid &&
		   !(pid == 0 && (uval & FUTEX_OWNER_DIED))) {
		return -EINVAL;
	}
	ps->refs++;
	*out = ps;
	return 0;
}

/*
 * The TID in the word names no live task: -ESRCH, unless the word
 * changed meanwhile (the owner's exit just updated it): -EAGAIN.
 */
static int pi_owner_gone(uint32_t __user *uaddr, uint32_t uval)
{
	uint32_t again;

	if (futex_get_value_locked(&again, uaddr))
		return -EFAULT;
	return again != uval ? -EAGAIN : -ESRCH;
}

/*
 * First waiter: make a pi_state (from *spare) owned by the task the word
 * names. -EBUSY while that task is exiting (the caller retries once it
 * is done), -ESRCH if there is none.
 */
static int pi_attach_owner(uint32_t __user *uaddr, uint32_t uval,
			   struct futex_pi_state **out,
			   struct futex_pi_state **spare)
{
	pid_t pid = uval & FUTEX_TID_MASK;
	struct futex_pi_state *ps;
	struct task *t;
	int err = 0;

	if (!pid)
		return -EAGAIN;
	spin_lock(&proc_tree_lock);
	t = task_find(pid);
	if (!t || t->exited) {
		err = pi_owner_gone(uaddr, uval);
	} else if (t->futex_exiting) {
		err = -EBUSY;
	} else {
		ps = *spare;
		*spare = NULL;
		ps->owner = t;
		ps->refs = 1;
		__atomic_fetch_add(&nr_pi_states, 1, __ATOMIC_RELAXED);
		*out = ps;
	}
	spin_unlock(&proc_tree_lock);
	return err;
}

/*
 * Try to take the lock for current, with its bucket locked (Linux's
 * futex_lock_pi_atomic): 1 taken, 0 must wait (*out is the pi_state to
 * wait on, with a reference), or an error; -EFAULT, -EAGAIN and -EBUSY
 * mean "retry" to the caller.
 */
static int pi_lock_atomic(uint32_t __user *uaddr, struct futex_bucket *b,
			  const struct vm_futex_key *key,
			  struct futex_pi_state **out,
			  struct futex_pi_state **spare)
{
	uint32_t uval, newval, tid = (uint32_t)current->tid;
	struct futex_q *top;
	int err;

	spin_assert_held(&b->lock);
	if (futex_get_value_locked(&uval, uaddr))
		return -EFAULT;
	if ((uval & FUTEX_TID_MASK) == tid)
		return -EDEADLK;
	top = futex_top_waiter(b, key);
	if (top)
		return pi_attach_state(uaddr, uval, top->pi_state, out);
	if (!(uval & FUTEX_TID_MASK)) {
		/* Free (a stale WAITERS or OWNER_DIED bit): take it. */
		err = pi_update_word(uaddr, uval,
				     (uval & FUTEX_OWNER_DIED) | tid);
		return err ? err : 1;
	}
	/* Owned: tell the owner to come to the kernel, then wait on it. */
	newval = uval | FUTEX_WAITERS;
	err = pi_update_word(uaddr, uval, newval);
	if (err)
		return err;
	return pi_attach_owner(uaddr, newval, out, spare);
}

/*
 * The lock was granted to q after its owner died (ps->owner is NULL):
 * write our TID into the word, keeping FUTEX_OWNER_DIED, and become the
 * owner (Linux's fixup_pi_state_owner). q's bucket is locked on entry
 * and on return, though it is dropped to fault the word in.
 */
static int pi_take_from_dead(uint32_t __user *uaddr, struct futex_q *q,
			     struct futex_bucket **b)
{
	uint32_t tid = (uint32_t)current->tid, uval, cur;
	int err;

	for (;;) {
		err = futex_get_value_locked(&uval, uaddr);
		while (!err) {
			uint32_t newval = FUTEX_OWNER_DIED | FUTEX_WAITERS | tid;

			err = futex_atomic_cmpxchg_user(&cur, uaddr, uval, newval);
			if (!err && cur == uval)
				break;
			uval = cur;
		}
		if (!err)
			break;
		spin_unlock(&(*b)->lock);
		err = futex_fault_in_writeable(uaddr);
		*b = futex_q_lock(q);
		if (err)
			break;		/* the word is stuck; own the lock */
	}
	q->pi_state->owner = current;
	return err;
}

/*
 * Sleep on q (queued, waiting for ps) until the lock is handed to us,
 * the deadline passes or a signal comes; then leave the queue. A grant
 * that raced with the timeout or the signal wins: the lock is ours.
 */
static long pi_wait(uint32_t __user *uaddr, struct futex_q *q,
		    uint64_t deadline)
{
	struct futex_bucket *b;
	long ret = futex_sleep(q->sleeper, deadline);

	b = futex_q_lock(q);
	if (q->granted)
		ret = q->pi_state->owner ? 0 : pi_take_from_dead(uaddr, q, &b);
	list_del(&q->link);
	pi_state_put(q->pi_state);
	spin_unlock(&b->lock);
	return ret;
}

/*
 * FUTEX_LOCK_PI, FUTEX_LOCK_PI2 and FUTEX_TRYLOCK_PI. A signal restarts
 * the call (ERESTARTNOINTR, as in Linux: the timeout is absolute).
 * TRYLOCK fails with -EAGAIN (EWOULDBLOCK) once the word is owned,
 * having set FUTEX_WAITERS on the way, as Linux does.
 */
long futex_lock_pi(uint32_t __user *uaddr, unsigned int flags,
		   const struct futex_timeout *to, bool trylock)
{
	struct futex_pi_state *spare = kzalloc(sizeof(*spare));
	uint64_t deadline = futex_deadline(to);
	struct futex_sleeper s;
	struct futex_bucket *b;
	struct futex_q q;
	long ret;

	if (!spare)
		return -ENOMEM;
	futex_sleeper_init(&s);
	futex_q_init(&q, &s, FUTEX_BITSET_MATCH_ANY);
	for (;;) {
		ret = futex_key(uaddr, flags, true, &q.key);
		if (ret)
			goto out;
		b = futex_bucket_of(&q.key);
		spin_lock(&b->lock);
		ret = pi_lock_atomic(uaddr, b, &q.key, &q.pi_state, &spare);
		if (ret == 0)
			break;
		spin_unlock(&b->lock);
		if (ret == -EFAULT && futex_fault_in_writeable(uaddr))
			goto out;
		if (ret != -EFAULT && ret != -EAGAIN && ret != -EBUSY)
			goto out;
		sched_yield();	/* -EBUSY: let the exiting owner finish */
	}
	futex_queue(&q, b);
	if (trylock) {
		list_del(&q.link);
		pi_state_put(q.pi_state);
		spin_unlock(&b->lock);
		ret = -EAGAIN;
		goto out;
	}
	spin_unlock(&b->lock);
	ret = pi_wait(uaddr, &q, deadline);
out:
	kfree(spare);
	if (ret == 1)
		ret = 0;		/* taken at once */
	return ret == -ERESTARTSYS ? -ERESTARTNOINTR : ret;
}

/* The first waiter of ps still waiting (not yet granted the lock). */
static struct futex_q *pi_next_waiter(struct futex_bucket *b,
				      struct futex_pi_state *ps)
{
	struct futex_q *q;

	list_for_each_entry(q, &b->chain, link)
		if (q->pi_state == ps && !q->granted)
			return q;
	return NULL;
}

/* Give the lock to q: owner in the kernel, q woken (it stays queued). */
static void pi_grant(struct futex_q *q, struct task *owner)
{
	q->pi_state->owner = owner;
	q->granted = true;
	futex_sleeper_wake(q->sleeper);
}

/*
 * Hand the lock from current to next (Linux's wake_futex_pi): the word
 * goes from uval to next's TID | FUTEX_WAITERS. 1 if a waiter just set
 * FUTEX_WAITERS (read the word again), -EINVAL if user space changed it.
 */
static int pi_hand_over(uint32_t __user *uaddr, uint32_t uval,
			struct futex_q *next)
{
	uint32_t newval = FUTEX_WAITERS | (uint32_t)next->task->tid, cur;
	int err = futex_atomic_cmpxchg_user(&cur, uaddr, uval, newval);

	if (err)
		return err;
	if (cur != uval)
		return (cur & FUTEX_TID_MASK) == uval ? 1 : -EINVAL;
	pi_grant(next, next->task);
	return 0;
}

/*
 * Release the lock with b locked: hand it to the first waiter, or set
 * the word to 0 if there is none. 0, 1 (start over), or an error; the
 * latter's -EAGAIN (the word changed under us) goes back to user space,
 * as in Linux.
 */
static int pi_unlock_locked(uint32_t __user *uaddr, uint32_t uval,
			    struct futex_bucket *b,
			    const struct vm_futex_key *key)
{
	struct futex_q *top = futex_top_waiter(b, key), *next;
	uint32_t cur;
	int err;

	spin_assert_held(&b->lock);
	if (top) {
		if (!top->pi_state || top->pi_state->owner != current)
			return -EINVAL;	/* not a PI futex, or not ours */
		next = pi_next_waiter(b, top->pi_state);
		if (next)
			return pi_hand_over(uaddr, uval, next);
	}
	err = futex_atomic_cmpxchg_user(&cur, uaddr, uval, 0);
	if (err)
		return err;
	return cur == uval ? 0 : -EAGAIN;
}

/*
 * FUTEX_UNLOCK_PI. Linux's order of checks: the word is read first
 * (-EFAULT) and must hold our TID (-EPERM), then the key.
 */
long futex_unlock_pi(uint32_t __user *uaddr, unsigned int flags)
{
	struct vm_futex_key key;
	struct futex_bucket *b;
	uint32_t uval;
	int ret;

	for (;;) {
		if (get_user(uval, uaddr))
			return -EFAULT;
		if ((uval & FUTEX_TID_MASK) != (uint32_t)current->tid)
			return -EPERM;
		ret = futex_key(uaddr, flags, true, &key);
		if (ret)
			return ret;
		b = futex_bucket_of(&key);
		spin_lock(&b->lock);
		ret = pi_unlock_locked(uaddr, uval, b, &key);
		spin_unlock(&b->lock);
		if (ret == -EFAULT && futex_fault_in_writeable(uaddr))
			return -EFAULT;
		if (ret != -EFAULT && ret != 1)
			return ret;
	}
}

/*
 * t is exiting: every PI lock the kernel knows it owns goes to its first
 * waiter, with no owner for now; that waiter then writes its TID into
 * the word, with FUTEX_OWNER_DIED (pi_take_from_dead). Linux's
 * exit_pi_state_list. Waiters sit in the buckets, so the buckets are
 * scanned, and only while some pi_state exists at all.
 */
void futex_pi_exit(struct task *t)
{
	struct futex_bucket *b;
	struct futex_q *q;

	if (!__atomic_load_n(&nr_pi_states, __ATOMIC_RELAXED))
		return;
	for (unsigned int i = 0; (b = futex_bucket_at(i)); i++) {
		spin_lock(&b->lock);
		list_for_each_entry(q, &b->chain, link) {
			struct futex_q *next;

			if (!q->pi_state || q->pi_state->owner != t)
				continue;
			next = pi_next_waiter(b, q->pi_state);
			if (next)
				pi_grant(next, NULL);
			else
				q->pi_state->owner = NULL;
		}
		spin_unlock(&b->lock);
	}
}
