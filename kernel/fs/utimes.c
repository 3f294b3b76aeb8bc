/*
 * Setting file times: utimensat (and futimens through it), utimes,
 * futimesat and utime. Linux's rules: setting both times to "now" needs
 * ownership or write permission; setting explicit times needs ownership
 * (root may do either); UTIME_OMIT leaves a time alone; ctime always
 * becomes now.
 */
#include "vfs.h"
#include <mm/uaccess.h>
#include <uapi/time.h>
#include <syscall/syscall.h>

struct utimbuf {
	int64_t actime;
	int64_t modtime;
};

/* ts[0] atime, ts[1] mtime (NULL: both now), already validated. */
static int utimes_path(struct path *p, const struct timespec *ts)
{
	struct inode *inode = p->dentry->inode;
	/* Only "now" (or untouched) times: write permission suffices. */
	bool now = !ts || ((ts[0].tv_nsec == UTIME_NOW ||
			    ts[0].tv_nsec == UTIME_OMIT) &&
			   (ts[1].tv_nsec == UTIME_NOW ||
			    ts[1].tv_nsec == UTIME_OMIT));
	struct fs_time t = fs_now();

	if (ts && ts[0].tv_nsec == UTIME_OMIT && ts[1].tv_nsec == UTIME_OMIT)
		return 0;
	if (mount_readonly(p->mnt))
		return -EROFS;
	if (fs_current_uid() != inode->uid && !fs_is_root()) {
		if (!now)
			return -EPERM;
		if (inode_permission(inode, MAY_WRITE))
			return -EACCES;
	}
	mutex_lock(&inode->lock);
	for (int i = 0; i < 2; i++) {
		struct fs_time *dst = i ? &inode->mtime : &inode->atime;

		if (!ts || ts[i].tv_nsec == UTIME_NOW)
			*dst = t;
		else if (ts[i].tv_nsec != UTIME_OMIT)
			*dst = (struct fs_time){ ts[i].tv_sec, ts[i].tv_nsec };
	}
	inode->ctime = t;
	mutex_unlock(&inode->lock);
	return 0;
}

static bool timespec_valid(const struct timespec *t)
{
	if (t->tv_nsec == UTIME_NOW || t->tv_nsec == UTIME_OMIT)
		return true;
	return t->tv_nsec >= 0 && t->tv_nsec < 1000000000;
}

/* ts NULL: now. name NULL: the file dfd itself (futimens). */
static long utimes_at(int dfd, const char __user *name,
		      const struct timespec *ts, int flags)
{
	unsigned int lookup = (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW;
	struct path p;
	int err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (ts && (!timespec_valid(&ts[0]) || !timespec_valid(&ts[1])))
		return -EINVAL;
	if (!name) {
		struct file *f;

		if (dfd == AT_FDCWD)
			return -EFAULT;
		if (flags & AT_SYMLINK_NOFOLLOW)
			return -EINVAL;
		f = fd_get(dfd);
		if (!f)
			return -EBADF;
		p.mnt = f->mnt;
		p.dentry = f->dentry;
		path_get(&p);
		file_put(f);
	} else {
		if (flags & AT_EMPTY_PATH)
			lookup |= LOOKUP_EMPTY;
		err = user_path_lookup(dfd, name, lookup, &p);
		if (err)
			return err;
	}
	err = utimes_path(&p, ts);
	path_put(&p);
	return err;
}

SYSCALL_DEFINE4(utimensat, int, dfd, const char __user *, name,
		const struct timespec __user *, utimes, int, flags)
{
	struct timespec ts[2];

	if (utimes && copy_from_user(ts, utimes, sizeof(ts)))
		return -EFAULT;
	return utimes_at(dfd, name, utimes ? ts : NULL, flags);
}

/* utimes/futimesat: microseconds, no UTIME_* values. */
static long utimes_tv(int dfd, const char __user *name,
		      const struct timeval __user *utv)
{
	struct timespec ts[2];
	struct timeval tv[2];

	if (!utv)
		return utimes_at(dfd, name, NULL, 0);
	if (copy_from_user(tv, utv, sizeof(tv)))
		return -EFAULT;
	for (int i = 0; i < 2; i++) {
		if (tv[i].tv_usec < 0 || tv[i].tv_usec >= 1000000)
			return -EINVAL;
		ts[i].tv_sec = tv[i].tv_sec;
		ts[i].tv_nsec = tv[i].tv_usec * 1000;
	}
	return utimes_at(dfd, name, ts, 0);
}

SYSCALL_DEFINE2(utimes, const char __user *, name,
		const struct timeval __user *, tv)
{
	return utimes_tv(AT_FDCWD, name, tv);
}

SYSCALL_DEFINE3(futimesat, int, dfd, const char __user *, name,
		const struct timeval __user *, tv)
{
	return utimes_tv(dfd, name, tv);
}

SYSCALL_DEFINE2(utime, const char __user *, name,
		const struct utimbuf __user *, ubuf)
{
	struct timespec ts[2];
	struct utimbuf b;

	if (!ubuf)
		return utimes_at(AT_FDCWD, name, NULL, 0);
	if (copy_from_user(&b, ubuf, sizeof(b)))
		return -EFAULT;
	ts[0] = (struct timespec){ b.actime, 0 };
	ts[1] = (struct timespec){ b.modtime, 0 };
	return utimes_at(AT_FDCWD, name, ts, 0);
}
