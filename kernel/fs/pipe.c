/*
 * Pipes (pipe, pipe2) and FIFOs (named pipes made by mknod), with
 * Linux's semantics: reads return what is there (0 once every writer is
 * gone), writes of at most PIPE_BUF bytes are atomic, larger ones may be
 * split (and with O_NONBLOCK return what fit), writing with no reader
 * left gives EPIPE (and SIGPIPE), O_NONBLOCK gives EAGAIN instead of
 * sleeping, and pipe2(O_DIRECT) makes a packet pipe. The ring of page
 * buffers is described in pipe.h; its size and accounting in pipe_size.c.
 *
 * Locking: pipe->wq.lock guards the whole struct pipe; readers and
 * writers sleep on pipe->wq. User copies happen outside the lock, since
 * they may fault: a writer fills a fresh page and only then links it in
 * (a chunk that faults is dropped, as Linux drops a page it could not
 * fill; the bytes before it count); a reader copies out of the tail slot
 * and takes the bytes out of the ring only once they reached its buffer,
 * so a fault part-way leaves the rest in the pipe. read_lock keeps other
 * readers (and resizes, which renumber the slots) away meanwhile;
 * writers only add after the data being read.
 * An anonymous pipe's inode lives in an internal, unmounted "pipefs";
 * a FIFO's pipe hangs off its tmpfs inode (private) while it is open,
 * created and dropped under fifo_lock. pipe_put_kernel and pipe_feed,
 * at the end, give splice and tee (splice.c) the ring without a user
 * buffer.
 */
#include "pipe.h"
#include <lib/string.h>
#include <lib/printk.h>
#include <mm/kmalloc.h>
#include <mm/page.h>
#include <mm/uaccess.h>
#include <proc/task.h>
#include <uapi/signal.h>
#include <uapi/termios.h>
#include <uapi/poll.h>
#include <syscall/syscall.h>

#define PIPE_BUF	4096

/* Provided by the signal code; NULL (weak) until it exists. */
void signal_raise(int sig) __attribute__((weak));

static struct mutex fifo_lock;		/* FIFO inodes' private pointers */
static struct mount *pipe_mnt;		/* made at the first pipe() */
static const struct file_ops pipe_ops, fifo_ops;

static struct pipe *pipe_alloc(void)
{
	struct pipe *p = kzalloc(sizeof(*p));

	if (!p)
		return NULL;
	if (pipe_account_new(p) ||
	    !(p->bufs = kzalloc(p->nr_bufs * sizeof(*p->bufs)))) {
		pipe_account_free(p);
		kfree(p);
		return NULL;
	}
	mutex_init(&p->read_lock, "pipe read");
	waitq_init(&p->wq, "pipe");
	poll_head_init(&p->poll, "pipe poll");
	return p;
}

static void pipe_free(struct pipe *p)
{
	for (unsigned int i = p->tail; i != p->head; i++)
		free_pages(p->bufs[i & (p->nr_bufs - 1)].page, 0);
	pipe_account_free(p);
	kfree(p->bufs);
	kfree(p);
}

struct pipe *pipe_of(struct file *f)
{
	return f->ops == &pipe_ops || f->ops == &fifo_ops ? f->private : NULL;
}

static struct pipe_buf *slot(struct pipe *p, unsigned int i)
{
	spin_assert_held(&p->wq.lock);
	return &p->bufs[i & (p->nr_bufs - 1)];
}

static bool pipe_full(struct pipe *p)
{
	return p->head - p->tail >= p->nr_bufs;
}

/* Wait for data or for the last writer to go: 1 (data), 0 (end of
 * file) or -errno. */
static int pipe_wait_data(struct file *f, struct pipe *p)
{
	int err = 0;

	spin_lock(&p->wq.lock);
	while (p->head == p->tail && p->writers && !err)
		err = (f->flags & O_NONBLOCK) ? -EAGAIN : waitq_sleep(&p->wq);
	if (!err)
		err = p->head != p->tail;
	spin_unlock(&p->wq.lock);
	return err;
}

