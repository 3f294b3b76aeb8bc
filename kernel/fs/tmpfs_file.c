/*
 * tmpfs regular files: their data lives in a memory object (mm/vm_object.h),
 * the same pages that every mapping of the file maps, so read(2), write(2)
 * and mmap(2) are coherent by construction: this is tmpfs's page cache.
 * Pages are allocated on first write (or first touch through a mapping),
 * so a file with holes only pays for what was written; reading a hole
 * gives zeros. Truncation and the last reference to the inode give every
 * page back, which is what lets /proc/meminfo's MemFree return to where
 * it was after a file is removed.
 *
 * inode->lock guards size and times and serializes writers, truncation,
 * fallocate and the adding of seals (memfd.c); the object has its own
 * lock for its page tree. The file's size is kept in both: inode->size
 * for the VFS, the object's for faults (which must not take inode->lock:
 * mm->lock ranks below it). Seals live in the object too; every file
 * starts with F_SEAL_SEAL (it can never be sealed), as Linux's shmem
 * files do, and only memfd_create(MFD_ALLOW_SEALING) takes it away.
 */
#include <proc/rlimit.h>
#include "vfs.h"
#include <lib/string.h>
#include <mm/kmalloc.h>
#include <mm/page.h>
#include <mm/vm_object.h>
#include <proc/task.h>
#include <uapi/falloc.h>

static uint64_t tmpfs_pages;		/* atomic: all tmpfs data pages */

uint64_t tmpfs_pages_total(void)
{
	return __atomic_load_n(&tmpfs_pages, __ATOMIC_RELAXED);
}

/*
 * The object's charge hook: pages join or leave a file. The size= limit
 * of the file system is enforced here, so a write(2) and a fault through
 * a shared mapping are refused alike (ENOSPC; SIGBUS for the fault).
 */
static int tmpfs_charge(struct vm_object *obj, long npages)
{
	struct inode *inode = vm_object_priv(obj);
	struct super *sb = inode->sb;

	if (npages > 0 && sb->max_pages &&
	    __atomic_load_n(&sb->used_pages, __ATOMIC_RELAXED) + npages >
	    sb->max_pages)
		return -ENOSPC;
	__atomic_add_fetch(&sb->used_pages, npages, __ATOMIC_RELAXED);
	__atomic_add_fetch(&tmpfs_pages, npages, __ATOMIC_RELAXED);
	__atomic_add_fetch(&inode->blocks, npages * (long)(PAGE_SIZE / 512),
			   __ATOMIC_RELAXED);
	return 0;
}

static const struct vm_object_ops tmpfs_object_ops = {
	.charge = tmpfs_charge,
};

int tmpfs_file_init(struct inode *inode)
{
	inode->obj = vm_object_create(0);
	if (!inode->obj)
		return -ENOMEM;
	vm_object_set_ops(inode->obj, &tmpfs_object_ops, inode);
	vm_object_set_seals(inode->obj, F_SEAL_SEAL);
	return 0;
}

void tmpfs_pages_free(struct inode *inode)
{
	if (inode->obj)
		vm_object_put(inode->obj);
	inode->obj = NULL;
}

/* Set the size in the inode and the object; inode->lock held. */
static void tmpfs_set_size(struct inode *inode, off_t size)
{
	mutex_assert_held(&inode->lock);
	vm_object_set_size(inode->obj, (uint64_t)size);
	inode->size = size;
}

static ssize_t tmpfs_read(struct file *f, struct iobuf *io, off_t *pos)
{
	struct inode *inode = f->inode;
	size_t done = 0, want;
	int err = 0;

	mutex_lock(&inode->lock);
	if (*pos >= inode->size) {
		mutex_unlock(&inode->lock);
		return 0;
	}
	want = (size_t)MIN((off_t)io->len, inode->size - *pos);
	while (done < want) {
		uint64_t at = (uint64_t)*pos + done;
		size_t off = at % PAGE_SIZE;
		size_t n = MIN(PAGE_SIZE - off, want - done), moved;
		struct page *pg;

		if (vm_object_page(inode->obj, at / PAGE_SIZE, 0, &pg) == 0) {
			moved = iobuf_copy_out(io, done,
				(char *)page_to_virt(pg) + off, n);
			page_put(pg);
		} else {
			moved = iobuf_clear(io, done, n);	/* a hole */
		}
		done += moved;
		if (moved < n) {
			err = -EFAULT;	/* the bytes before it count */
			break;
		}
	}
	inode_touch_atime(inode, f->mnt);
	mutex_unlock(&inode->lock);
	*pos += (off_t)done;
	return done ? (ssize_t)done : err;
}

