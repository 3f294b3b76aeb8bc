/*
 * Pipes (pipe, pipe2) and FIFOs (named pipes made by mknod): a 64 KiB
 * ring buffer in 16 page frames, allocated when the pipe is made and
 * freed with it, with Linux's semantics: reads return what is there
 * (0 once every writer is gone), writes of at most PIPE_BUF bytes are
 * atomic, writing with no reader left gives EPIPE (and SIGPIPE), and
 * O_NONBLOCK gives EAGAIN instead of sleeping.
 *
 * Locking: pipe->wq.lock guards the whole struct pipe; readers and
 * writers sleep on pipe->wq. Data crosses to and from user space through
 * a bounce buffer outside the lock, since a user copy may fault. A reader
 * takes bytes out of the ring only once they reached its buffer, so a
 * fault part-way leaves the rest in the pipe (as on Linux); read_lock
 * keeps other readers from taking the same bytes meanwhile.
 * An anonymous pipe's inode lives in an internal, unmounted "pipefs";
 * a FIFO's pipe hangs off its tmpfs inode (private) while it is open,
 * created and dropped under fifo_lock. pipe_fill and pipe_feed, at the
 * end, give splice and tee (splice.c) the ring without a user buffer.
 */
#include "vfs.h"
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

#define PIPE_PAGES	16
#define PIPE_SIZE	(PIPE_PAGES * PAGE_SIZE)
#define PIPE_BUF	4096

/* Provided by the signal code; NULL (weak) until it exists. */
void signal_raise(int sig) __attribute__((weak));

struct pipe {
	struct mutex read_lock;		/* one reader copies out at a time */
	struct waitq wq;		/* wq.lock guards everything below */
	struct page *pages[PIPE_PAGES];
	uint64_t head, tail;		/* bytes written / read, ever */
	unsigned int readers, writers;
	uint64_t opens_r, opens_w;	/* FIFO: how many opens so far */
};

static struct mutex fifo_lock;		/* FIFO inodes' private pointers */
static struct mount *pipe_mnt;		/* made at the first pipe() */

static struct pipe *pipe_alloc(void)
{
	struct pipe *p = kzalloc(sizeof(*p));

	if (!p)
		return NULL;
	for (int i = 0; i < PIPE_PAGES; i++) {
		p->pages[i] = alloc_pages(0);
		if (!p->pages[i]) {
			while (i--)
				free_pages(p->pages[i], 0);
			kfree(p);
			return NULL;
		}
	}
	mutex_init(&p->read_lock, "pipe read");
	waitq_init(&p->wq, "pipe");
	return p;
}

static void pipe_free(struct pipe *p)
{
	for (int i = 0; i < PIPE_PAGES; i++)
		free_pages(p->pages[i], 0);
	kfree(p);
}

