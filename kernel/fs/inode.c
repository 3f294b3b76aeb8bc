/*
 * Inodes: allocation, reference counting, permission checks and
 * timestamps. What an inode holds beyond its attributes (file pages, a
 * symlink target) belongs to its file system, which frees it in ->evict.
 */
#include "vfs.h"
#include <mm/kmalloc.h>
#include <proc/sched.h>
#include <proc/task.h>

struct fs_time fs_now(void)
{
	uint64_t ns = clock_realtime_ns();

	return (struct fs_time){ (int64_t)(ns / 1000000000),
				 (int64_t)(ns % 1000000000) };
}

/* At boot, before the first task, files belong to root. */
uid_t fs_current_uid(void)
{
	struct task *t = current;

	return t ? t->cred.euid : 0;
}

gid_t fs_current_gid(void)
{
	struct task *t = current;

	return t ? t->cred.egid : 0;
}

bool fs_in_supplementary(gid_t gid)
{
	struct task *t = current;

	return t && cred_in_supplementary(&t->cred, gid);
}

bool fs_in_group(gid_t gid)
{
	return fs_current_gid() == gid || fs_in_supplementary(gid);
}

bool fs_is_root(void)
{
	return fs_current_uid() == 0;
}

struct inode *inode_alloc(struct super *sb, mode_t mode,
			  const struct inode_ops *iops,
			  const struct file_ops *fops)
{
	struct inode *inode = kzalloc(sizeof(*inode));

	if (!inode)
		return NULL;
	inode->refcount = 1;
	inode->ino = __atomic_add_fetch(&sb->next_ino, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&sb->nr_inodes, 1, __ATOMIC_RELAXED);
	inode->sb = sb;
	inode->iops = iops;
	inode->fops = fops;
	mutex_init(&inode->lock, "inode");
	inode->mode = mode;
	inode->nlink = 1;
	inode->uid = fs_current_uid();
	inode->gid = fs_current_gid();
	inode->atime = inode->mtime = inode->ctime = fs_now();
	return inode;
}

void inode_get(struct inode *inode)
{
	ref_inc(&inode->refcount);
}

void inode_put(struct inode *inode)
{
	if (!inode || !ref_dec(&inode->refcount))
		return;
	if (inode->iops && inode->iops->evict)
		inode->iops->evict(inode);
	__atomic_sub_fetch(&inode->sb->nr_inodes, 1, __ATOMIC_RELAXED);
	kfree(inode);
}

int inode_permission_ids(struct inode *inode, int mask, uid_t uid, gid_t gid)
{
	mode_t mode = __atomic_load_n(&inode->mode, __ATOMIC_RELAXED);
	unsigned int perm;

	mask &= MAY_READ | MAY_WRITE | MAY_EXEC;
	if (uid == 0) {
		/* CAP_DAC_OVERRIDE: anything but executing a file that no
		 * one may execute. */
		if (!(mask & MAY_EXEC) || S_ISDIR(mode) || (mode & S_IXUGO))
			return 0;
		return -EACCES;
	}
	if (uid == inode->uid)
		perm = mode >> 6;
	else if (gid == inode->gid || fs_in_supplementary(inode->gid))
		perm = mode >> 3;
	else
		perm = mode;
	return ((perm & 7 & (unsigned int)mask) == (unsigned int)mask) ?
		0 : -EACCES;
}

int inode_permission(struct inode *inode, int mask)
{
	return inode_permission_ids(inode, mask, fs_current_uid(),
				    fs_current_gid());
}

void inode_touch_mtime(struct inode *inode)
{
	inode->mtime = inode->ctime = fs_now();
}

void inode_touch_ctime(struct inode *inode)
{
	inode->ctime = fs_now();
}

static bool time_le(struct fs_time a, struct fs_time b)
{
	return a.sec < b.sec || (a.sec == b.sec && a.nsec <= b.nsec);
}

/* With relatime (user mounts' default) atime moves only when it is older
 * than mtime or ctime, or a day old; without (rootfs, strictatime) on
 * every access. Called with inode->lock held. */
void inode_touch_atime(struct inode *inode, struct mount *mnt)
{
	struct fs_time now;

	mutex_assert_held(&inode->lock);
	if (mnt && (mnt->flags & MNT_NOATIME))
		return;
	if (mnt && (mnt->flags & MNT_NODIRATIME) && S_ISDIR(inode->mode))
		return;
	now = fs_now();
	if (mnt && (mnt->flags & MNT_RELATIME) &&
	    !time_le(inode->atime, inode->mtime) &&
	    !time_le(inode->atime, inode->ctime) &&
	    now.sec - inode->atime.sec < 24 * 60 * 60)
		return;
	inode->atime = now;
}
