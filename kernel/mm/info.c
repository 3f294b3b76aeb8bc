/*
 * Read-only views of an address space for other subsystems: the area
 * list and sizes shown by /proc, and futex keys.
 */
#include <types.h>
#include <mm/vm.h>
#include <uapi/errno.h>
#include <uapi/mman.h>
#include "vm_internal.h"

/* Linux names the area holding the break [heap], the initial stack's one
 * [stack]. */
static const char *area_name(const struct mm *mm, const struct vma *v)
{
	if (mm->brk_start && v->start <= mm->brk_start &&
	    v->end >= ALIGN_UP(mm->brk, PAGE_SIZE) && !v->obj &&
	    mm->brk > mm->brk_start)
		return "[heap]";
	if (v->start < USER_STACK_TOP && v->end >= USER_STACK_TOP)
		return "[stack]";
	return NULL;
}

size_t mm_get_areas(struct mm *mm, uint64_t addr, struct vm_area_info *out,
		    size_t max)
{
	size_t n = 0;
	struct vma *v;

	mutex_lock(&mm->lock);
	for (v = vma_find(&mm->vmas, addr); v && n < max;
	     v = vma_next(&mm->vmas, v), n++) {
		out[n].start = v->start;
		out[n].end = v->end;
		out[n].prot = v->prot;
		out[n].shared = v->flags & VMA_SHARED;
		out[n].offset = v->pgoff << PAGE_SHIFT;
		out[n].name = area_name(mm, v);
	}
	mutex_unlock(&mm->lock);
	return n;
}

void mm_get_stats(struct mm *mm, struct mm_stats *st)
{
	struct vma *v;

	mutex_lock(&mm->lock);
	st->vm_pages = 0;
	list_for_each_entry(v, &mm->vmas.list, link)
		st->vm_pages += (v->end - v->start) >> PAGE_SHIFT;
	st->rss_pages = mm->rss;
	st->brk_start = mm->brk_start;
	st->brk = mm->brk;
	st->arg_start = mm->arg_start;
	st->arg_end = mm->arg_end;
	st->nr_areas = mm->vmas.count;
	mutex_unlock(&mm->lock);
}

void mm_set_arg_range(struct mm *mm, uint64_t start, uint64_t end)
{
	mutex_lock(&mm->lock);
	mm->arg_start = start;
	mm->arg_end = end;
	mutex_unlock(&mm->lock);
}

int vm_futex_key(struct mm *mm, uint64_t addr, struct vm_futex_key *key)
{
	struct vma *v;
	int err = 0;

	mutex_lock(&mm->lock);
	v = vma_find(&mm->vmas, addr);
	if (!v || v->start > addr) {
		err = -EFAULT;
	} else if (v->flags & VMA_SHARED) {
		key->base = v->obj;
		key->offset = (v->pgoff << PAGE_SHIFT) + (addr - v->start);
	} else {
		key->base = mm;
		key->offset = addr;
	}
	mutex_unlock(&mm->lock);
	return err;
}
