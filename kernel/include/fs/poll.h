/*
 * Readiness notification for pollable objects (kernel/fs/poll.c).
 *
 * poll(2) and select(2) need nothing from an object but its ->poll op:
 * they sleep on one global queue that poll_wake() wakes. epoll needs more:
 * to tell "a new event happened" (edge-triggered) from "still ready", it
 * must hear about each change of each file it watches. An object that
 * wants that keeps a struct poll_head, returns it from its file's
 * ->poll_head op, and calls poll_notify() (instead of poll_wake) each time
 * its readiness changes, with the events that changed (0: unknown, treat
 * as any). Watchers hang a struct poll_entry on the head.
 *
 * The head must outlive every entry on it: epoll removes its entries when
 * the watched file's last reference goes (eventpoll_release, called by
 * file_put before ->release), so an object that frees its head in
 * ->release or later is safe.
 *
 * Locking: head->lock guards the entry list; it is taken inside any
 * eventpoll mutex and outside an eventpoll's ready-list lock. poll_notify
 * must be called WITHOUT the object's own lock held (the entry callbacks
 * call ->poll ops, which take it). It may be called from interrupt
 * context.
 */
#ifndef BASALT_FS_POLL_H
#define BASALT_FS_POLL_H

#include <types.h>
#include <lib/list.h>
#include <sync/spinlock.h>

struct file;

struct poll_head {
	struct spinlock lock;
	struct list_head entries;	/* guarded by lock */
	/* While its entries are called: the lockdep subclass its lock was
	 * taken as, plus one (poll_notify_nested); guarded by lock. */
	unsigned int nest;
};

struct poll_entry {
	struct list_head link;		/* on head->entries */
	/* Called with the head's lock held; must not sleep. */
	void (*wake)(struct poll_entry *e, unsigned int events);
};

void poll_head_init(struct poll_head *h, const char *name);
void poll_head_add(struct poll_head *h, struct poll_entry *e);
void poll_head_remove(struct poll_head *h, struct poll_entry *e);
/* Readiness changed (events: which POLL* bits, 0 unknown): call every
 * entry's wake, then poll_wake() for poll/select/epoll sleepers. */
void poll_notify(struct poll_head *h, unsigned int events);
/*
 * The same for a head notified from an entry of another head, whose
 * lock is held: an epoll instance watched by another tells its watchers
 * (eventpoll.c). sub is the notifying head's nest, so each head of the
 * chain has its own lockdep subclass, inner before outer.
 */
void poll_notify_nested(struct poll_head *h, unsigned int events,
			unsigned int sub);

/* The head of f's object, or NULL if it has none (its ->poll_head op). */
struct poll_head *file_poll_head(struct file *f);
/* f's readiness now: ->poll, or DEFAULT_POLLMASK without one. */
unsigned int file_poll(struct file *f);

/*
 * The global wait used by poll, select and epoll_wait: read the sequence,
 * check, then poll_sleep(seq, deadline) returns at once if a wake came
 * after the read. deadline: absolute monotonic ns, 0 for none. Returns
 * 0, -ETIMEDOUT or -ERESTARTNOHAND.
 */
uint64_t poll_seq_read(void);
int poll_sleep(uint64_t seq, uint64_t deadline);

struct timespec;
/* A user timespec (NULL: none) as an absolute deadline (1: do not wait);
 * -EFAULT, -EINVAL for a bad one. */
int poll_timespec_deadline(const struct timespec __user *uts,
			   uint64_t *deadline);
/* Install a user signal mask (NULL: keep) for a wait, saving the old one
 * in *old; size must be 8. The caller restores current->sigmask. */
int poll_sigmask_swap(const uint64_t __user *umask, size_t size,
		      uint64_t *old);

/* Boot: the epoll lock (called by vfs_init). */
void eventpoll_init(void);

/* Called by file_put when f's last reference goes, before ->release:
 * drops every epoll registration of f (kernel/fs/eventpoll.c). */
void eventpoll_release(struct file *f);

#endif
