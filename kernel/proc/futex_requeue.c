/*
 * The operations on two futex words: FUTEX_REQUEUE and FUTEX_CMP_REQUEUE
 * (wake some waiters of one word, move others to a second word, as
 * condition variables do), and FUTEX_WAKE_OP (change the second word
 * atomically, wake the first's waiters and, if the old value passes a
 * comparison, the second's). Both buckets are locked, the lower address
 * first (futex_internal.h).
 */
#include <types.h>
#include <lib/list.h>
#include <lib/printk.h>
#include <mm/uaccess.h>
#include <mm/vm.h>
#include <proc/task.h>
#include <uapi/errno.h>
#include <uapi/futex.h>
#include "futex_internal.h"

/* Lock two buckets (the same one once), the lower address first. */
static void futex_lock_pair(struct futex_bucket *b1, struct futex_bucket *b2)
{
	if (b1 > b2) {
		struct futex_bucket *t = b1;
		b1 = b2;
		b2 = t;
	}
	spin_lock(&b1->lock);
	if (b2 != b1)
		spin_lock_nested(&b2->lock, 1);	/* the higher address */
}

static void futex_unlock_pair(struct futex_bucket *b1,
			      struct futex_bucket *b2)
{
	spin_unlock(&b1->lock);
	if (b2 != b1)
		spin_unlock(&b2->lock);
}

/* ---- FUTEX_REQUEUE, FUTEX_CMP_REQUEUE -------------------------------- */

/* Move q from b1 to b2 (both locked) and make it wait on key2. */
static void futex_q_requeue(struct futex_q *q, struct futex_bucket *b2,
			    const struct vm_futex_key *key2)
{
	spin_assert_held(&q->bucket->lock);
	spin_assert_held(&b2->lock);
	if (q->bucket != b2) {
		list_del(&q->link);
		list_add_tail(&q->link, &b2->chain);
		__atomic_store_n(&q->bucket, b2, __ATOMIC_RELEASE);
	}
	q->key = *key2;
}

/*
 * Wake nr_wake waiters of key1 and move up to nr_requeue more to key2,
 * in queue order: Linux's loop, which stops once
 * count - nr_wake >= nr_requeue. Both buckets locked.
 */
static int futex_requeue_locked(struct futex_bucket *b1,
				const struct vm_futex_key *key1,
				struct futex_bucket *b2,
				const struct vm_futex_key *key2,
				int nr_wake, int nr_requeue)
{
	struct futex_q *q, *n;
	int count = 0;

	spin_assert_held(&b1->lock);
	spin_assert_held(&b2->lock);
	list_for_each_entry_safe(q, n, &b1->chain, link) {
		if (count - nr_wake >= nr_requeue)
			break;
		if (!futex_key_eq(&q->key, key1))
			continue;
		if (q->pi_state)
			return -EINVAL;
		if (++count <= nr_wake)
			futex_q_wake(q);
		else
			futex_q_requeue(q, b2, key2);
	}
	return count;
}

/*
 * FUTEX_(CMP_)REQUEUE: the number of waiters woken plus requeued.
 * CMP_REQUEUE first checks that *uaddr1 still holds *cmpval (-EAGAIN).
 */
long futex_requeue(uint32_t __user *uaddr1, unsigned int flags,
		   uint32_t __user *uaddr2, int nr_wake,
		   int nr_requeue, const uint32_t *cmpval)
{
	struct vm_futex_key key1, key2;
	struct futex_bucket *b1, *b2;
	uint32_t cur;
	long ret;

	if (nr_wake < 0 || nr_requeue < 0)
		return -EINVAL;
	for (;;) {
		if ((ret = futex_key(uaddr1, flags, false, &key1)) ||
		    (ret = futex_key(uaddr2, flags, false, &key2)))
			return ret;
		b1 = futex_bucket_of(&key1);
		b2 = futex_bucket_of(&key2);
		futex_lock_pair(b1, b2);
		if (!cmpval || !(ret = futex_get_value_locked(&cur, uaddr1)))
			break;
		futex_unlock_pair(b1, b2);
		if (get_user(cur, uaddr1))
			return -EFAULT;
	}
	if (cmpval && cur != *cmpval)
		ret = -EAGAIN;
	else
		ret = futex_requeue_locked(b1, &key1, b2, &key2, nr_wake,
					   nr_requeue);
	futex_unlock_pair(b1, b2);
	return ret;
}

