/*
 * Futexes: futex(2) and futex_waitv(2), with Linux 6.1's semantics and
 * errors. A futex is a 32-bit word in user memory; the kernel only keeps
 * the tasks that sleep on one, in a hash table of buckets indexed by the
 * word's key (mm/vm.h: (mm, address) for private memory, (memory object,
 * offset) for shared memory). This file owns keys, buckets, waiting,
 * waking, requeueing, FUTEX_WAKE_OP, futex_waitv and the system-call
 * entry; futex_pi.c has the PI locks, futex_exit.c the robust lists.
 *
 * No lost wake-up: a waiter reads the word with its bucket locked and
 * queues itself before unlocking; a waker changes the word first and
 * then takes the bucket lock to look for waiters. Either the waiter's
 * read comes after the change (it sees the new value and does not
 * sleep), or its queueing comes before the waker's look (it is found).
 * See docs/sync.md.
 */
#include <types.h>
#include <arch/cpu.h>
#include <lib/printk.h>
#include <mm/kmalloc.h>
#include <mm/uaccess.h>
#include <mm/vm.h>
#include <proc/futex.h>
#include <proc/sched.h>
#include <proc/signal.h>
#include <proc/task.h>
#include <syscall/syscall.h>
#include <uapi/errno.h>
#include <uapi/futex.h>
#include <uapi/time.h>
#include "futex_internal.h"

#define FUTEX_BUCKETS	256		/* Linux: 256 per CPU */
#define NSEC_PER_SEC	1000000000ULL

static struct futex_bucket buckets[FUTEX_BUCKETS];

void futex_init(void)
{
	for (int i = 0; i < FUTEX_BUCKETS; i++) {
		spin_init(&buckets[i].lock, "futex_bucket");
		list_init(&buckets[i].chain);
	}
}

/* ---- keys and buckets ------------------------------------------------ */

/*
 * Linux's get_futex_key checks, in order: alignment (-EINVAL), the user
 * range (-EFAULT); a private futex needs nothing more, a shared one the
 * area under it (vm_futex_key).
 */
int futex_key(uint32_t __user *uaddr, unsigned int flags, bool write,
	      struct vm_futex_key *key)
{
	uint64_t addr = (uint64_t)uaddr;

	if (addr % sizeof(uint32_t))
		return -EINVAL;
	if (!user_range_ok(addr, sizeof(uint32_t)))
		return -EFAULT;
	if (!(flags & FUTEX_F_SHARED)) {
		vm_futex_key_private(current->mm, addr, key);
		return 0;
	}
	return vm_futex_key(current->mm, addr, write, key);
}

struct futex_bucket *futex_bucket_of(const struct vm_futex_key *key)
{
	uint64_t h = key->base * 0x9e3779b97f4a7c15ULL;

	h ^= (key->offset >> 2) * 0xc2b2ae3d27d4eb4fULL + key->type;
	return &buckets[(h ^ (h >> 32)) % FUTEX_BUCKETS];
}

struct futex_bucket *futex_bucket_at(unsigned int i)
{
	return i < FUTEX_BUCKETS ? &buckets[i] : NULL;
}

bool futex_key_eq(const struct vm_futex_key *a, const struct vm_futex_key *b)
{
	return a->type == b->type && a->base == b->base &&
	       a->offset == b->offset;
}

/*
 * Read a futex word with a bucket lock held: never sleeps, so a page
 * that is not present gives -EFAULT (mm/uaccess.h). Linux's
 * futex_get_value_locked.
 */
int futex_get_value_locked(uint32_t *val, uint32_t __user *uaddr)
{
	BUG_ON(irq_enabled());		/* some spinlock must be held */
	return get_user(*val, uaddr) ? -EFAULT : 0;
}

/* After an atomic access failed under a lock: make the word writable. */
int futex_fault_in_writeable(uint32_t __user *uaddr)
{
	return vm_fault(current->mm, (uint64_t)uaddr, FAULT_WRITE) ? -EFAULT : 0;
}

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
		spin_lock(&b2->lock);
}

static void futex_unlock_pair(struct futex_bucket *b1,
			      struct futex_bucket *b2)
{
	spin_unlock(&b1->lock);
	if (b2 != b1)
		spin_unlock(&b2->lock);
}

/* ---- queueing and sleeping ------------------------------------------- */

void futex_sleeper_init(struct futex_sleeper *s)
{
	waitq_init(&s->wq, "futex_sleeper");
	s->woken = 0;
}

void futex_q_init(struct futex_q *q, struct futex_sleeper *s,
		  uint32_t bitset)
{
	list_init(&q->link);
	q->bucket = NULL;
	q->bitset = bitset;
	q->task = current;
	q->sleeper = s;
	q->pi_state = NULL;
	q->granted = false;
}

