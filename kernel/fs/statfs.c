/*
 * statfs and fstatfs: what a file system says about its capacity, in
 * Linux's struct statfs. tmpfs reports its size= and nr_inodes= limits
 * (half of RAM by default, as Linux's) and what is used of them; procfs
 * and the internal pipefs report no blocks, as Linux's do.
 */
#include "vfs.h"
#include <lib/string.h>
#include <mm/uaccess.h>
#include <uapi/statfs.h>
#include <syscall/syscall.h>

static int64_t statfs_flags(const struct mount *m)
{
	static const struct { unsigned int mnt; int64_t st; } map[] = {
		{ MNT_RDONLY, ST_RDONLY }, { MNT_NOSUID, ST_NOSUID },
		{ MNT_NODEV, ST_NODEV }, { MNT_NOEXEC, ST_NOEXEC },
		{ MNT_NOATIME, ST_NOATIME }, { MNT_NODIRATIME, ST_NODIRATIME },
		{ MNT_NOSYMFOLLOW, ST_NOSYMFOLLOW },
	};
	int64_t f = ST_VALID;

	for (size_t i = 0; i < ARRAY_SIZE(map); i++)
		if (m->flags & map[i].mnt)
			f |= map[i].st;
	if (m->flags & MNT_RELATIME)
		f |= ST_RELATIME;
	return f;
}

static void statfs_fill(const struct path *p, struct statfs *st)
{
	struct super *sb = p->mnt->sb;
	uint64_t blocks, files, used;

	memset(st, 0, sizeof(*st));
	st->f_bsize = st->f_frsize = 4096;
	st->f_namelen = NAME_MAX;
	st->f_flags = statfs_flags(p->mnt);
	if (sb->type == &tmpfs_type || sb->type == &rootfs_type) {
		st->f_type = TMPFS_MAGIC;
		memcpy(st->f_fsid, sb->fsid, sizeof(st->f_fsid));
		tmpfs_statfs(sb, &blocks, &files);
		used = __atomic_load_n(&sb->used_pages, __ATOMIC_RELAXED);
		if (blocks) {
			st->f_blocks = blocks;
			st->f_bfree = st->f_bavail = blocks > used ?
						     blocks - used : 0;
		}
		used = __atomic_load_n(&sb->nr_inodes, __ATOMIC_RELAXED);
		if (files) {
			st->f_files = files;
			st->f_ffree = files > used ? files - used : 0;
		}
	} else if (sb->type == &procfs_type) {
		st->f_type = PROC_SUPER_MAGIC;
	} else if (sb->type == &sysfs_type) {
		st->f_type = SYSFS_MAGIC;
	} else {
		st->f_type = PIPEFS_MAGIC;
	}
}

static long statfs_copy(const struct path *p, struct statfs __user *ubuf)
{
	struct statfs st;

	statfs_fill(p, &st);
	return copy_to_user(ubuf, &st, sizeof(st)) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(statfs, const char __user *, name, struct statfs __user *,
		buf)
{
	struct path p;
	long err = user_path_lookup(AT_FDCWD, name, LOOKUP_FOLLOW, &p);

	if (err)
		return err;
	err = statfs_copy(&p, buf);
	path_put(&p);
	return err;
}

SYSCALL_DEFINE2(fstatfs, int, fd, struct statfs __user *, buf)
{
	struct file *f = fd_get(fd);
	struct path p;
	long err;

	if (!f)
		return -EBADF;
	p.mnt = f->mnt;
	p.dentry = f->dentry;
	err = statfs_copy(&p, buf);
	file_put(f);
	return err;
}
