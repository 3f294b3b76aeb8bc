/*
 * tmpfs: the in-memory file system of the root and of "mount -t tmpfs".
 * Its directories are nothing but the dentry tree: a directory's entries
 * are its dentry's children, each linked entry holding a reference on its
 * dentry, which holds its inode. Unlinking drops that reference, so a file
 * disappears (pages and all) when the last open file or cwd lets go.
 * This file has the directory, symlink and super-block operations; file
 * data lives in tmpfs_file.c. All directory operations are called with
 * namespace_lock held (see vfs.h).
 *
 * Sizes follow Linux's shmem: a directory is 20 bytes per entry plus 40
 * for "." and "..", a symlink's size is its target's length.
 */
#include "vfs.h"
#include <lib/string.h>
#include <lib/printk.h>
#include <mm/kmalloc.h>
#include <mm/layout.h>
#include <mm/page.h>

#define BOGO_DIRENT_SIZE 20

struct tmpfs_options {
	mode_t mode;
	uid_t uid;
	gid_t gid;
	uint64_t max_pages;
	uint64_t max_inodes;
};

static const struct inode_ops tmpfs_dir_iops, tmpfs_symlink_iops;
static const struct file_ops tmpfs_dir_ops;
/* Symlinks are opened only with O_PATH, which never calls these. */
static const struct file_ops no_open_ops;

/* A socket node cannot be opened (no sockets here): -ENXIO as Linux. */
static int socket_open(struct inode *inode, struct file *f)
{
	return -ENXIO;
}

static const struct file_ops socket_ops = { .open = socket_open };

static void symlink_evict(struct inode *inode)
{
	kfree(inode->link);
}

/* Attributes Linux gives a new inode in dir (inode_init_owner). */
static void tmpfs_init_owner(struct inode *inode, struct inode *dir)
{
	if (dir && (dir->mode & S_ISGID)) {
		inode->gid = dir->gid;
		if (S_ISDIR(inode->mode))
			inode->mode |= S_ISGID;
	}
}

/* A new inode of mode for sb; symlinks get a copy of target. */
static struct inode *tmpfs_new_inode(struct super *sb, struct inode *dir,
				     mode_t mode, dev_t rdev,
				     const char *target)
{
	const struct inode_ops *iops = NULL;
	const struct file_ops *fops = &no_open_ops;
	struct inode *inode;

	switch (mode & S_IFMT) {
	case S_IFREG:
		iops = &tmpfs_file_iops;
		fops = &tmpfs_file_ops;
		break;
	case S_IFDIR:
		iops = &tmpfs_dir_iops;
		fops = &tmpfs_dir_ops;
		break;
	case S_IFLNK:
		iops = &tmpfs_symlink_iops;
		break;
	case S_IFCHR:
	case S_IFBLK:
		fops = &chrdev_open_ops;
		break;
	case S_IFIFO:
		fops = &fifo_open_ops;
		break;
	case S_IFSOCK:
		fops = &socket_ops;
		break;
	default:
		return ERR_PTR(-EINVAL);
	}
	if (sb->private) {
		struct tmpfs_options *o = sb->private;

		if (o->max_inodes && __atomic_load_n(&sb->nr_inodes,
				__ATOMIC_RELAXED) >= o->max_inodes)
			return ERR_PTR(-ENOSPC);
	}
	inode = inode_alloc(sb, mode, iops, fops);
	if (!inode)
		return ERR_PTR(-ENOMEM);
	inode->rdev = rdev;
	tmpfs_init_owner(inode, dir);
	if (S_ISDIR(mode)) {
		inode->nlink = 2;
		inode->size = 2 * BOGO_DIRENT_SIZE;
		inode->next_pos = 2;
	} else if (S_ISLNK(mode)) {
		size_t len = strlen(target);

		inode->link = kmalloc(len + 1);
		if (!inode->link) {
			inode_put(inode);
			return ERR_PTR(-ENOMEM);
		}
		memcpy(inode->link, target, len + 1);
		inode->size = (off_t)len;
	} else if (S_ISREG(mode) && tmpfs_file_init(inode) < 0) {
		inode_put(inode);
		return ERR_PTR(-ENOMEM);
	}
	return inode;
}

struct inode *tmpfs_new_unlinked(struct super *sb, mode_t mode)
{
	struct inode *inode = tmpfs_new_inode(sb, NULL, S_IFREG | mode, 0,
					      NULL);