/*
 * Take `moved` bytes off the tail slot (a packet: all of it); returns
 * the page to free when the slot is done, else NULL. Lock held.
 */
static struct page *consume(struct pipe *p, size_t moved)
{
	struct pipe_buf *b = slot(p, p->tail);
	struct page *done;

	spin_assert_held(&p->wq.lock);
	b->off += (uint32_t)moved;
	b->len -= (uint32_t)moved;
	if (b->len && !b->packet)
		return NULL;
	done = b->page;
	*b = (struct pipe_buf){ 0 };
	p->tail++;
	return done;
}

/*
 * Move what the pipe holds into io, a slot at a time (one packet only
 * for a packet slot). A fault sets *err and keeps the rest. p->read_lock
 * held: no other reader takes bytes meanwhile, and writers only add, so
 * the tail slot stays where it was during the copy out.
 */
static size_t pipe_take(struct pipe *p, struct iobuf *io, int *err)
{
	size_t done = 0;

	while (done < io->len) {
		struct pipe_buf b;
		struct page *used;
		size_t n, moved;

		spin_lock(&p->wq.lock);
		b = p->head != p->tail ? *slot(p, p->tail) : (struct pipe_buf){ 0 };
		spin_unlock(&p->wq.lock);
		if (!b.page)
			break;
		n = MIN(io->len - done, (size_t)b.len);
		moved = iobuf_copy_out(io, done,
				       (char *)page_to_virt(b.page) + b.off, n);
		spin_lock(&p->wq.lock);
		used = moved == n || !b.packet ? consume(p, moved) : NULL;
		spin_unlock(&p->wq.lock);
		if (used)
			free_pages(used, 0);
		done += moved;
		if (moved < n) {
			*err = -EFAULT;
			break;
		}
		if (b.packet)
			break;		/* one packet per read */
	}
	return done;
}

static ssize_t pipe_read(struct file *f, struct iobuf *io, off_t *pos)
{
	struct pipe *p = f->private;
	size_t done = 0;
	int err;

	if (!io->len)
		return 0;
	/* Another reader may empty the pipe between the wait and the take. */
	while ((err = pipe_wait_data(f, p)) > 0) {
		err = 0;
		mutex_lock(&p->read_lock);
		done = pipe_take(p, io, &err);
		mutex_unlock(&p->read_lock);
		if (done || err)
			break;
	}
	if (done) {
		waitq_wake_all(&p->wq);		/* writers wait for room */
		poll_notify(&p->poll, POLLOUT | POLLWRNORM);
	}
	return done ? (ssize_t)done : err;
}

/*
 * A short write is first merged into the last slot when its page has
 * room (Linux merges the part of a write beyond whole pages, and only
 * at its start). Returns the bytes merged (0 or n), or -EPIPE.
 */
static ssize_t pipe_merge(struct pipe *p, struct iobuf *io, size_t n,
			  char *bounce)
{
	struct pipe_buf *b;
	ssize_t r = 0;

	if (iobuf_copy_in(bounce, io, 0, n) != n)
		return 0;		/* the page path reports the fault */
	spin_lock(&p->wq.lock);
	b = p->head != p->tail ? slot(p, p->head - 1) : NULL;
	if (!p->readers) {
		r = -EPIPE;
	} else if (b && !b->packet && b->off + b->len + n <= PAGE_SIZE) {
		memcpy((char *)page_to_virt(b->page) + b->off + b->len,
		       bounce, n);
		b->len += (uint32_t)n;
		r = (ssize_t)n;
	}
	spin_unlock(&p->wq.lock);
	return r;
}

/* Link a filled page in as a new slot, waiting for a free one. 0 or
 * -EPIPE, -EAGAIN, -ERESTARTSYS. */
