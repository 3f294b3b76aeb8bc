/*
 * epoll instances and their interest lists: epoll_create, epoll_create1,
 * epoll_ctl, the wake-up callback and the clean-up when a watched file or
 * an instance goes away. Collecting events and the wait calls are in
 * eventpoll_wait.c; the structures and the lock order in eventpoll.h.
 */
#include "eventpoll.h"
#include <fs/anon.h>
#include <mm/kmalloc.h>
#include <mm/uaccess.h>
#include <uapi/poll.h>
#include <syscall/syscall.h>

/* What EPOLLEXCLUSIVE may be combined with (Linux's EPOLLEXCLUSIVE_OK_BITS). */
#define EXCLUSIVE_OK	(EPOLLINOUT_BITS | EPOLLERR | EPOLLHUP | EPOLLWAKEUP | \
			 EPOLLET | EPOLLEXCLUSIVE)
#define EPOLLINOUT_BITS	(EPOLLIN | EPOLLOUT)

struct mutex ep_mutex;
static const struct file_ops eventpoll_ops;

void eventpoll_init(void)
{
	mutex_init(&ep_mutex, "ep_mutex");
}

struct eventpoll *ep_of(struct file *f)
{
	return anon_file_is(f, &eventpoll_ops) ? f->private : NULL;
}

/* Put epi on the ready list; ep->lock held. */
static void ep_make_ready(struct epitem *epi)
{
	spin_assert_held(&epi->ep->lock);
	if (!epi->rdy) {
		list_add_tail(&epi->rdy_link, &epi->ep->ready);
		epi->rdy = true;
	}
}

/*
 * The watched object's poll_notify (its head's lock held): queue the item
 * if the change concerns it, then tell whoever watches this instance.
 * A one-shot item that fired stays silent until EPOLL_CTL_MOD re-arms it.
 */
static void ep_item_wake(struct poll_entry *e, unsigned int events)
{
	struct epitem *epi = container_of(e, struct epitem, entry);
	struct eventpoll *ep = epi->ep;
	bool woke = false;

	spin_assert_held(&epi->head->lock);
	spin_lock(&ep->lock);
	if ((epi->events & ~EP_PRIVATE_BITS) &&
	    (!events || (events & epi->events))) {
		ep_make_ready(epi);
		woke = true;
	}
	spin_unlock(&ep->lock);
	if (woke)
		poll_notify_nested(&ep->poll, POLLIN | POLLRDNORM,
				   epi->head->nest);
}

/* Queue epi if its file is ready now (new or changed interest). */
static void ep_check_now(struct epitem *epi)
{
	struct eventpoll *ep = epi->ep;
	bool ready;

	spin_lock(&ep->lock);
	epi->last = 0;
	ready = !epi->head || (ep_item_poll(epi, 1) & epi->events);
	if (ready)
		ep_make_ready(epi);
	spin_unlock(&ep->lock);
	if (ready)
		poll_notify(&ep->poll, POLLIN | POLLRDNORM);
}

static struct epitem *ep_find(struct eventpoll *ep, struct file *f, int fd)
{
	struct epitem *epi;

	mutex_assert_held(&ep_mutex);
	list_for_each_entry(epi, &ep->items, ep_link)
		if (epi->file == f && epi->fd == fd)
			return epi;
	return NULL;
}

/* Unhook and free one registration; ep_mutex held. */
static void ep_remove(struct epitem *epi)
{
	struct eventpoll *ep = epi->ep;

	mutex_assert_held(&ep_mutex);
	if (epi->head)
		poll_head_remove(epi->head, &epi->entry);
	spin_lock(&ep->lock);
	if (epi->rdy)
		list_del(&epi->rdy_link);
	spin_unlock(&ep->lock);
	list_del(&epi->ep_link);
	list_del(&epi->file_link);
	kfree(epi);
}

void eventpoll_release(struct file *f)
{
	mutex_lock(&ep_mutex);
	while (!list_empty(&f->ep_links))
		ep_remove(list_first_entry(&f->ep_links, struct epitem,
					   file_link));
	mutex_unlock(&ep_mutex);
}

