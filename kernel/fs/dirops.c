/*
 * Changing the namespace: mkdir, mknod, symlink, link, unlink, rmdir,
 * rename and their *at forms, plus readlink. Each resolves the parent
 * directory with nd_walk() and then applies Linux's checks in Linux's
 * order (fs/namei.c: filename_create, may_create, may_delete,
 * do_renameat2, vfs_rename), all under namespace_lock.
 */
#include "vfs.h"
#include "path.h"
#include <fs/chrdev.h>
#include <lib/string.h>
#include <mm/kmalloc.h>
#include <mm/uaccess.h>
#include <syscall/syscall.h>

/* filename_create: may nd's last component be created? */
static int create_prepare(struct nameidata *nd, bool want_dir)
{
	struct dentry *d;
	int err;

	if (nd->last.type != COMP_NORMAL)
		return -EEXIST;
	err = nd_lookup_raw(nd, &d);
	if (err == 0) {
		dput(d);
		return -EEXIST;
	}
	if (err != -ENOENT)
		return err;
	/* procfs: Linux's lookup fails there rather than saying "absent". */
	if (!nd->cur.dentry->inode->iops->create)
		return -ENOENT;
	if (nd->last.slash && !want_dir)
		return -ENOENT;
	if (mount_readonly(nd->cur.mnt))
		return -EROFS;
	return 0;
}

int may_create_entry(struct inode *dir)
{
	mutex_assert_held(&namespace_lock);
	if (dir->nlink == 0)
		return -ENOENT;
	return inode_permission(dir, MAY_WRITE | MAY_EXEC);
}

/* Linux's may_delete: may victim be removed from dir? */
int may_delete_entry(struct inode *dir, struct dentry *victim, bool isdir)
{
	struct inode *inode = victim->inode;
	uid_t uid = fs_current_uid();
	int err = inode_permission(dir, MAY_WRITE | MAY_EXEC);

	mutex_assert_held(&namespace_lock);
	if (err)
		return err;
	if ((dir->mode & S_ISVTX) && uid != 0 && uid != inode->uid &&
	    uid != dir->uid)
		return -EPERM;
	if (isdir) {
		if (!S_ISDIR(inode->mode))
			return -ENOTDIR;
		if (victim->parent == victim)
			return -EBUSY;
	} else if (S_ISDIR(inode->mode)) {
		return -EISDIR;
	}
	if (dir->nlink == 0)
		return -ENOENT;
	return 0;
}

int vfs_create_at(int dfd, const char *name, mode_t mode, dev_t rdev,
		  const char *target, struct path *out)
{
	struct nameidata nd;
	struct dentry *d;
	struct inode *dir;
	int err;

	mutex_lock(&namespace_lock);
	err = nd_start(&nd, dfd, name, 0);
	if (!err)
		err = nd_walk(&nd);
	if (!err)
		err = create_prepare(&nd, S_ISDIR(mode));
	if (err)
		goto out;
	dir = nd.cur.dentry->inode;
	err = may_create_entry(dir);
	if (!err && !dir->iops->create)
		err = -EPERM;
	if (!err)
		err = dir->iops->create(nd.cur.dentry, nd.last.name,
					nd.last.len, mode, rdev, target, &d);
	if (!err && out) {
		out->mnt = nd.cur.mnt;
		out->dentry = d;
		mount_get(out->mnt);
	} else if (!err) {
		dput(d);
	}
out:
	nd_end(&nd);
	mutex_unlock(&namespace_lock);
	return err;
}

/* The removal itself, nd walked to the parent; namespace_lock held. */
static int unlink_locked(struct nameidata *nd, bool isdir)
{
	struct inode *dir = nd->cur.dentry->inode;
	struct dentry *victim;
	int err;

	mutex_assert_held(&namespace_lock);
	if (nd->last.type != COMP_NORMAL) {
		if (!isdir)
			return -EISDIR;
		return nd->last.type == COMP_DOTDOT ? -ENOTEMPTY :
		       nd->last.type == COMP_DOT ? -EINVAL : -EBUSY;
	}
	if (mount_readonly(nd->cur.mnt))
		return -EROFS;
	err = nd_lookup_raw(nd, &victim);
	if (err)
		return err;
	if (!isdir && nd->last.slash)
		err = S_ISDIR(victim->inode->mode) ? -EISDIR : -ENOTDIR;
	if (!err)
		err = may_delete_entry(dir, victim, isdir);
	if (!err && !dir->iops->unlink)
		err = -EPERM;
	if (!err && victim->mounts)
		err = -EBUSY;
	if (!err && isdir && !list_empty(&victim->children))
		err = -ENOTEMPTY;
	if (!err)
		err = dir->iops->unlink(nd->cur.dentry, victim);
	dput(victim);
	return err;
}

