/*
 * rename, renameat and renameat2 (RENAME_NOREPLACE, RENAME_EXCHANGE),
 * with the checks of Linux's do_renameat2 and vfs_rename in their order.
 * Both parents are resolved and the move is done under namespace_lock,
 * which is what makes the ancestor checks ("a directory cannot move into
 * itself") race-free.
 */
#include "vfs.h"
#include "path.h"
#include <mm/kmalloc.h>
#include <syscall/syscall.h>

/* Whether anc is d or one of d's ancestors. namespace_lock held. */
static bool is_ancestor(struct dentry *anc, struct dentry *d)
{
	mutex_assert_held(&namespace_lock);
	for (;;) {
		if (d == anc)
			return true;
		if (d->parent == d)
			return false;
		d = d->parent;
	}
}

/* The may_delete/may_create part of vfs_rename. */
static int rename_perms(struct nameidata *o, struct dentry *old,
			struct nameidata *n, struct dentry *new,
			unsigned int flags)
{
	struct inode *odir = o->cur.dentry->inode, *ndir = n->cur.dentry->inode;
	bool isdir = S_ISDIR(old->inode->mode);
	int err;

	err = may_delete_entry(odir, old, isdir);
	if (err)
		return err;
	if (!new)
		err = may_create_entry(ndir);
	else
		err = may_delete_entry(ndir, new, (flags & RENAME_EXCHANGE) ?
				       S_ISDIR(new->inode->mode) : isdir);
	if (err)
		return err;
	if (!odir->iops->rename)
		return -EPERM;
	if (odir != ndir) {
		/* A moved directory's ".." changes: it must be writable. */
		if (isdir && inode_permission(old->inode, MAY_WRITE))
			return -EACCES;
		if (new && (flags & RENAME_EXCHANGE) &&
		    S_ISDIR(new->inode->mode) &&
		    inode_permission(new->inode, MAY_WRITE))
			return -EACCES;
	}
	if (old->mounts || (new && new->mounts))
		return -EBUSY;
	if (new && S_ISDIR(new->inode->mode) && !(flags & RENAME_EXCHANGE) &&
	    !list_empty(&new->children))
		return -ENOTEMPTY;
	return 0;
}

/* do_renameat2 once both parents are walked. */
static int rename_entries(struct nameidata *o, struct nameidata *n,
			  struct dentry *old, struct dentry *new,
			  unsigned int flags)
{
	int err;

	if ((flags & RENAME_NOREPLACE) && new)
		return -EEXIST;
	if ((flags & RENAME_EXCHANGE) && !new)
		return -ENOENT;
	if ((flags & RENAME_EXCHANGE) && !S_ISDIR(new->inode->mode) &&
	    n->last.slash)
		return -ENOTDIR;
	if (!S_ISDIR(old->inode->mode) &&
	    (o->last.slash || (!(flags & RENAME_EXCHANGE) && n->last.slash)))
		return -ENOTDIR;
	if (is_ancestor(old, n->cur.dentry))
		return -EINVAL;
	if (new && is_ancestor(new, o->cur.dentry))
		return (flags & RENAME_EXCHANGE) ? -EINVAL : -ENOTEMPTY;
	if (new && new->inode == old->inode)
		return 0;
	err = rename_perms(o, old, n, new, flags);
	if (err)
		return err;
	return o->cur.dentry->inode->iops->rename(old, n->cur.dentry,
		n->last.name, n->last.len, new, flags);
}

static int rename_locked(struct nameidata *o, struct nameidata *n,
			 unsigned int flags)
{
	struct dentry *old, *new = NULL;
	int err;

	if (o->cur.mnt != n->cur.mnt)
		return -EXDEV;
	if (o->last.type != COMP_NORMAL)
		return -EBUSY;
	if (n->last.type != COMP_NORMAL)
		return (flags & RENAME_NOREPLACE) ? -EEXIST : -EBUSY;
	if (mount_readonly(o->cur.mnt))
		return -EROFS;
	err = nd_lookup_raw(o, &old);
	if (err)
		return err;
	err = nd_lookup_raw(n, &new);
	if (err == -ENOENT) {
		new = NULL;
		err = 0;
	}
	if (!err)
		err = rename_entries(o, n, old, new, flags);
	if (new)
		dput(new);
	dput(old);
	return err;
}

static long rename_user(int olddfd, const char __user *uold, int newdfd,
			const char __user *unew, unsigned int flags)
{
	struct nameidata *nd;
	char *old, *new;
	long err;

	if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT))
		return -EINVAL;
	if ((flags & RENAME_EXCHANGE) &&
	    (flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)))
		return -EINVAL;
	if (flags & RENAME_WHITEOUT)
		return -EINVAL;		/* no overlay file systems here */
	old = user_path_copy(uold);
	if (IS_ERR(old))
		return PTR_ERR(old);
	new = user_path_copy(unew);
	nd = kzalloc(2 * sizeof(*nd));
	err = IS_ERR(new) ? PTR_ERR(new) : nd ? 0 : -ENOMEM;
	if (!err) {
		mutex_lock(&namespace_lock);
		err = nd_start(&nd[0], olddfd, old, 0);
		if (!err)
			err = nd_walk(&nd[0]);
		if (!err)
			err = nd_start(&nd[1], newdfd, new, 0);
		if (!err)
			err = nd_walk(&nd[1]);
		if (!err)
			err = rename_locked(&nd[0], &nd[1], flags);
		nd_end(&nd[0]);
		nd_end(&nd[1]);
		mutex_unlock(&namespace_lock);
	}
	kfree(nd);
	user_path_free(new);
	user_path_free(old);
	return err;
}

SYSCALL_DEFINE2(rename, const char __user *, old, const char __user *, new)
{
	return rename_user(AT_FDCWD, old, AT_FDCWD, new, 0);
}

SYSCALL_DEFINE4(renameat, int, olddfd, const char __user *, old,
		int, newdfd, const char __user *, new)
{
	return rename_user(olddfd, old, newdfd, new, 0);
}

SYSCALL_DEFINE5(renameat2, int, olddfd, const char __user *, old,
		int, newdfd, const char __user *, new, unsigned int, flags)
{
	return rename_user(olddfd, old, newdfd, new, flags);
}
