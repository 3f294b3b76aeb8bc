/*
 * POSIX record locks: fcntl's F_GETLK, F_SETLK and F_SETLKW, and their
 * open-file-description forms F_OFD_*. Basalt does not implement record
 * locks yet, so no lock is ever granted and none is ever held. The calls
 * still read and check their argument exactly as Linux's fs/locks.c
 * does, in its order, and answer only what is true:
 *
 *   F_GETLK   no lock conflicts with the one described: l_type = F_UNLCK,
 *             the rest of the description as it came;
 *   F_SETLK   with F_UNLCK succeeds (there is nothing to release);
 *             asking for a read or write lock is refused with ENOLCK
 *             ("no locks available"), never pretended.
 *
 * Claiming EINVAL for a valid call, as fcntl once did, would tell a
 * program its arguments were wrong when the kernel was what fell short.
 */
#include "vfs.h"
#include <mm/uaccess.h>

#define OFFSET_MAX	INT64_MAX

/*
 * Linux's flock64_to_posix_lock: the locked range [*start, *end] from
 * the description (l_len 0: to the end of any file; negative: the bytes
 * before l_start), and the type. 0, -EINVAL or -EOVERFLOW.
 */
static int flock_range(struct file *f, const struct flock *l, off_t *start,
		       off_t *end)
{
	off_t base;

	switch (l->l_whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = f->pos;
		break;
	case SEEK_END:
		mutex_lock(&f->inode->lock);
		base = f->inode->size;
		mutex_unlock(&f->inode->lock);
		break;
	default:
		return -EINVAL;
	}
	if (l->l_start > OFFSET_MAX - base)
		return -EOVERFLOW;
	*start = base + l->l_start;
	if (*start < 0)
		return -EINVAL;
	if (l->l_len > 0) {
		if (l->l_len - 1 > OFFSET_MAX - *start)
			return -EOVERFLOW;
		*end = *start + (l->l_len - 1);
	} else if (l->l_len < 0) {
		if (*start + l->l_len < 0)
			return -EINVAL;
		*end = *start - 1;
		*start += l->l_len;
	} else {
		*end = OFFSET_MAX;
	}
	if (l->l_type != F_RDLCK && l->l_type != F_WRLCK &&
	    l->l_type != F_UNLCK)
		return -EINVAL;
	return 0;
}

/* Linux's fcntl_getlk: nothing is locked, so nothing conflicts. */
static long lock_test(struct file *f, unsigned int cmd, struct flock *l)
{
	off_t start, end;
	int err;

	if (cmd != F_OFD_GETLK && l->l_type != F_RDLCK &&
	    l->l_type != F_WRLCK)
		return -EINVAL;
	err = flock_range(f, l, &start, &end);
	if (err)
		return err;
	if (cmd == F_OFD_GETLK && l->l_pid != 0)
		return -EINVAL;
	l->l_type = F_UNLCK;
	return 0;
}

/* Linux's fcntl_setlk, up to where a lock would be granted. */
static long lock_set(struct file *f, unsigned int cmd, const struct flock *l)
{
	off_t start, end;
	int err = flock_range(f, l, &start, &end);

	if (err)
		return err;
	if ((l->l_type == F_RDLCK && !(f->mode & FMODE_READ)) ||
	    (l->l_type == F_WRLCK && !(f->mode & FMODE_WRITE)))
		return -EBADF;
	if ((cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW) && l->l_pid != 0)
		return -EINVAL;
	return l->l_type == F_UNLCK ? 0 : -ENOLCK;
}

long fcntl_lock(struct file *f, unsigned int cmd, void __user *arg)
{
	struct flock l;
	long err;

	if (copy_from_user(&l, arg, sizeof(l)))
		return -EFAULT;
	if (cmd == F_GETLK || cmd == F_OFD_GETLK) {
		err = lock_test(f, cmd, &l);
		if (!err && copy_to_user(arg, &l, sizeof(l)))
			err = -EFAULT;
		return err;
	}
	return lock_set(f, cmd, &l);
}
