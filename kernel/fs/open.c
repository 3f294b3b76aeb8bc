/*
 * Opening files: open, openat and creat, O_TMPFILE, and kernel_open for
 * execve. The order of the checks is Linux's (fs/namei.c: path_openat,
 * open_last_lookups, do_open, may_open), because programs and test
 * suites tell failures apart by errno:
 *
 *   resolve the parent; "name/" with O_CREAT            -EISDIR
 *   absent: no O_CREAT -ENOENT; read-only mount -EROFS; no write and
 *           search permission on the directory -EACCES; create it
 *   present: O_CREAT|O_EXCL -EEXIST; a symlink is followed unless
 *           O_NOFOLLOW (or O_EXCL), which gives -ELOOP
 *   then O_CREAT on a directory -EISDIR, O_DIRECTORY on a non-directory
 *   -ENOTDIR, and may_open: writing a directory -EISDIR, device on a
 *   nodev mount -EACCES, read-only mount -EROFS, permission -EACCES.
 * The file is opened, and only then truncated for O_TRUNC.
 */
#include "vfs.h"
#include "path.h"
#include <mm/kmalloc.h>
#include <syscall/syscall.h>

struct open_req {
	int flags;
	mode_t mode;		/* for O_CREAT, before the umask */
	int acc;		/* MAY_* wanted on an existing file */
	unsigned int lookup;	/* LOOKUP_* */
};

/* Linux's build_open_flags: what the flags ask for. */
static int open_req_build(struct open_req *r, int flags, mode_t mode,
			  bool exec)
{
	static const int acc_of[4] = { MAY_READ, MAY_WRITE,
				       MAY_READ | MAY_WRITE,
				       MAY_READ | MAY_WRITE };

	r->mode = (flags & (O_CREAT | __O_TMPFILE)) ? mode & S_IALLUGO : 0;
	if (flags & O_PATH) {
		flags &= O_DIRECTORY | O_NOFOLLOW | O_PATH | O_CLOEXEC;
		r->acc = 0;
	} else {
		r->acc = acc_of[flags & O_ACCMODE];
		if (flags & O_TRUNC)
			r->acc |= MAY_WRITE;
	}
	if (exec)
		r->acc = MAY_EXEC;
	if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
		flags |= O_NOFOLLOW;
	if (flags & __O_TMPFILE) {
		if ((flags & (__O_TMPFILE | O_DIRECTORY | O_CREAT)) !=
		    O_TMPFILE)
			return -EINVAL;
		if (!(r->acc & MAY_WRITE))
			return -EINVAL;
	}
	r->flags = flags;
	r->lookup = 0;
	if (!(flags & O_NOFOLLOW))
		r->lookup |= LOOKUP_FOLLOW;
	if (flags & O_DIRECTORY)
		r->lookup |= LOOKUP_DIRECTORY;
	return 0;
}

/* Create nd's last component as a regular file; namespace_lock held. */
static int open_create(struct nameidata *nd, const struct open_req *r,
		       struct path *out)
{
	struct dentry *dir = nd->cur.dentry, *d;
	mode_t mode = S_IFREG | (r->mode & ~fsctx_umask());
	int err;

	mutex_assert_held(&namespace_lock);
	/* procfs: its lookup fails rather than reporting "absent". */
	if (!dir->inode->iops->create)
		return -ENOENT;
	if (mount_readonly(nd->cur.mnt))
		return -EROFS;
	if (dir->inode->nlink == 0)
		return -ENOENT;
	err = inode_permission(dir->inode, MAY_WRITE | MAY_EXEC);
	if (err)
		return err;
	err = dir->inode->iops->create(dir, nd->last.name, nd->last.len, mode,
				       0, NULL, &d);
	if (err)
		return err;
	out->mnt = nd->cur.mnt;
	out->dentry = d;
	mount_get(out->mnt);
	return 0;
}

/* Find (or create) what to open; namespace_lock held. */
static int open_resolve(struct nameidata *nd, const struct open_req *r,
			struct path *out, bool *created)
{
	int err;

	mutex_assert_held(&namespace_lock);
	for (;;) {
		err = nd_walk(nd);
		if (err)
			return err;
		if ((r->flags & O_CREAT) && nd->last.type == COMP_NORMAL &&
		    nd->last.slash)
			return -EISDIR;
		err = nd_lookup_last(nd, out);
		if (err == -ENOENT && (r->flags & O_CREAT) &&
		    nd->last.type == COMP_NORMAL) {
			*created = true;
			return open_create(nd, r, out);
		}
		if (err)
			return err;
		if ((r->flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL)) {
			path_put(out);
			return -EEXIST;
		}
		if (!S_ISLNK(out->dentry->inode->mode) ||
		    !(nd->flags & LOOKUP_FOLLOW))
			return 0;
		err = nd_follow(nd, out->dentry);
		path_put(out);
		if (err)
			return err;
	}
}

/* Linux's may_open, for a file that existed before the open. */
static int may_open(struct path *p, const struct open_req *r)
{
	struct inode *inode = p->dentry->inode;
	int acc = r->acc;

	if (r->flags & O_PATH)
		return 0;
	switch (inode->mode & S_IFMT) {
	case S_IFLNK:
		return -ELOOP;
	case S_IFDIR:
		if (acc & MAY_WRITE)
			return -EISDIR;
		if (acc & MAY_EXEC)
			return -EACCES;
		break;
	case S_IFBLK:
	case S_IFCHR:
		if (p->mnt->flags & MNT_NODEV)
			return -EACCES;
		break;
	}
	if ((acc & MAY_WRITE) && mount_readonly(p->mnt) &&
	    (S_ISREG(inode->mode) || S_ISDIR(inode->mode)))
		return -EROFS;
	if ((acc & MAY_EXEC) && (p->mnt->flags & MNT_NOEXEC))
		return -EACCES;
	if (inode_permission(inode, acc))
		return -EACCES;
	if ((r->flags & O_NOATIME) && fs_current_uid() != inode->uid &&
	    !fs_is_root())
		return -EPERM;
	return 0;
}