/* Copy between the ring at byte offset `at` and buf; lock held. */
static void ring_copy(struct pipe *p, uint64_t at, char *buf, size_t n,
		      bool to_ring)
{
	spin_assert_held(&p->wq.lock);
	while (n) {
		size_t off = at % PIPE_SIZE;
		size_t chunk = MIN(n, PAGE_SIZE - off % PAGE_SIZE);
		char *page = page_to_virt(p->pages[off / PAGE_SIZE]);

		if (to_ring)
			memcpy(page + off % PAGE_SIZE, buf, chunk);
		else
			memcpy(buf, page + off % PAGE_SIZE, chunk);
		at += chunk;
		buf += chunk;
		n -= chunk;
	}
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
 * Move what the pipe holds into io, a bounce buffer at a time. Bytes
 * leave the ring only once they reached io; a fault sets *err and keeps
 * the rest. p->read_lock held: no other reader takes bytes meanwhile, and
 * writers only add, so what was copied to the bounce buffer is still at
 * the tail when the copy out is done.
 */
static size_t pipe_take(struct pipe *p, struct iobuf *io, char *bounce,
			int *err)
{
	size_t done = 0;

	while (done < io->len) {
		size_t n, moved;

		spin_lock(&p->wq.lock);
		n = MIN(MIN(io->len - done, (size_t)PIPE_BUF),
			(size_t)(p->head - p->tail));
		ring_copy(p, p->tail, bounce, n, false);
		spin_unlock(&p->wq.lock);
		if (!n)
			break;
		moved = iobuf_copy_out(io, done, bounce, n);
		spin_lock(&p->wq.lock);
		p->tail += moved;
		spin_unlock(&p->wq.lock);
		done += moved;
		if (moved < n) {
			*err = -EFAULT;
			break;
		}
	}
	return done;
}

static ssize_t pipe_read(struct file *f, struct iobuf *io, off_t *pos)
{
	struct pipe *p = f->private;
	char *bounce;
	size_t done = 0;
	int err;

	if (!io->len)
		return 0;
	bounce = kmalloc(PIPE_BUF);
	if (!bounce)
		return -ENOMEM;
	/* Another reader may empty the pipe between the wait and the take. */
	while ((err = pipe_wait_data(f, p)) > 0) {
		err = 0;
		mutex_lock(&p->read_lock);
		done = pipe_take(p, io, bounce, &err);
		mutex_unlock(&p->read_lock);
		if (done || err)
			break;
	}
	kfree(bounce);
	if (done) {
		waitq_wake_all(&p->wq);		/* writers wait for room */
		poll_wake();
	}
	return done ? (ssize_t)done : err;
}

/*
 * Put bounce[0..n) into the pipe: all at once when n <= PIPE_BUF (the
 * caller's chunks are), waiting for room. Returns bytes put or -errno.
 */
static ssize_t pipe_put(struct file *f, struct pipe *p, char *bounce,
			size_t n, bool atomic)
{
	size_t done = 0;
	int err = 0;

	spin_lock(&p->wq.lock);
	while (done < n) {
		size_t room = PIPE_SIZE - (size_t)(p->head - p->tail);
		size_t chunk = MIN(room, n - done);

		if (!p->readers) {
			err = -EPIPE;
			break;
		}
		if (chunk && (!atomic || room >= n)) {
			ring_copy(p, p->head, bounce + done, chunk, true);
			p->head += chunk;
			done += chunk;
			waitq_wake_all(&p->wq);
			continue;
		}
		err = (f->flags & O_NONBLOCK) ? -EAGAIN : waitq_sleep(&p->wq);
		if (err)
			break;
	}
	spin_unlock(&p->wq.lock);
	if (done)
		poll_wake();
	return done ? (ssize_t)done : err;
}

static ssize_t pipe_write(struct file *f, struct iobuf *io, off_t *pos)
{
	struct pipe *p = f->private;
	char *bounce = kmalloc(PIPE_BUF);
	size_t done = 0;
	ssize_t r = 0;

	if (!bounce)
		return -ENOMEM;
	while (done < io->len) {
		size_t n = MIN(io->len - done, (size_t)PIPE_BUF);

		/* A chunk that faults part-way is not put, as Linux drops a
		 * page it could not fill (the bytes before it count). */
		if (iobuf_copy_in(bounce, io, done, n) != n) {
			r = -EFAULT;
			break;
		}
		r = pipe_put(f, p, bounce, n, io->len <= PIPE_BUF);
		if (r > 0)
			done += (size_t)r;
		if (r < (ssize_t)n)
			break;
	}
	kfree(bounce);
	if (r == -EPIPE && signal_raise)
		signal_raise(SIGPIPE);
	return done ? (ssize_t)done : r;
}

static unsigned int pipe_poll(struct file *f)
{
	struct pipe *p = f->private;
	unsigned int mask = 0;

	spin_lock(&p->wq.lock);
	if (f->mode & FMODE_READ) {
		if (p->head != p->tail)
			mask |= POLLIN | POLLRDNORM;
		if (!p->writers)
			mask |= POLLHUP;
	}
	if (f->mode & FMODE_WRITE) {
		if (PIPE_SIZE - (p->head - p->tail) >= PIPE_BUF)
			mask |= POLLOUT | POLLWRNORM;
		if (!p->readers)
			mask |= POLLERR;
	}
	spin_unlock(&p->wq.lock);
	return mask;
}

static long pipe_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct pipe *p = f->private;
	int n;

	if (cmd != FIONREAD)
		return -ENOTTY;
	spin_lock(&p->wq.lock);
	n = (int)(p->head - p->tail);
	spin_unlock(&p->wq.lock);
	return put_user(n, (int __user *)arg) ? -EFAULT : 0;
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
	poll_wake();
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
	poll_wake();
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

static int pipefs_fill_super(struct super *sb, const char *options)
{
	struct inode *root = inode_alloc(sb, S_IFDIR | 0700, NULL, NULL);

	if (!root)
		return -ENOMEM;
	sb->root = dentry_alloc(NULL, "/", 1, root);
	if (!sb->root) {
		inode_put(root);
		return -ENOMEM;
	}
	return 0;
}

static void pipefs_kill_super(struct super *sb)
{
	dput(sb->root);
}

static const struct fs_type pipefs_type = {
	.name = "pipefs",
	.fill_super = pipefs_fill_super,
	.kill_super = pipefs_kill_super,
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
	ends[1] = IS_ERR(ends[0]) ? ends[0] :
		  pipe_end(p, &path, O_WRONLY | (flags & O_NONBLOCK));
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
	if (flags & O_DIRECT)
		return -EINVAL;		/* packet mode is not supported */
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

const void *pipe_of(const struct file *f)
{
	return f->private;
}

ssize_t pipe_fill(struct file *f, const char *buf, size_t n, bool nonblock)
{
	struct pipe *p = f->private;
	size_t room = 0;
	int err = 0;

	spin_lock(&p->wq.lock);
	for (;;) {
		if (!p->readers) {
			err = -EPIPE;
			break;
		}
		room = PIPE_SIZE - (size_t)(p->head - p->tail);
		if (room)
			break;
		err = nonblock ? -EAGAIN : waitq_sleep(&p->wq);
		if (err)
			break;
	}
	if (!err) {
		n = MIN(n, room);
		ring_copy(p, p->head, (char *)buf, n, true);
		p->head += n;
	}
	spin_unlock(&p->wq.lock);
	if (err == -EPIPE && signal_raise)
		signal_raise(SIGPIPE);
	if (err)
		return err;
	waitq_wake_all(&p->wq);
	poll_wake();
	return (ssize_t)n;
}

/* Move (or, for tee, copy) bytes from the ring to sink; read_lock and
 * data present. What the sink accepted, or its error if nothing was. */
static ssize_t pipe_feed_locked(struct pipe *p, size_t len, bool consume,
				pipe_sink_fn sink, void *ctx, char *bounce)
{
	size_t done = 0;
	ssize_t r = 0;

	while (done < len) {
		size_t n;

		spin_lock(&p->wq.lock);
		n = (size_t)(p->head - p->tail) - (consume ? 0 : done);
		n = MIN(MIN(len - done, (size_t)PIPE_BUF), n);
		ring_copy(p, p->tail + (consume ? 0 : done), bounce, n, false);
		spin_unlock(&p->wq.lock);
		if (!n)
			break;
		r = sink(ctx, bounce, n);
		if (r <= 0)
			break;
		if (consume) {
			spin_lock(&p->wq.lock);
			p->tail += (size_t)r;
			spin_unlock(&p->wq.lock);
		}
		done += (size_t)r;
		if ((size_t)r < n)
			break;
	}
	return done ? (ssize_t)done : r;
}

ssize_t pipe_feed(struct file *f, size_t len, bool nonblock, bool consume,
		  pipe_sink_fn sink, void *ctx)
{
	struct pipe *p = f->private;
	char *bounce = kmalloc(PIPE_BUF);
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
		r = pipe_feed_locked(p, len, consume, sink, ctx, bounce);
		mutex_unlock(&p->read_lock);
		if (r)
			break;		/* else another reader emptied it */
	}
	kfree(bounce);
	if (r == 1)
		return 0;
	if (r > 0 && consume) {
		waitq_wake_all(&p->wq);		/* writers wait for room */
		poll_wake();
	}
	return r;
}
