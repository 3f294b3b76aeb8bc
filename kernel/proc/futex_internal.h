/*
 * What futex.c (keys, buckets, queueing, sleeping, the futex(2) entry),
 * futex_wait.c (WAIT, WAKE), futex_requeue.c (REQUEUE, CMP_REQUEUE,
 * WAKE_OP), futex_waitv.c (futex_waitv), futex_pi.c (PI locks) and
 * futex_exit.c (robust lists, clear_child_tid) share. Nothing outside
 * kernel/proc/futex*.c uses it.
 *
 * Locks, in order: a bucket's lock (two buckets: the lower address
 * first), proc_tree_lock (PI: looking up an owner by TID), a sleeper's
 * wq.lock, sched_lock. User memory is touched under a bucket lock only
 * through futex_get_value_locked and futex_atomic_*_user, which fail with
 * -EFAULT instead of faulting a page in (mm/uaccess.h); the caller then
 * drops its locks, faults the page in and starts over.
 */
#ifndef BASALT_PROC_FUTEX_INTERNAL_H
#define BASALT_PROC_FUTEX_INTERNAL_H

#include <types.h>
#include <lib/list.h>
#include <mm/vm.h>
#include <sync/spinlock.h>
#include <sync/waitq.h>

struct task;
struct timespec;
struct futex_pi_state;

/* Flags of one operation, from the op word. */
#define FUTEX_F_SHARED		0x1	/* no FUTEX_PRIVATE_FLAG */

/* One slot of the hash table: the futex_qs whose key hashes here. */
struct futex_bucket {
	struct spinlock lock;
	struct list_head chain;		/* futex_q by link; guarded by lock */
};

/*
 * One sleeping task: what its futex_qs wake (one for futex(2), up to
 * FUTEX_WAITV_MAX for futex_waitv). On the sleeper's stack.
 */
struct futex_sleeper {
	struct waitq wq;		/* the task sleeps here */
	unsigned int woken;		/* wake-ups so far; guarded by wq.lock */
};

/*
 * A task waiting on one futex word. Queued while link is on its bucket's
 * chain; a waker unqueues it and then wakes its sleeper, so "no longer
 * queued" means "woken". bucket and key change only by requeue, with the
 * locks of both buckets held.
 */
struct futex_q {
	struct list_head link;		/* guarded by bucket->lock */
	struct futex_bucket *bucket;	/* the bucket it was last queued on */
	struct vm_futex_key key;	/* guarded by bucket->lock */
	uint32_t bitset;		/* FUTEX_WAIT_BITSET's mask */
	struct task *task;
	struct futex_sleeper *sleeper;
	/* FUTEX_LOCK_PI waiters only; guarded by bucket->lock. */
	struct futex_pi_state *pi_state; /* the lock's state (a reference) */
	bool granted;			/* the lock was handed to this waiter */
};

/* An absolute deadline (ns) on CLOCK_MONOTONIC or CLOCK_REALTIME. */
struct futex_timeout {
	uint64_t ns;
	bool realtime;
};

/* futex.c */
int futex_key(uint32_t __user *uaddr, unsigned int flags, bool write,
	      struct vm_futex_key *key);
struct futex_bucket *futex_bucket_of(const struct vm_futex_key *key);
struct futex_bucket *futex_bucket_at(unsigned int i);	/* NULL past the end */
bool futex_key_eq(const struct vm_futex_key *a, const struct vm_futex_key *b);
int futex_get_value_locked(uint32_t *val, uint32_t __user *uaddr);
int futex_fault_in_writeable(uint32_t __user *uaddr);
void futex_sleeper_init(struct futex_sleeper *s);
void futex_q_init(struct futex_q *q, struct futex_sleeper *s,
		  uint32_t bitset);
void futex_queue(struct futex_q *q, struct futex_bucket *b);
struct futex_bucket *futex_q_lock(struct futex_q *q);
bool futex_unqueue(struct futex_q *q);
struct futex_q *futex_top_waiter(struct futex_bucket *b,
				 const struct vm_futex_key *key);
void futex_sleeper_wake(struct futex_sleeper *s);
void futex_q_wake(struct futex_q *q);	/* its bucket locked */
uint64_t futex_deadline(const struct futex_timeout *to);
int futex_sleep(struct futex_sleeper *s, uint64_t deadline);
/* A user timespec in ns (saturating); -EFAULT or -EINVAL if invalid. */
int futex_timespec_ns(const struct timespec __user *u, uint64_t *ns);

/* futex_wait.c */
long futex_wait(uint32_t __user *uaddr, unsigned int flags, uint32_t val,
		const struct futex_timeout *to, uint32_t bitset);
int futex_wake_locked(struct futex_bucket *b, const struct vm_futex_key *key,
		      int nr, uint32_t bitset);
long futex_wake(uint32_t __user *uaddr, unsigned int flags, int nr_wake,
		uint32_t bitset);

/* futex_requeue.c */
long futex_requeue(uint32_t __user *uaddr1, unsigned int flags,
		   uint32_t __user *uaddr2, int nr_wake, int nr_requeue,
		   const uint32_t *cmpval);
long futex_wake_op(uint32_t __user *uaddr1, unsigned int flags,
		   uint32_t __user *uaddr2, int nr_wake, int nr_wake2,
		   uint32_t encoded);

/* futex_pi.c */
long futex_lock_pi(uint32_t __user *uaddr, unsigned int flags,
		   const struct futex_timeout *to, bool trylock);
long futex_unlock_pi(uint32_t __user *uaddr, unsigned int flags);
void futex_pi_exit(struct task *t);

#endif
