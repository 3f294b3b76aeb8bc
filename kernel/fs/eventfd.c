/*
 * eventfd and eventfd2: a 64-bit counter as a file. write() adds to it,
 * read() takes it all (or 1 with EFD_SEMAPHORE), each blocking as Linux's
 * does: a read of a zero counter waits for a write, a write that would
 * take the counter past 0xfffffffffffffffe waits for a read. Readiness
 * goes out through a poll head (fs/poll.h), so epoll sees every write.
 *
 * Locking: efd->wq.lock guards count; readers and writers sleep on wq.
 */
#include "vfs.h"
#include <fs/anon.h>
#include <fs/poll.h>
#include <mm/kmalloc.h>
#include <uapi/eventpoll.h>
#include <uapi/poll.h>
#include <syscall/syscall.h>

#define EFD_MAX	UINT64_MAX		/* count stays below it */

struct eventfd {
	struct waitq wq;		/* wq.lock guards count */
	uint64_t count;
	bool semaphore;			/* EFD_SEMAPHORE: reads take 1 */
	struct poll_head poll;
};

/* Wait, with wq.lock held, until ok(); 0 or -EAGAIN / -ERESTARTSYS. */
static int efd_wait(struct file *f, struct eventfd *e, bool reading,
		    uint64_t add)
{
	int err = 0;

	spin_assert_held(&e->wq.lock);
	while (!err && (reading ? e->count == 0 : EFD_MAX - 1 - e->count < add))
		err = (f->flags & O_NONBLOCK) ? -EAGAIN : waitq_sleep(&e->wq);
	return err;
}

static ssize_t eventfd_read(struct file *f, struct iobuf *io, off_t *pos)
{
	struct eventfd *e = f->private;
	uint64_t val;
	int err;

	if (io->len < sizeof(val))
		return -EINVAL;
	spin_lock(&e->wq.lock);
	err = efd_wait(f, e, true, 0);
	if (!err) {
		val = e->semaphore ? 1 : e->count;
		e->count -= val;
	}
	spin_unlock(&e->wq.lock);
	if (err)
		return err;
	waitq_wake_all(&e->wq);
	poll_notify(&e->poll, POLLOUT | POLLWRNORM);
	if (iobuf_copy_out(io, 0, &val, sizeof(val)) != sizeof(val))
		return -EFAULT;	/* Linux too has taken the value by now */
	return sizeof(val);
}

static ssize_t eventfd_write(struct file *f, struct iobuf *io, off_t *pos)
{
	struct eventfd *e = f->private;
	uint64_t val;
	int err;

	if (io->len < sizeof(val))
		return -EINVAL;
	if (iobuf_copy_in(&val, io, 0, sizeof(val)) != sizeof(val))
		return -EFAULT;
	if (val == EFD_MAX)
		return -EINVAL;
	spin_lock(&e->wq.lock);
	err = efd_wait(f, e, false, val);
	if (!err)
		e->count += val;
	spin_unlock(&e->wq.lock);
	if (err)
		return err;
	waitq_wake_all(&e->wq);
	poll_notify(&e->poll, POLLIN | POLLRDNORM);
	return sizeof(val);
}

static unsigned int eventfd_poll(struct file *f)
{
	struct eventfd *e = f->private;
	unsigned int mask = 0;

	spin_lock(&e->wq.lock);
	if (e->count > 0)
		mask |= POLLIN | POLLRDNORM;
	if (e->count == EFD_MAX)
		mask |= POLLERR;
	if (e->count < EFD_MAX - 1)
		mask |= POLLOUT | POLLWRNORM;
	spin_unlock(&e->wq.lock);
	return mask;
}

static struct poll_head *eventfd_poll_head(struct file *f)
{
	return &((struct eventfd *)f->private)->poll;
}

static void eventfd_release(struct file *f)
{
	kfree(f->private);
}

static const struct file_ops eventfd_ops = {
	.llseek = anon_noop_llseek,
	.release = eventfd_release,
	.read = eventfd_read,
	.write = eventfd_write,
	.poll = eventfd_poll,
	.poll_head = eventfd_poll_head,
};

SYSCALL_DEFINE2(eventfd2, unsigned int, count, int, flags)
{
	struct eventfd *e;
	struct file *f;
	int fd;

	if (flags & ~(EFD_SEMAPHORE | EFD_CLOEXEC | EFD_NONBLOCK))
		return -EINVAL;
	e = kzalloc(sizeof(*e));
	if (!e)
		return -ENOMEM;
	waitq_init(&e->wq, "eventfd");
	poll_head_init(&e->poll, "eventfd poll");
	e->count = count;
	e->semaphore = flags & EFD_SEMAPHORE;
	f = anon_file_open("anon_inode:[eventfd]", 0600, &eventfd_ops, e,
			   flags);
	if (IS_ERR(f)) {
		kfree(e);
		return PTR_ERR(f);
	}
	fd = fd_install(f, 0, flags & EFD_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

SYSCALL_DEFINE1(eventfd, unsigned int, count)
{
	return do_sys_eventfd2(count, 0);
}
