/*
 * Open-file descriptions (struct file): creation from a looked-up path,
 * reference counting, and the checks every read and write goes through
 * before reaching a file's operations. (The iobuf helpers, which let one
 * read() implementation fill a user or a kernel buffer, are in iobuf.c.)
 */
#include "vfs.h"
#include <mm/kmalloc.h>
#include <mm/uaccess.h>
#include <fs/poll.h>

/*
 * Writers and running programs exclude each other (ETXTBSY): a regular
 * file's writecount counts open files that may write (> 0), or programs
 * running from it (< 0, one per address space), as Linux's i_writecount.
 */
static int inode_write_access(struct inode *inode, int delta)
{
	int32_t old = __atomic_load_n(&inode->writecount, __ATOMIC_RELAXED);

	do {
		if ((delta > 0 && old < 0) || (delta < 0 && old > 0))
			return -ETXTBSY;
	} while (!__atomic_compare_exchange_n(&inode->writecount, &old,
					      old + delta, false,
					      __ATOMIC_ACQ_REL,
					      __ATOMIC_RELAXED));
	return 0;
}

static bool counts_as_writer(const struct file *f)
{
	return (f->mode & FMODE_WRITE) && S_ISREG(f->inode->mode);
}

int file_get_write_access(struct file *f)
{
	return counts_as_writer(f) ? inode_write_access(f->inode, 1) : 0;
}

void file_put_write_access(struct file *f)
{
	if (counts_as_writer(f))
		__atomic_sub_fetch(&f->inode->writecount, 1, __ATOMIC_RELEASE);
}

int inode_get_write_access(struct inode *inode)
{
	return inode_write_access(inode, 1);
}

void inode_put_write_access(struct inode *inode)
{
	__atomic_sub_fetch(&inode->writecount, 1, __ATOMIC_RELEASE);
}

int file_deny_write(struct file *f)
{
	return inode_write_access(f->inode, -1);
}

struct file *file_exe_dup(struct file *f)
{
	__atomic_sub_fetch(&f->inode->writecount, 1, __ATOMIC_RELAXED);
	file_get(f);
	return f;
}

void file_exe_release(struct file *f)
{
	__atomic_add_fetch(&f->inode->writecount, 1, __ATOMIC_RELEASE);
	file_put(f);
}

/* What an O_PATH file can do: nothing. */
static const struct file_ops path_only_ops;

static unsigned int open_fmode(int flags, mode_t imode)
{
	unsigned int mode = FMODE_LSEEK | FMODE_PREAD;

	switch (flags & O_ACCMODE) {
	case O_RDONLY:
		mode |= FMODE_READ;
		break;
	case O_WRONLY:
		mode |= FMODE_WRITE;
		break;
	case O_RDWR:
		mode |= FMODE_READ | FMODE_WRITE;
		break;
	}
	if (S_ISREG(imode) || S_ISDIR(imode))
		mode |= FMODE_ATOMIC_POS;
	return mode;
}

struct file *file_open_path(struct path *p, int flags)
{
	struct file *f = kzalloc(sizeof(*f));
	int err;

	if (!f) {
		path_put(p);
		return ERR_PTR(-ENOMEM);
	}
	f->refcount = 1;
	f->mnt = p->mnt;
	f->dentry = p->dentry;
	f->inode = p->dentry->inode;
	mutex_init(&f->pos_lock, "file pos");
	/* Linux keeps the status flags, always with O_LARGEFILE on 64-bit. */
	f->flags = (unsigned int)(flags & ~(O_CREAT | O_EXCL | O_NOCTTY |
					    O_TRUNC | O_CLOEXEC)) | O_LARGEFILE;
	if (flags & O_PATH) {
		f->flags = (unsigned int)flags & (O_PATH | O_DIRECTORY |
						  O_NOFOLLOW);
		f->mode = FMODE_PATH;
		f->ops = &path_only_ops;
		return f;
	}
	f->mode = open_fmode(flags, f->inode->mode);
	f->ops = f->inode->fops ? f->inode->fops : &path_only_ops;
	err = file_get_write_access(f);
	if (!err && f->ops->open) {
		err = f->ops->open(f->inode, f);
		if (err)
			file_put_write_access(f);
	}
	if (err) {
		path_put(p);
		kfree(f);
		return ERR_PTR(err);
	}
	return f;
}

