/*
 * Advice about file access that a memory-only file system has no use
 * for: fadvise64, readahead and sync_file_range. Every file's data is
 * in memory already (tmpfs, like Linux's shmem, has no backing device:
 * Linux's generic_fadvise then checks the advice and ignores it), and
 * nothing is ever written back. So each call checks its arguments
 * exactly as Linux 6.1 does, in its order, and then has nothing left to
 * do: the success is true, not pretended.
 */
#include "vfs.h"
#include <syscall/syscall.h>

#define POSIX_FADV_NOREUSE	5	/* the last valid advice (0..5) */

#define SYNC_FILE_RANGE_WAIT_BEFORE	1
#define SYNC_FILE_RANGE_WRITE		2
#define SYNC_FILE_RANGE_WAIT_AFTER	4

/* Linux's generic_fadvise for a file without a backing device. */
static long fadvise_file(struct file *f, off_t len, int advice)
{
	if (S_ISFIFO(f->inode->mode))
		return -ESPIPE;
	if (len < 0)
		return -EINVAL;
	if (advice < 0 || advice > POSIX_FADV_NOREUSE)
		return -EINVAL;
	return 0;
}

SYSCALL_DEFINE4(fadvise64, int, fd, off_t, offset, off_t, len, int, advice)
{
	struct file *f = fd_get_io(fd);
	long err;

	if (!f)
		return -EBADF;
	err = fadvise_file(f, len, advice);
	file_put(f);
	return err;
}

/* Linux's ksys_readahead: only regular files open for reading. */
SYSCALL_DEFINE3(readahead, int, fd, off_t, offset, size_t, count)
{
	struct file *f = fd_get_io(fd);
	long err;

	if (!f)
		return -EBADF;
	if (!(f->mode & FMODE_READ))
		err = -EBADF;
	else if (!S_ISREG(f->inode->mode))
		err = -EINVAL;
	else
		err = fadvise_file(f, (off_t)count, 3 /* WILLNEED */);
	file_put(f);
	return err;
}

/* Linux's sync_file_range checks; nothing is ever dirty here. */
static long sync_range_check(struct file *f, off_t offset, off_t nbytes,
			     unsigned int flags)
{
	uint64_t end = (uint64_t)offset + (uint64_t)nbytes;
	mode_t type = f->inode->mode & S_IFMT;

	if (flags & ~(unsigned int)(SYNC_FILE_RANGE_WAIT_BEFORE |
				    SYNC_FILE_RANGE_WRITE |
				    SYNC_FILE_RANGE_WAIT_AFTER))
		return -EINVAL;
	if (offset < 0 || (int64_t)end < 0 || (int64_t)end < offset)
		return -EINVAL;
	if (type != S_IFREG && type != S_IFBLK && type != S_IFDIR &&
	    type != S_IFLNK)
		return -ESPIPE;
	return 0;
}

SYSCALL_DEFINE4(sync_file_range, int, fd, off_t, offset, off_t, nbytes,
		unsigned int, flags)
{
	struct file *f = fd_get_io(fd);
	long err;

	if (!f)
		return -EBADF;
	err = sync_range_check(f, offset, nbytes, flags);
	file_put(f);
	return err;
}