/* A write by someone without CAP_FSETID drops set-id bits (Linux). */
static void tmpfs_kill_suid(struct inode *inode)
{
	if (fs_is_root())
		return;
	inode->mode &= ~S_ISUID;
	if ((inode->mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP))
		inode->mode &= ~S_ISGID;
}

/*
 * Write n bytes of io, from offset done, at file offset at (all within
 * one page): the bytes moved (fewer than n if the user buffer faults
 * part-way), or -errno when none could be. inode->lock held.
 */
static ssize_t tmpfs_write_page(struct inode *inode, struct iobuf *io,
				size_t done, uint64_t at, size_t n)
{
	struct page *pg;
	size_t moved;
	char probe;
	int err;

	mutex_assert_held(&inode->lock);
	/* No page is added for a chunk none of which can be read (Linux
	 * faults the buffer in before write_begin allocates). */
	if (!iobuf_copy_in(&probe, io, done, 1))
		return -EFAULT;
	err = vm_object_page(inode->obj, at / PAGE_SIZE, VMO_ALLOC, &pg);
	if (err)
		return err == -ENOMEM ? -ENOSPC : err;	/* as shmem says */
	moved = iobuf_copy_in((char *)page_to_virt(pg) + at % PAGE_SIZE, io,
			      done, n);
	page_put(pg);
	return moved ? (ssize_t)moved : -EFAULT;
}

static ssize_t tmpfs_write(struct file *f, struct iobuf *io, off_t *pos)
{
	struct inode *inode = f->inode;
	unsigned int seals;
	size_t done = 0;
	int err = 0;

	mutex_lock(&inode->lock);
	seals = vm_object_seals(inode->obj);	/* stable: F_ADD_SEALS locks */
	if (f->flags & O_APPEND)
		*pos = inode->size;
	/* Linux's generic_write_check_limits: a write reaching past the
	 * largest size is cut short; one starting there is -EFBIG. */
	if (io->len && *pos >= MAX_LFS_FILESIZE) {
		mutex_unlock(&inode->lock);
		return -EFBIG;
	}
	io->len = MIN(io->len, (size_t)(MAX_LFS_FILESIZE - *pos));
	err = rlimit_fsize_write((uint64_t)*pos, &io->len);
	if (err) {
		mutex_unlock(&inode->lock);
		return err;
	}
	if (seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)) {
		mutex_unlock(&inode->lock);
		return -EPERM;
	}
	tmpfs_kill_suid(inode);
	inode_touch_mtime(inode);
	while (done < io->len) {
		uint64_t at = (uint64_t)*pos + done;
		size_t n = MIN(PAGE_SIZE - at % PAGE_SIZE, io->len - done);
		ssize_t r;

		if ((seals & F_SEAL_GROW) && at + n > (uint64_t)inode->size) {
			err = -EPERM;
			break;
		}
		r = tmpfs_write_page(inode, io, done, at, n);
		if (r < 0) {
			err = (int)r;
			break;
		}
		done += (size_t)r;
		if ((size_t)r < n) {
			err = -EFAULT;	/* the bytes before it count */
			break;
		}
	}
	if (*pos + (off_t)done > inode->size)
		tmpfs_set_size(inode, *pos + (off_t)done);
	mutex_unlock(&inode->lock);
	*pos += (off_t)done;
	return done ? (ssize_t)done : err;
}

/*
 * SEEK_DATA/SEEK_HOLE: data is where pages exist. The object's tree is
 * walked, so a huge sparse file answers at once. inode->lock held.
 */
static off_t tmpfs_seek_hole_data(struct file *f, off_t off, bool data)
{
	struct inode *inode = f->inode;
	uint64_t last = ((uint64_t)inode->size + PAGE_SIZE - 1) / PAGE_SIZE;
	uint64_t i;

	mutex_assert_held(&f->inode->lock);
	if (off < 0 || off >= inode->size)
		return -ENXIO;
	i = vm_object_seek(inode->obj, (uint64_t)off / PAGE_SIZE, last, data);
	if (i >= last)
		return data ? -ENXIO : (f->pos = inode->size);
	return f->pos = MIN(MAX(off, (off_t)(i * PAGE_SIZE)), inode->size);
}