void file_get(struct file *f)
{
	ref_inc(&f->refcount);
}

void file_put(struct file *f)
{
	struct path p;

	if (!f || !ref_dec(&f->refcount))
		return;
	locks_remove_file(f);		/* its flock and OFD locks */
	if (__atomic_load_n(&f->ep_links.next, __ATOMIC_ACQUIRE))
		eventpoll_release(f);
	if (f->ops->release)
		f->ops->release(f);
	file_put_write_access(f);
	p.mnt = f->mnt;
	p.dentry = f->dentry;
	path_put(&p);
	kfree(f);
}

void file_nonseekable(struct file *f)
{
	f->mode &= ~(FMODE_LSEEK | FMODE_PREAD | FMODE_ATOMIC_POS);
}

/* The checks of Linux's vfs_read/vfs_write, in their order. */
static ssize_t rw_check(struct file *f, struct iobuf *io, const off_t *pos,
			unsigned int need, bool have_op)
{
	if (!(f->mode & need))
		return -EBADF;
	if (!have_op)
		return -EINVAL;
	if (iobuf_is_user(io) && !user_range_ok((uint64_t)io->ubuf, io->len))
		return -EFAULT;
	if (*pos < 0 || (off_t)io->len > INT64_MAX - *pos)
		return -EINVAL;
	if (io->len > MAX_RW_COUNT)
		io->len = MAX_RW_COUNT;
	return 0;
}

ssize_t vfs_read(struct file *f, struct iobuf *io, off_t *pos)
{
	ssize_t err = rw_check(f, io, pos, FMODE_READ, f->ops->read != NULL);

	if (err)
		return err;
	if (io->len == 0 && !S_ISDIR(f->inode->mode))
		return 0;
	return f->ops->read(f, io, pos);
}

ssize_t vfs_write(struct file *f, struct iobuf *io, off_t *pos)
{
	ssize_t err = rw_check(f, io, pos, FMODE_WRITE, f->ops->write != NULL);

	if (err)
		return err;
	if (io->len == 0 && S_ISREG(f->inode->mode))
		return 0;
	return f->ops->write(f, io, pos);
}

off_t generic_llseek(struct file *f, off_t off, int whence, off_t size)
{
	off_t base;

	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = f->pos;
		break;
	case SEEK_END:
		base = size;
		break;
	case SEEK_DATA:
		if (off < 0 || off >= size)
			return -ENXIO;
		return f->pos = off;
	case SEEK_HOLE:
		if (off < 0 || off >= size)
			return -ENXIO;
		return f->pos = size;
	default:
		return -EINVAL;
	}
	if ((off > 0 && base > INT64_MAX - off) || base + off < 0)
		return -EINVAL;
	f->pos = base + off;
	return f->pos;
}

void file_ident(const struct file *f, dev_t *dev, ino_t *ino)
{
	*dev = f->inode->sb->dev;	/* both fixed: no lock needed */
	*ino = f->inode->ino;
}

off_t file_size(struct file *f)
{
	off_t size;

	mutex_lock(&f->inode->lock);
	size = f->inode->size;
	mutex_unlock(&f->inode->lock);
	return size;
}

int file_mmap_object(struct file *f, bool shared, uint64_t len,
		     struct vm_object **obj)
{
	if (!f->ops->mmap)
		return -ENODEV;
	return f->ops->mmap(f, shared, len, obj);
}

bool file_noexec(struct file *f)
{
	return f->mnt && (f->mnt->flags & MNT_NOEXEC);
}

void file_setid_ids(struct file *f, uid_t *uid, gid_t *gid)
{
	struct inode *inode = f->inode;

	*uid = (uid_t)-1;
	*gid = (gid_t)-1;
	if (f->mnt && (f->mnt->flags & MNT_NOSUID))
		return;
	mutex_lock(&inode->lock);	/* chown changes owner and mode */
	if (inode->mode & S_ISUID)
		*uid = inode->uid;
	if ((inode->mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP))
		*gid = inode->gid;
	mutex_unlock(&inode->lock);
}