static int pipe_link(struct file *f, struct pipe *p, struct page *pg,
		     size_t n, bool nonblock)
{
	int err = 0;

	spin_lock(&p->wq.lock);
	while (!err) {
		if (!p->readers) {
			err = -EPIPE;
		} else if (!pipe_full(p)) {
			*slot(p, p->head++) = (struct pipe_buf){
				pg, 0, (uint32_t)n, (f->flags & O_DIRECT) != 0,
			};
			break;
		} else {
			err = nonblock ? -EAGAIN : waitq_sleep(&p->wq);
		}
	}
	spin_unlock(&p->wq.lock);
	return err;
}

/* Write pages of io from done on; returns the new done, *err on a stop. */
static size_t pipe_fill(struct file *f, struct pipe *p, struct iobuf *io,
			size_t done, int *err)
{
	while (done < io->len && !*err) {
		size_t n = MIN(io->len - done, (size_t)PAGE_SIZE);
		struct page *pg = alloc_pages(0);

		if (!pg) {
			*err = -ENOMEM;
			break;
		}
		if (iobuf_copy_in(page_to_virt(pg), io, done, n) != n)
			*err = -EFAULT;
		else
			*err = pipe_link(f, p, pg, n,
					 (f->flags & O_NONBLOCK) != 0);
		if (*err) {
			free_pages(pg, 0);
			break;
		}
		done += n;
		waitq_wake_all(&p->wq);		/* readers wait for data */
		poll_notify(&p->poll, POLLIN | POLLRDNORM);
	}
	return done;
}

static ssize_t pipe_write(struct file *f, struct iobuf *io, off_t *pos)
{
	struct pipe *p = f->private;
	size_t rest = io->len % PAGE_SIZE, done = 0;
	int err = 0;

	if (!io->len)
		return 0;
	if (rest && !(f->flags & O_DIRECT)) {
		char *bounce = kmalloc(rest);
		ssize_t r = bounce ? pipe_merge(p, io, rest, bounce) : 0;

		kfree(bounce);
		if (r < 0)
			err = (int)r;
		else
			done = (size_t)r;
		if (r > 0) {
			waitq_wake_all(&p->wq);
			poll_notify(&p->poll, POLLIN | POLLRDNORM);
		}
	}
	done = pipe_fill(f, p, io, done, &err);
	if (err == -EPIPE && signal_raise)
		signal_raise(SIGPIPE);
	return done ? (ssize_t)done : err;
}

/*
 * Readiness from a snapshot taken without the lock, as Linux's pipe_poll
 * does: a poller reads poll_seq before asking and sleeps only if no wake
 * came since, so a value that changes under it is looked at again.
 */
static unsigned int pipe_poll(struct file *f)
{
	struct pipe *p = f->private;
	unsigned int head = __atomic_load_n(&p->head, __ATOMIC_ACQUIRE);
	unsigned int tail = __atomic_load_n(&p->tail, __ATOMIC_ACQUIRE);
	unsigned int nr_bufs = __atomic_load_n(&p->nr_bufs, __ATOMIC_RELAXED);
	unsigned int mask = 0;

	if (f->mode & FMODE_READ) {
		if (head != tail)
			mask |= POLLIN | POLLRDNORM;
		if (!__atomic_load_n(&p->writers, __ATOMIC_RELAXED))
			mask |= POLLHUP;
	}
	if (f->mode & FMODE_WRITE) {
		if (head - tail < nr_bufs)
			mask |= POLLOUT | POLLWRNORM;
		if (!__atomic_load_n(&p->readers, __ATOMIC_RELAXED))
			mask |= POLLERR;
	}
	return mask;
}

/* FIONREAD: the bytes the pipe holds. */
static long pipe_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct pipe *p = f->private;
	int n = 0;

	if (cmd != FIONREAD)
		return -ENOTTY;
	spin_lock(&p->wq.lock);
	for (unsigned int i = p->tail; i != p->head; i++)
		n += (int)slot(p, i)->len;
	spin_unlock(&p->wq.lock);
	return put_user(n, (int __user *)arg) ? -EFAULT : 0;
}

static struct poll_head *pipe_poll_head(struct file *f)
{
	return &((struct pipe *)f->private)->poll;
}

