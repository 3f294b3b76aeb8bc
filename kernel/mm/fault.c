/*
 * Page faults and kernel access to the memory of any address space.
 *
 * Memory is filled lazily: an area gets frames only when touched. A fault
 * finds the area, checks the access against its protection, and then
 * either maps a new frame (a zeroed private page, or the object's page for
 * a shared area or a private file mapping), or resolves a write to a
 * read-only private page: the copy-on-write case. A page of a file at or
 * beyond its end cannot be mapped: that fault is -EIO, SIGBUS. A
 * private page whose frame is referenced by one PTE only (and that is
 * no object's page) is simply made writable; otherwise it is copied and
 * the shared frame loses one reference.
 *
 * vm_write/vm_zero/vm_read use the same path with FAULT_FORCE, so execve
 * can fill a read-only text segment of an mm that is not running, through
 * the direct map. A forced access skips the protection check, so it is
 * kept away from user-supplied addresses: the only forced writes are
 * execve's, to the stack and BSS tails of the image it has just mapped in
 * a fresh mm (their addresses come from the mapping it made, not from a
 * caller), and a forced write never reaches the object of a shared
 * mapping that may never be made writable (the vDSO and vvar pages, a
 * file opened read-only). User memory named by a system call is written
 * only by copy_to_user/put_user in the owner's context.
 */
#include <types.h>
#include <arch/paging.h>
#include <lib/printk.h>
#include <lib/string.h>
#include <mm/page.h>
#include <mm/vm.h>
#include <mm/vm_object.h>
#include <proc/sched.h>
#include <uapi/errno.h>
#include <uapi/mman.h>
#include "vm_internal.h"
#include "tlb.h"

#define PROT_ANY (PROT_READ | PROT_WRITE | PROT_EXEC)

static uint32_t page_refs(struct page *pg)
{
	return __atomic_load_n(&pg->refcount, __ATOMIC_ACQUIRE);
}

/*
 * The object's page for a fault at addr in v, with a reference: -EIO
 * (SIGBUS) beyond the end of the object, as Linux's filemap_fault.
 */
static int fault_object_page(struct vma *v, uint64_t addr, struct page **pg)
{
	uint64_t index = v->pgoff + ((addr - v->start) >> PAGE_SHIFT);
	int err = vm_object_page(v->obj, index, VMO_ALLOC | VMO_IN_SIZE, pg);

	return err == -ENXIO || err == -ENOSPC ? -EIO : err;
}

/* A private copy of the object page src: the first write to it. */
static struct page *copy_page_of(struct page *src)
{
	struct page *copy = alloc_pages_flags(0, ALLOC_USER);

	if (copy)
		memcpy(page_to_virt(copy), page_to_virt(src), PAGE_SIZE);
	return copy;
}

/*
 * Map a frame at a PTE that holds none: a zeroed page (private
 * anonymous), the object's page (shared, or a private file mapping read:
 * read-only, so a later write copies it), or a copy of the object's page
 * (a private file mapping written).
 */
static int fault_new_page(struct mm *mm, struct vma *v, uint64_t addr,
			  pte_t *pte, bool write, struct page **out)
{
	pte_t bits = vma_pte_bits(v);
	bool writable = (bits & PTE_P) && (v->prot & PROT_WRITE);
	struct page *pg;

	if (v->obj) {
		int err = fault_object_page(v, addr, &pg);

		if (err)
			return err;
		if (!(v->flags & VMA_SHARED) && write) {
			struct page *copy = copy_page_of(pg);

			page_put(pg);
			if (!copy)
				return -ENOMEM;
			pg = copy;
			bits |= writable ? PTE_W : 0;
		}
	} else {
		pg = alloc_pages_flags(0, ALLOC_ZERO | ALLOC_USER);
		if (!pg)
			return -ENOMEM;
		bits |= writable ? PTE_W : 0;
	}
	*pte = page_to_phys(pg) | bits;	/* the reference moves to the PTE */
	mm->rss++;
	*out = pg;
	return 0;
}