/*
 * How many levels of epoll instances lie below ep (0: it watches none),
 * or -1 if from is among them: adding ep to from would make a cycle.
 * ep_mutex held; the graph has no cycles and is at most EP_MAX_NESTS
 * deep, so the recursion is bounded.
 */
static int ep_depth_down(struct eventpoll *ep, struct eventpoll *from)
{
	struct epitem *epi;
	int depth = 0;

	mutex_assert_held(&ep_mutex);
	list_for_each_entry(epi, &ep->items, ep_link) {
		struct eventpoll *sub = ep_of(epi->file);
		int d;

		if (!sub)
			continue;
		if (sub == from)
			return -1;
		d = ep_depth_down(sub, from);
		if (d < 0)
			return -1;
		depth = MAX(depth, d + 1);
	}
	return depth;
}

/* How many levels of epoll instances watch ep from above. */
static int ep_depth_up(struct eventpoll *ep)
{
	struct list_head *links = &ep->file->ep_links;
	struct epitem *epi;
	int depth = 0;

	mutex_assert_held(&ep_mutex);
	if (!links->next)
		return 0;
	list_for_each_entry(epi, links, file_link)
		depth = MAX(depth, ep_depth_up(epi->ep) + 1);
	return depth;
}

/* Linux's ep_loop_check: no cycles, chains of at most EP_MAX_NESTS + 1. */
static bool ep_loop(struct eventpoll *ep, struct eventpoll *to)
{
	int down = ep_depth_down(to, ep);

	return down < 0 || down + 1 + ep_depth_up(ep) > EP_MAX_NESTS;
}

static int ep_insert(struct eventpoll *ep, struct file *tf, int fd,
		     const struct epoll_event *ev)
{
	struct epitem *epi;

	mutex_assert_held(&ep_mutex);
	if (ep_find(ep, tf, fd))
		return -EEXIST;
	if (ep_of(tf) && ep_loop(ep, ep_of(tf)))
		return -ELOOP;
	epi = kzalloc(sizeof(*epi));
	if (!epi)
		return -ENOMEM;
	epi->ep = ep;
	epi->file = tf;
	epi->fd = fd;
	epi->events = ev->events | EPOLLERR | EPOLLHUP;
	epi->data = ev->data;
	epi->entry.wake = ep_item_wake;
	epi->head = file_poll_head(tf);
	list_add_tail(&epi->ep_link, &ep->items);
	if (!tf->ep_links.next)
		list_init(&tf->ep_links);
	list_add_tail(&epi->file_link, &tf->ep_links);
	if (epi->head)
		poll_head_add(epi->head, &epi->entry);
	ep_check_now(epi);
	return 0;
}

static int ep_modify(struct epitem *epi, const struct epoll_event *ev)
{
	if (epi->events & EPOLLEXCLUSIVE)
		return -EINVAL;
	spin_lock(&epi->ep->lock);
	epi->events = ev->events | EPOLLERR | EPOLLHUP;
	epi->data = ev->data;
	spin_unlock(&epi->ep->lock);
	ep_check_now(epi);
	return 0;
}

/* The checks of Linux's do_epoll_ctl that need no lock, in its order. */
static int ep_ctl_check(struct file *epf, struct file *tf, int op,
			const struct epoll_event *ev)
{
	if (!tf->ops->poll || (tf->mode & FMODE_PATH))
		return -EPERM;		/* regular files, directories, ... */
	if (epf == tf || !ep_of(epf))
		return -EINVAL;
	if (op != EPOLL_CTL_DEL && (ev->events & EPOLLEXCLUSIVE)) {
		if (op == EPOLL_CTL_MOD)
			return -EINVAL;
		if (op == EPOLL_CTL_ADD &&
		    (ep_of(tf) || (ev->events & ~EXCLUSIVE_OK)))
			return -EINVAL;
	}
	return 0;
}

static int ep_ctl(struct file *epf, int op, struct file *tf, int fd,
		  const struct epoll_event *ev)
{
	struct eventpoll *ep = epf->private;
	struct epitem *epi;
	int err = ep_ctl_check(epf, tf, op, ev);

	if (err)
		return err;
	mutex_lock(&ep_mutex);
	epi = ep_find(ep, tf, fd);
	switch (op) {
	case EPOLL_CTL_ADD:
		err = ep_insert(ep, tf, fd, ev);
		break;
	case EPOLL_CTL_DEL:
		if (epi)
			ep_remove(epi);
		err = epi ? 0 : -ENOENT;
		break;
	case EPOLL_CTL_MOD:
		err = epi ? ep_modify(epi, ev) : -ENOENT;
		break;
	default:
		err = -EINVAL;
	}
	mutex_unlock(&ep_mutex);
	return err;
}

