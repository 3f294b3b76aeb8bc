/*
 * tmpfs regular files: their data lives in whole page frames from the page
 * allocator, found by page index through a small radix tree (512 slots a
 * node, like a page table, grown in height as the file grows). Pages are
 * allocated on first write, so a file with holes only pays for what was
 * written; reading a hole gives zeros. Truncation and the last reference
 * to the inode give every page and node back, which is what lets
 * /proc/meminfo's MemFree return to where it was after a file is removed.
 *
 * inode->lock guards the tree, size and times.
 */
#include "vfs.h"
#include <lib/string.h>
#include <mm/kmalloc.h>
#include <mm/page.h>
#include <proc/task.h>

#define PT_SHIFT	9
#define PT_SLOTS	(1U << PT_SHIFT)
#define PT_MAX_HEIGHT	6		/* 54 bits of page index */
#define MAX_LFS_FILESIZE INT64_MAX

static uint64_t tmpfs_pages;		/* atomic: all tmpfs data pages */

uint64_t tmpfs_pages_total(void)
{
	return __atomic_load_n(&tmpfs_pages, __ATOMIC_RELAXED);
}

/* Pages below 512^height are reachable; height 0 is the empty tree. */
static bool pt_fits(const struct page_tree *t, uint64_t index)
{
	return t->height > 0 && (t->height >= PT_MAX_HEIGHT ||
				 index < (1ULL << (PT_SHIFT * t->height)));
}

/*
 * The slot of page index, or NULL if absent (create false) or out of
 * memory (create true). Creating grows the tree and its interior nodes.
 */
static struct page **pt_slot(struct page_tree *t, uint64_t index,
			     bool create)
{
	void **slot;

	while (!pt_fits(t, index)) {
		void **node;

		if (!create)
			return NULL;
		node = kzalloc(PT_SLOTS * sizeof(void *));
		if (!node)
			return NULL;
		node[0] = t->root;
		t->root = node;
		t->height++;
	}
	slot = &t->root;
	for (unsigned int level = t->height; level > 0; level--) {
		void **node = *slot;

		if (!node) {
			if (!create)
				return NULL;
			node = kzalloc(PT_SLOTS * sizeof(void *));
			if (!node)
				return NULL;
			*slot = node;
		}
		slot = &node[(index >> (PT_SHIFT * (level - 1))) &
			     (PT_SLOTS - 1)];
	}
	return (struct page **)slot;
}

static void tmpfs_page_free(struct inode *inode, struct page *pg)
{
	page_put(pg);
	inode->blocks -= PAGE_SIZE / 512;
	__atomic_sub_fetch(&inode->sb->used_pages, 1, __ATOMIC_RELAXED);
	__atomic_sub_fetch(&tmpfs_pages, 1, __ATOMIC_RELAXED);
}

/* Free the pages of node (at level, first index base) from index `from`
 * on, and the nodes that become empty; true if node is now empty. */
static bool pt_trim(struct inode *inode, void **node, unsigned int level,
		    uint64_t base, uint64_t from)
{
	uint64_t span = 1ULL << (PT_SHIFT * (level - 1));
	bool empty = true;

	for (unsigned int i = 0; i < PT_SLOTS; i++) {
		uint64_t start = base + i * span;

		if (!node[i])
			continue;
		if (start + span <= from) {
			empty = false;
		} else if (level == 1) {
			tmpfs_page_free(inode, node[i]);
			node[i] = NULL;
		} else if (pt_trim(inode, node[i], level - 1, start, from)) {
			kfree(node[i]);
			node[i] = NULL;
		} else {
			empty = false;
		}
	}
	return empty;
}

static void pt_truncate(struct inode *inode, uint64_t from)
{
	struct page_tree *t = &inode->pages;

	if (t->height == 0)
		return;
	if (pt_trim(inode, t->root, t->height, 0, from)) {
		kfree(t->root);
		t->root = NULL;
		t->height = 0;
	}
}

void tmpfs_pages_free(struct inode *inode)
{
	pt_truncate(inode, 0);
}

/* The page at index for writing, allocated if absent; ERR_PTR. */
static struct page *tmpfs_page_get(struct inode *inode, uint64_t index)
{
	struct super *sb = inode->sb;
	struct page **slot = pt_slot(&inode->pages, index, true);
	struct page *pg;

	if (!slot)
		return ERR_PTR(-ENOMEM);
	if (*slot)
		return *slot;
	if (sb->max_pages &&
	    __atomic_load_n(&sb->used_pages, __ATOMIC_RELAXED) >= sb->max_pages)
		return ERR_PTR(-ENOSPC);
	pg = alloc_page_zeroed();
	if (!pg)
		return ERR_PTR(-ENOSPC);	/* shmem says ENOSPC too */
	*slot = pg;
	inode->blocks += PAGE_SIZE / 512;
	__atomic_add_fetch(&sb->used_pages, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&tmpfs_pages, 1, __ATOMIC_RELAXED);
	return pg;
}