	if (!IS_ERR(inode))
		inode->nlink = 0;
	return inode;
}

static struct dentry *tmpfs_lookup(struct dentry *dir, const char *name,
				   size_t len)
{
	struct dentry *d;

	list_for_each_entry(d, &dir->children, sibling) {
		if (dentry_name_is(d, name, len)) {
			dget(d);
			return d;
		}
	}
	return NULL;
}

/* The directory gained (delta 1) or lost (-1) an entry. */
static void dir_changed(struct inode *dir, int delta, bool subdir)
{
	mutex_lock(&dir->lock);
	dir->size += delta * BOGO_DIRENT_SIZE;
	if (subdir)
		dir->nlink += delta;
	inode_touch_mtime(dir);
	mutex_unlock(&dir->lock);
}

static int tmpfs_create(struct dentry *dir, const char *name, size_t len,
			mode_t mode, dev_t rdev, const char *target,
			struct dentry **out)
{
	struct inode *inode;
	struct dentry *d;

	if (dir->inode->nlink == 0)
		return -ENOENT;		/* the directory was removed */
	inode = tmpfs_new_inode(dir->sb, dir->inode, mode, rdev, target);
	if (IS_ERR(inode))
		return (int)PTR_ERR(inode);
	d = dentry_alloc(dir, name, len, inode);
	if (!d) {
		inode_put(inode);
		return -ENOMEM;
	}
	dentry_link(dir, d);
	dir_changed(dir->inode, 1, S_ISDIR(mode));
	*out = d;
	return 0;
}

static int tmpfs_link(struct dentry *dir, const char *name, size_t len,
		      struct dentry *old)
{
	struct inode *inode = old->inode;
	struct dentry *d;

	if (dir->inode->nlink == 0)
		return -ENOENT;
	inode_get(inode);
	d = dentry_alloc(dir, name, len, inode);
	if (!d) {
		inode_put(inode);
		return -ENOMEM;
	}
	mutex_lock(&inode->lock);
	inode->nlink++;
	inode_touch_ctime(inode);
	mutex_unlock(&inode->lock);
	dentry_link(dir, d);
	dput(d);
	dir_changed(dir->inode, 1, false);
	return 0;
}

/* Drop victim's name from its directory and fix the link counts. */
static void tmpfs_remove(struct dentry *dir, struct dentry *victim)
{
	struct inode *inode = victim->inode;
	bool isdir = S_ISDIR(inode->mode);

	mutex_lock(&inode->lock);
	inode->nlink = isdir ? 0 : inode->nlink - 1;
	inode_touch_ctime(inode);
	mutex_unlock(&inode->lock);
	dir_changed(dir->inode, -1, isdir);
	dentry_unlink(victim);
}

static int tmpfs_unlink(struct dentry *dir, struct dentry *victim)
{
	tmpfs_remove(dir, victim);
	return 0;
}

/* Move d (linked) under new_dir, which already has its name. */
static void tmpfs_move(struct dentry *d, struct dentry *new_dir)
{
	struct dentry *old_dir = d->parent;
	bool isdir = S_ISDIR(d->inode->mode);

	list_del(&d->sibling);
	d->flags &= ~DENTRY_LINKED;
	dget(new_dir);
	d->parent = new_dir;
	d->pos = new_dir->inode->next_pos++;
	d->flags |= DENTRY_LINKED;
	list_add(&d->sibling, &new_dir->children);
	dir_changed(old_dir->inode, -1, isdir);
	dir_changed(new_dir->inode, 1, isdir);
	mutex_lock(&d->inode->lock);
	inode_touch_ctime(d->inode);
	mutex_unlock(&d->inode->lock);
	dput(old_dir);
}

/* RENAME_EXCHANGE: a and b swap places (and names). */
static int tmpfs_exchange(struct dentry *a, struct dentry *b)
{
	char tmp[NAME_MAX + 1];
	struct dentry *a_dir = a->parent, *b_dir = b->parent;
	size_t len = a->name_len;
	int err;

	memcpy(tmp, a->name, len);
	err = dentry_set_name(a, b->name, b->name_len);
	if (!err)
		err = dentry_set_name(b, tmp, len);
	if (err) {
		dentry_set_name(a, tmp, len);	/* back to the old name */
		return err;
	}
	/* In one directory, swapping the names is the whole exchange. */
	if (a_dir != b_dir) {
		tmpfs_move(a, b_dir);
		tmpfs_move(b, a_dir);
	}
	return 0;
}

