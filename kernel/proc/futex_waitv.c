/*
 * futex_waitv(2): sleep on up to FUTEX_WAITV_MAX futex words at once,
 * until one of them is woken (Linux's futex_wait_multiple). Each word
 * gets its own futex_q, all pointing at one futex_sleeper, so a
 * FUTEX_WAKE on any of the words wakes the task.
 */
#include <types.h>
#include <mm/kmalloc.h>
#include <mm/uaccess.h>
#include <mm/vm.h>
#include <syscall/syscall.h>
#include <uapi/errno.h>
#include <uapi/futex.h>
#include <uapi/time.h>
#include "futex_internal.h"

/* One word of the vector: its entry, copied in, and its waiter. */
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
