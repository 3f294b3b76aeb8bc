/*
 * File status: stat, lstat, fstat, newfstatat and statx, all filled from
 * one snapshot of the inode taken under its lock. Output structures are
 * zeroed first so no kernel bytes reach user space through padding.
 */
#include "vfs.h"
#include <fs/chrdev.h>
#include <lib/string.h>
#include <mm/uaccess.h>
#include <syscall/syscall.h>

#define STATX_ATTR_IMMUTABLE	0x00000010
#define STATX_ATTR_APPEND	0x00000020
#define STATX_ATTR_NODUMP	0x00000040
#define STATX_ATTR_AUTOMOUNT	0x00001000
#define STATX_ATTR_MOUNT_ROOT	0x00002000
#define STATX_ATTR_DAX		0x00200000

struct kstat {
	dev_t dev, rdev;
	ino_t ino;
	mode_t mode;
	uint32_t nlink;
	uid_t uid;
	gid_t gid;
	off_t size;
	uint64_t blocks;
	struct fs_time atime, mtime, ctime;
	bool mount_root;
	bool tmpfs;		/* has Linux shmem's file attribute flags */
	int mnt_id;
};

static void kstat_fill(const struct path *p, struct kstat *ks)
{
	struct inode *inode = p->dentry->inode;

	mutex_lock(&inode->lock);
	ks->dev = inode->sb->dev;
	ks->rdev = inode->rdev;
	ks->ino = inode->ino;
	ks->mode = inode->mode;
	ks->nlink = inode->nlink;
	ks->uid = inode->uid;
	ks->gid = inode->gid;
	ks->size = inode->size;
	ks->blocks = inode->blocks;
	ks->atime = inode->atime;
	ks->mtime = inode->mtime;
	ks->ctime = inode->ctime;
	mutex_unlock(&inode->lock);
	ks->mount_root = p->dentry == p->mnt->root;
	ks->tmpfs = inode->sb->type == &tmpfs_type ||
		    inode->sb->type == &rootfs_type;
	ks->mnt_id = p->mnt->id;
}

int stat_fill(struct path *p, struct stat *st)
{
	struct kstat ks;

	kstat_fill(p, &ks);
	memset(st, 0, sizeof(*st));
	st->st_dev = dev_encode(ks.dev);
	st->st_ino = ks.ino;
	st->st_nlink = ks.nlink;
	st->st_mode = ks.mode;
	st->st_uid = ks.uid;
	st->st_gid = ks.gid;
	st->st_rdev = dev_encode(ks.rdev);
	st->st_size = ks.size;
	st->st_blksize = 4096;
	st->st_blocks = (int64_t)ks.blocks;
	st->st_atime = (uint64_t)ks.atime.sec;
	st->st_atime_nsec = (uint64_t)ks.atime.nsec;
	st->st_mtime = (uint64_t)ks.mtime.sec;
	st->st_mtime_nsec = (uint64_t)ks.mtime.nsec;
	st->st_ctime = (uint64_t)ks.ctime.sec;
	st->st_ctime_nsec = (uint64_t)ks.ctime.nsec;
	return 0;
}

static int stat_copy_out(struct path *p, struct stat __user *ubuf)
{
	struct stat st;

	stat_fill(p, &st);
	return copy_to_user(ubuf, &st, sizeof(st)) ? -EFAULT : 0;
}

/* The path named by (dfd, name, flags) for the stat family. */
static int stat_lookup(int dfd, const char __user *name, int flags,
		       struct path *p)
{
	unsigned int lookup = LOOKUP_FOLLOW;

	if (flags & AT_SYMLINK_NOFOLLOW)
		lookup = 0;
	if (flags & AT_EMPTY_PATH)
		lookup |= LOOKUP_EMPTY;
	return user_path_lookup(dfd, name, lookup, p);
}

static long stat_at(int dfd, const char __user *name,
		    struct stat __user *ubuf, int flags)
{
	struct path p;
	int err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH))
		return -EINVAL;
	err = stat_lookup(dfd, name, flags, &p);
	if (err)
		return err;
	err = stat_copy_out(&p, ubuf);
	path_put(&p);
	return err;
}

SYSCALL_DEFINE2(stat, const char __user *, name, struct stat __user *, buf)
{
	return stat_at(AT_FDCWD, name, buf, 0);
}

SYSCALL_DEFINE2(lstat, const char __user *, name, struct stat __user *, buf)
{
	return stat_at(AT_FDCWD, name, buf, AT_SYMLINK_NOFOLLOW);
}

SYSCALL_DEFINE4(newfstatat, int, dfd, const char __user *, name,
		struct stat __user *, buf, int, flags)
{
	return stat_at(dfd, name, buf, flags);
}

SYSCALL_DEFINE2(fstat, int, fd, struct stat __user *, buf)
{
	struct file *f = fd_get(fd);
	struct path p;
	int err;

	if (!f)
		return -EBADF;
	p.mnt = f->mnt;
	p.dentry = f->dentry;
	err = stat_copy_out(&p, buf);
	file_put(f);
	return err;
}

static void statx_time(struct statx_timestamp *t, struct fs_time ft)
{
	t->tv_sec = ft.sec;
	t->tv_nsec = (uint32_t)ft.nsec;
}

static void statx_fill(const struct kstat *ks, struct statx *sx)
{
	memset(sx, 0, sizeof(*sx));
	sx->stx_mask = STATX_BASIC_STATS | STATX_MNT_ID;
	sx->stx_blksize = 4096;
	sx->stx_attributes = ks->mount_root ? STATX_ATTR_MOUNT_ROOT : 0;
	/* What Linux's vfs_getattr and shmem_getattr say they support. */
	sx->stx_attributes_mask = STATX_ATTR_AUTOMOUNT | STATX_ATTR_MOUNT_ROOT |
				  STATX_ATTR_DAX;
	if (ks->tmpfs)
		sx->stx_attributes_mask |= STATX_ATTR_IMMUTABLE |
			STATX_ATTR_APPEND | STATX_ATTR_NODUMP;
	sx->stx_nlink = ks->nlink;
	sx->stx_uid = ks->uid;
	sx->stx_gid = ks->gid;
	sx->stx_mode = (uint16_t)ks->mode;
	sx->stx_ino = ks->ino;
	sx->stx_size = (uint64_t)ks->size;
	sx->stx_blocks = ks->blocks;
	statx_time(&sx->stx_atime, ks->atime);
	statx_time(&sx->stx_mtime, ks->mtime);
	statx_time(&sx->stx_ctime, ks->ctime);
	sx->stx_rdev_major = MAJOR(ks->rdev);
	sx->stx_rdev_minor = MINOR(ks->rdev);
	sx->stx_dev_major = MAJOR(ks->dev);
	sx->stx_dev_minor = MINOR(ks->dev);
	sx->stx_mnt_id = (uint64_t)ks->mnt_id;
}

SYSCALL_DEFINE5(statx, int, dfd, const char __user *, name, int, flags,
		unsigned int, mask, struct statx __user *, buf)
{
	struct statx sx;
	struct kstat ks;
	struct path p;
	int err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH |
		      AT_STATX_SYNC_TYPE))
		return -EINVAL;
	if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE)
		return -EINVAL;
	if (mask & STATX__RESERVED)
		return -EINVAL;
	err = stat_lookup(dfd, name, flags, &p);
	if (err)
		return err;
	kstat_fill(&p, &ks);
	path_put(&p);
	statx_fill(&ks, &sx);
	return copy_to_user(buf, &sx, sizeof(sx)) ? -EFAULT : 0;
}