/* The checks after resolution, then the open itself and O_TRUNC. */
static struct file *open_finish(struct path *p, const struct open_req *r,
				bool created, unsigned int lookup)
{
	mode_t mode = p->dentry->inode->mode;
	struct file *f;
	int err = 0;

	if ((r->flags & O_CREAT) && S_ISDIR(mode))
		err = -EISDIR;
	else if ((lookup & LOOKUP_DIRECTORY) && !S_ISDIR(mode))
		err = -ENOTDIR;
	else if (!created)
		err = may_open(p, r);
	if (err) {
		path_put(p);
		return ERR_PTR(err);
	}
	f = file_open_path(p, r->flags);
	if (IS_ERR(f) || created || !(r->flags & O_TRUNC) || !S_ISREG(mode))
		return f;
	err = vfs_truncate_file(f, 0);
	if (err) {
		file_put(f);
		return ERR_PTR(err);
	}
	return f;
}

/* O_TMPFILE: an unnamed regular file in the directory name. */
static struct file *open_tmpfile(int dfd, const char *name,
				 const struct open_req *r)
{
	struct path dir;
	struct dentry *d;
	struct inode *inode;
	int err;

	mutex_lock(&namespace_lock);
	err = path_lookup_locked(dfd, name, r->lookup | LOOKUP_DIRECTORY,
				 &dir);
	if (err)
		goto out;
	inode = dir.dentry->inode;
	err = mount_readonly(dir.mnt) ? -EROFS :
		inode_permission(inode, MAY_WRITE | MAY_EXEC);
	if (!err && (!inode->iops->create || !inode->iops->unlink))
		err = -EOPNOTSUPP;
	if (!err)
		err = inode->iops->create(dir.dentry, "#tmpfile", 8, S_IFREG |
					  (r->mode & ~fsctx_umask()), 0, NULL,
					  &d);
	if (!err) {
		/* Unlinked at once: nothing else ever sees the name. */
		inode->iops->unlink(dir.dentry, d);
		dput(dir.dentry);
		dir.dentry = d;
	} else {
		path_put(&dir);
	}
out:
	mutex_unlock(&namespace_lock);
	if (err)
		return ERR_PTR(err);
	return file_open_path(&dir, r->flags & ~O_TRUNC);
}

static struct file *do_open(int dfd, const char *name, int flags,
			    mode_t mode, bool exec, unsigned int resolve)
{
	struct nameidata nd;
	struct open_req r;
	struct path p;
	bool created = false;
	unsigned int lookup;
	int err = open_req_build(&r, flags, mode, exec);

	if (err)
		return ERR_PTR(err);
	r.lookup |= resolve;	/* openat2's RESOLVE_* */
	if (name[0] == '\0')
		return ERR_PTR(-ENOENT);
	if (r.flags & __O_TMPFILE)
		return open_tmpfile(dfd, name, &r);
	mutex_lock(&namespace_lock);
	err = nd_start(&nd, dfd, name, r.lookup);
	if (!err)
		err = open_resolve(&nd, &r, &p, &created);
	lookup = nd.flags;
	nd_end(&nd);
	mutex_unlock(&namespace_lock);
	if (err)
		return ERR_PTR(err);
	return open_finish(&p, &r, created, lookup);
}

struct file *kernel_open(const char *path, int flags, bool exec)
{
	struct file *f = do_open(AT_FDCWD, path, flags, 0, exec, 0);

	if (IS_ERR(f) || !exec)
		return f;
	if (!S_ISREG(f->inode->mode)) {
		file_put(f);
		return ERR_PTR(-EACCES);
	}
	return f;
}

struct file *kernel_open_mode(const char *path, int flags, mode_t mode)
{
	return do_open(AT_FDCWD, path, flags, mode, false, 0);
}

long open_user_lookup(int dfd, const char __user *uname, int flags,
		      mode_t mode, unsigned int lookup)
{
	char *name = user_path_copy(uname);
	struct file *f;
	long fd;

	if (IS_ERR(name))
		return PTR_ERR(name);
	fd = fd_check_free();
	if (fd == 0) {
		f = do_open(dfd, name, flags, mode, false, lookup);
		if (IS_ERR(f)) {
			fd = PTR_ERR(f);
		} else {
			fd = fd_install(f, 0, flags & O_CLOEXEC);
			if (fd < 0)
				file_put(f);
		}
	}
	user_path_free(name);
	return fd;
}

long open_user(int dfd, const char __user *uname, int flags, mode_t mode)
{
	return open_user_lookup(dfd, uname, flags, mode, 0);
}

SYSCALL_DEFINE3(open, const char __user *, name, int, flags, mode_t, mode)
{
	return open_user(AT_FDCWD, name, flags, mode);
}

SYSCALL_DEFINE4(openat, int, dfd, const char __user *, name, int, flags,
		mode_t, mode)
{
	return open_user(dfd, name, flags, mode);
}

SYSCALL_DEFINE2(creat, const char __user *, name, mode_t, mode)
{
	return open_user(AT_FDCWD, name, O_CREAT | O_WRONLY | O_TRUNC, mode);
}