/* Waiters queue at the tail: Linux wakes tasks of equal priority FIFO. */
void futex_queue(struct futex_q *q, struct futex_bucket *b)
{
	spin_assert_held(&b->lock);
	list_add_tail(&q->link, &b->chain);
	__atomic_store_n(&q->bucket, b, __ATOMIC_RELEASE);
}

/*
 * Lock the bucket q is on. A requeue may move q between our reading
 * q->bucket and getting its lock; it cannot move it back, so finding
 * the same bucket once locked means it is the right one.
 */
struct futex_bucket *futex_q_lock(struct futex_q *q)
{
	for (;;) {
		struct futex_bucket *b =
			__atomic_load_n(&q->bucket, __ATOMIC_ACQUIRE);

		spin_lock(&b->lock);
		if (b == q->bucket)
			return b;
		spin_unlock(&b->lock);
	}
}

/* Take q off its bucket. true if it was still queued (not woken). */
bool futex_unqueue(struct futex_q *q)
{
	struct futex_bucket *b = futex_q_lock(q);
	bool queued = !list_empty(&q->link);

	if (queued)
		list_del(&q->link);
	spin_unlock(&b->lock);
	return queued;
}

/* The first waiter on key (PI: the one the lock goes to next). */
struct futex_q *futex_top_waiter(struct futex_bucket *b,
				 const struct vm_futex_key *key)
{
	struct futex_q *q;

	spin_assert_held(&b->lock);
	list_for_each_entry(q, &b->chain, link)
		if (futex_key_eq(&q->key, key))
			return q;
	return NULL;
}

/*
 * Wake the task behind s. Called with a bucket lock held, after the
 * futex_q was unqueued (or, for PI, granted): once s->wq.lock is
 * released the sleeper may return and s may be gone.
 */
void futex_sleeper_wake(struct futex_sleeper *s)
{
	spin_lock(&s->wq.lock);
	s->woken++;
	waitq_wake_all(&s->wq);
	spin_unlock(&s->wq.lock);
}

/* Unqueue and wake a plain waiter; its bucket is locked. */
static void futex_q_wake(struct futex_q *q)
{
	spin_assert_held(&q->bucket->lock);
	list_del(&q->link);
	futex_sleeper_wake(q->sleeper);
}

/*
 * The monotonic deadline of a timeout (0: none). The wall clock moves
 * only with the monotonic one (Basalt cannot set it), so a CLOCK_REALTIME
 * deadline converts once; a deadline already past becomes 1 ns after
 * boot, which has passed too.
 */
uint64_t futex_deadline(const struct futex_timeout *to)
{
	uint64_t now_rt;

	if (!to)
		return 0;
	if (!to->realtime)
		return to->ns ? to->ns : 1;
	now_rt = clock_realtime_ns();
	if (to->ns <= now_rt)
		return 1;
	return clock_monotonic_ns() + (to->ns - now_rt);
}

/*
 * Sleep until a wake-up reaches s, the deadline (0: none) passes, or a
 * signal comes: 0, -ETIMEDOUT or -ERESTARTSYS. Whether the task was
 * woken is decided by its futex_qs (no longer queued, or granted), not
 * by this result: a wake-up may race with the timeout and both happen.
 */
int futex_sleep(struct futex_sleeper *s, uint64_t deadline)
{
	int err = 0;

	spin_lock(&s->wq.lock);
	while (!s->woken && !err) {
		if (deadline && clock_monotonic_ns() >= deadline)
			err = -ETIMEDOUT;
		else
			err = waitq_sleep_deadline(&s->wq, deadline);
	}
	spin_unlock(&s->wq.lock);
	return err;
}

