/*
 * Extended attributes: the getxattr, setxattr, listxattr and removexattr
 * families (by path, by path without following a final symlink, and by
 * descriptor). Basalt stores no extended attributes, so every call
 * answers what Linux 6.1 answers for a file that has none, checking its
 * arguments in Linux's order (fs/xattr.c):
 *
 *   1. the file: the path lookup, or the descriptor (EBADF; O_PATH too);
 *   2. set only: flags other than XATTR_CREATE|XATTR_REPLACE (EINVAL);
 *   3. the name: empty or longer than 255 bytes (ERANGE);
 *   4. set only: a value over 64 KiB (E2BIG), then copied in (EFAULT);
 *   5. xattr_permission: trusted.* needs privilege (EPERM to change,
 *      ENODATA to read); user.* exists only on regular files and
 *      directories (EPERM, ENODATA) and needs the file's permission;
 *   6. the namespace: tmpfs (Linux's shmem) answers for security.*,
 *      trusted.* and system.posix_acl_{access,default}: reads and
 *      removals find nothing (ENODATA); user.* and anything else is
 *      not supported there (EOPNOTSUPP), nor is any name on procfs.
 *
 * Listing finds no names (0). Setting a name tmpfs supports would store
 * it on Linux; Basalt has no store, so it refuses with EOPNOTSUPP rather
 * than pretend (docs/files.md).
 */
#include "vfs.h"
#include <lib/string.h>
#include <mm/uaccess.h>
#include <syscall/syscall.h>

#define XATTR_CREATE	0x1
#define XATTR_REPLACE	0x2
#define XATTR_NAME_MAX	255
#define XATTR_SIZE_MAX	65536

enum xattr_op { XA_GET, XA_SET, XA_REMOVE };

static bool has_prefix(const char *name, const char *prefix)
{
	return strncmp(name, prefix, strlen(prefix)) == 0;
}

/* Copy the attribute name in: its length, -EFAULT or -ERANGE. */
static long xattr_name_copy(const char __user *uname,
			    char name[XATTR_NAME_MAX + 1])
{
	long n = strncpy_from_user(name, uname, XATTR_NAME_MAX + 1);

	if (n == -ENAMETOOLONG || n == 0)
		return -ERANGE;
	return n;
}

/* Linux's xattr_permission. */
static int xattr_permission(struct inode *inode, const char *name,
			    enum xattr_op op)
{
	bool write = op != XA_GET;
	mode_t type = inode->mode & S_IFMT;

	if (has_prefix(name, "security.") || has_prefix(name, "system."))
		return 0;
	if (has_prefix(name, "trusted.")) {
		if (!fs_is_root())
			return write ? -EPERM : -ENODATA;
		return 0;
	}
	if (has_prefix(name, "user.")) {
		if (type != S_IFREG && type != S_IFDIR)
			return write ? -EPERM : -ENODATA;
		if (type == S_IFDIR && (inode->mode & S_ISVTX) && write &&
		    fs_current_uid() != inode->uid && !fs_is_root())
			return -EPERM;
	}
	return inode_permission(inode, write ? MAY_WRITE : MAY_READ);
}

/*
 * Linux's xattr_resolve_name on shmem's handlers: 0 when tmpfs answers
 * for the name (a bare "security." or "trusted." is EINVAL there).
 */
static int xattr_handler(struct inode *inode, const char *name)
{
	static const char *const prefixes[] = { "security.", "trusted." };

	if (inode->sb->type != &tmpfs_type && inode->sb->type != &rootfs_type)
		return -EOPNOTSUPP;
	for (size_t i = 0; i < ARRAY_SIZE(prefixes); i++)
		if (has_prefix(name, prefixes[i]))
			return name[strlen(prefixes[i])] ? 0 : -EINVAL;
	if (!strcmp(name, "system.posix_acl_access") ||
	    !strcmp(name, "system.posix_acl_default"))
		return 0;
	return -EOPNOTSUPP;
}

/* Steps 5 and 6 for an attribute nobody has. */
static long xattr_absent(struct path *p, const char *name, enum xattr_op op)
{
	struct inode *inode = p->dentry->inode;
	int err;

	if (op != XA_GET && mount_readonly(p->mnt))
		return -EROFS;
	err = xattr_permission(inode, name, op);
	if (err)
		return err;
	/* Without CAP_SYS_ADMIN, security.* may not change (cap_inode_*). */
	if (op != XA_GET && has_prefix(name, "security.") && !fs_is_root())
		return -EPERM;
	err = xattr_handler(inode, name);
	if (err)
		return err;
	return op == XA_SET ? -EOPNOTSUPP : -ENODATA;
}