/* Drop this file's end; the last end frees the pipe. */
static void pipe_release_end(struct file *f, struct pipe *p)
{
	bool last;

	spin_lock(&p->wq.lock);
	if (f->mode & FMODE_READ)
		p->readers--;
	if (f->mode & FMODE_WRITE)
		p->writers--;
	last = !p->readers && !p->writers;
	spin_unlock(&p->wq.lock);
	waitq_wake_all(&p->wq);
	poll_notify(&p->poll, 0);
	if (last)
		pipe_free(p);
}

static void pipe_release(struct file *f)
{
	pipe_release_end(f, f->private);
}

static const struct file_ops pipe_ops = {
	.release = pipe_release,
	.read = pipe_read,
	.write = pipe_write,
	.ioctl = pipe_ioctl,
	.poll = pipe_poll,
	.poll_head = pipe_poll_head,
};

/* ---- FIFOs ------------------------------------------------------------ */

static void fifo_release(struct file *f)
{
	struct pipe *p = f->private;
	bool last;

	mutex_lock(&fifo_lock);
	spin_lock(&p->wq.lock);
	last = p->readers == !!(f->mode & FMODE_READ) &&
	       p->writers == !!(f->mode & FMODE_WRITE);
	spin_unlock(&p->wq.lock);
	if (last)
		f->inode->private = NULL;
	mutex_unlock(&fifo_lock);
	pipe_release_end(f, p);
}

static const struct file_ops fifo_ops = {
	.release = fifo_release,
	.read = pipe_read,
	.write = pipe_write,
	.ioctl = pipe_ioctl,
	.poll = pipe_poll,
	.poll_head = pipe_poll_head,
};

/* Register this open as a reader and/or writer; fifo_lock held. */
static int fifo_join(struct pipe *p, struct file *f)
{
	int err = 0;

	mutex_assert_held(&fifo_lock);
	spin_lock(&p->wq.lock);
	if ((f->mode & (FMODE_READ | FMODE_WRITE)) == FMODE_WRITE &&
	    (f->flags & O_NONBLOCK) && !p->readers) {
		err = -ENXIO;
	} else {
		if (f->mode & FMODE_READ) {
			p->readers++;
			p->opens_r++;
		}
		if (f->mode & FMODE_WRITE) {
			p->writers++;
			p->opens_w++;
		}
	}
	spin_unlock(&p->wq.lock);
	waitq_wake_all(&p->wq);
	poll_notify(&p->poll, 0);
	return err;
}

/* A blocking open of one end waits until the other end is opened. */
static int fifo_wait_partner(struct pipe *p, struct file *f)
{
	bool reader = f->mode & FMODE_READ;
	uint64_t *partner = reader ? &p->opens_w : &p->opens_r;
	unsigned int *count = reader ? &p->writers : &p->readers;
	uint64_t seen;
	int err = 0;

	if ((f->mode & FMODE_READ) && (f->mode & FMODE_WRITE))
		return 0;
	if (f->flags & O_NONBLOCK)
		return 0;
	spin_lock(&p->wq.lock);
	seen = *partner;
	while (!*count && *partner == seen && !err)
		err = waitq_sleep(&p->wq);
	spin_unlock(&p->wq.lock);
	return err;
}

static int fifo_open(struct inode *inode, struct file *f)
{
	struct pipe *p;
	int err;

	/*
	 * Access mode 3 (O_ACCMODE) opens for neither reading nor writing;
	 * such a file would count as no end of the pipe, which could be
	 * freed under it. Linux's fifo_open refuses it too.
	 */
	if (!(f->mode & (FMODE_READ | FMODE_WRITE)))
		return -EINVAL;
	mutex_lock(&fifo_lock);
	p = inode->private;
	if (!p) {
		p = pipe_alloc();
		if (!p) {
			mutex_unlock(&fifo_lock);
			return -ENOMEM;
		}
		inode->private = p;
	}
	err = fifo_join(p, f);
	if (err && !p->readers && !p->writers) {
		inode->private = NULL;
		pipe_free(p);
	}
	mutex_unlock(&fifo_lock);
	if (err)
		return err;
	f->private = p;
	f->ops = &fifo_ops;
	file_nonseekable(f);
	err = fifo_wait_partner(p, f);
	if (err)
		fifo_release(f);
	return err;
}

