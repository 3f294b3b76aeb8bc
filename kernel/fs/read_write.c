/*
 * Moving data: read, write, their positioned (pread64/pwrite64) and
 * vectored (readv/writev/preadv/pwritev) forms, lseek, and the kernel's
 * own kernel_read_at. Files whose position is shared (regular files and
 * directories: FMODE_ATOMIC_POS) hold pos_lock across the whole call so
 * concurrent readers of one description never get the same bytes.
 */
#include "vfs.h"
#include <mm/kmalloc.h>
#include <mm/uaccess.h>
#include <uapi/uio.h>
#include <syscall/syscall.h>

typedef ssize_t (*rw_fn)(struct file *f, struct iobuf *io, off_t *pos);

/* Run one segment list through fn at *pos; stop at a short transfer. */
static ssize_t rw_segments(struct file *f, rw_fn fn, struct iobuf *segs,
			   int n, off_t *pos)
{
	ssize_t total = 0;

	for (int i = 0; i < n; i++) {
		size_t want = segs[i].len;
		ssize_t r;

		if (want == 0 && n > 1)
			continue;
		r = fn(f, &segs[i], pos);
		if (r < 0)
			return total ? total : r;
		total += r;
		if ((size_t)r < want)
			break;
	}
	return total;
}

/* The shared-position dance around rw_segments (ppos NULL: f->pos). */
static ssize_t rw_file(struct file *f, rw_fn fn, struct iobuf *segs, int n,
		       off_t *ppos)
{
	ssize_t r;
	off_t pos;

	if (ppos)
		return rw_segments(f, fn, segs, n, ppos);
	if (f->mode & FMODE_ATOMIC_POS)
		mutex_lock(&f->pos_lock);
	pos = f->pos;
	r = rw_segments(f, fn, segs, n, &pos);
	if (r >= 0)
		f->pos = pos;
	if (f->mode & FMODE_ATOMIC_POS)
		mutex_unlock(&f->pos_lock);
	return r;
}

static ssize_t do_rw(int fd, rw_fn fn, void __user *buf, size_t count,
		     off_t *ppos)
{
	struct iobuf io = IOBUF_USER(buf, count);
	struct file *f;
	ssize_t r;
	bool put;

	if (ppos && *ppos < 0)
		return -EINVAL;
	f = fd_get_io_light(fd, &put);
	if (!f)
		return -EBADF;
	if (ppos && !(f->mode & FMODE_PREAD))
		r = -ESPIPE;
	else
		r = rw_file(f, fn, &io, 1, ppos);
	fd_put_light(f, put);
	return r;
}

SYSCALL_DEFINE3(read, int, fd, char __user *, buf, size_t, count)
{
	return do_rw(fd, vfs_read, buf, count, NULL);
}

SYSCALL_DEFINE3(write, int, fd, const char __user *, buf, size_t, count)
{
	return do_rw(fd, vfs_write, (void __user *)buf, count, NULL);
}

SYSCALL_DEFINE4(pread64, int, fd, char __user *, buf, size_t, count,
		off_t, pos)
{
	return do_rw(fd, vfs_read, buf, count, &pos);
}

SYSCALL_DEFINE4(pwrite64, int, fd, const char __user *, buf, size_t, count,
		off_t, pos)
{
	return do_rw(fd, vfs_write, (void __user *)buf, count, &pos);
}

/*
 * Copy in an iovec array as iobufs (Linux's import_iovec): at most
 * UIO_MAXIOV entries, no negative lengths, the total capped at
 * MAX_RW_COUNT. Returns the array (kmalloc'd) or ERR_PTR.
 */
static struct iobuf *iovec_import(const struct iovec __user *uvec, int n)
{
	struct iovec *vec;
	struct iobuf *segs;
	size_t total = 0;
	long err = 0;

	if (n < 0 || n > UIO_MAXIOV)
		return ERR_PTR(-EINVAL);
	vec = kmalloc(sizeof(*vec) * (size_t)n + 1);
	segs = kmalloc(sizeof(*segs) * (size_t)n + 1);
	if (!vec || !segs)
		err = -ENOMEM;
	else if (copy_from_user(vec, uvec, sizeof(*vec) * (size_t)n))
		err = -EFAULT;
	for (int i = 0; !err && i < n; i++) {
		size_t len = vec[i].iov_len;

		if ((ssize_t)len < 0)
			err = -EINVAL;
		else if (!user_range_ok((uint64_t)vec[i].iov_base, len))
			err = -EFAULT;
		len = MIN(len, MAX_RW_COUNT - total);
		total += len;
		segs[i] = IOBUF_USER(vec[i].iov_base, len);
	}
	kfree(vec);
	if (err) {
		kfree(segs);
		return ERR_PTR(err);
	}
	return segs;
}

