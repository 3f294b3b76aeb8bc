/*
 * Futexes: futex(2) and futex_waitv(2), with Linux 6.1's semantics and
 * errors. A futex is a 32-bit word in user memory; the kernel only keeps
 * the tasks that sleep on one, in a hash table of buckets indexed by the
 * word's key (mm/vm.h: (mm, address) for private memory, (memory object,
 * offset) for shared memory). This file owns keys, buckets, queueing and
 * sleeping, timeouts and the futex(2) entry; the operations are in
 * futex_wait.c (WAIT, WAKE), futex_requeue.c (REQUEUE, CMP_REQUEUE,
 * WAKE_OP), futex_waitv.c (futex_waitv), futex_pi.c (the PI locks) and
 * futex_exit.c (robust lists, clear_child_tid); futex_internal.h is what
 * they share.
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
#include <mm/uaccess.h>
#include <mm/vm.h>
#include <proc/futex.h>
#include <proc/sched.h>
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
void futex_q_wake(struct futex_q *q)
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

/* ---- timeouts, the futex(2) entry ------------------------------------ */

/* Linux's timespec64_valid(), and the value saturating at KTIME_MAX. */
int futex_timespec_ns(const struct timespec __user *u, uint64_t *ns)
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