int vfs_unlink_at(int dfd, const char *name, bool isdir)
{
	struct nameidata nd;
	int err;

	mutex_lock(&namespace_lock);
	err = nd_start(&nd, dfd, name, 0);
	if (!err)
		err = nd_walk(&nd);
	if (!err)
		err = unlink_locked(&nd, isdir);
	nd_end(&nd);
	mutex_unlock(&namespace_lock);
	return err;
}

/*
 * fs.protected_hardlinks (on in Linux distributions and the oracle):
 * without CAP_FOWNER one may only hard-link a file one owns, or a plain
 * regular file one can read and write.
 */
static int may_linkat(struct inode *inode)
{
	if (fs_is_root() || fs_current_uid() == inode->uid)
		return 0;
	if (!S_ISREG(inode->mode) || (inode->mode & S_ISUID) ||
	    (inode->mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP) ||
	    inode_permission(inode, MAY_READ | MAY_WRITE))
		return -EPERM;
	return 0;
}

int vfs_link_at(int olddfd, const char *oldname, int newdfd,
		const char *newname, unsigned int lookup)
{
	struct nameidata nd;
	struct path old;
	struct inode *dir, *inode;
	int err;

	mutex_lock(&namespace_lock);
	err = path_lookup_locked(olddfd, oldname, lookup, &old);
	if (err) {
		mutex_unlock(&namespace_lock);
		return err;
	}
	inode = old.dentry->inode;
	err = nd_start(&nd, newdfd, newname, 0);
	if (!err)
		err = nd_walk(&nd);
	if (!err)
		err = create_prepare(&nd, false);
	if (!err && old.mnt != nd.cur.mnt)
		err = -EXDEV;
	if (!err)
		err = may_linkat(inode);
	if (err)
		goto out;
	dir = nd.cur.dentry->inode;
	err = may_create_entry(dir);
	if (!err && (!dir->iops->link || S_ISDIR(inode->mode)))
		err = -EPERM;
	if (!err && inode->nlink == 0)
		err = -ENOENT;
	if (!err)
		err = dir->iops->link(nd.cur.dentry, nd.last.name, nd.last.len,
				      old.dentry);
out:
	nd_end(&nd);
	path_put(&old);
	mutex_unlock(&namespace_lock);
	return err;
}

/* ---- System calls: creation ----------------------------------------- */

static long mkdir_user(int dfd, const char __user *uname, mode_t mode)
{
	char *name = user_path_copy(uname);
	long err;

	if (IS_ERR(name))
		return PTR_ERR(name);
	mode = S_IFDIR | (mode & (S_IRWXUGO | S_ISVTX) & ~fsctx_umask());
	err = vfs_create_at(dfd, name, mode, 0, NULL, NULL);
	user_path_free(name);
	return err;
}

SYSCALL_DEFINE2(mkdir, const char __user *, name, mode_t, mode)
{
	return mkdir_user(AT_FDCWD, name, mode);
}

SYSCALL_DEFINE3(mkdirat, int, dfd, const char __user *, name, mode_t, mode)
{
	return mkdir_user(dfd, name, mode);
}

static long mknod_user(int dfd, const char __user *uname, mode_t mode,
		       unsigned int dev)
{
	char *name;
	long err;

	switch (mode & S_IFMT) {
	case 0:
		mode |= S_IFREG;
		break;
	case S_IFREG: case S_IFCHR: case S_IFBLK: case S_IFIFO: case S_IFSOCK:
		break;
	case S_IFDIR:
		return -EPERM;
	default:
		return -EINVAL;
	}
	name = user_path_copy(uname);
	if (IS_ERR(name))
		return PTR_ERR(name);
	if ((S_ISCHR(mode) || S_ISBLK(mode)) && !fs_is_root()) {
		user_path_free(name);
		return -EPERM;
	}
	mode = (mode & S_IFMT) | (mode & S_IALLUGO & ~fsctx_umask());
	err = vfs_create_at(dfd, name, mode, dev_decode(dev), NULL, NULL);
	user_path_free(name);
	return err;
}

SYSCALL_DEFINE3(mknod, const char __user *, name, mode_t, mode,
		unsigned int, dev)
{
	return mknod_user(AT_FDCWD, name, mode, dev);
}

SYSCALL_DEFINE4(mknodat, int, dfd, const char __user *, name, mode_t, mode,
		unsigned int, dev)
{
	return mknod_user(dfd, name, mode, dev);
}

