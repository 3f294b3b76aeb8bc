/*
 * devpts: the directory of pseudo-terminal slaves, mounted on /dev/pts
 * (`mount -t devpts devpts /dev/pts`). It holds "ptmx" (char 5:2, the
 * same multiplexer as /dev/ptmx, with mode ptmxmode=, 000 by default as
 * in Linux) and one "N" (char 136:N, mode= 0620 by default, owned by the
 * process that opened the master) per live pair of kernel/drivers/pty.c.
 *
 * Like procfs, nothing is cached: every lookup makes a fresh inode from
 * the pty table, so the directory always shows the pairs that exist.
 * Every mount shows the same pairs (Linux's newinstance is not
 * supported).
 */
#include "vfs.h"
#include <fs/chrdev.h>
#include <drivers/pty.h>
#include <lib/parse.h>
#include <lib/printk.h>
#include <lib/string.h>
#include <mm/kmalloc.h>
#include <uapi/errno.h>
#include <uapi/stat.h>

#define DEVPTS_ROOT_INO	1
#define DEVPTS_PTMX_INO	2
#define DEVPTS_INO(n)	((uint64_t)(n) + 3)

struct devpts_opts {
	mode_t mode, ptmxmode;		/* permission bits */
};

static const struct inode_ops devpts_dev_iops = { 0 };

static int devpts_slave_open(struct inode *inode, struct file *f)
{
	return pty_open_slave(MINOR(inode->rdev), f);
}

static const struct file_ops devpts_slave_ops = {
	.open = devpts_slave_open,
};

/* A dentry under dir for a char device rdev with mode, or ERR_PTR. */
static struct dentry *devpts_make(struct dentry *dir, const char *name,
				  size_t len, mode_t mode, dev_t rdev,
				  uint64_t ino, uid_t uid, gid_t gid)
{
	const struct file_ops *fops = MAJOR(rdev) == PTY_SLAVE_MAJOR ?
		&devpts_slave_ops : &chrdev_open_ops;
	struct inode *inode = inode_alloc(dir->sb, S_IFCHR | mode,
						   &devpts_dev_iops, fops);
	struct dentry *d;

	if (!inode)
		return ERR_PTR(-ENOMEM);
	inode->rdev = rdev;
	inode->ino = ino;
	inode->uid = uid;
	inode->gid = gid;
	d = dentry_alloc(dir, name, len, inode);
	if (!d) {
		inode_put(inode);
		return ERR_PTR(-ENOMEM);
	}
	return d;
}

static struct dentry *devpts_lookup(struct dentry *dir, const char *name,
				    size_t len)
{
	struct devpts_opts *o = dir->sb->private;
	uid_t uid;
	gid_t gid;
	long n;

	if (len == 4 && !memcmp(name, "ptmx", 4))
		return devpts_make(dir, name, len, o->ptmxmode, MKDEV(5, 2),
				   DEVPTS_PTMX_INO, 0, 0);
	if (parse_long(name, len, &n) < 0 || n < 0 || n > INT32_MAX ||
	    (name[0] == '0' && len > 1) || pty_next((int)n, &uid, &gid) != n)
		return NULL;
	return devpts_make(dir, name, len, o->mode,
			   MKDEV(PTY_SLAVE_MAJOR, (unsigned int)n),
			   DEVPTS_INO(n), uid, gid);
}

/* ".", "..", "ptmx", then the pairs: pair n at position 4 + n. */
static int devpts_readdir(struct file *f, struct dir_context *ctx)
{
	struct dentry *dir = f->dentry;
	uid_t uid;
	gid_t gid;
	char num[16];
	int n;

	if (ctx->pos == 0 && ctx->emit(ctx, ".", 1, DEVPTS_ROOT_INO, 4, 1))
		ctx->pos = 1;
	if (ctx->pos == 1 && ctx->emit(ctx, "..", 2,
				       dir->parent->inode->ino, 4, 2))
		ctx->pos = 2;
	if (ctx->pos == 2 && ctx->emit(ctx, "ptmx", 4, DEVPTS_PTMX_INO, 2, 3))
		ctx->pos = 3;
	while (ctx->pos >= 3 &&
	       (n = pty_next((int)(ctx->pos - 3), &uid, &gid)) >= 0) {
		int len = snprintf(num, sizeof(num), "%d", n);

		if (!ctx->emit(ctx, num, (size_t)len, DEVPTS_INO(n), 2, n + 4))
			return 0;
		ctx->pos = n + 4;
	}
	return 0;
}

static ssize_t devpts_dir_read(struct file *f, struct iobuf *io, off_t *pos)
{
	return -EISDIR;
}

static const struct file_ops devpts_dir_ops = {
	.read = devpts_dir_read,
	.readdir = devpts_readdir,
};

static const struct inode_ops devpts_dir_iops = {
	.lookup = devpts_lookup,
};

/* One "key=octal" option into *out; false if it is not that key. */
static bool devpts_mode_opt(const char *opt, size_t len, const char *key,
			    mode_t *out, int *err)
{
	size_t klen = strlen(key);
	mode_t v = 0;

	if (len <= klen || memcmp(opt, key, klen) || opt[klen] != '=')
		return false;
	for (size_t i = klen + 1; i < len; i++) {
		if (opt[i] < '0' || opt[i] > '7' || v > 07777) {
			*err = -EINVAL;
			return true;
		}
		v = v * 8 + (mode_t)(opt[i] - '0');
	}
	*out = v & 07777;
	return true;
}

/* mode= and ptmxmode= (octal); Linux's uid=, gid=, max= and newinstance
 * are not supported and, as any unknown option, -EINVAL. */
static int devpts_parse(struct devpts_opts *o, const char *options)
{
	const char *p = options;
	int err = 0;

	while (*p && !err) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);

		if (!devpts_mode_opt(p, len, "mode", &o->mode, &err) &&
		    !devpts_mode_opt(p, len, "ptmxmode", &o->ptmxmode, &err))
			err = -EINVAL;
		p += len + (p[len] == ',');
	}
	return err;
}

static int devpts_fill_super(struct super *sb, const char *options)
{
	struct devpts_opts *o = kzalloc(sizeof(*o));
	struct inode *root;
	int err;

	if (!o)
		return -ENOMEM;
	*o = (struct devpts_opts){ .mode = 0620, .ptmxmode = 0 };
	err = devpts_parse(o, options);
	root = err ? NULL : inode_alloc(sb, S_IFDIR | 0755, &devpts_dir_iops,
					&devpts_dir_ops);
	if (!err && !root)
		err = -ENOMEM;
	if (err) {
		kfree(o);
		return err;
	}
	root->ino = DEVPTS_ROOT_INO;
	root->nlink = 2;
	sb->root = dentry_alloc(NULL, "/", 1, root);
	if (!sb->root) {
		inode_put(root);
		kfree(o);
		return -ENOMEM;
	}
	sb->private = o;
	return 0;
}

static void devpts_kill_super(struct super *sb)
{
	dput(sb->root);
	kfree(sb->private);
}

const struct fs_type devpts_type = {
	.name = "devpts",
	.fill_super = devpts_fill_super,
	.kill_super = devpts_kill_super,
	.nodev = true,
};