static int tmpfs_rename(struct dentry *old, struct dentry *new_dir,
			const char *name, size_t len, struct dentry *target,
			unsigned int flags)
{
	int err;

	if (flags & RENAME_EXCHANGE)
		return tmpfs_exchange(old, target);
	if (new_dir->inode->nlink == 0)
		return -ENOENT;
	err = dentry_set_name(old, name, len);
	if (err)
		return err;
	if (target)
		tmpfs_remove(new_dir, target);
	tmpfs_move(old, new_dir);
	return 0;
}

static int tmpfs_get_link(struct dentry *d, char *buf, size_t size)
{
	size_t len = strlen(d->inode->link);

	memcpy(buf, d->inode->link, MIN(len, size));
	return (int)len;
}

/*
 * "." and "..", then the entries newest first, as Linux 6.1's tmpfs lists
 * them (new names go to the head of the list). An entry's directory
 * offset grows along the list: a larger creation number, a smaller
 * offset. Entries made during a listing land before its cursor and are
 * not returned, as in Linux.
 */
#define DIR_OFF(d)	((off_t)(2 + ((1ULL << 40) - (d)->pos)))

static int tmpfs_readdir(struct file *f, struct dir_context *ctx)
{
	struct dentry *dir = f->dentry, *d;

	if (ctx->pos == 0) {
		if (!ctx->emit(ctx, ".", 1, dir->inode->ino, S_IFDIR >> 12, 1))
			return 0;
		ctx->pos = 1;
	}
	if (ctx->pos == 1) {
		if (!ctx->emit(ctx, "..", 2, dir->parent->inode->ino,
			       S_IFDIR >> 12, 2))
			return 0;
		ctx->pos = 2;
	}
	list_for_each_entry(d, &dir->children, sibling) {
		off_t next = DIR_OFF(d) + 1;

		if (DIR_OFF(d) < ctx->pos)
			continue;
		if (!ctx->emit(ctx, d->name, d->name_len, d->inode->ino,
			       (d->inode->mode & S_IFMT) >> 12, next))
			return 0;
		ctx->pos = next;
	}
	return 0;
}

static ssize_t dir_read(struct file *f, struct iobuf *io, off_t *pos)
{
	return -EISDIR;
}

/* Linux's dcache_dir_lseek: SEEK_SET and SEEK_CUR to any position >= 0. */
static off_t dir_llseek(struct file *f, off_t off, int whence)
{
	if (whence == SEEK_CUR) {
		if (off > 0 && f->pos > INT64_MAX - off)
			return -EINVAL;
		off += f->pos;
	} else if (whence != SEEK_SET) {
		return -EINVAL;
	}
	if (off < 0)
		return -EINVAL;
	return f->pos = off;
}

static const struct file_ops tmpfs_dir_ops = {
	.read = dir_read,
	.llseek = dir_llseek,
	.readdir = tmpfs_readdir,
};

static const struct inode_ops tmpfs_dir_iops = {
	.lookup = tmpfs_lookup,
	.create = tmpfs_create,
	.link = tmpfs_link,
	.unlink = tmpfs_unlink,
	.rename = tmpfs_rename,
};

static const struct inode_ops tmpfs_symlink_iops = {
	.get_link = tmpfs_get_link,
	.evict = symlink_evict,
};

/* ---- Super blocks --------------------------------------------------- */

/* Drop every name of the tree under root, children first. */
static void tmpfs_drop_tree(struct dentry *root)
{
	struct dentry *d = root;

	for (;;) {
		struct dentry *parent;

		if (!list_empty(&d->children)) {
			d = list_first_entry(&d->children, struct dentry,
					     sibling);
			continue;
		}
		if (d == root)
			break;
		parent = d->parent;	/* kept alive by its own link */
		dentry_unlink(d);
		d = parent;
	}
}

static void tmpfs_kill_super(struct super *sb)
{
	tmpfs_drop_tree(sb->root);
	dput(sb->root);
	kfree(sb->private);
}

