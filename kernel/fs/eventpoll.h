/*
 * The epoll instance, private to eventpoll.c (instances, registration,
 * wake-ups) and eventpoll_wait.c (collecting events, the wait calls).
 *
 * An eventpoll keeps its interest list (one epitem per registered
 * (file, fd) pair) and a ready list. An epitem hangs a poll_entry on the
 * watched object's poll head; the object's poll_notify puts the item on
 * the ready list (ep_item_wake). epoll_wait takes items off the ready
 * list, asks each file's ->poll what is really ready, reports it, and
 * puts level-triggered items back. A file without a poll head gets no
 * wake-ups: its item stays on the ready list for good (polled at every
 * wait) and edge-triggered mode reports only newly risen bits.
 *
 * Locks, in order:
 *   ep_mutex (global mutex)  every interest list, every file's ep_links,
 *                            adding and removing poll entries.
 *   poll head locks          (fs/poll.h) the watched objects' entries;
 *                            a watched instance's head before its
 *                            watchers' (poll_notify_nested).
 *   ep->lock (spinlock)      the ready list, each item's events, rdy.
 *                            Nested instances: outer before inner,
 *                            the depth their lockdep subclass.
 *   the watched objects' own locks, taken by their ->poll ops.
 * Items hold no reference on their file (as Linux): the file's last
 * file_put removes them first (eventpoll_release), under ep_mutex and
 * ep->lock, so a scan under ep->lock never sees a freed file.
 */
#ifndef BASALT_FS_EVENTPOLL_H
#define BASALT_FS_EVENTPOLL_H

#include "vfs.h"
#include <fs/poll.h>
#include <uapi/eventpoll.h>

/* The bits that say how to report, not what to report. */
#define EP_PRIVATE_BITS	(EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE)
/* Linux's EP_MAX_NESTS: how deep epoll instances may watch each other. */
#define EP_MAX_NESTS	4

struct eventpoll;

struct epitem {
	struct list_head ep_link;	/* in ep->items; ep_mutex */
	struct list_head file_link;	/* in file->ep_links; ep_mutex */
	struct list_head rdy_link;	/* in ep->ready; ep->lock */
	bool rdy;			/* on ep->ready; ep->lock */
	struct poll_entry entry;	/* on head, if any */
	struct poll_head *head;		/* fixed; NULL: polled every wait */
	struct eventpoll *ep;		/* fixed */
	struct file *file;		/* fixed; no reference */
	int fd;				/* fixed */
	uint32_t events;		/* ep->lock */
	uint64_t data;			/* ep->lock */
	unsigned int last;		/* headless ET: bits seen last time */
};

/*
 * What the file epi watches reports now, polled by an instance at depth
 * depth - 1 of a nested chain (1 for the instance being waited on or
 * changed); its ep->lock is held.
 */
unsigned int ep_item_poll(const struct epitem *epi, unsigned int depth);

struct eventpoll {
	struct spinlock lock;		/* see above */
	struct list_head items;		/* ep_mutex */
	struct list_head ready;		/* ep->lock */
	struct poll_head poll;		/* for poll() and outer instances */
	struct file *file;		/* the epoll file; fixed */
};

extern struct mutex ep_mutex;

/* The instance behind f, or NULL if f is no epoll file. */
struct eventpoll *ep_of(struct file *f);
/* Collect up to max ready events into out; returns how many. */
int ep_collect(struct eventpoll *ep, struct epoll_event *out, int max);

#endif