/* ---- FUTEX_WAIT, FUTEX_WAKE ------------------------------------------ */

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
static long futex_wait(uint32_t __user *uaddr, unsigned int flags,
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
static int futex_wake_locked(struct futex_bucket *b,
			     const struct vm_futex_key *key, int nr,
			     uint32_t bitset)
{
	struct futex_q *q, *n;
	int woken = 0;

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

/* ---- FUTEX_REQUEUE, FUTEX_CMP_REQUEUE -------------------------------- */

/* Move q from b1 to b2 (both locked) and make it wait on key2. */
static void futex_q_requeue(struct futex_q *q, struct futex_bucket *b2,
			    const struct vm_futex_key *key2)
{
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
static long futex_requeue(uint32_t __user *uaddr1, unsigned int flags,
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
static long futex_wake_op(uint32_t __user *uaddr1, unsigned int flags,
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

/* ---- futex_waitv ----------------------------------------------------- */

struct futex_vec {
	struct futex_q q;
	uint32_t __user *uaddr;
	uint32_t val;
	unsigned int flags;
};

/* Unqueue v[0..n): the index of the last one already woken, or -1. */
static int futex_unqueue_vec(struct futex_vec *v, unsigned int n)
{
	int woken = -1;

	for (unsigned int i = 0; i < n; i++)
		if (!futex_unqueue(&v[i].q))
			woken = (int)i;
	return woken;
}

/*
 * Queue every futex of v whose word still holds its value. 0 when all
 * are queued; 1 when one was woken meanwhile (*woken is its index);
 * -EAGAIN when a value differs; 2 to start over after faulting a word
 * in; or an error. On anything but 0 nothing stays queued.
 */
static int futex_queue_vec(struct futex_vec *v, unsigned int n,
			   struct futex_sleeper *s, int *woken)
{
	for (unsigned int i = 0; i < n; i++) {
		int err = futex_key(v[i].uaddr, v[i].flags, false, &v[i].q.key);
		if (err)
			return err;	/* nothing is queued yet */
	}
	for (unsigned int i = 0; i < n; i++) {
		struct futex_bucket *b = futex_bucket_of(&v[i].q.key);
		uint32_t cur;
		int err;

		futex_q_init(&v[i].q, s, FUTEX_BITSET_MATCH_ANY);
		spin_lock(&b->lock);
		err = futex_get_value_locked(&cur, v[i].uaddr);
		if (!err && cur == v[i].val) {
			futex_queue(&v[i].q, b);
			spin_unlock(&b->lock);
			continue;
		}
		spin_unlock(&b->lock);
		*woken = futex_unqueue_vec(v, i);
		if (*woken >= 0)
			return 1;
		if (!err)
			return -EAGAIN;
		return get_user(cur, v[i].uaddr) ? -EFAULT : 2;
	}
	return 0;
}

/*
 * Sleep on every futex of v until one is woken: its index (any of them
 * if several were), -EAGAIN if a word no longer holds its value,
 * -ETIMEDOUT, or -ERESTARTSYS (the timeout is absolute: a restart keeps
 * it, as in Linux).
 */
static long futex_wait_multiple(struct futex_vec *v, unsigned int n,
				const struct futex_timeout *to)
{
	uint64_t deadline = futex_deadline(to);
	struct futex_sleeper s;
	int err, woken;

	for (;;) {
		futex_sleeper_init(&s);
		err = futex_queue_vec(v, n, &s, &woken);
		if (err == 2)
			continue;
		if (err)
			return err == 1 ? woken : err;
		err = futex_sleep(&s, deadline);
		woken = futex_unqueue_vec(v, n);
		if (woken >= 0)
			return woken;
		return err;
	}
}

/* Copy in and check the entries: Linux's futex_parse_waitv. */
static int futex_parse_waitv(struct futex_vec *v,
			     const struct futex_waitv __user *uwaitv,
			     unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		struct futex_waitv w;

		if (copy_from_user(&w, &uwaitv[i], sizeof(w)))
			return -EFAULT;
		if ((w.flags & ~(FUTEX_32 | FUTEX_PRIVATE_FLAG)) ||
		    w.reserved || !(w.flags & FUTEX_32))
			return -EINVAL;
		v[i].uaddr = (uint32_t __user *)w.uaddr;
		v[i].val = (uint32_t)w.val;
		v[i].flags = (w.flags & FUTEX_PRIVATE_FLAG) ? 0 : FUTEX_F_SHARED;
	}
	return 0;
}

/* ---- the system calls ------------------------------------------------ */

/* Linux's timespec64_valid(), and the value saturating at KTIME_MAX. */
static int futex_timespec_ns(const struct timespec __user *u, uint64_t *ns)
{
	struct timespec ts;

	if (copy_from_user(&ts, u, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 ||
	    (uint64_t)ts.tv_nsec >= NSEC_PER_SEC)
		return -EINVAL;
	if ((uint64_t)ts.tv_sec >= (uint64_t)INT64_MAX / NSEC_PER_SEC)
		*ns = (uint64_t)INT64_MAX;
	else
		*ns = (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
	return 0;
}

static bool futex_cmd_has_timeout(int cmd)
{
	return cmd == FUTEX_WAIT || cmd == FUTEX_LOCK_PI ||
	       cmd == FUTEX_LOCK_PI2 || cmd == FUTEX_WAIT_BITSET ||
	       cmd == FUTEX_WAIT_REQUEUE_PI;
}

/*
 * The timeout as Linux's futex_init_timeout reads it: FUTEX_WAIT's is
 * relative to CLOCK_MONOTONIC; FUTEX_LOCK_PI's is absolute on
 * CLOCK_REALTIME; the others are absolute, on CLOCK_REALTIME with
 * FUTEX_CLOCK_REALTIME and on CLOCK_MONOTONIC otherwise.
 */
static int futex_get_timeout(int cmd, int op, const struct timespec __user *u,
			     struct futex_timeout *to)
{
	int err = futex_timespec_ns(u, &to->ns);

	if (err)
		return err;
	to->realtime = cmd == FUTEX_LOCK_PI ||
		       (cmd != FUTEX_WAIT && (op & FUTEX_CLOCK_REALTIME));
	if (cmd == FUTEX_WAIT) {
		uint64_t now = clock_monotonic_ns();
		to->ns = to->ns > (uint64_t)INT64_MAX - now ? (uint64_t)INT64_MAX
							    : to->ns + now;
	}
	return 0;
}

/*
 * Linux's do_futex. FUTEX_CLOCK_REALTIME is only for the operations that
 * take an absolute timeout on a chosen clock. FUTEX_WAIT_REQUEUE_PI and
 * FUTEX_CMP_REQUEUE_PI (condition variables over PI mutexes, unused by
 * glibc since 2.25) are not implemented: -ENOSYS, as on a kernel
 * without them.
 */
static long do_futex(uint32_t __user *uaddr, int op, uint32_t val,
		     const struct futex_timeout *to, uint32_t __user *uaddr2,
		     uint32_t val2, uint32_t val3)
{
	int cmd = op & FUTEX_CMD_MASK;
	unsigned int flags = (op & FUTEX_PRIVATE_FLAG) ? 0 : FUTEX_F_SHARED;

	if ((op & FUTEX_CLOCK_REALTIME) && cmd != FUTEX_WAIT_BITSET &&
	    cmd != FUTEX_WAIT_REQUEUE_PI && cmd != FUTEX_LOCK_PI2)
		return -ENOSYS;
	switch (cmd) {
	case FUTEX_WAIT:
		val3 = FUTEX_BITSET_MATCH_ANY;
		/* fallthrough */
	case FUTEX_WAIT_BITSET:
		return futex_wait(uaddr, flags, val, to, val3);
	case FUTEX_WAKE:
		val3 = FUTEX_BITSET_MATCH_ANY;
		/* fallthrough */
	case FUTEX_WAKE_BITSET:
		return futex_wake(uaddr, flags, (int)val, val3);
	case FUTEX_REQUEUE:
		return futex_requeue(uaddr, flags, uaddr2, (int)val, (int)val2,
				     NULL);
	case FUTEX_CMP_REQUEUE:
		return futex_requeue(uaddr, flags, uaddr2, (int)val, (int)val2,
				     &val3);
	case FUTEX_WAKE_OP:
		return futex_wake_op(uaddr, flags, uaddr2, (int)val, (int)val2,
				     val3);
	case FUTEX_LOCK_PI:
	case FUTEX_LOCK_PI2:
		return futex_lock_pi(uaddr, flags, to, false);
	case FUTEX_UNLOCK_PI:
		return futex_unlock_pi(uaddr, flags);
	case FUTEX_TRYLOCK_PI:
		return futex_lock_pi(uaddr, flags, NULL, true);
	}
	return -ENOSYS;
}

/* The timeout slot doubles as val2 (a count) for the requeue/wake ops. */
SYSCALL_DEFINE6(futex, uint32_t __user *, uaddr, int, op, uint32_t, val,
		const struct timespec __user *, utime, uint32_t __user *, uaddr2,
		uint32_t, val3)
{
	int cmd = op & FUTEX_CMD_MASK;
	struct futex_timeout t, *to = NULL;

	if (utime && futex_cmd_has_timeout(cmd)) {
		int err = futex_get_timeout(cmd, op, utime, &t);

		if (err)
			return err;
		to = &t;
	}
	return do_futex(uaddr, op, val, to, uaddr2, (uint32_t)(uint64_t)utime,
			val3);
}

/* Linux's checks in order: flags, count, clock, timeout, each entry. */
SYSCALL_DEFINE5(futex_waitv, const struct futex_waitv __user *, waiters,
		unsigned int, nr, unsigned int, flags,
		const struct timespec __user *, timeout, clockid_t, clockid)
{
	struct futex_timeout t, *to = NULL;
	struct futex_vec *v;
	long ret;

	if (flags)
		return -EINVAL;
	if (!nr || nr > FUTEX_WAITV_MAX || !waiters)
		return -EINVAL;
	if (timeout) {
		if (clockid != CLOCK_REALTIME && clockid != CLOCK_MONOTONIC)
			return -EINVAL;
		ret = futex_timespec_ns(timeout, &t.ns);
		if (ret)
			return ret;
		t.realtime = clockid == CLOCK_REALTIME;
		to = &t;
	}
	v = kmalloc(nr * sizeof(*v));
	if (!v)
		return -ENOMEM;
	ret = futex_parse_waitv(v, waiters, nr);
	if (!ret)
		ret = futex_wait_multiple(v, nr, to);
	kfree(v);
	return ret;
}