const struct file_ops fifo_open_ops = {
	.open = fifo_open,
};

/* ---- pipe(2) ---------------------------------------------------------- */

static const struct fs_type pipefs_type = {
	.name = "pipefs",
	.fill_super = internal_fs_fill_super,
	.kill_super = super_drop_root,
	.nodev = true,
};

void pipe_init(void)
{
	mutex_init(&fifo_lock, "fifo");
	pipe_mnt = mount_kernel(&pipefs_type, "");
	BUG_ON(IS_ERR(pipe_mnt));
}

/* One end of pipe p (O_RDONLY or O_WRONLY), at the pipe's path. */
static struct file *pipe_end(struct pipe *p, const struct path *path,
			     int flags)
{
	/* The file's own reference, in a copy: file_open_path releases it
	 * on failure and clears what it was given, which must not be the
	 * caller's path (that still holds the caller's reference). */
	struct path ref = *path;
	struct file *f;

	path_get(&ref);
	f = file_open_path(&ref, flags);
	if (IS_ERR(f))
		return f;
	f->ops = &pipe_ops;
	f->private = p;
	f->flags = (unsigned int)flags;	/* no O_LARGEFILE on pipes */
	file_nonseekable(f);
	spin_lock(&p->wq.lock);
	if (f->mode & FMODE_READ)
		p->readers++;
	else
		p->writers++;
	spin_unlock(&p->wq.lock);
	return f;
}

/* A new pipe's two ends, or an error with nothing left behind. */
static int pipe_create(int flags, struct file **ends)
{
	struct pipe *p = pipe_alloc();
	struct inode *inode;
	struct path path;
	char name[32];
	int len;

	inode = p ? inode_alloc(pipe_mnt->sb, S_IFIFO | 0600, NULL, NULL)
		  : NULL;
	if (!inode)
		goto nomem;
	len = snprintf(name, sizeof(name), "pipe:[%lu]",
		       (unsigned long)inode->ino);
	path.mnt = pipe_mnt;
	path.dentry = dentry_alloc(NULL, name, (size_t)len, inode);
	if (!path.dentry) {
		inode_put(inode);
		goto nomem;
	}
	mount_get(pipe_mnt);
	ends[0] = pipe_end(p, &path, O_RDONLY | (flags & O_NONBLOCK));
	/* Only the write end shows O_DIRECT, as on Linux. */
	ends[1] = IS_ERR(ends[0]) ? ends[0] :
		  pipe_end(p, &path, O_WRONLY |
			   (flags & (O_NONBLOCK | O_DIRECT)));
	path_put(&path);
	if (IS_ERR(ends[1])) {
		if (!IS_ERR(ends[0]))
			file_put(ends[0]);	/* frees the pipe */
		else
			pipe_free(p);
		return (int)PTR_ERR(ends[1]);
	}
	return 0;
nomem:
	if (p)
		pipe_free(p);
	return -ENOMEM;
}

SYSCALL_DEFINE2(pipe2, int __user *, ufds, int, flags)
{
	struct file *ends[2];
	int fds[2], err;

	if (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT))
		return -EINVAL;
	err = pipe_create(flags, ends);
	if (err)
		return err;
	fds[0] = fd_install(ends[0], 0, flags & O_CLOEXEC);
	if (fds[0] < 0) {
		file_put(ends[0]);
		file_put(ends[1]);
		return fds[0];
	}
	fds[1] = fd_install(ends[1], 0, flags & O_CLOEXEC);
	if (fds[1] < 0) {
		fd_close(fds[0]);
		file_put(ends[1]);
		return fds[1];
	}
	if (copy_to_user(ufds, fds, sizeof(fds))) {
		fd_close(fds[0]);
		fd_close(fds[1]);
		return -EFAULT;
	}
	return 0;
}

SYSCALL_DEFINE1(pipe, int __user *, ufds)
{
	return do_sys_pipe2(ufds, 0);
}

