/*
 * getdents64: directory listings in struct linux_dirent64 records. The
 * file system's readdir runs under namespace_lock and fills a kernel
 * buffer; the records are copied to user space after the lock is
 * dropped (a copy may fault and sleep). The directory's position is the
 * file's f_pos, as the file system defines it.
 */
#include "vfs.h"
#include <lib/string.h>
#include <mm/kmalloc.h>
#include <mm/uaccess.h>
#include <uapi/dirent.h>
#include <syscall/syscall.h>

#define DIRENT_BOUNCE	4096

struct getdents_ctx {
	struct dir_context ctx;
	char *buf;
	size_t size, used;
	bool refused;		/* an entry did not fit */
};

static bool getdents_emit(struct dir_context *ctx, const char *name,
			  size_t len, uint64_t ino, unsigned int type,
			  off_t next)
{
	struct getdents_ctx *g = container_of(ctx, struct getdents_ctx, ctx);
	size_t reclen = ALIGN_UP(offsetof(struct linux_dirent64, d_name) +
				 len + 1, (size_t)8);
	struct linux_dirent64 *de;

	if (g->used + reclen > g->size) {
		g->refused = true;
		return false;
	}
	de = (struct linux_dirent64 *)(g->buf + g->used);
	memset(de, 0, reclen);
	de->d_ino = ino;
	de->d_off = next;
	de->d_reclen = (uint16_t)reclen;
	de->d_type = (uint8_t)type;
	memcpy(de->d_name, name, len);
	g->used += reclen;
	return true;
}

/* One bounce-buffer's worth of records at f->pos; bytes or -errno. */
static long getdents_fill(struct file *f, struct getdents_ctx *g)
{
	int err;

	g->used = 0;
	g->refused = false;
	g->ctx.pos = f->pos;
	mutex_lock(&namespace_lock);
	if (f->inode->nlink == 0)
		err = -ENOENT;		/* removed while open */
	else
		err = f->ops->readdir(f, &g->ctx);
	mutex_unlock(&namespace_lock);
	if (err)
		return err;
	return (long)g->used;	/* f->pos moves once the copy succeeded */
}

/*
 * The copy of len bytes of records failed part-way: copy them one at a
 * time and keep those that arrive whole, as Linux's filldir64 does (the
 * call returns them and the position moves past the last one). Returns
 * the bytes of whole records copied.
 */
static size_t getdents_copy_whole(struct file *f, char __user *ubuf,
				  const char *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		const struct linux_dirent64 *de =
			(const struct linux_dirent64 *)(buf + done);

		if (copy_to_user(ubuf + done, de, de->d_reclen))
			break;
		f->pos = de->d_off;
		done += de->d_reclen;
	}
	return done;
}

static long getdents_copy(struct file *f, char __user *ubuf, size_t count)
{
	struct getdents_ctx g = { .ctx.emit = getdents_emit };
	size_t total = 0;
	long r = 0;

	g.buf = kmalloc(DIRENT_BOUNCE);
	if (!g.buf)
		return -ENOMEM;
	while (total < count) {
		g.size = MIN(count - total, (size_t)DIRENT_BOUNCE);
		r = getdents_fill(f, &g);
		if (r <= 0)
			break;
		if (copy_to_user(ubuf + total, g.buf, (size_t)r)) {
			total += getdents_copy_whole(f, ubuf + total, g.buf,
						     (size_t)r);
			r = -EFAULT;
			break;
		}
		f->pos = g.ctx.pos;
		total += (size_t)r;
		if (g.refused && g.size == count - total + (size_t)r)
			break;		/* the user's buffer is full */
	}
	kfree(g.buf);
	if (total)
		return (long)total;
	if (r == 0 && g.refused)
		return -EINVAL;		/* not even one entry fits */
	return r;
}

SYSCALL_DEFINE3(getdents64, int, fd, void __user *, dirp, unsigned int,
		count)
{
	struct file *f = fd_get_io(fd);
	long r;

	if (!f)
		return -EBADF;
	if (!f->ops->readdir) {
		file_put(f);
		return -ENOTDIR;
	}
	if (!user_range_ok((uint64_t)dirp, count)) {
		file_put(f);
		return -EFAULT;
	}
	mutex_lock(&f->pos_lock);
	r = getdents_copy(f, dirp, count);
	if (r >= 0) {
		mutex_lock(&f->inode->lock);
		inode_touch_atime(f->inode, f->mnt);
		mutex_unlock(&f->inode->lock);
	}
	mutex_unlock(&f->pos_lock);
	file_put(f);
	return r;
}
