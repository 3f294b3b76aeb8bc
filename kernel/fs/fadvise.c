/*
 * fadvise64(2). Every Basalt file system keeps its data in memory, with
 * no backing device to read ahead from or write back to: Linux treats
 * such a file (tmpfs, procfs, anonymous inodes: noop_backing_dev_info)
 * by checking the advice and doing nothing else, and so does Basalt.
 * There is nothing an advice could change here, so success is the whole
 * of the work. Pipes fail with ESPIPE as in Linux's generic_fadvise.
 */
#include "vfs.h"
#include <fs/fs.h>
#include <fs/file.h>
#include <syscall/syscall.h>
#include <uapi/errno.h>
#include <uapi/stat.h>

/* POSIX_FADV_NORMAL .. POSIX_FADV_NOREUSE (Linux's numbering, x86-64). */
#define POSIX_FADV_LAST	5

SYSCALL_DEFINE4(fadvise64, int, fd, off_t, offset, off_t, len, int, advice)
{
	struct file *f = fd_get_io(fd);
	long err = 0;

	if (!f)
		return -EBADF;
	if (S_ISFIFO(f->inode->mode))
		err = -ESPIPE;
	else if (len < 0 || advice < 0 || advice > POSIX_FADV_LAST)
		err = -EINVAL;
	file_put(f);
	return err;
}