/* Parse a decimal or 0-prefixed octal number with an optional k/m/g/%. */
static bool parse_num(const char *s, size_t len, int base, uint64_t *out,
		      bool suffix)
{
	uint64_t v = 0;
	size_t i = 0;

	if (len == 0)
		return false;
	for (; i < len && s[i] >= '0' && s[i] < '0' + base; i++)
		v = v * (uint64_t)base + (uint64_t)(s[i] - '0');
	if (i == 0)
		return false;
	if (suffix && i + 1 == len) {
		switch (s[i++]) {
		case 'k': case 'K': v <<= 10; break;
		case 'm': case 'M': v <<= 20; break;
		case 'g': case 'G': v <<= 30; break;
		default: return false;
		}
	}
	*out = v;
	return i == len;
}

static bool opt_is(const char *key, size_t klen, const char *name)
{
	return klen == strlen(name) && memcmp(key, name, klen) == 0;
}

/* One "key=value" mount option. */
static int tmpfs_option(struct tmpfs_options *o, const char *opt, size_t len)
{
	const char *eq = opt, *val;
	size_t klen, vlen;
	uint64_t v;

	while (eq < opt + len && *eq != '=')
		eq++;
	if (eq == opt + len)
		return -EINVAL;
	klen = (size_t)(eq - opt);
	vlen = len - klen - 1;
	val = eq + 1;
	if (opt_is(opt, klen, "mode") && parse_num(val, vlen, 8, &v, false))
		o->mode = (mode_t)v & 07777;
	else if (opt_is(opt, klen, "uid") &&
		 parse_num(val, vlen, 10, &v, false))
		o->uid = (uid_t)v;
	else if (opt_is(opt, klen, "gid") &&
		 parse_num(val, vlen, 10, &v, false))
		o->gid = (gid_t)v;
	else if (opt_is(opt, klen, "size") &&
		 parse_num(val, vlen, 10, &v, true))
		o->max_pages = ALIGN_UP(v, PAGE_SIZE) / PAGE_SIZE;
	else if (opt_is(opt, klen, "nr_inodes") &&
		 parse_num(val, vlen, 10, &v, true))
		o->max_inodes = v;
	else
		return -EINVAL;
	return 0;
}

static int tmpfs_parse(struct tmpfs_options *o, const char *options)
{
	while (*options) {
		size_t len = 0;
		int err;

		while (options[len] && options[len] != ',')
			len++;
		if (len) {
			err = tmpfs_option(o, options, len);
			if (err)
				return err;
		}
		options += len + (options[len] == ',');
	}
	return 0;
}

static int tmpfs_fill(struct super *sb, const char *options, mode_t mode)
{
	struct tmpfs_options *o = kzalloc(sizeof(*o));
	struct inode *root;
	int err;

	if (!o)
		return -ENOMEM;
	o->mode = mode;
	/* Linux's defaults: half of RAM, as many inodes as that has pages;
	 * size=0 or nr_inodes=0 mean no limit. */
	o->max_pages = page_count_total() / 2;
	o->max_inodes = page_count_total() / 2;
	err = tmpfs_parse(o, options);
	if (err) {
		kfree(o);
		return err;
	}
	sb->private = o;
	sb->max_pages = o->max_pages;
	root = tmpfs_new_inode(sb, NULL, S_IFDIR | o->mode, 0, NULL);
	if (IS_ERR(root)) {
		kfree(o);
		sb->private = NULL;
		return (int)PTR_ERR(root);
	}
	root->uid = o->uid;
	root->gid = o->gid;
	sb->root = dentry_alloc(NULL, "/", 1, root);
	if (!sb->root) {
		inode_put(root);
		kfree(o);
		sb->private = NULL;
		return -ENOMEM;
	}
	return 0;
}

void tmpfs_statfs(struct super *sb, uint64_t *blocks, uint64_t *files)
{
	struct tmpfs_options *o = sb->private;

	*blocks = o->max_pages;
	*files = o->max_inodes;
}

static int tmpfs_fill_super(struct super *sb, const char *options)
{
	return tmpfs_fill(sb, options, 01777);
}

static int rootfs_fill_super(struct super *sb, const char *options)
{
	return tmpfs_fill(sb, options, 01777);
}

const struct fs_type tmpfs_type = {
	.name = "tmpfs",
	.fill_super = tmpfs_fill_super,
	.kill_super = tmpfs_kill_super,
	.nodev = true,
};

const struct fs_type rootfs_type = {
	.name = "rootfs",
	.fill_super = rootfs_fill_super,
	.kill_super = tmpfs_kill_super,
	.nodev = true,
};