/* ---- For splice and tee (splice.c) ----------------------------------- */

bool file_is_pipe(const struct file *f)
{
	return f->ops == &pipe_ops || f->ops == &fifo_ops;
}

ssize_t pipe_put_kernel(struct file *f, const char *buf, size_t n,
			bool nonblock)
{
	struct pipe *p = f->private;
	size_t done = 0;
	int err = 0;

	while (done < n) {
		size_t len = MIN(n - done, (size_t)PAGE_SIZE);
		struct page *pg = alloc_pages(0);

		if (!pg) {
			err = -ENOMEM;
			break;
		}
		memcpy(page_to_virt(pg), buf + done, len);
		/* Only the first page may wait for room; then what fits. */
		err = pipe_link(f, p, pg, len, nonblock || done);
		if (err) {
			free_pages(pg, 0);
			break;
		}
		done += len;
	}
	if (done) {
		waitq_wake_all(&p->wq);		/* readers wait for data */
		poll_notify(&p->poll, POLLIN | POLLRDNORM);
		return (ssize_t)done;
	}
	if (err == -EPIPE && signal_raise)
		signal_raise(SIGPIPE);
	return err;
}

/*
 * Hand slots' bytes to sink, from the tail on; consume: what it took
 * leaves the pipe (splice), else the slots stay (tee: i and skip walk
 * them). read_lock held, so no other reader frees a page meanwhile and
 * writers only add. What the sink took, or its error if nothing.
 */
static ssize_t pipe_feed_locked(struct pipe *p, size_t len, bool consuming,
				pipe_sink_fn sink, void *ctx, char *bounce)
{
	unsigned int i = 0;
	uint32_t skip = 0;
	size_t done = 0;
	ssize_t r = 0;

	mutex_assert_held(&p->read_lock);
	while (done < len) {
		struct pipe_buf b = { 0 };
		struct page *used = NULL;
		size_t n;

		spin_lock(&p->wq.lock);
		if (p->tail + i != p->head)
			b = *slot(p, p->tail + i);
		spin_unlock(&p->wq.lock);
		if (!b.page)
			break;
		n = MIN(len - done, (size_t)(b.len - skip));
		memcpy(bounce, (char *)page_to_virt(b.page) + b.off + skip, n);
		r = sink(ctx, bounce, n);
		if (r <= 0)
			break;
		if (consuming) {
			spin_lock(&p->wq.lock);
			used = consume(p, (size_t)r);
			spin_unlock(&p->wq.lock);
			if (used)
				free_pages(used, 0);
		} else if (skip + (size_t)r == b.len) {
			i++;
			skip = 0;
		} else {
			skip += (uint32_t)r;
		}
		done += (size_t)r;
		if ((size_t)r < n)
			break;
	}
	return done ? (ssize_t)done : r;
}

ssize_t pipe_feed(struct file *f, size_t len, bool nonblock, bool consuming,
		  pipe_sink_fn sink, void *ctx)
{
	struct pipe *p = f->private;
	char *bounce = kmalloc(PAGE_SIZE);
	ssize_t r;

	if (!bounce)
		return -ENOMEM;
	for (;;) {
		spin_lock(&p->wq.lock);
		r = 0;
		while (p->head == p->tail && p->writers && !r)
			r = nonblock ? -EAGAIN : waitq_sleep(&p->wq);
		if (!r && p->head == p->tail)
			r = 1;			/* no writer left: end */
		spin_unlock(&p->wq.lock);
		if (r)
			break;
		mutex_lock(&p->read_lock);
		r = pipe_feed_locked(p, len, consuming, sink, ctx, bounce);
		mutex_unlock(&p->read_lock);
		if (r)
			break;		/* else another reader emptied it */
	}
	kfree(bounce);
	if (r == 1)
		return 0;
	if (r > 0 && consuming) {
		waitq_wake_all(&p->wq);		/* writers wait for room */
		poll_notify(&p->poll, POLLOUT | POLLWRNORM);
	}
	return r;
}
