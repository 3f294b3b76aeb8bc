/*
 * Dentries: names bound to inodes, and paths (mount, dentry) built from
 * them. A dentry holds a reference on its inode and on its parent, so a
 * name keeps its whole chain of directories alive; being linked into the
 * parent's children list (tmpfs) holds one more reference on the dentry
 * itself. The last dput() frees the dentry and releases its parent in
 * turn, iteratively so a deep tree cannot overflow the kernel stack.
 */
#include "vfs.h"
#include <lib/string.h>
#include <lib/printk.h>
#include <mm/kmalloc.h>

struct dentry *dentry_alloc(struct dentry *parent, const char *name,
			    size_t len, struct inode *inode)
{
	struct dentry *d = kzalloc(sizeof(*d));

	if (!d)
		return NULL;
	d->refcount = 1;
	d->name = d->inline_name;
	if (dentry_set_name(d, name, len) < 0) {
		kfree(d);
		return NULL;
	}
	d->inode = inode;
	d->sb = inode->sb;
	list_init(&d->children);
	list_init(&d->sibling);
	if (parent) {
		dget(parent);
		d->parent = parent;
	} else {
		d->parent = d;
	}
	return d;
}

int dentry_set_name(struct dentry *d, const char *name, size_t len)
{
	char *buf = d->inline_name;

	if (len >= DENTRY_INLINE_NAME) {
		buf = kmalloc(len + 1);
		if (!buf)
			return -ENOMEM;
	}
	/* memmove: the new name may come from the inline buffer itself. */
	memmove(buf, name, len);
	buf[len] = '\0';
	if (d->name != d->inline_name && d->name != buf)
		kfree(d->name);
	d->name = buf;
	d->name_len = len;
	return 0;
}

bool dentry_name_is(const struct dentry *d, const char *name, size_t len)
{
	return d->name_len == len && memcmp(d->name, name, len) == 0;
}

void dget(struct dentry *d)
{
	ref_inc(&d->refcount);
}

void dput(struct dentry *d)
{
	while (d && ref_dec(&d->refcount)) {
		struct dentry *parent = d->parent == d ? NULL : d->parent;

		BUG_ON(d->flags & DENTRY_LINKED);
		BUG_ON(d->mounts != 0);
		inode_put(d->inode);
		if (d->name != d->inline_name)
			kfree(d->name);
		kfree(d);
		d = parent;
	}
}

struct dentry *dentry_lookup(struct dentry *dir, const char *name,
			     size_t len)
{
	const struct inode_ops *ops = dir->inode->iops;

	if (!S_ISDIR(dir->inode->mode) || !ops || !ops->lookup)
		return ERR_PTR(-ENOTDIR);
	return ops->lookup(dir, name, len);
}

void dentry_link(struct dentry *parent, struct dentry *d)
{
	BUG_ON(d->parent != parent || (d->flags & DENTRY_LINKED));
	dget(d);
	d->flags |= DENTRY_LINKED;
	d->pos = parent->inode->next_pos++;
	list_add(&d->sibling, &parent->children);	/* newest first */
}

void dentry_unlink(struct dentry *d)
{
	BUG_ON(!(d->flags & DENTRY_LINKED));
	list_del(&d->sibling);
	d->flags = (d->flags & ~DENTRY_LINKED) | DENTRY_DELETED;
	dput(d);
}

void path_get(const struct path *p)
{
	mount_get(p->mnt);
	dget(p->dentry);
}

void path_put(struct path *p)
{
	if (p->dentry)
		dput(p->dentry);
	if (p->mnt)
		mount_put(p->mnt);
	p->dentry = NULL;
	p->mnt = NULL;
}
