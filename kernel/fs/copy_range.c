/*
 * copy_file_range(2): copy bytes between two regular files inside the
 * kernel, as Linux 6.1's vfs_copy_file_range with no file-system method
 * (its generic path): the checks of generic_copy_file_checks in their
 * order, then a copy through a kernel buffer. Both files must be on the
 * same file system instance (EXDEV otherwise, as 6.1 for file systems
 * without their own method), the copy stops at the source's end, and a
 * copy within one file may not overlap itself.
 */
#include "vfs.h"
#include <mm/kmalloc.h>
#include <mm/uaccess.h>
#include <syscall/syscall.h>

#define COPY_CHUNK	(16 * 4096)

/* generic_copy_file_checks: 0 with *count cut to the source's end. */
static long copy_checks(struct file *in, off_t pos_in, struct file *out,
			off_t pos_out, uint64_t *count)
{
	struct inode *ii = in->inode, *io = out->inode;
	off_t size;

	if (S_ISDIR(ii->mode) || S_ISDIR(io->mode))
		return -EISDIR;
	if (!S_ISREG(ii->mode) || !S_ISREG(io->mode))
		return -EINVAL;
	if (!(in->mode & FMODE_READ) || !(out->mode & FMODE_WRITE) ||
	    (out->flags & O_APPEND))
		return -EBADF;
	if (ii->sb != io->sb)
		return -EXDEV;
	if ((uint64_t)pos_in + *count < (uint64_t)pos_in ||
	    (uint64_t)pos_out + *count < (uint64_t)pos_out)
		return -EOVERFLOW;
	mutex_lock(&ii->lock);
	size = ii->size;
	mutex_unlock(&ii->lock);
	*count = pos_in >= size ? 0 : MIN(*count, (uint64_t)(size - pos_in));
	if (ii == io && (uint64_t)pos_out + *count > (uint64_t)pos_in &&
	    (uint64_t)pos_out < (uint64_t)pos_in + *count)
		return -EINVAL;
	if (pos_in < 0 || pos_out < 0)
		return -EINVAL;		/* rw_verify_area */
	return 0;
}

/* Copy count bytes; the bytes copied, or -errno if none were. */
static ssize_t copy_bytes(struct file *in, off_t *pos_in, struct file *out,
			  off_t *pos_out, size_t count)
{
	char *buf = kmalloc(COPY_CHUNK);
	size_t total = 0;
	ssize_t r = 0;

	if (!buf)
		return -ENOMEM;
	while (total < count) {
		struct iobuf io = IOBUF_KERNEL(buf, MIN((size_t)COPY_CHUNK,
							count - total));
		off_t rpos = *pos_in;

		r = vfs_read(in, &io, &rpos);
		if (r <= 0)
			break;
		io.len = (size_t)r;
		r = vfs_write(out, &io, pos_out);
		if (r <= 0)
			break;
		*pos_in += r;		/* only what reached the output */
		total += (size_t)r;
		if ((size_t)r < io.len)
			break;
	}
	kfree(buf);
	return total ? (ssize_t)total : r;
}

static long copy_files(struct file *in, off_t __user *uoff_in,
		       struct file *out, off_t __user *uoff_out, size_t len,
		       unsigned int flags)
{
	off_t pos_in = in->pos, pos_out = out->pos;
	uint64_t count = len;
	ssize_t r;

	if (uoff_in && copy_from_user(&pos_in, uoff_in, sizeof(pos_in)))
		return -EFAULT;
	if (uoff_out && copy_from_user(&pos_out, uoff_out, sizeof(pos_out)))
		return -EFAULT;
	if (flags)
		return -EINVAL;
	r = copy_checks(in, pos_in, out, pos_out, &count);
	if (r || !count)
		return r;
	r = copy_bytes(in, &pos_in, out, &pos_out,
		       (size_t)MIN(count, (uint64_t)MAX_RW_COUNT));
	if (r <= 0)
		return r;
	if (!uoff_in)
		in->pos = pos_in;
	else if (copy_to_user(uoff_in, &pos_in, sizeof(pos_in)))
		return -EFAULT;
	if (!uoff_out)
		out->pos = pos_out;
	else if (copy_to_user(uoff_out, &pos_out, sizeof(pos_out)))
		return -EFAULT;
	return r;
}

SYSCALL_DEFINE6(copy_file_range, int, fd_in, off_t __user *, off_in,
		int, fd_out, off_t __user *, off_out, size_t, len,
		unsigned int, flags)
{
	struct file *in = fd_get_io(fd_in), *out;
	long r;

	if (!in)
		return -EBADF;
	out = fd_get_io(fd_out);
	r = out ? copy_files(in, off_in, out, off_out, len, flags) : -EBADF;
	file_put(out);
	file_put(in);
	return r;
}
