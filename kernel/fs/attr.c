/*
 * Inode attributes from user space: access checks (access, faccessat,
 * faccessat2), permissions and owners (chmod and chown families), sizes
 * and space (truncate, ftruncate, fallocate) and times (utimensat,
 * utimes, utime, futimesat).
 * Ownership rules are Linux's for a task without capabilities, and root
 * may do everything (CAP_FOWNER, CAP_CHOWN, CAP_FSETID).
 */
#include "vfs.h"
#include <mm/uaccess.h>
#include <uapi/falloc.h>
#include <uapi/time.h>
#include <proc/task.h>
#include <syscall/syscall.h>

/* The path of (dfd, name) with AT_* flags, name copied from user space. */
static int attr_lookup(int dfd, const char __user *name, int flags,
		       struct path *p)
{
	unsigned int lookup = (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW;

	if (flags & AT_EMPTY_PATH)
		lookup |= LOOKUP_EMPTY;
	return user_path_lookup(dfd, name, lookup, p);
}

/* ---- access ----------------------------------------------------------- */

static long access_user(int dfd, const char __user *name, int mode,
			int flags)
{
	struct task *t = current;
	uid_t uid = t->cred.uid;
	gid_t gid = t->cred.gid;
	struct inode *inode;
	struct path p;
	int err;

	if (mode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (flags & AT_EACCESS) {
		uid = t->cred.euid;
		gid = t->cred.egid;
	}
	err = attr_lookup(dfd, name, flags, &p);
	if (err)
		return err;
	inode = p.dentry->inode;
	if (mode == F_OK)
		err = 0;
	else if ((mode & W_OK) && mount_readonly(p.mnt) &&
		 (S_ISREG(inode->mode) || S_ISDIR(inode->mode) ||
		  S_ISLNK(inode->mode)))
		err = -EROFS;
	else if ((mode & X_OK) && S_ISREG(inode->mode) &&
		 (p.mnt->flags & MNT_NOEXEC))
		err = -EACCES;
	else
		err = inode_permission_ids(inode, mode, uid, gid);
	path_put(&p);
	return err;
}

SYSCALL_DEFINE2(access, const char __user *, name, int, mode)
{
	return access_user(AT_FDCWD, name, mode, 0);
}

SYSCALL_DEFINE3(faccessat, int, dfd, const char __user *, name, int, mode)
{
	return access_user(dfd, name, mode, 0);
}

SYSCALL_DEFINE4(faccessat2, int, dfd, const char __user *, name, int, mode,
		int, flags)
{
	return access_user(dfd, name, mode, flags);
}

/* ---- chmod and chown ---------------------------------------------- */

static bool owner_or_root(struct inode *inode)
{
	return fs_is_root() || fs_current_uid() == inode->uid;
}

static int chmod_path(struct path *p, mode_t mode)
{
	struct inode *inode = p->dentry->inode;

	if (mount_readonly(p->mnt))
		return -EROFS;
	if (!owner_or_root(inode))
		return -EPERM;
	mutex_lock(&inode->lock);
	mode &= S_IALLUGO;
	/* Without CAP_FSETID, set-group-ID needs membership of the group. */
	if (!fs_is_root() && !fs_in_group(inode->gid))
		mode &= ~S_ISGID;
	inode->mode = (inode->mode & S_IFMT) | mode;
	inode_touch_ctime(inode);
	mutex_unlock(&inode->lock);
	return 0;
}

static long chmod_at(int dfd, const char __user *name, mode_t mode)
{
	struct path p;
	int err = attr_lookup(dfd, name, 0, &p);

	if (err)
		return err;
	err = chmod_path(&p, mode);
	path_put(&p);
	return err;
}

SYSCALL_DEFINE2(chmod, const char __user *, name, mode_t, mode)
{
	return chmod_at(AT_FDCWD, name, mode);
}

SYSCALL_DEFINE3(fchmodat, int, dfd, const char __user *, name, mode_t, mode)
{
	return chmod_at(dfd, name, mode);
}

SYSCALL_DEFINE2(fchmod, int, fd, mode_t, mode)
{
	struct file *f = fd_get_io(fd);
	struct path p;
	int err;

	if (!f)
		return -EBADF;
	p.mnt = f->mnt;
	p.dentry = f->dentry;
	err = chmod_path(&p, mode);
	file_put(f);
	return err;
}

static int chown_path(struct path *p, uid_t uid, gid_t gid)
{
	struct inode *inode = p->dentry->inode;
	bool root = fs_is_root();

	if (mount_readonly(p->mnt))
		return -EROFS;
	mutex_lock(&inode->lock);
	/* Without CAP_CHOWN: no giving away, and only to one's own group. */
	if (!root && ((uid != (uid_t)-1 && uid != inode->uid) ||
		      (gid != (gid_t)-1 && gid != inode->gid &&
		       (fs_current_uid() != inode->uid ||
			!fs_in_group(gid))))) {
		mutex_unlock(&inode->lock);
		return -EPERM;
	}
	if (uid != (uid_t)-1)
		inode->uid = uid;
	if (gid != (gid_t)-1)
		inode->gid = gid;
	if (!S_ISDIR(inode->mode)) {
		inode->mode &= ~S_ISUID;
		if (inode->mode & S_IXGRP)
			inode->mode &= ~S_ISGID;
	}
	inode_touch_ctime(inode);
	mutex_unlock(&inode->lock);
	return 0;
}

static long chown_at(int dfd, const char __user *name, uid_t uid, gid_t gid,
		     int flags)
{
	struct path p;
	int err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	err = attr_lookup(dfd, name, flags, &p);
	if (err)
		return err;
	err = chown_path(&p, uid, gid);
	path_put(&p);
	return err;
}

SYSCALL_DEFINE3(chown, const char __user *, name, uid_t, uid, gid_t, gid)
{
	return chown_at(AT_FDCWD, name, uid, gid, 0);
}

SYSCALL_DEFINE3(lchown, const char __user *, name, uid_t, uid, gid_t, gid)
{
	return chown_at(AT_FDCWD, name, uid, gid, AT_SYMLINK_NOFOLLOW);
}

SYSCALL_DEFINE5(fchownat, int, dfd, const char __user *, name, uid_t, uid,
		gid_t, gid, int, flags)
{
	return chown_at(dfd, name, uid, gid, flags);
}

SYSCALL_DEFINE3(fchown, int, fd, uid_t, uid, gid_t, gid)
{
	struct file *f = fd_get_io(fd);
	struct path p;
	int err;

	if (!f)
		return -EBADF;
	p.mnt = f->mnt;
	p.dentry = f->dentry;
	err = chown_path(&p, uid, gid);
	file_put(f);
	return err;
}

/* ---- truncate --------------------------------------------------------- */

static int truncate_inode(struct inode *inode, off_t length)
{
	int err;

	if (!inode->iops || !inode->iops->truncate)
		return -EINVAL;
	mutex_lock(&inode->lock);
	err = inode->iops->truncate(inode, length);
	mutex_unlock(&inode->lock);
	return err;
}

int vfs_truncate_file(struct file *f, off_t length)
{
	return truncate_inode(f->inode, length);
}

SYSCALL_DEFINE2(truncate, const char __user *, name, off_t, length)
{
	struct inode *inode;
	struct path p;
	int err;

	if (length < 0)
		return -EINVAL;
	err = user_path_lookup(AT_FDCWD, name, LOOKUP_FOLLOW, &p);
	if (err)
		return err;
	inode = p.dentry->inode;
	if (S_ISDIR(inode->mode))
		err = -EISDIR;
	else if (!S_ISREG(inode->mode))
		err = -EINVAL;
	else if (mount_readonly(p.mnt))
		err = -EROFS;
	else
		err = inode_permission(inode, MAY_WRITE);
	if (!err)
		err = inode_get_write_access(inode);
	if (!err) {
		err = truncate_inode(inode, length);
		inode_put_write_access(inode);
	}
	path_put(&p);
	return err;
}

SYSCALL_DEFINE2(ftruncate, int, fd, off_t, length)
{
	struct file *f;
	int err;

	if (length < 0)
		return -EINVAL;
	f = fd_get_io(fd);
	if (!f)
		return -EBADF;
	if (!S_ISREG(f->inode->mode) || !(f->mode & FMODE_WRITE))
		err = -EINVAL;
	else
		err = truncate_inode(f->inode, length);
	file_put(f);
	return err;
}

/* ---- fallocate -------------------------------------------------------- */

/* The checks of Linux's vfs_fallocate, in its order. */
static int fallocate_check(struct file *f, int mode, off_t off, off_t len)
{
	mode_t type = f->inode->mode & S_IFMT;

	if (off < 0 || len <= 0)
		return -EINVAL;
	if (mode & ~FALLOC_FL_SUPPORTED_MASK)
		return -EOPNOTSUPP;
	if ((mode & FALLOC_FL_PUNCH_HOLE) && (mode & FALLOC_FL_ZERO_RANGE))
		return -EOPNOTSUPP;
	if ((mode & FALLOC_FL_PUNCH_HOLE) && !(mode & FALLOC_FL_KEEP_SIZE))
		return -EOPNOTSUPP;
	if ((mode & FALLOC_FL_COLLAPSE_RANGE) &&
	    (mode & ~FALLOC_FL_COLLAPSE_RANGE))
		return -EINVAL;
	if ((mode & FALLOC_FL_INSERT_RANGE) && (mode & ~FALLOC_FL_INSERT_RANGE))
		return -EINVAL;
	if ((mode & FALLOC_FL_UNSHARE_RANGE) &&
	    (mode & ~(FALLOC_FL_UNSHARE_RANGE | FALLOC_FL_KEEP_SIZE)))
		return -EINVAL;
	if (!(f->mode & FMODE_WRITE))
		return -EBADF;
	if (type == S_IFIFO)
		return -ESPIPE;
	if (type == S_IFDIR)
		return -EISDIR;
	if (type != S_IFREG && type != S_IFBLK)
		return -ENODEV;
	/* Both are >= 0, so the sum cannot wrap as unsigned. */
	if ((uint64_t)off + (uint64_t)len > (uint64_t)MAX_LFS_FILESIZE)
		return -EFBIG;
	if (!f->ops->fallocate)
		return -EOPNOTSUPP;
	return 0;
}

SYSCALL_DEFINE4(fallocate, int, fd, int, mode, off_t, offset, off_t, len)
{
	struct file *f = fd_get_io(fd);
	int err;

	if (!f)
		return -EBADF;
	err = fallocate_check(f, mode, offset, len);
	if (!err)
		err = f->ops->fallocate(f, mode, offset, len);
	file_put(f);
	return err;
}
