/*
 * mprotect(2): change the protection of whole pages, splitting areas at
 * the ends of the range and merging them back where they match their
 * neighbours (vma_protect in vma.c does the range walk, with Linux's
 * errno rules). Page-table entries are rewritten in place; a private page
 * that is still shared copy-on-write stays read-only even when the area
 * becomes writable, and the next write fault copies it.
 */
#include <types.h>
#include <arch/paging.h>
#include <mm/page.h>
#include <mm/vm.h>
#include <uapi/errno.h>
#include <uapi/mman.h>
#include "vm_internal.h"
#include "tlb.h"

static void protect_one(struct mm *mm, uint64_t va, pte_t *pte, void *arg)
{
	const struct vma *v = arg;
	pte_t e = *pte, bits = vma_pte_bits(v);
	struct page *pg = phys_to_page(pte_phys(e));

	/* A private page may be written directly only if it is ours alone. */
	if ((bits & PTE_P) && !(v->flags & VMA_SHARED) &&
	    (v->prot & PROT_WRITE) && !pg->owner &&
	    __atomic_load_n(&pg->refcount, __ATOMIC_ACQUIRE) == 1) {
		bits |= PTE_W;
		e &= ~PTE_COW;
	}
	*pte = pte_phys(e) | bits | (e & PTE_COW);
}

/*
 * Private memory that becomes writable for the first time is counted by
 * the overcommit policy then (Linux's mprotect_fixup): not if it already
 * was (VMA_ACCOUNT), is writable, shared, or MAP_NORESERVE.
 */
static bool protect_needs_account(const struct vma *v, unsigned int old_prot,
				  unsigned int prot)
{
	return (prot & PROT_WRITE) && !(old_prot & PROT_WRITE) &&
	       !(v->flags & (VMA_ACCOUNT | VMA_SHARED | VMA_NORESERVE));
}

static int protect_admit(struct vma *v, uint64_t start, uint64_t end,
			 unsigned int prot, void *arg)
{
	if (!protect_needs_account(v, v->prot, prot))
		return 0;
	return vm_enough_memory((end - start) >> PAGE_SHIFT);
}

/* vma_protect's callback: v->prot changed from old_prot; fix its PTEs. */
static void protect_apply(struct vma *v, unsigned int old_prot, void *arg)
{
	struct mm *mm = arg;

	if (protect_needs_account(v, old_prot, v->prot))
		v->flags |= VMA_ACCOUNT;
	mm_for_each_pte(mm, v->start, v->end, protect_one, v);
	tlb_flush_range(mm, v->start, v->end);
}

static const struct vma_protect_ops protect_ops = {
	.admit = protect_admit,
	.apply = protect_apply,
};

int vm_mprotect(struct mm *mm, uint64_t start, uint64_t len,
		unsigned long prot)
{
	unsigned long grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP);
	uint64_t end;
	struct vma *v;
	int err;

	prot &= ~grows;
	if (grows == (PROT_GROWSDOWN | PROT_GROWSUP))
		return -EINVAL;
	if (!IS_ALIGNED(start, PAGE_SIZE))
		return -EINVAL;
	if (len == 0)
		return 0;
	len = ALIGN_UP(len, PAGE_SIZE);
	end = start + len;
	if (end <= start)
		return -ENOMEM;
	if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM))
		return -EINVAL;
	prot &= PROT_READ | PROT_WRITE | PROT_EXEC;

	mutex_lock(&mm->lock);
	v = vma_find(&mm->vmas, start);
	err = v ? 0 : -ENOMEM;
	if (v && (grows & PROT_GROWSDOWN)) {
		/* Extend down to the start of a MAP_GROWSDOWN area. */
		if (v->start >= end)
			err = -ENOMEM;
		else if (!(v->flags & VMA_GROWSDOWN))
			err = -EINVAL;
		start = v->start;
	} else if (v && (grows & PROT_GROWSUP)) {
		err = -EINVAL;		/* x86 has no VM_GROWSUP areas */
	}
	if (!err)
		err = vma_protect(&mm->vmas, start, end, prot, &protect_ops,
				  mm);
	mutex_unlock(&mm->lock);
	return err;
}
