/*
 * The reverse map: from a memory object to the page-table entries that
 * map its pages, for truncate(2), hole punching and MADV_REMOVE, which
 * must take pages out of every address space that maps them.
 *
 * Each object keeps the list of VMAs mapping it (obj->mappings, under
 * the spinlock obj->map_lock). Page tables are guarded by their mm's
 * mutex, which ranks above map_lock, so rmap_zap cannot hold the list
 * while it works: it picks one not-yet-visited mm from the list, takes a
 * reference to it, drops map_lock, and clears that mm's entries under
 * the mm's own lock; then it looks again. A pass number (obj->zap_gen,
 * stamped on each VMA as its mm is picked) says which mms were done.
 *
 * Why this is enough: the caller changed the object (size, or pages cut
 * out of its tree) before calling, so a fault that runs after a mm was
 * visited can no longer map the old pages; a fault that ran before holds
 * that mm's lock, so the visit waits for it and removes what it mapped.
 * Every entry holds its own page reference, so an entry that still
 * points at a removed page in the meantime is never a dangling pointer.
 */
#include <types.h>
#include <arch/paging.h>
#include <mm/page.h>
#include <mm/vm_object.h>
#include "vm_internal.h"
#include "tlb.h"

struct zap_ctx {
	struct vm_object *obj;
	bool cows;			/* private copies too */
	struct tlb_gather gather;
};

static void zap_entry(struct mm *mm, uint64_t va, pte_t *pte, void *arg)
{
	struct zap_ctx *z = arg;
	struct page *pg = phys_to_page(pte_phys(*pte));

	/* A private copy belongs to the process, not to the object. */
	if (!z->cows && !(*pte & PTE_SHARED) && pg->owner != z->obj)
		return;
	*pte = 0;
	mm->rss--;
	tlb_gather_page(&z->gather, va, pg);
}

/* Clear the entries of pages [first, last) of obj in every area of mm. */
static void zap_mm(struct mm *mm, struct vm_object *obj, uint64_t first,
		   uint64_t last, bool cows)
{
	struct zap_ctx z = { .obj = obj, .cows = cows };
	struct vma *v;

	mutex_lock(&mm->lock);
	tlb_gather_init(&z.gather, mm);
	list_for_each_entry(v, &mm->vmas.list, link) {
		uint64_t vfirst = v->pgoff;
		uint64_t vlast = v->pgoff + ((v->end - v->start) >> PAGE_SHIFT);
		uint64_t start, end;

		if (v->obj != obj || vlast <= first || vfirst >= last)
			continue;
		start = v->start + ((MAX(first, vfirst) - vfirst) << PAGE_SHIFT);
		end = v->start + ((MIN(last, vlast) - vfirst) << PAGE_SHIFT);
		mm_for_each_pte(mm, start, end, zap_entry, &z);
	}
	tlb_gather_finish(&z.gather);
	mutex_unlock(&mm->lock);
}

/* Pick an mm not yet visited in pass gen, with a reference; NULL: done. */
static struct mm *next_mm(struct vm_object *obj, uint32_t gen)
{
	struct mm *mm = NULL;
	struct vma *v;

	spin_lock(&obj->map_lock);
	list_for_each_entry(v, &obj->mappings, obj_link) {
		if (v->zap_gen == gen || !v->mm)
			continue;
		if (!mm && mm_tryget(v->mm))
			mm = v->mm;
		if (v->mm == mm || !mm)
			v->zap_gen = gen;	/* done, or dying: skip */
	}
	spin_unlock(&obj->map_lock);
	return mm;
}

void rmap_zap(struct vm_object *obj, uint64_t first, uint64_t last,
	      bool even_cows)
{
	struct mm *mm;
	uint32_t gen;

	spin_lock(&obj->map_lock);
	gen = ++obj->zap_gen;
	spin_unlock(&obj->map_lock);
	while ((mm = next_mm(obj, gen)) != NULL) {
		zap_mm(mm, obj, first, last, even_cows);
		mm_put(mm);
	}
}