static long symlink_user(const char __user *utarget, int dfd,
			 const char __user *uname)
{
	char *target = user_path_copy(utarget), *name;
	long err;

	if (IS_ERR(target))
		return PTR_ERR(target);
	name = user_path_copy(uname);
	if (IS_ERR(name)) {
		user_path_free(target);
		return PTR_ERR(name);
	}
	if (target[0] == '\0')
		err = -ENOENT;
	else
		err = vfs_create_at(dfd, name, S_IFLNK | 0777, 0, target, NULL);
	user_path_free(name);
	user_path_free(target);
	return err;
}

SYSCALL_DEFINE2(symlink, const char __user *, target, const char __user *,
		name)
{
	return symlink_user(target, AT_FDCWD, name);
}

SYSCALL_DEFINE3(symlinkat, const char __user *, target, int, dfd,
		const char __user *, name)
{
	return symlink_user(target, dfd, name);
}

static long link_user(int olddfd, const char __user *uold, int newdfd,
		      const char __user *unew, int flags)
{
	unsigned int lookup = 0;
	char *old, *new;
	long err;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (flags & AT_SYMLINK_FOLLOW)
		lookup |= LOOKUP_FOLLOW;
	if (flags & AT_EMPTY_PATH)
		lookup |= LOOKUP_EMPTY;	/* needs CAP_DAC_READ_SEARCH */
	old = user_path_copy(uold);
	if (IS_ERR(old))
		return PTR_ERR(old);
	new = user_path_copy(unew);
	if (IS_ERR(new)) {
		user_path_free(old);
		return PTR_ERR(new);
	}
	if ((flags & AT_EMPTY_PATH) && old[0] == '\0' && !fs_is_root())
		err = -ENOENT;
	else
		err = vfs_link_at(olddfd, old, newdfd, new, lookup);
	user_path_free(new);
	user_path_free(old);
	return err;
}

SYSCALL_DEFINE2(link, const char __user *, old, const char __user *, new)
{
	return link_user(AT_FDCWD, old, AT_FDCWD, new, 0);
}

SYSCALL_DEFINE5(linkat, int, olddfd, const char __user *, old, int, newdfd,
		const char __user *, new, int, flags)
{
	return link_user(olddfd, old, newdfd, new, flags);
}

/* ---- System calls: removal and readlink ----------------------------- */

static long unlink_user(int dfd, const char __user *uname, bool isdir)
{
	char *name = user_path_copy(uname);
	long err;

	if (IS_ERR(name))
		return PTR_ERR(name);
	err = vfs_unlink_at(dfd, name, isdir);
	user_path_free(name);
	return err;
}

SYSCALL_DEFINE1(unlink, const char __user *, name)
{
	return unlink_user(AT_FDCWD, name, false);
}

SYSCALL_DEFINE1(rmdir, const char __user *, name)
{
	return unlink_user(AT_FDCWD, name, true);
}

SYSCALL_DEFINE3(unlinkat, int, dfd, const char __user *, name, int, flags)
{
	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	return unlink_user(dfd, name, flags & AT_REMOVEDIR);
}

static long readlink_user(int dfd, const char __user *uname,
			  char __user *buf, int size)
{
	char *name, *target;
	struct path p;
	long err;

	if (size <= 0)
		return -EINVAL;
	name = user_path_copy(uname);
	if (IS_ERR(name))
		return PTR_ERR(name);
	target = kmalloc(PATH_MAX);
	mutex_lock(&namespace_lock);
	err = target ? path_lookup_locked(dfd, name, LOOKUP_EMPTY, &p) :
		       -ENOMEM;
	if (!err) {
		struct inode *inode = p.dentry->inode;

		if (!S_ISLNK(inode->mode) || !inode->iops->get_link)
			err = name[0] == '\0' ? -ENOENT : -EINVAL;
		else
			err = inode->iops->get_link(p.dentry, target, PATH_MAX);
		path_put(&p);
	}
	mutex_unlock(&namespace_lock);
	if (err >= 0) {
		err = MIN(err, (long)size);
		if (copy_to_user(buf, target, (size_t)err))
			err = -EFAULT;
	}
	kfree(target);
	user_path_free(name);
	return err;
}

SYSCALL_DEFINE3(readlink, const char __user *, name, char __user *, buf,
		int, size)
{
	return readlink_user(AT_FDCWD, name, buf, size);
}

SYSCALL_DEFINE4(readlinkat, int, dfd, const char __user *, name,
		char __user *, buf, int, size)
{
	return readlink_user(dfd, name, buf, size);
}
