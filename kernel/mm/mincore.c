/*
 * mincore(2): which pages of a range are resident, with Linux 6.1's
 * checks and errno order (its mm/mincore.c).
 *
 * There is no swap, so a page is resident when its page-table entry holds
 * a frame, or, in an area that maps a memory object (shared, or a private
 * file mapping), when the object holds the page: it is in the "page
 * cache" even if this process never touched it, which is what Linux
 * reports for tmpfs and shmem pages. Private anonymous memory exists only
 * through its entries.
 *
 * As on Linux, the answer is built in passes of at most PAGE_SIZE entries
 * that each stay inside one area: under mm->lock into a kernel buffer,
 * then copied out after the lock is dropped (copy_to_user may fault, and
 * the fault takes mm->lock). A hole ends the call with -ENOMEM after the
 * entries before it were written; a bad vector with -EFAULT.
 */
#include <types.h>
#include <lib/string.h>
#include <mm/kmalloc.h>
#include <mm/page.h>
#include <mm/uaccess.h>
#include <mm/vm.h>
#include <mm/vm_object.h>
#include <uapi/errno.h>
#include "vm_internal.h"

#define MINCORE_BATCH	PAGE_SIZE	/* entries per pass */

struct mincore_walk {
	uint64_t start;
	unsigned char *vec;
};

static void mincore_pte(struct mm *mm, uint64_t va, pte_t *pte, void *arg)
{
	struct mincore_walk *w = arg;

	w->vec[(va - w->start) >> PAGE_SHIFT] = 1;
}

static bool object_has_page(struct vm_object *obj, uint64_t index)
{
	struct page *pg;

	if (vm_object_page(obj, index, 0, &pg))
		return false;
	page_put(pg);
	return true;
}

/*
 * Linux's do_mincore: fill vec for the pages from addr on, at most
 * `pages` of them and only within the area containing addr. Returns the
 * number filled, or -ENOMEM if addr is not mapped. Caller holds mm->lock.
 */
static long mincore_area(struct mm *mm, uint64_t addr, uint64_t pages,
			 unsigned char *vec)
{
	struct vma *v = vma_find(&mm->vmas, addr);
	struct mincore_walk w = { addr, vec };
	uint64_t end, n, index;

	mm_assert_locked(mm);
	if (!v || v->start > addr)
		return -ENOMEM;
	end = MIN(v->end, addr + (pages << PAGE_SHIFT));
	n = (end - addr) >> PAGE_SHIFT;
	memset(vec, 0, n);
	mm_for_each_pte(mm, addr, end, mincore_pte, &w);
	if (v->obj) {
		index = v->pgoff + ((addr - v->start) >> PAGE_SHIFT);
		for (uint64_t i = 0; i < n; i++)
			if (!vec[i])
				vec[i] = object_has_page(v->obj, index + i);
	}
	return (long)n;
}

long vm_mincore(struct mm *mm, uint64_t start, uint64_t len,
		unsigned char __user *vec)
{
	uint64_t pages;
	unsigned char *buf;
	long r = 0;

	if (!IS_ALIGNED(start, PAGE_SIZE))
		return -EINVAL;
	if (!user_range_ok(start, len))
		return -ENOMEM;
	pages = (len >> PAGE_SHIFT) + ((len & (PAGE_SIZE - 1)) != 0);
	if (!user_range_ok((uint64_t)(uintptr_t)vec, pages))
		return -EFAULT;
	buf = kmalloc(MINCORE_BATCH);
	if (!buf)
		return -EAGAIN;
	while (pages) {
		mutex_lock(&mm->lock);
		r = mincore_area(mm, start, MIN(pages, MINCORE_BATCH), buf);
		mutex_unlock(&mm->lock);
		if (r < 0)
			break;
		if (copy_to_user(vec, buf, (size_t)r)) {
			r = -EFAULT;
			break;
		}
		pages -= (uint64_t)r;
		vec += r;
		start += (uint64_t)r << PAGE_SHIFT;
		r = 0;
	}
	kfree(buf);
	return r;
}