/* file_get_pages for tmpfs (see fs/fs.h). */
int tmpfs_get_pages(struct file *f, uint64_t index, size_t n,
		    struct page **pages)
{
	struct inode *inode = f->inode;
	int err = 0;
	size_t i;

	mutex_lock(&inode->lock);
	if (index + n > ALIGN_UP((uint64_t)inode->size, PAGE_SIZE) / PAGE_SIZE)
		err = -EINVAL;
	for (i = 0; i < n && !err; i++) {
		struct page *pg = tmpfs_page_get(inode, index + i);
		if (IS_ERR(pg)) {
			err = (int)PTR_ERR(pg);
			break;
		}
		page_get(pg);
		pages[i] = pg;
	}
	mutex_unlock(&inode->lock);
	if (err)
		while (i--)
			page_put(pages[i]);
	return err;
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
		size_t n = MIN(PAGE_SIZE - off, want - done);
		struct page **slot = pt_slot(&inode->pages, at / PAGE_SIZE,
					     false);

		if (slot && *slot)
			err = iobuf_copy_out(io, done,
				(char *)page_to_virt(*slot) + off, n);
		else
			err = iobuf_clear(io, done, n);
		if (err)
			break;
		done += n;
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

static ssize_t tmpfs_write(struct file *f, struct iobuf *io, off_t *pos)
{
	struct inode *inode = f->inode;
	size_t done = 0;
	int err = 0;

	mutex_lock(&inode->lock);
	if (f->flags & O_APPEND)
		*pos = inode->size;
	if (*pos > MAX_LFS_FILESIZE - (off_t)io->len) {
		mutex_unlock(&inode->lock);
		return -EFBIG;
	}
	tmpfs_kill_suid(inode);
	inode_touch_mtime(inode);
	while (done < io->len) {
		uint64_t at = (uint64_t)*pos + done;
		size_t off = at % PAGE_SIZE;
		size_t n = MIN(PAGE_SIZE - off, io->len - done);
		struct page *pg = tmpfs_page_get(inode, at / PAGE_SIZE);

		if (IS_ERR(pg)) {
			err = (int)PTR_ERR(pg);
			break;
		}
		err = iobuf_copy_in((char *)page_to_virt(pg) + off, io, done,
				    n);
		if (err)
			break;
		done += n;
	}
	if (*pos + (off_t)done > inode->size)
		inode->size = *pos + (off_t)done;
	mutex_unlock(&inode->lock);
	*pos += (off_t)done;
	return done ? (ssize_t)done : err;
}

/* SEEK_DATA/SEEK_HOLE: data is where pages were written. inode->lock. */
static off_t tmpfs_seek_hole_data(struct file *f, off_t off, bool data)
{
	struct inode *inode = f->inode;
	uint64_t last = ((uint64_t)inode->size + PAGE_SIZE - 1) / PAGE_SIZE;

	if (off < 0 || off >= inode->size)
		return -ENXIO;
	for (uint64_t i = (uint64_t)off / PAGE_SIZE; i < last; i++) {
		struct page **slot = pt_slot(&inode->pages, i, false);

		if ((slot && *slot) == data)
			return f->pos = MAX(off, (off_t)(i * PAGE_SIZE));
	}
	return data ? -ENXIO : (f->pos = inode->size);
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

/* Called with inode->lock held. */
static int tmpfs_truncate(struct inode *inode, off_t size)
{
	if (size < inode->size) {
		uint64_t first = ALIGN_UP((uint64_t)size, PAGE_SIZE) /
				 PAGE_SIZE;
		struct page **slot;

		pt_truncate(inode, first);
		/* Zero the tail of the last page: growing again reads 0s. */
		slot = pt_slot(&inode->pages, (uint64_t)size / PAGE_SIZE,
			       false);
		if (slot && *slot && size % PAGE_SIZE)
			memset((char *)page_to_virt(*slot) + size % PAGE_SIZE,
			       0, PAGE_SIZE - size % PAGE_SIZE);
	}
	inode->size = size;
	inode_touch_mtime(inode);
	return 0;
}

const struct file_ops tmpfs_file_ops = {
	.read = tmpfs_read,
	.write = tmpfs_write,
	.llseek = tmpfs_llseek,
};

const struct inode_ops tmpfs_file_iops = {
	.truncate = tmpfs_truncate,
	.evict = tmpfs_pages_free,
};