/*
 * A write to a frame-holding PTE without PTE_W. A shared mapping's
 * object pages are written in place. A private page is copied unless this PTE holds its only
 * reference.
 */
static int fault_unshare(struct vma *v, uint64_t addr, pte_t *pte,
			 struct page **out)
{
	struct page *pg = phys_to_page(pte_phys(*pte));
	struct page *copy;

	if (!(*pte & PTE_SHARED)) {
		/* An object's page is never written through a private map. */
		if (page_refs(pg) > 1 || pg->owner) {
			copy = copy_page_of(pg);
			if (!copy)
				return -ENOMEM;
			*pte = page_to_phys(copy) | (*pte & ~PTE_ADDR_MASK);
			*pte &= ~PTE_COW;
			if ((*pte & PTE_P) && (v->prot & PROT_WRITE))
				*pte |= PTE_W;
			/* Other threads' CPUs must forget the old frame
			 * before it can be freed or written by its owner. */
			tlb_flush_page(v->mm, addr);
			page_put(pg);
			*out = copy;
			return 0;
		}
		/* The only reference: just writable now. A stale read-only
		 * entry elsewhere costs that CPU a spurious fault at most. */
		*pte &= ~PTE_COW;
		if ((*pte & PTE_P) && (v->prot & PROT_WRITE))
			*pte |= PTE_W;
		tlb_flush_one(addr);
	}
	*out = pg;
	return 0;
}

/* Pages mapped around a read fault on an object, as Linux's
 * fault_around_bytes (64 KiB). */
#define FAULT_AROUND	16

/*
 * A read fault on an object-backed area maps the object pages that are
 * already present in the aligned 16-page window around it, within the
 * area, where nothing is mapped yet: a program reading a file (or its
 * own text) sequentially then takes one fault per 64 KiB, not per page.
 * Read-only for private mappings (a write still copies); nothing is
 * allocated.
 */
static void fault_around(struct mm *mm, struct vma *v, uint64_t addr)
{
	uint64_t start = MAX(ALIGN_DOWN(addr, FAULT_AROUND * PAGE_SIZE),
			     v->start);
	uint64_t end = MIN(ALIGN_DOWN(addr, FAULT_AROUND * PAGE_SIZE) +
			   FAULT_AROUND * PAGE_SIZE, v->end);
	size_t n = (end - start) >> PAGE_SHIFT;
	struct page *pages[FAULT_AROUND];
	pte_t bits = vma_pte_bits(v);

	if (!(bits & PTE_P))
		return;
	vm_object_lookup_range(v->obj, v->pgoff +
			       ((start - v->start) >> PAGE_SHIFT), n, pages);
	for (size_t i = 0; i < n; i++) {
		uint64_t va = start + i * PAGE_SIZE;
		pte_t *pte;

		if (!pages[i])
			continue;
		pte = va == addr ? NULL : pt_walk(mm->root, va, false);
		if (!pte || pte_holds_frame(*pte)) {
			page_put(pages[i]);
			continue;
		}
		*pte = page_to_phys(pages[i]) | bits;	/* takes the ref */
		mm->rss++;
	}
}

int fault_resolve(struct mm *mm, struct vma *v, uint64_t addr,
		  unsigned int access, struct page **out)
{
	bool write = access & FAULT_WRITE;
	struct page *pg;
	pte_t *pte;

	mm_assert_locked(mm);
	if (!(access & FAULT_FORCE)) {
		if (write && !(v->prot & PROT_WRITE))
			return -EFAULT;
		if ((access & FAULT_EXEC) && pt_nx_bit() &&
		    !(v->prot & PROT_EXEC))
			return -EFAULT;
		if (!(v->prot & PROT_ANY))
			return -EFAULT;
	} else if (write && (v->flags & VMA_SHARED) &&
		   !(v->maxprot & PROT_WRITE)) {
		return -EFAULT;		/* an object no mapping may write */
	}
	pte = pt_walk(mm->root, addr, true);
	if (!pte)
		return -ENOMEM;
	if (!out)
		out = &pg;
	if (!pte_holds_frame(*pte)) {
		int err = fault_new_page(mm, v, addr, pte, write, out);

		if (!err && v->obj && !write && !(access & FAULT_FORCE))
			fault_around(mm, v, addr);
		return err;
	}
	if (write && !(*pte & PTE_W))
		return fault_unshare(v, addr, pte, out);
	/* Already satisfied (a stale TLB entry, or FORCE on a mapped page). */
	tlb_flush_one(addr);
	*out = phys_to_page(pte_phys(*pte));
	return 0;
}

