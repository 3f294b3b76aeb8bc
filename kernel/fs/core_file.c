/*
 * The file side of a core dump (proc/coredump.c writes the contents):
 * making the core file with Linux's precautions, writing it from kernel
 * memory, and naming mapped files for the NT_FILE note.
 *
 * Linux's do_coredump removes whatever is at the name first, then
 * creates the file exclusively, so a symlink planted there, a hard link
 * to someone else's file or a FIFO is never written through: the new
 * file must be a regular file with a single link, owned by the dumping
 * process's fsuid. Removing fails harmlessly where the caller may not
 * (another user's file in a sticky directory), and creating then fails
 * with EEXIST: no dump.
 */
#include "vfs.h"
#include "path.h"
#include <lib/string.h>
#include <mm/kmalloc.h>
#include <uapi/fcntl.h>

struct file *core_file_create(const char *path)
{
	struct file *f;
	struct inode *inode;
	bool ok;

	(void)vfs_unlink_at(AT_FDCWD, path, false);
	f = kernel_open_mode(path, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW |
			     O_LARGEFILE, 0600);
	if (IS_ERR(f))
		return f;
	inode = f->inode;
	mutex_lock(&inode->lock);
	ok = S_ISREG(inode->mode) && inode->nlink == 1 &&
	     inode->uid == fs_current_uid();
	mutex_unlock(&inode->lock);
	if (!ok) {
		file_put(f);
		return ERR_PTR(-EPERM);
	}
	return f;
}

bool file_readable(struct file *f)
{
	return inode_permission(f->inode, MAY_READ) == 0;
}

ssize_t kernel_write_at(struct file *f, const void *buf, size_t len, off_t off)
{
	struct iobuf io = IOBUF_KERNEL((void *)buf, len);

	return vfs_write(f, &io, &off);
}

int file_path_name(struct file *f, char *buf, size_t size)
{
	struct path p = { f->mnt, f->dentry };
	char *tmp = kmalloc(PATH_MAX);
	const char *s;
	int err = 0;

	if (!tmp)
		return -ENOMEM;
	mutex_lock(&namespace_lock);
	s = path_to_string(&p, tmp, PATH_MAX);
	mutex_unlock(&namespace_lock);
	if (IS_ERR(s) || strlen(s) >= size)
		err = -ENAMETOOLONG;
	else
		memcpy(buf, s, strlen(s) + 1);
	kfree(tmp);
	return err;
}
