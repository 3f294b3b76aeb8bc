/*
 * What a core dump reads of an address space (proc/coredump.c): where
 * the auxiliary vector is, the program's file, and the contents of a page
 * as they are now, without faulting anything in. A page never touched is
 * a hole in the core file, as on Linux, so dumping a process with large
 * reserved areas (thread stacks, malloc arenas) costs no memory.
 */
#include <types.h>
#include <fs/file.h>
#include <fs/fs.h>
#include <lib/string.h>
#include <mm/page.h>
#include <mm/vm.h>
#include <mm/vm_object.h>
#include <uapi/errno.h>
#include "vm_internal.h"

void mm_set_auxv_range(struct mm *mm, uint64_t start, uint64_t end)
{
	mutex_lock(&mm->lock);
	mm->auxv_start = start;
	mm->auxv_end = end;
	mutex_unlock(&mm->lock);
}

void mm_get_auxv_range(struct mm *mm, uint64_t *start, uint64_t *end)
{
	mutex_lock(&mm->lock);
	*start = mm->auxv_start;
	*end = mm->auxv_end;
	mutex_unlock(&mm->lock);
}

static void dump_pte(struct mm *mm, uint64_t va, pte_t *pte, void *arg)
{
	struct page **pg = arg;

	if (*pte & PTE_P)
		*pg = phys_to_page(pte_phys(*pte));
}

static void private_pte(struct mm *mm, uint64_t va, pte_t *pte, void *arg)
{
	bool *found = arg;

	if (!phys_to_page(pte_phys(*pte))->owner)
		*found = true;		/* a page of its own: a COW copy */
}

bool vm_area_has_private_pages(struct mm *mm, uint64_t start, uint64_t end)
{
	bool found = false;

	mutex_lock(&mm->lock);
	mm_for_each_pte(mm, start, end, private_pte, &found);
	mutex_unlock(&mm->lock);
	return found;
}

int vm_dump_page(struct mm *mm, uint64_t addr, void *dst)
{
	struct page *pg = NULL;
	struct vma *v;
	int r = 0;

	mutex_lock(&mm->lock);
	v = vma_find(&mm->vmas, addr);
	if (!v || v->start > addr) {
		mutex_unlock(&mm->lock);
		return -EFAULT;
	}
	mm_for_each_pte(mm, addr, addr + PAGE_SIZE, dump_pte, &pg);
	if (pg) {
		memcpy(dst, page_to_virt(pg), PAGE_SIZE);
		r = 1;
	} else if (v->obj && !vm_object_page(v->obj, v->pgoff +
			((addr - v->start) >> PAGE_SHIFT), 0, &pg)) {
		/* Not mapped here yet, but the file or shared object has
		 * it: what the process would read. */
		memcpy(dst, page_to_virt(pg), PAGE_SIZE);
		page_put(pg);
		r = 1;
	}
	mutex_unlock(&mm->lock);
	return r;
}