/* Steps 2 to 6 for a file already found. */
static long xattr_do(struct path *p, const char __user *uname,
		     const void __user *value, size_t size, int flags,
		     enum xattr_op op)
{
	char name[XATTR_NAME_MAX + 1];
	long err;

	if (op == XA_SET && (flags & ~(XATTR_CREATE | XATTR_REPLACE)))
		return -EINVAL;
	err = xattr_name_copy(uname, name);
	if (err < 0)
		return err;
	if (op == XA_SET && size) {
		char probe;

		if (size > XATTR_SIZE_MAX)
			return -E2BIG;
		/* Linux copies the whole value in before looking further. */
		for (size_t off = 0; off < size; off += 4096)
			if (copy_from_user(&probe, (const char __user *)value +
					   off, 1))
				return -EFAULT;
		if (copy_from_user(&probe, (const char __user *)value +
				   size - 1, 1))
			return -EFAULT;
	}
	return xattr_absent(p, name, op);
}

static long xattr_path(const char __user *upath, bool follow,
		       const char __user *uname, const void __user *value,
		       size_t size, int flags, enum xattr_op op)
{
	struct path p;
	long err = user_path_lookup(AT_FDCWD, upath,
				    follow ? LOOKUP_FOLLOW : 0, &p);

	if (err)
		return err;
	err = xattr_do(&p, uname, value, size, flags, op);
	path_put(&p);
	return err;
}

static long xattr_fd(int fd, const char __user *uname,
		     const void __user *value, size_t size, int flags,
		     enum xattr_op op)
{
	struct file *f = fd_get_io(fd);
	struct path p;
	long err;

	if (!f)
		return -EBADF;
	p.mnt = f->mnt;
	p.dentry = f->dentry;
	err = xattr_do(&p, uname, value, size, flags, op);
	file_put(f);
	return err;
}

SYSCALL_DEFINE4(getxattr, const char __user *, path,
		const char __user *, name, void __user *, value, size_t, size)
{
	return xattr_path(path, true, name, value, size, 0, XA_GET);
}

SYSCALL_DEFINE4(lgetxattr, const char __user *, path,
		const char __user *, name, void __user *, value, size_t, size)
{
	return xattr_path(path, false, name, value, size, 0, XA_GET);
}

SYSCALL_DEFINE4(fgetxattr, int, fd, const char __user *, name,
		void __user *, value, size_t, size)
{
	return xattr_fd(fd, name, value, size, 0, XA_GET);
}

SYSCALL_DEFINE5(setxattr, const char __user *, path,
		const char __user *, name, const void __user *, value,
		size_t, size, int, flags)
{
	return xattr_path(path, true, name, value, size, flags, XA_SET);
}

SYSCALL_DEFINE5(lsetxattr, const char __user *, path,
		const char __user *, name, const void __user *, value,
		size_t, size, int, flags)
{
	return xattr_path(path, false, name, value, size, flags, XA_SET);
}

SYSCALL_DEFINE5(fsetxattr, int, fd, const char __user *, name,
		const void __user *, value, size_t, size, int, flags)
{
	return xattr_fd(fd, name, value, size, flags, XA_SET);
}

SYSCALL_DEFINE2(removexattr, const char __user *, path,
		const char __user *, name)
{
	return xattr_path(path, true, name, NULL, 0, 0, XA_REMOVE);
}

SYSCALL_DEFINE2(lremovexattr, const char __user *, path,
		const char __user *, name)
{
	return xattr_path(path, false, name, NULL, 0, 0, XA_REMOVE);
}

SYSCALL_DEFINE2(fremovexattr, int, fd, const char __user *, name)
{
	return xattr_fd(fd, name, NULL, 0, 0, XA_REMOVE);
}

/* Listing: the file must exist; it has no names, so nothing is written. */
SYSCALL_DEFINE3(listxattr, const char __user *, path, char __user *, list,
		size_t, size)
{
	struct path p;
	long err = user_path_lookup(AT_FDCWD, path, LOOKUP_FOLLOW, &p);

	if (!err)
		path_put(&p);
	return err;
}

SYSCALL_DEFINE3(llistxattr, const char __user *, path, char __user *, list,
		size_t, size)
{
	struct path p;
	long err = user_path_lookup(AT_FDCWD, path, 0, &p);

	if (!err)
		path_put(&p);
	return err;
}

SYSCALL_DEFINE3(flistxattr, int, fd, char __user *, list, size_t, size)
{
	struct file *f = fd_get_io(fd);

	if (!f)
		return -EBADF;
	file_put(f);
	return 0;
}