static off_t tmpfs_llseek(struct file *f, off_t off, int whence)
{
	off_t r;

	mutex_lock(&f->inode->lock);
	if (whence == SEEK_DATA || whence == SEEK_HOLE)
		r = tmpfs_seek_hole_data(f, off, whence == SEEK_DATA);
	else
		r = generic_llseek(f, off, whence, f->inode->size);
	mutex_unlock(&f->inode->lock);
	return r;
}

/*
 * Punch bytes [start, end): freed pages read as zeros again, in every
 * shared mapping too, and the size stays. inode->lock held.
 */
static int tmpfs_punch(struct inode *inode, uint64_t start, uint64_t end)
{
	mutex_assert_held(&inode->lock);
	if (vm_object_seals(inode->obj) & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE))
		return -EPERM;
	vm_object_punch(inode->obj, start, end);
	return 0;
}

/*
 * Allocate every page of bytes [start, end), all or nothing (pages beyond
 * the end of the file too, counted in st_blocks), then grow the file to
 * end unless keep_size. inode->lock held.
 */
static int tmpfs_allocate(struct inode *inode, uint64_t start, uint64_t end,
			  bool keep_size)
{
	uint64_t first = start / PAGE_SIZE;
	uint64_t last = ALIGN_UP(end, PAGE_SIZE) / PAGE_SIZE;
	uint64_t max = inode->sb->max_pages;
	int err;

	mutex_assert_held(&inode->lock);
	/* Even with FALLOC_FL_KEEP_SIZE, as in Linux. */
	if ((vm_object_seals(inode->obj) & F_SEAL_GROW) &&
	    end > (uint64_t)inode->size)
		return -EPERM;
	/* What could never fit fails at once (shmem's "swapstorm" check). */
	if (max && last - first > max)
		return -ENOSPC;
	err = vm_object_populate(inode->obj, first, last);
	if (err)
		return err;
	if (!keep_size && end > (uint64_t)inode->size)
		tmpfs_set_size(inode, (off_t)end);
	return 0;
}

/* Called with inode->lock held. */
static int tmpfs_truncate(struct inode *inode, off_t size)
{
	unsigned int seals = vm_object_seals(inode->obj);

	mutex_assert_held(&inode->lock);
	if ((size < inode->size && (seals & F_SEAL_SHRINK)) ||
	    (size > inode->size && (seals & F_SEAL_GROW)))
		return -EPERM;
	tmpfs_set_size(inode, size);
	inode_touch_mtime(inode);
	return 0;
}

/*
 * fallocate(2) as Linux's shmem_fallocate (the VFS checked the arguments):
 * only allocating, with or without FALLOC_FL_KEEP_SIZE, and punching a
 * hole. Success counts as a modification: times, and set-id bits.
 */
static int tmpfs_fallocate(struct file *f, int mode, off_t off, off_t len)
{
	struct inode *inode = f->inode;
	uint64_t end = (uint64_t)off + (uint64_t)len;
	int err;

	if (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE))
		return -EOPNOTSUPP;
	mutex_lock(&inode->lock);
	if (mode & FALLOC_FL_PUNCH_HOLE)
		err = tmpfs_punch(inode, (uint64_t)off, end);
	else
		err = tmpfs_allocate(inode, (uint64_t)off, end,
				     mode & FALLOC_FL_KEEP_SIZE);
	if (!err) {
		tmpfs_kill_suid(inode);
		inode_touch_mtime(inode);
	}
	mutex_unlock(&inode->lock);
	return err;
}

/* mmap: every mapping maps the file's own object. */
static int tmpfs_mmap(struct file *f, bool shared, uint64_t len,
		      struct vm_object **obj)
{
	vm_object_get(f->inode->obj);
	*obj = f->inode->obj;
	return 0;
}

const struct file_ops tmpfs_file_ops = {
	.read = tmpfs_read,
	.write = tmpfs_write,
	.llseek = tmpfs_llseek,
	.mmap = tmpfs_mmap,
	.fallocate = tmpfs_fallocate,
};

const struct inode_ops tmpfs_file_iops = {
	.truncate = tmpfs_truncate,
	.evict = tmpfs_pages_free,
};