SYSCALL_DEFINE4(epoll_ctl, int, epfd, int, op, int, fd,
		struct epoll_event __user *, uev)
{
	struct epoll_event ev = { 0, 0 };
	struct file *epf, *tf;
	long err = -EBADF;

	if (op != EPOLL_CTL_DEL && copy_from_user(&ev, uev, sizeof(ev)))
		return -EFAULT;
	/* Linux ignores EPOLLWAKEUP without CAP_BLOCK_SUSPEND; we have no
	 * suspend to block at all. */
	ev.events &= ~EPOLLWAKEUP;
	epf = fd_get(epfd);
	tf = fd_get(fd);
	if (epf && tf && !(epf->mode & FMODE_PATH))
		err = ep_ctl(epf, op, tf, fd, &ev);
	file_put(tf);
	file_put(epf);
	return err;
}

/* ---- The epoll file ---------------------------------------------------- */

/* Readable when some item has an event to report (nested epoll, poll). */
static const struct file_ops eventpoll_ops;

/* ep's readiness for poll(), at depth in a chain of nested instances. */
static unsigned int ep_poll_nested(struct eventpoll *ep, unsigned int depth)
{
	struct epitem *epi;
	unsigned int mask = 0;

	spin_lock_nested(&ep->lock, depth);
	list_for_each_entry(epi, &ep->ready, rdy_link) {
		if (ep_item_poll(epi, depth + 1) & epi->events &
		    ~EP_PRIVATE_BITS) {
			mask = POLLIN | POLLRDNORM;
			break;
		}
	}
	spin_unlock(&ep->lock);
	return mask;
}

/*
 * An epoll file is polled here rather than through file_poll, so that
 * its lock is taken with its depth as the lockdep subclass: outer before
 * inner, and the loop check keeps chains within EP_MAX_NESTS + 1.
 */
unsigned int ep_item_poll(const struct epitem *epi, unsigned int depth)
{
	if (epi->file->ops != &eventpoll_ops)
		return file_poll(epi->file);
	return ep_poll_nested(epi->file->private, depth);
}

static unsigned int ep_poll(struct file *f)
{
	return ep_poll_nested(f->private, 0);
}

static struct poll_head *ep_poll_head(struct file *f)
{
	return &((struct eventpoll *)f->private)->poll;
}

static void ep_release(struct file *f)
{
	struct eventpoll *ep = f->private;

	mutex_lock(&ep_mutex);
	while (!list_empty(&ep->items))
		ep_remove(list_first_entry(&ep->items, struct epitem,
					   ep_link));
	mutex_unlock(&ep_mutex);
	kfree(ep);
}

static const struct file_ops eventpoll_ops = {
	.llseek = anon_noop_llseek,
	.release = ep_release,
	.poll = ep_poll,
	.poll_head = ep_poll_head,
};

static long ep_create(int flags)
{
	struct eventpoll *ep;
	struct file *f;
	int fd;

	if (flags & ~EPOLL_CLOEXEC)
		return -EINVAL;
	ep = kzalloc(sizeof(*ep));
	if (!ep)
		return -ENOMEM;
	spin_init(&ep->lock, "epoll");
	list_init(&ep->items);
	list_init(&ep->ready);
	poll_head_init(&ep->poll, "epoll poll");
	f = anon_file_open("anon_inode:[eventpoll]", 0600, &eventpoll_ops,
			   ep, 0);
	if (IS_ERR(f)) {
		kfree(ep);
		return PTR_ERR(f);
	}
	ep->file = f;
	fd = fd_install(f, 0, flags & EPOLL_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

SYSCALL_DEFINE1(epoll_create1, int, flags)
{
	return ep_create(flags);
}

SYSCALL_DEFINE1(epoll_create, int, size)
{
	return size <= 0 ? -EINVAL : ep_create(0);
}
