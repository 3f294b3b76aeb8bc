/*
 * Anonymous files: eventfd, epoll and socket files, which live in no
 * directory. Their inodes belong to one internal file system ("anonfs",
 * mounted nowhere); the dentry carries the name /proc/<pid>/fd shows.
 * See fs/anon.h.
 */
#include "vfs.h"
#include <fs/anon.h>
#include <lib/printk.h>
#include <lib/string.h>

static struct mount *anon_mnt;		/* made at boot, fixed */

static const struct fs_type anonfs_type = {
	.name = "anon_inodefs",
	.fill_super = internal_fs_fill_super,
	.kill_super = super_drop_root,
	.nodev = true,
};

void anon_init(void)
{
	anon_mnt = mount_kernel(&anonfs_type, "");
	BUG_ON(IS_ERR(anon_mnt));
}

struct file *anon_file_open(const char *name, mode_t mode,
			    const struct file_ops *ops, void *private,
			    int flags)
{
	struct mount *mnt = anon_mnt;
	struct inode *inode = inode_alloc(mnt->sb, mode, NULL, NULL);
	struct path path;
	struct file *f;
	char buf[48];
	int len;

	if (!inode)
		return ERR_PTR(-ENOMEM);
	len = snprintf(buf, sizeof(buf), name, (unsigned long)inode->ino);
	path.mnt = mnt;
	path.dentry = dentry_alloc(NULL, buf, (size_t)len, inode);
	if (!path.dentry) {
		inode_put(inode);
		return ERR_PTR(-ENOMEM);
	}
	mount_get(mnt);
	f = file_open_path(&path, O_RDWR);
	if (IS_ERR(f))
		return f;
	f->ops = ops;
	f->private = private;
	f->flags = O_RDWR | ((unsigned int)flags & O_NONBLOCK);
	file_nonseekable(f);
	if (ops->llseek)
		f->mode |= FMODE_LSEEK;	/* Linux's noop_llseek files */
	return f;
}

off_t anon_noop_llseek(struct file *f, off_t off, int whence)
{
	return f->pos;
}

uint64_t anon_file_ino(struct file *f)
{
	return f->inode->ino;
}

bool anon_file_is(struct file *f, const struct file_ops *ops)
{
	return f->ops == ops && f->mnt == anon_mnt;
}