/* ---- FUTEX_WAKE_OP --------------------------------------------------- */

static int32_t sign_extend12(uint32_t v)
{
	return (int32_t)(v << 20) >> 20;
}

/*
 * Apply the operation encoded in val3 to *uaddr2 atomically (a bucket
 * lock is held: faults give -EFAULT) and compare the old value. 1 or 0
 * for the comparison; -ENOSYS for an unknown op (nothing done) or an
 * unknown comparison (done nevertheless, as in Linux).
 */
static int futex_wake_op_apply(uint32_t encoded, uint32_t __user *uaddr2)
{
	int op = (encoded >> 28) & 7;
	unsigned int cmp = (encoded >> 24) & 15;
	int32_t oparg = sign_extend12(encoded >> 12);
	int32_t cmparg = sign_extend12(encoded);
	uint32_t old;
	int err;

	if (encoded & (FUTEX_OP_OPARG_SHIFT << 28)) {
		if (oparg < 0 || oparg > 31) {
			pr_info("futex_wake_op: %s shifts by %d; fix this "
				"program", current->comm, oparg);
			oparg &= 31;
		}
		oparg = (int32_t)(1U << oparg);
	}
	err = futex_atomic_op_user(op, (uint32_t)oparg, uaddr2, &old);
	if (err)
		return err;
	switch (cmp) {
	case FUTEX_OP_CMP_EQ: return (int32_t)old == cmparg;
	case FUTEX_OP_CMP_NE: return (int32_t)old != cmparg;
	case FUTEX_OP_CMP_LT: return (int32_t)old < cmparg;
	case FUTEX_OP_CMP_GE: return (int32_t)old >= cmparg;
	case FUTEX_OP_CMP_LE: return (int32_t)old <= cmparg;
	case FUTEX_OP_CMP_GT: return (int32_t)old > cmparg;
	default: return -ENOSYS;
	}
}

/*
 * FUTEX_WAKE_OP: change *uaddr2, wake nr_wake waiters on uaddr1 and, if
 * the comparison held, nr_wake2 on uaddr2; the number woken.
 */
long futex_wake_op(uint32_t __user *uaddr1, unsigned int flags,
		   uint32_t __user *uaddr2, int nr_wake, int nr_wake2,
		   uint32_t encoded)
{
	struct vm_futex_key key1, key2;
	struct futex_bucket *b1, *b2;
	int op_ret, ret, ret2;

	for (;;) {
		if ((ret = futex_key(uaddr1, flags, false, &key1)) ||
		    (ret = futex_key(uaddr2, flags, true, &key2)))
			return ret;
		b1 = futex_bucket_of(&key1);
		b2 = futex_bucket_of(&key2);
		futex_lock_pair(b1, b2);
		op_ret = futex_wake_op_apply(encoded, uaddr2);
		if (op_ret != -EFAULT)
			break;
		futex_unlock_pair(b1, b2);
		if (futex_fault_in_writeable(uaddr2))
			return -EFAULT;
	}
	if (op_ret < 0) {
		ret = op_ret;
	} else {
		ret = futex_wake_locked(b1, &key1, nr_wake,
					FUTEX_BITSET_MATCH_ANY);
		if (ret >= 0 && op_ret > 0) {
			ret2 = futex_wake_locked(b2, &key2, nr_wake2,
						 FUTEX_BITSET_MATCH_ANY);
			ret = ret2 < 0 ? ret2 : ret + ret2;
		}
	}
	futex_unlock_pair(b1, b2);
	return ret;
}
