/*
 * FUTEX_WAIT, FUTEX_WAIT_BITSET, FUTEX_WAKE and FUTEX_WAKE_BITSET: a
 * task that finds the word holding the value it expects sleeps until a
 * waker whose bitset meets its own takes it off its bucket, a timeout
 * passes or a signal comes. Why no wake-up is lost is in futex.c.
 */
#include <types.h>
#include <lib/list.h>
#include <mm/uaccess.h>
#include <mm/vm.h>
#include <proc/signal.h>
#include <uapi/errno.h>
#include "futex_internal.h"

/*
 * Queue q on uaddr's bucket if the word still holds val, tested under the
 * bucket lock (the no-lost-wake-up rule). 0 (queued), -EAGAIN (the value
 * differs), or the key's or the read's error.
 */
static int futex_queue_if_equal(struct futex_q *q, uint32_t __user *uaddr,
				unsigned int flags, uint32_t val)
{
	struct futex_bucket *b;
	uint32_t cur;
	int err;

	for (;;) {
		err = futex_key(uaddr, flags, false, &q->key);
		if (err)
			return err;
		b = futex_bucket_of(&q->key);
		spin_lock(&b->lock);
		err = futex_get_value_locked(&cur, uaddr);
		if (!err && cur == val)
			futex_queue(q, b);
		spin_unlock(&b->lock);
		if (!err)
			return cur == val ? 0 : -EAGAIN;
		/* Not present: fault it in unlocked, then look again. */
		if (get_user(cur, uaddr))
			return -EFAULT;
	}
}

/*
 * FUTEX_WAIT(_BITSET). Interrupted by a signal, a wait without timeout
 * restarts unless a handler without SA_RESTART runs (ERESTARTSYS, as in
 * Linux). With a timeout Linux returns ERESTART_RESTARTBLOCK, which
 * always gives EINTR to a handler and otherwise restarts with the time
 * left; Basalt has no restart blocks and returns ERESTARTNOHAND: EINTR
 * to a handler just the same, otherwise a restart with the same timeout
 * (exact for FUTEX_WAIT_BITSET's absolute one; FUTEX_WAIT's relative
 * one starts again, as poll's does here).
 */
long futex_wait(uint32_t __user *uaddr, unsigned int flags,
		uint32_t val, const struct futex_timeout *to,
		uint32_t bitset)
{
	uint64_t deadline = futex_deadline(to);
	struct futex_sleeper s;
	struct futex_q q;
	int err;

	if (!bitset)
		return -EINVAL;
	futex_sleeper_init(&s);
	futex_q_init(&q, &s, bitset);
	err = futex_queue_if_equal(&q, uaddr, flags, val);
	if (err)
		return err;
	err = futex_sleep(&s, deadline);
	if (!futex_unqueue(&q))
		return 0;		/* woken, whatever else happened */
	if (err == -ERESTARTSYS && to)
		return -ERESTARTNOHAND;
	return err;
}

/*
 * Wake up to nr waiters on key whose bitset meets bitset; the bucket is
 * locked. Like Linux, at least one is woken even when nr <= 0, and a
 * FUTEX_LOCK_PI waiter on the word makes it -EINVAL (PI locks are
 * released only by FUTEX_UNLOCK_PI), after the ones already woken.
 */
int futex_wake_locked(struct futex_bucket *b,
		      const struct vm_futex_key *key, int nr,
		      uint32_t bitset)
{
	struct futex_q *q, *n;
	int woken = 0;

	spin_assert_held(&b->lock);
	list_for_each_entry_safe(q, n, &b->chain, link) {
		if (!futex_key_eq(&q->key, key))
			continue;
		if (q->pi_state)
			return -EINVAL;
		if (!(q->bitset & bitset))
			continue;
		futex_q_wake(q);
		if (++woken >= nr)
			break;
	}
	return woken;
}

long futex_wake(uint32_t __user *uaddr, unsigned int flags, int nr_wake,
		uint32_t bitset)
{
	struct vm_futex_key key;
	struct futex_bucket *b;
	int ret;

	if (!bitset)
		return -EINVAL;
	ret = futex_key(uaddr, flags, false, &key);
	if (ret)
		return ret;
	b = futex_bucket_of(&key);
	spin_lock(&b->lock);
	ret = futex_wake_locked(b, &key, nr_wake, bitset);
	spin_unlock(&b->lock);
	return ret;
}