static ssize_t do_rwv(int fd, rw_fn fn, const struct iovec __user *uvec,
		      int n, off_t *ppos)
{
	struct iobuf *segs;
	struct file *f;
	ssize_t r;
	bool put;

	if (ppos && *ppos < 0)
		return -EINVAL;
	f = fd_get_io_light(fd, &put);
	if (!f)
		return -EBADF;
	segs = iovec_import(uvec, n);
	if (IS_ERR(segs)) {
		fd_put_light(f, put);
		return PTR_ERR(segs);
	}
	if (!(f->mode & (fn == vfs_read ? FMODE_READ : FMODE_WRITE)))
		r = -EBADF;
	else if (ppos && !(f->mode & FMODE_PREAD))
		r = -ESPIPE;
	else
		r = rw_file(f, fn, segs, n, ppos);
	kfree(segs);
	fd_put_light(f, put);
	return r;
}

SYSCALL_DEFINE3(readv, int, fd, const struct iovec __user *, vec, int, n)
{
	return do_rwv(fd, vfs_read, vec, n, NULL);
}

SYSCALL_DEFINE3(writev, int, fd, const struct iovec __user *, vec, int, n)
{
	return do_rwv(fd, vfs_write, vec, n, NULL);
}

/* On 64-bit Linux the position is pos_l alone; pos_h is ignored. */
SYSCALL_DEFINE5(preadv, int, fd, const struct iovec __user *, vec, int, n,
		unsigned long, pos_l, unsigned long, pos_h)
{
	off_t pos = (off_t)pos_l;

	return do_rwv(fd, vfs_read, vec, n, &pos);
}

SYSCALL_DEFINE5(pwritev, int, fd, const struct iovec __user *, vec, int, n,
		unsigned long, pos_l, unsigned long, pos_h)
{
	off_t pos = (off_t)pos_l;

	return do_rwv(fd, vfs_write, vec, n, &pos);
}

SYSCALL_DEFINE3(lseek, int, fd, off_t, off, unsigned int, whence)
{
	struct file *f = fd_get_io(fd);
	off_t r;

	if (!f)
		return -EBADF;
	if (!(f->mode & FMODE_LSEEK)) {
		file_put(f);
		return -ESPIPE;
	}
	if (whence > SEEK_HOLE) {
		file_put(f);
		return -EINVAL;
	}
	if (f->mode & FMODE_ATOMIC_POS)
		mutex_lock(&f->pos_lock);
	if (f->ops->llseek)
		r = f->ops->llseek(f, off, (int)whence);
	else
		r = generic_llseek(f, off, (int)whence, f->inode->size);
	if (f->mode & FMODE_ATOMIC_POS)
		mutex_unlock(&f->pos_lock);
	file_put(f);
	return r;
}

ssize_t kernel_read_at(struct file *f, void *buf, size_t len, off_t off)
{
	struct iobuf io = IOBUF_KERNEL(buf, len);

	return vfs_read(f, &io, &off);
}

/* sendfile's copy loop: in at *pos into out at out's position. */
static ssize_t sendfile_copy(struct file *out, struct file *in, off_t *pos,
			     size_t count)
{
	size_t chunk = MIN(count, (size_t)(16 * 4096)), total = 0;
	char *buf = kmalloc(chunk ? chunk : 1);
	ssize_t r = 0;

	if (!buf)
		return -ENOMEM;
	while (total < count) {
		struct iobuf io = IOBUF_KERNEL(buf, MIN(chunk, count - total));
		ssize_t w;

		r = vfs_read(in, &io, pos);
		if (r <= 0)
			break;
		io.len = (size_t)r;
		w = rw_file(out, vfs_write, &io, 1, NULL);
		if (w < 0) {
			*pos -= r;	/* nothing of this chunk went out */
			r = w;
			break;
		}
		total += (size_t)w;
		if (w < r) {
			*pos -= r - w;
			break;
		}
	}
	kfree(buf);
	return total ? (ssize_t)total : r;
}

static ssize_t sendfile_files(struct file *out, struct file *in,
			      off_t __user *uoff, size_t count)
{
	off_t pos;
	ssize_t r;

	if (!(in->mode & FMODE_READ) || !(out->mode & FMODE_WRITE))
		return -EBADF;
	if (uoff && copy_from_user(&pos, uoff, sizeof(pos)))
		return -EFAULT;
	if (!(in->mode & FMODE_PREAD) || !in->ops->read)
		return uoff ? -ESPIPE : -EINVAL;	/* no splice_read */
	if (out->flags & O_APPEND)
		return -EINVAL;
	/* Like Linux, in's offset is used without its pos_lock (which out,
	 * possibly the same file, may take while writing). */
	if (!uoff)
		pos = in->pos;
	r = (pos < 0) ? -EINVAL : sendfile_copy(out, in, &pos, MIN(count,
							  MAX_RW_COUNT));
	if (!uoff && r >= 0)
		in->pos = pos;
	if (uoff && r >= 0 && copy_to_user(uoff, &pos, sizeof(pos)))
		r = -EFAULT;
	return r;
}

SYSCALL_DEFINE4(sendfile, int, out_fd, int, in_fd, off_t __user *, offset,
		size_t, count)
{
	struct file *in = fd_get_io(in_fd), *out;
	ssize_t r;

	if (!in)
		return -EBADF;
	out = fd_get_io(out_fd);
	r = out ? sendfile_files(out, in, offset, count) : -EBADF;
	file_put(out);
	file_put(in);
	return r;
}
