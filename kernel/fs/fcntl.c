/*
 * fcntl(2) and ioctl(2): descriptor flags, status flags, duplication,
 * seals (memfd.c), record locks (posix_locks.c), and
 * the generic ioctls every file has (FIOCLEX, FIONCLEX, FIONBIO,
 * FIOASYNC, FIONREAD on regular files); everything else goes to the
 * file's own ioctl, and files without one answer -ENOTTY.
 */
#include "vfs.h"
#include <mm/uaccess.h>
#include <uapi/termios.h>
#include <proc/task.h>
#include <uapi/resource.h>
#include <syscall/syscall.h>

/* The status flags F_SETFL may change (Linux's SETFL_MASK, less the
 * ones that need support absent here: O_DIRECT, FASYNC). */
#define SETFL_MASK (O_APPEND | O_NONBLOCK | O_NOATIME)

static long fcntl_setfl(struct file *f, unsigned long arg)
{
	unsigned int old, new;

	if ((arg & O_NOATIME) && !(f->flags & O_NOATIME) &&
	    fs_current_uid() != f->inode->uid && !fs_is_root())
		return -EPERM;
	if (arg & O_DIRECT)
		return -EINVAL;		/* tmpfs has no direct I/O */
	old = __atomic_load_n(&f->flags, __ATOMIC_RELAXED);
	do {
		new = (old & ~(unsigned int)SETFL_MASK) |
		      ((unsigned int)arg & SETFL_MASK);
	} while (!__atomic_compare_exchange_n(&f->flags, &old, new, false,
					      __ATOMIC_RELAXED,
					      __ATOMIC_RELAXED));
	return 0;
}

static long fcntl_dupfd(int fd, unsigned long arg, bool cloexec)
{
	struct task *t = current;

	if (arg >= t->rlimits[RLIMIT_NOFILE][0] || arg > INT32_MAX)
		return -EINVAL;
	return fd_dup_from(fd, (int)arg, cloexec);
}

SYSCALL_DEFINE3(fcntl, int, fd, unsigned int, cmd, unsigned long, arg)
{
	struct file *f = fd_get(fd);
	long r;

	if (!f)
		return -EBADF;
	if ((f->mode & FMODE_PATH) && cmd != F_DUPFD &&
	    cmd != F_DUPFD_CLOEXEC && cmd != F_GETFD && cmd != F_SETFD &&
	    cmd != F_GETFL) {
		file_put(f);
		return -EBADF;
	}
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		r = fcntl_dupfd(fd, arg, cmd == F_DUPFD_CLOEXEC);
		break;
	case F_GETFD:
		r = fd_cloexec(fd) ? FD_CLOEXEC : 0;
		break;
	case F_SETFD:
		r = fd_set_cloexec(fd, arg & FD_CLOEXEC);
		break;
	case F_GETFL:
		r = __atomic_load_n(&f->flags, __ATOMIC_RELAXED);
		break;
	case F_SETFL:
		r = fcntl_setfl(f, arg);
		break;
	case F_ADD_SEALS:
	case F_GET_SEALS:
		r = memfd_fcntl(f, cmd, arg);
		break;
	case F_SETPIPE_SZ:
	case F_GETPIPE_SZ:
		r = pipe_fcntl(f, cmd, arg);
		break;
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_GETLK:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
		r = fcntl_lock(f, cmd, (void __user *)arg);
		break;
	default:
		r = -EINVAL;	/* owners, leases: not implemented */
		break;
	}
	file_put(f);
	return r;
}

static long ioctl_fionbio(struct file *f, int __user *argp)
{
	int on;

	if (get_user(on, argp))
		return -EFAULT;
	if (on)
		__atomic_fetch_or(&f->flags, O_NONBLOCK, __ATOMIC_RELAXED);
	else
		__atomic_fetch_and(&f->flags, ~(unsigned int)O_NONBLOCK,
				   __ATOMIC_RELAXED);
	return 0;
}

/* FIOASYNC: SIGIO delivery is not supported, so only "off" works. */
static long ioctl_fioasync(struct file *f, int __user *argp)
{
	int on;

	if (get_user(on, argp))
		return -EFAULT;
	return on ? -ENOTTY : 0;
}

static long ioctl_fionread_reg(struct file *f, int __user *argp)
{
	off_t n;

	mutex_lock(&f->inode->lock);
	n = f->inode->size - f->pos;
	mutex_unlock(&f->inode->lock);
	if (n < 0)
		n = 0;
	return put_user((int)MIN(n, (off_t)INT32_MAX), argp) ? -EFAULT : 0;
}

SYSCALL_DEFINE3(ioctl, int, fd, unsigned int, cmd, unsigned long, arg)
{
	struct file *f = fd_get_io(fd);
	long r;

	if (!f)
		return -EBADF;
	switch (cmd) {
	case FIOCLEX:
		r = fd_set_cloexec(fd, true);
		break;
	case FIONCLEX:
		r = fd_set_cloexec(fd, false);
		break;
	case FIONBIO:
		r = ioctl_fionbio(f, (int __user *)arg);
		break;
	case FIOASYNC:
		r = ioctl_fioasync(f, (int __user *)arg);
		break;
	default:
		if (cmd == FIONREAD && S_ISREG(f->inode->mode))
			r = ioctl_fionread_reg(f, (int __user *)arg);
		else if (f->ops->ioctl)
			r = f->ops->ioctl(f, cmd, arg);
		else
			r = -ENOTTY;
		break;
	}
	file_put(f);
	return r;
}
