/*
 * Reporting epoll events: taking items off an instance's ready list
 * (level-triggered ones go back, edge-triggered ones wait for the next
 * wake-up, one-shot ones are disarmed), and the wait calls epoll_wait,
 * epoll_pwait and epoll_pwait2, which sleep on the global poll queue
 * (fs/poll.h) until some wake-up lets them find an event.
 */
#include "eventpoll.h"
#include <mm/kmalloc.h>
#include <mm/uaccess.h>
#include <proc/sched.h>
#include <proc/task.h>
#include <uapi/time.h>
#include <syscall/syscall.h>

/* Linux's EP_MAX_EVENTS: how many events one call may ask for. */
#define EP_MAX_EVENTS	(INT32_MAX / (int)sizeof(struct epoll_event))
/* The most one call reports here (the rest stay ready for the next). */
#define EP_BATCH	256
/* Up to this many, the events are gathered on the stack. */
#define EP_STACK_EVENTS	16

/* Move every entry of from to the tail (or the head) of to, at once. */
static void ready_move(struct list_head *from, struct list_head *to,
		       bool head)
{
	struct list_head *first = from->next, *last = from->prev;
	struct list_head *before = head ? to : to->prev;
	struct list_head *after = before->next;

	if (list_empty(from))
		return;
	before->next = first;
	first->prev = before;
	last->next = after;
	after->prev = last;
	list_init(from);
}

/*
 * What epi has to report now (0: nothing); ep->lock held. An item with a
 * poll head was queued by a wake-up; one without is polled every time,
 * and in edge-triggered mode reports only bits that rose since.
 */
static uint32_t ep_item_events(struct epitem *epi)
{
	uint32_t mask;

	spin_assert_held(&epi->ep->lock);
	mask = ep_item_poll(epi, 1) & epi->events & ~EP_PRIVATE_BITS;
	if (!epi->head && (epi->events & EPOLLET)) {
		uint32_t rose = mask & ~epi->last;

		epi->last = mask;
		return rose;
	}
	return mask;
}

int ep_collect(struct eventpoll *ep, struct epoll_event *out, int max)
{
	struct list_head todo, again;
	int n = 0;

	list_init(&todo);
	list_init(&again);
	spin_lock(&ep->lock);
	ready_move(&ep->ready, &todo, false);
	while (n < max && !list_empty(&todo)) {
		struct epitem *epi = list_first_entry(&todo, struct epitem,
						      rdy_link);
		uint32_t mask = ep_item_events(epi);

		list_del(&epi->rdy_link);
		epi->rdy = false;
		if (!epi->head || (mask && !(epi->events & (EPOLLET |
							     EPOLLONESHOT)))) {
			list_add_tail(&epi->rdy_link, &again);
			epi->rdy = true;
		}
		if (!mask)
			continue;
		out[n].events = mask;
		out[n].data = epi->data;
		n++;
		if (epi->events & EPOLLONESHOT)
			epi->events &= EP_PRIVATE_BITS;
	}
	/* Not looked at: first in line next time; then the ones that stay. */
	ready_move(&todo, &ep->ready, true);
	ready_move(&again, &ep->ready, false);
	spin_unlock(&ep->lock);
	return n;
}

/* Collect, sleeping until the deadline (0: none; 1: do not wait). */
static long ep_wait_events(struct eventpoll *ep, struct epoll_event *buf,
			   int max, uint64_t deadline)
{
	for (;;) {
		uint64_t seq = poll_seq_read();
		int n = ep_collect(ep, buf, max);
		int err;

		if (n || deadline == 1)
			return n;
		err = poll_sleep(seq, deadline);
		if (err == -ETIMEDOUT)
			return 0;
		if (err)
			return -EINTR;	/* never restarted, as Linux's */
	}
}

/* Linux's do_epoll_wait, its checks in its order. */
static long ep_wait(int epfd, struct epoll_event __user *uev, int max,
		    uint64_t deadline)
{
	struct epoll_event small[EP_STACK_EVENTS], *buf;
	struct file *f;
	bool put;
	long n;

	if (max <= 0 || max > EP_MAX_EVENTS)
		return -EINVAL;
	if (!user_range_ok((uint64_t)uev, (size_t)max * sizeof(*uev)))
		return -EFAULT;
	f = fd_get_light(epfd, &put);
	if (!f)
		return -EBADF;
	if (!ep_of(f)) {
		fd_put_light(f, put);
		return -EINVAL;
	}
	/* Small requests (the common case) need no allocation. */
	max = MIN(max, EP_BATCH);
	buf = max <= EP_STACK_EVENTS ? small :
	      kmalloc(sizeof(*buf) * (size_t)max);
	n = buf ? ep_wait_events(f->private, buf, max, deadline) : -ENOMEM;
	if (n > 0 && copy_to_user(uev, buf, sizeof(*buf) * (size_t)n))
		n = -EFAULT;
	if (buf != small)
		kfree(buf);
	fd_put_light(f, put);
	return n;
}

static uint64_t ms_deadline(int timeout_ms)
{
	if (timeout_ms < 0)
		return 0;
	if (timeout_ms == 0)
		return 1;
	return clock_monotonic_ns() + (uint64_t)timeout_ms * 1000000;
}

SYSCALL_DEFINE4(epoll_wait, int, epfd, struct epoll_event __user *, uev,
		int, max, int, timeout_ms)
{
	return ep_wait(epfd, uev, max, ms_deadline(timeout_ms));
}

/* The wait with a signal mask in place (ppoll's limits: fs/poll.c). */
static long ep_wait_masked(int epfd, struct epoll_event __user *uev,
			   int max, uint64_t deadline,
			   const uint64_t __user *umask, size_t size)
{
	uint64_t old;
	long r = poll_sigmask_swap(umask, size, &old);

	if (r)
		return r;
	r = ep_wait(epfd, uev, max, deadline);
	current->sigmask = old;
	return r;
}

SYSCALL_DEFINE6(epoll_pwait, int, epfd, struct epoll_event __user *, uev,
		int, max, int, timeout_ms, const uint64_t __user *, umask,
		size_t, size)
{
	return ep_wait_masked(epfd, uev, max, ms_deadline(timeout_ms), umask,
			      size);
}

SYSCALL_DEFINE6(epoll_pwait2, int, epfd, struct epoll_event __user *, uev,
		int, max, const struct timespec __user *, uts,
		const uint64_t __user *, umask, size_t, size)
{
	uint64_t deadline;
	long r = poll_timespec_deadline(uts, &deadline);

	if (r)
		return r;
	return ep_wait_masked(epfd, uev, max, deadline, umask, size);
}
