/*
 * memfd_create(2) and file seals (fcntl F_ADD_SEALS, F_GET_SEALS), as
 * Linux's mm/memfd.c.
 *
 * A memfd is a tmpfs regular file that never had a name. Its inode lives
 * on an internal tmpfs instance that is never attached to the namespace
 * and has no size or inode limit (Linux's shm_mnt); its dentry is
 * detached and marked deleted, so /proc/self/fd shows it as Linux does,
 * "/memfd:NAME (deleted)". Everything else (read, write, mmap, truncate,
 * fallocate, SEEK_DATA) is tmpfs's own code, and the file and its pages
 * go away with the last reference, like any unlinked file.
 *
 * Seals are kept in the file's memory object (vm_object_seals), beside
 * the data they protect. Every tmpfs regular file has them: one created
 * by name starts with F_SEAL_SEAL, so it can never be sealed (Linux's
 * shmem files behave the same way), and MFD_ALLOW_SEALING starts a memfd
 * without it. Seals are added under inode->lock, which tmpfs's write,
 * truncate and fallocate hold while they check them.
 */
#include "vfs.h"
#include <lib/printk.h>
#include <lib/string.h>
#include <mm/kmalloc.h>
#include <mm/vm_object.h>
#include <mm/uaccess.h>
#include <uapi/memfd.h>
#include <syscall/syscall.h>

#define MFD_NAME_PREFIX		"memfd:"
#define MFD_NAME_PREFIX_LEN	(sizeof(MFD_NAME_PREFIX) - 1)
/* The name with its prefix must be a valid file name. */
#define MFD_NAME_MAX_LEN	(NAME_MAX - MFD_NAME_PREFIX_LEN)	/* 249 */
#define MFD_ALL_FLAGS		(MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_HUGETLB)

#define F_ALL_SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | \
		     F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)

static struct mount *memfd_mnt;		/* fixed after memfd_init */

void memfd_init(void)
{
	/* size=0, nr_inodes=0: no limits, as Linux's internal shm mount. */
	memfd_mnt = mount_kernel(&tmpfs_type, "size=0,nr_inodes=0");
	BUG_ON(IS_ERR(memfd_mnt));
}

/* Whether f is a tmpfs regular file (the only files with seals). */
static bool file_has_seals(const struct file *f)
{
	return f->inode->iops == &tmpfs_file_iops;
}

/* F_ADD_SEALS, with Linux's checks in Linux's order. */
static long memfd_add_seals(struct file *f, unsigned long seals)
{
	struct inode *inode = f->inode;
	unsigned int have;
	long err = 0;

	if (seals > UINT32_MAX)
		return -EINVAL;
	if (!(f->mode & FMODE_WRITE))
		return -EPERM;
	if (seals & ~(unsigned long)F_ALL_SEALS)
		return -EINVAL;
	if (!file_has_seals(f))
		return -EINVAL;
	mutex_lock(&inode->lock);
	have = vm_object_seals(inode->obj);
	if (have & F_SEAL_SEAL)
		err = -EPERM;
	else if ((seals & F_SEAL_WRITE) && !(have & F_SEAL_WRITE) &&
		 vm_object_writable_maps(inode->obj))
		err = -EBUSY;	/* a shared mapping could still write */
	else
		vm_object_set_seals(inode->obj, have | (unsigned int)seals);
	mutex_unlock(&inode->lock);
	return err;
}

long memfd_fcntl(struct file *f, unsigned int cmd, unsigned long arg)
{
	if (cmd == F_ADD_SEALS)
		return memfd_add_seals(f, arg);
	if (!file_has_seals(f))
		return -EINVAL;
	return vm_object_seals(f->inode->obj);
}

/* A new memfd named name (prefix included), open O_RDWR. */
static struct file *memfd_open(const char *name, size_t len, bool sealable)
{
	struct inode *inode = tmpfs_new_unlinked(memfd_mnt->sb, 0777);
	struct path p;

	if (IS_ERR(inode))
		return ERR_PTR(PTR_ERR(inode));
	if (sealable)
		vm_object_set_seals(inode->obj, 0);
	p.dentry = dentry_alloc(NULL, name, len, inode);
	if (!p.dentry) {
		inode_put(inode);
		return ERR_PTR(-ENOMEM);
	}
	p.dentry->flags |= DENTRY_DELETED;	/* not yet shared: no lock */
	p.mnt = memfd_mnt;
	mount_get(p.mnt);
	return file_open_path(&p, O_RDWR);
}

/* The flags Linux accepts: the huge page size bits only with MFD_HUGETLB. */
static bool memfd_flags_ok(unsigned int flags)
{
	unsigned int allowed = MFD_ALL_FLAGS;

	if (flags & MFD_HUGETLB)
		allowed |= MFD_HUGE_MASK << MFD_HUGE_SHIFT;
	return !(flags & ~allowed);
}

/*
 * The file itself. Basalt has no huge pages and no hugetlbfs, so
 * MFD_HUGETLB fails as on a Linux built without CONFIG_HUGETLBFS: -ENOSYS.
 */
static struct file *memfd_make(const char *name, size_t len,
			       unsigned int flags)
{
	if (flags & MFD_HUGETLB)
		return ERR_PTR(-ENOSYS);
	return memfd_open(name, len, flags & MFD_ALLOW_SEALING);
}

SYSCALL_DEFINE2(memfd_create, const char __user *, uname, unsigned int, flags)
{
	char *name;
	struct file *f;
	long len, fd;

	if (!memfd_flags_ok(flags))
		return -EINVAL;
	name = kmalloc(MFD_NAME_PREFIX_LEN + MFD_NAME_MAX_LEN + 1);
	if (!name)
		return -ENOMEM;
	memcpy(name, MFD_NAME_PREFIX, MFD_NAME_PREFIX_LEN);
	len = strncpy_from_user(name + MFD_NAME_PREFIX_LEN, uname,
				MFD_NAME_MAX_LEN + 1);
	if (len < 0) {
		kfree(name);
		return len == -ENAMETOOLONG ? -EINVAL : -EFAULT;
	}
	fd = fd_check_free();
	if (fd == 0) {
		f = memfd_make(name, MFD_NAME_PREFIX_LEN + (size_t)len, flags);
		if (IS_ERR(f)) {
			fd = PTR_ERR(f);
		} else {
			fd = fd_install(f, 0, flags & MFD_CLOEXEC);
			if (fd < 0)
				file_put(f);
		}
	}
	kfree(name);
	return fd;
}
