/*
 * splice(2) and tee(2): moving bytes between a pipe and a file, or
 * between two pipes, without a trip through user space; tee copies a
 * pipe's bytes into another pipe and leaves them in the first. Linux
 * moves page references; Basalt copies through a kernel buffer, which
 * programs cannot tell apart. Checks, in Linux 6.1's order: splice with
 * len 0 is 0, unknown flags EINVAL, the descriptors (EBADF), an offset
 * given for a pipe end (ESPIPE), the offsets copied in (EFAULT), the
 * open modes (EBADF), then per direction:
 *
 *   pipe -> pipe  the same pipe EINVAL;
 *   pipe -> file  an offset needs pwrite (EINVAL), O_APPEND is EINVAL;
 *   file -> pipe  an offset needs pread (EINVAL), a negative one EINVAL;
 *   neither is a pipe: EINVAL.
 *
 * SPLICE_F_NONBLOCK (or O_NONBLOCK on either pipe) makes the pipe side
 * answer EAGAIN instead of sleeping; only the first byte is waited for.
 * vmsplice is not implemented (ENOSYS).
 */
#include "vfs.h"
#include <mm/kmalloc.h>
#include <mm/uaccess.h>
#include <syscall/syscall.h>

#define SPLICE_F_NONBLOCK	0x02
#define SPLICE_F_ALL		0x0f
#define SPLICE_CHUNK		4096

struct pipe_sink {
	struct file *out;
	bool nonblock;
	bool moved;		/* after the first byte, never wait */
};

static ssize_t sink_pipe(void *ctx, const char *buf, size_t n)
{
	struct pipe_sink *s = ctx;
	ssize_t r = pipe_put_kernel(s->out, buf, n, s->nonblock || s->moved);

	if (r > 0)
		s->moved = true;
	return (r == -EAGAIN && s->moved) ? 0 : r;
}

struct file_sink {
	struct file *out;
	off_t *pos;
};

static ssize_t sink_file(void *ctx, const char *buf, size_t n)
{
	struct file_sink *s = ctx;
	struct iobuf io = IOBUF_KERNEL((char *)buf, n);

	return vfs_write(s->out, &io, s->pos);
}

/* file -> pipe: read at *pos, put what the pipe takes, advance by it. */
static ssize_t splice_to_pipe(struct file *in, off_t *pos, struct file *out,
			      size_t len, bool nonblock)
{
	char *buf = kmalloc(SPLICE_CHUNK);
	size_t done = 0;
	ssize_t r = 0;

	if (!buf)
		return -ENOMEM;
	while (done < len) {
		struct iobuf io = IOBUF_KERNEL(buf, MIN(len - done,
						       (size_t)SPLICE_CHUNK));
		off_t rpos = *pos;

		r = vfs_read(in, &io, &rpos);
		if (r <= 0)
			break;
		r = pipe_put_kernel(out, buf, (size_t)r, nonblock || done);
		if (r <= 0) {
			if (r == -EAGAIN && done)
				r = 0;
			break;
		}
		*pos += r;
		done += (size_t)r;
		if ((size_t)r < io.len)
			break;
	}
	kfree(buf);
	return done ? (ssize_t)done : r;
}

static bool pipe_nonblock(struct file *f, unsigned int flags)
{
	return (flags & SPLICE_F_NONBLOCK) || (f->flags & O_NONBLOCK);
}