int vm_fault(struct mm *mm, uint64_t addr, unsigned int flags)
{
	struct vma *v;
	int err;

	if (!mm || addr >= USER_TOP)
		return -EFAULT;
	/*
	 * A read or fetch that hit a present page is a protection violation
	 * (NX, or the kernel touching user memory outside copy_*_user):
	 * retrying could never succeed.
	 */
	if ((flags & FAULT_PRESENT) && !(flags & FAULT_WRITE))
		return -EACCES;
	mutex_lock(&mm->lock);
	v = vma_find(&mm->vmas, addr);
	if (!v || v->start > addr) {
		err = -EFAULT;
	} else {
		err = fault_resolve(mm, v, ALIGN_DOWN(addr, PAGE_SIZE),
				    flags & (FAULT_WRITE | FAULT_EXEC), NULL);
		/* Mapped but not allowed: SEGV_ACCERR, not SEGV_MAPERR. */
		if (err == -EFAULT)
			err = -EACCES;
	}
	mutex_unlock(&mm->lock);
	return err;
}

int mm_populate(struct mm *mm, uint64_t start, uint64_t end, bool write)
{
	unsigned int access = write ? FAULT_WRITE : 0;

	mm_assert_locked(mm);
	for (uint64_t va = start; va < end; va += PAGE_SIZE) {
		struct vma *v = vma_find(&mm->vmas, va);
		int err;

		if (!v || v->start > va)
			return -ENOMEM;
		err = fault_resolve(mm, v, va, access, NULL);
		if (err)
			return err;
		cond_resched();		/* the range is the user's to choose */
	}
	return 0;
}

enum vm_copy_op { VM_COPY_IN, VM_COPY_OUT, VM_COPY_ZERO };

/* Copy between buf and mm's memory at addr, page by page. */
static int vm_copy(struct mm *mm, uint64_t addr, void *buf, size_t len,
		   enum vm_copy_op op)
{
	unsigned int access = FAULT_FORCE | (op == VM_COPY_OUT ? 0 : FAULT_WRITE);
	char *p = buf;
	int err = 0;

	if (addr > USER_TOP || len > USER_TOP - addr)
		return -EFAULT;
	mutex_lock(&mm->lock);
	while (len) {
		uint64_t off = addr & (PAGE_SIZE - 1);
		size_t n = MIN(len, PAGE_SIZE - off);
		struct vma *v = vma_find(&mm->vmas, addr);
		struct page *pg;
		char *kva;

		if (!v || v->start > addr) {
			err = -EFAULT;
			break;
		}
		err = fault_resolve(mm, v, addr - off, access, &pg);
		if (err)
			break;
		kva = (char *)page_to_virt(pg) + off;
		if (op == VM_COPY_IN)
			memcpy(kva, p, n);
		else if (op == VM_COPY_OUT)
			memcpy(p, kva, n);
		else
			memset(kva, 0, n);
		if (p)
			p += n;
		addr += n;
		len -= n;
	}
	mutex_unlock(&mm->lock);
	return err;
}

int vm_write(struct mm *mm, uint64_t addr, const void *src, size_t len)
{
	return vm_copy(mm, addr, (void *)src, len, VM_COPY_IN);
}

int vm_zero(struct mm *mm, uint64_t addr, size_t len)
{
	return vm_copy(mm, addr, NULL, len, VM_COPY_ZERO);
}

int vm_read(struct mm *mm, uint64_t addr, void *dst, size_t len)
{
	return vm_copy(mm, addr, dst, len, VM_COPY_OUT);
}