/* do_splice, offsets already copied in (NULL: the file's position). */
static ssize_t splice_files(struct file *in, off_t *off_in, struct file *out,
			    off_t *off_out, size_t len, unsigned int flags)
{
	bool ip = file_is_pipe(in), op = file_is_pipe(out);
	off_t pos;
	ssize_t r;

	if (!(in->mode & FMODE_READ) || !(out->mode & FMODE_WRITE))
		return -EBADF;
	if (ip && op) {
		struct pipe_sink s = { out, pipe_nonblock(in, flags) ||
					    pipe_nonblock(out, flags), false };

		if (pipe_of(in) == pipe_of(out))
			return -EINVAL;
		return pipe_feed(in, len, s.nonblock, true, sink_pipe, &s);
	}
	if (ip) {
		struct file_sink s = { out, &pos };

		if (off_out && !(out->mode & FMODE_PREAD))
			return -EINVAL;
		if (out->flags & O_APPEND)
			return -EINVAL;
		pos = off_out ? *off_out : out->pos;
		if (pos < 0)
			return -EINVAL;
		r = pipe_feed(in, len, pipe_nonblock(in, flags), true,
			      sink_file, &s);
		if (r > 0)
			*(off_out ? off_out : &out->pos) = pos;
		return r;
	}
	if (op) {
		if (off_in && !(in->mode & FMODE_PREAD))
			return -EINVAL;
		if (!in->ops->read)
			return -EINVAL;
		pos = off_in ? *off_in : in->pos;
		if (pos < 0)
			return -EINVAL;
		r = splice_to_pipe(in, &pos, out, MIN(len, MAX_RW_COUNT),
				   pipe_nonblock(out, flags));
		if (r > 0)
			*(off_in ? off_in : &in->pos) = pos;
		return r;
	}
	return -EINVAL;
}

/* __do_splice: the offsets in and out of user space. */
static ssize_t splice_user(struct file *in, off_t __user *uoff_in,
			   struct file *out, off_t __user *uoff_out,
			   size_t len, unsigned int flags)
{
	off_t off_in, off_out;
	ssize_t r;

	if ((file_is_pipe(in) && uoff_in) || (file_is_pipe(out) && uoff_out))
		return -ESPIPE;
	if (uoff_out && copy_from_user(&off_out, uoff_out, sizeof(off_out)))
		return -EFAULT;
	if (uoff_in && copy_from_user(&off_in, uoff_in, sizeof(off_in)))
		return -EFAULT;
	r = splice_files(in, uoff_in ? &off_in : NULL, out,
			 uoff_out ? &off_out : NULL, len, flags);
	if (r < 0)
		return r;
	if (uoff_out && copy_to_user(uoff_out, &off_out, sizeof(off_out)))
		return -EFAULT;
	if (uoff_in && copy_to_user(uoff_in, &off_in, sizeof(off_in)))
		return -EFAULT;
	return r;
}

SYSCALL_DEFINE6(splice, int, fd_in, off_t __user *, off_in, int, fd_out,
		off_t __user *, off_out, size_t, len, unsigned int, flags)
{
	struct file *in, *out;
	ssize_t r;

	if (!len)
		return 0;
	if (flags & ~(unsigned int)SPLICE_F_ALL)
		return -EINVAL;
	in = fd_get_io(fd_in);
	if (!in)
		return -EBADF;
	out = fd_get_io(fd_out);
	r = out ? splice_user(in, off_in, out, off_out, len, flags) : -EBADF;
	file_put(out);
	file_put(in);
	return r;
}

/* do_tee: both ends must be distinct pipes. */
static ssize_t tee_files(struct file *in, struct file *out, size_t len,
			 unsigned int flags)
{
	struct pipe_sink s = { out, false, false };

	if (!(in->mode & FMODE_READ) || !(out->mode & FMODE_WRITE))
		return -EBADF;
	if (!file_is_pipe(in) || !file_is_pipe(out) ||
	    pipe_of(in) == pipe_of(out))
		return -EINVAL;
	s.nonblock = pipe_nonblock(in, flags) || pipe_nonblock(out, flags);
	return pipe_feed(in, len, s.nonblock, false, sink_pipe, &s);
}

SYSCALL_DEFINE4(tee, int, fd_in, int, fd_out, size_t, len,
		unsigned int, flags)
{
	struct file *in, *out;
	ssize_t r;

	if (flags & ~(unsigned int)SPLICE_F_ALL)
		return -EINVAL;
	if (!len)
		return 0;
	in = fd_get_io(fd_in);
	if (!in)
		return -EBADF;
	out = fd_get_io(fd_out);
	r = out ? tee_files(in, out, len, flags) : -EBADF;
	file_put(out);
	file_put(in);
	return r;
}
