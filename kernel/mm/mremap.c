/*
 * mremap(2): resize an area or move it, with Linux 6.1's rules and errno
 * order (its mm/mremap.c: the system call, mremap_to, vma_to_resize,
 * vma_expandable, move_vma).
 *
 * Shrinking unmaps the tail. Growing extends the area in place when the
 * addresses after it are free (an object-backed area then maps the
 * object's following pages). Otherwise, with MREMAP_MAYMOVE, the range
 * moves to an address chosen as mmap would. A move never copies data: the
 * page-table entries themselves move, each keeping its frame and the page
 * reference it owns (vm_internal.h), so rss is unchanged and sharing with
 * other processes (copy-on-write, objects) is untouched.
 *
 * MREMAP_FIXED moves to exactly new_addr, replacing what is there.
 * MREMAP_DONTUNMAP moves the entries but leaves the old area mapped and
 * empty: private anonymous memory there reads zeroes again, an object
 * mapping refaults the object's pages. old_len == 0 on a shared area maps
 * the same pages a second time (Linux's "duplicate" case).
 *
 * Growing a counted area (VMA_ACCOUNT) asks the overcommit policy for
 * the pages it adds, as Linux does, and fails with -ENOMEM if refused.
 *
 * Areas are made and dropped through vma_create / vma_detach_range /
 * vma_destroy, which keep object references and attachment counts right.
 * The new area attaches before the old one detaches, so an object whose
 * owner counts areas (shm's nattch) sees the same count after a move, as
 * on Linux, and is never released in between.
 */
#include <types.h>
#include <arch/paging.h>
#include <lib/printk.h>
#include <mm/vm.h>
#include <mm/vm_object.h>
#include <uapi/errno.h>
#include <uapi/mman.h>
#include "vm_internal.h"
#include "tlb.h"

#define MREMAP_VALID	(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP)

/* The area containing addr, or NULL (Linux's vma_lookup). */
static struct vma *vma_lookup(struct mm *mm, uint64_t addr)
{
	struct vma *v = vma_find(&mm->vmas, addr);

	return v && v->start <= addr ? v : NULL;
}

/*
 * Linux's special mappings: the vDSO image and its data page, the only
 * named objects. They are VM_DONTEXPAND there (they may neither grow nor
 * be left behind by MREMAP_DONTUNMAP) and not shared (no "duplicate").
 */
static bool vma_special(const struct vma *v)
{
	return v->obj && vm_object_name(v->obj);
}

/*
 * Linux's vma_to_resize: the area holding [addr, addr + old_len), if it
 * may become new_len long. 0 with *out set, -EFAULT (no area, or the
 * range leaves it), -EINVAL (duplicating a private area; DONTUNMAP of a
 * special mapping; offset overflow).
 */
static int mremap_area(struct mm *mm, uint64_t addr, uint64_t old_len,
		       uint64_t new_len, unsigned long flags, struct vma **out)
{
	struct vma *v = vma_lookup(mm, addr);
	uint64_t pgoff;

	if (!v)
		return -EFAULT;
	/* A "duplicate" of private memory would be new memory, not its pages. */
	if (!old_len && (!(v->flags & VMA_SHARED) || vma_special(v)))
		return -EINVAL;
	if ((flags & MREMAP_DONTUNMAP) && vma_special(v))
		return -EINVAL;
	if (old_len > v->end - addr)
		return -EFAULT;
	if (new_len != old_len) {
		pgoff = v->pgoff + ((addr - v->start) >> PAGE_SHIFT);
		if (pgoff + (new_len >> PAGE_SHIFT) < pgoff)
			return -EINVAL;
		if (vma_special(v))
			return -EFAULT;
	}
	*out = v;
	return 0;
}

/* Linux's vma_expandable: v may grow by delta bytes where it is. */
static bool mremap_can_expand(struct mm *mm, const struct vma *v,
			      uint64_t delta, bool privileged)
{
	uint64_t end = v->end + delta;

	if (end < v->end || end > USER_TOP)
		return false;
	if (vma_find_intersection(&mm->vmas, v->end, end))
		return false;
	/* get_unmapped_area(MAP_FIXED) of the whole area checks its start. */
	return privileged || v->start >= MMAP_MIN_ADDR;
}

/*
 * A counted area (VMA_ACCOUNT) asks the overcommit policy for what the
 * move or growth adds: the growth, or with MREMAP_DONTUNMAP the whole new
 * range (the old one stays). 0 or -ENOMEM.
 */
static int mremap_account(const struct vma *v, uint64_t old_len,
			  uint64_t new_len, unsigned long flags)
{
	uint64_t added = new_len > old_len ? new_len - old_len : 0;
	bool data = (v->prot & PROT_WRITE) && !(v->flags & VMA_SHARED);

	if (flags & MREMAP_DONTUNMAP)
		added = new_len;
	/* RLIMIT_AS and RLIMIT_DATA first, as Linux's vma_to_resize. */
	if (!mm_may_expand(v->mm, added >> PAGE_SHIFT, data))
		return -ENOMEM;
	if (!(v->flags & VMA_ACCOUNT))
		return 0;
	return vm_enough_memory(added >> PAGE_SHIFT);
}

struct pte_move {
	uint64_t delta;			/* new address - old, modulo 2^64 */
	int err;
};

/* First pass: every entry's destination gets its page table now, so the
 * move itself cannot fail halfway. */
static void move_prepare_one(struct mm *mm, uint64_t va, pte_t *pte,
			     void *arg)
{
	struct pte_move *m = arg;

	if (!m->err && !pt_walk(mm->root, va + m->delta, true))
		m->err = -ENOMEM;
}

/* Second pass: the entry moves with its frame and page reference. */
static void move_one(struct mm *mm, uint64_t va, pte_t *pte, void *arg)
{
	struct pte_move *m = arg;
	pte_t *dst = pt_walk(mm->root, va + m->delta, false);

	BUG_ON(!dst || *dst);	/* prepared, and outside every area */
	*dst = *pte;
	*pte = 0;
}

/*
 * Linux's move_vma: map [new_addr, new_addr + new_len) like v at addr
 * (same object pages), move the entries of [addr, addr + old_len) there,
 * and unmap the old range unless MREMAP_DONTUNMAP. The new range is
 * free. Returns new_addr, or -ENOMEM with nothing changed.
 */
static long mremap_move(struct mm *mm, struct vma *v, uint64_t addr,
			uint64_t old_len, uint64_t new_len, uint64_t new_addr,
			unsigned long flags)
{
	struct pte_move m = { .delta = new_addr - addr };
	uint64_t old_end = addr + old_len;
	LIST_HEAD(gone);
	struct vma *n, *g, *tmp;

	/* Linux keeps room to split the old area in three. */
	if (mm->vmas.count >= VMA_MAX_COUNT - 3)
		return -ENOMEM;
	if (mremap_account(v, old_len, new_len, flags))
		return -ENOMEM;
	n = vma_create(new_addr, new_addr + new_len, v->prot, v->maxprot,
		       v->flags, v->obj,
		       v->pgoff + ((addr - v->start) >> PAGE_SHIFT));
	if (!n)
		return -ENOMEM;
	n->mm = mm;
	vma_set_file(n, v->file);
	mm_for_each_pte(mm, addr, old_end, move_prepare_one, &m);
	if (!m.err && old_len && !(flags & MREMAP_DONTUNMAP))
		m.err = vma_detach_range(&mm->vmas, addr, old_end, &gone);
	if (m.err) {
		mm_free_tables(mm, new_addr, new_addr + new_len);
		vma_destroy(n);
		return m.err;
	}
	mm_for_each_pte(mm, addr, old_end, move_one, &m);
	tlb_flush_range(mm, addr, old_end);
	list_for_each_entry_safe(g, tmp, &gone, link) {
		list_del(&g->link);
		vma_destroy(g);		/* its entries have moved: none left */
	}
	mm_free_tables(mm, addr, old_end);
	vma_insert(&mm->vmas, n);
	return (long)new_addr;
}

/* Linux's mremap_to: MREMAP_FIXED and/or MREMAP_DONTUNMAP. */
static long mremap_to(struct mm *mm, uint64_t addr, uint64_t old_len,
		      uint64_t new_addr, uint64_t new_len, unsigned long flags,
		      bool privileged)
{
	struct map_request req = {
		.addr = new_addr, .len = new_len,
		.check_min_addr = !privileged,
	};
	struct vma *v;
	long r;

	if (!IS_ALIGNED(new_addr, PAGE_SIZE) || new_len > USER_TOP ||
	    new_addr > USER_TOP - new_len)
		return -EINVAL;
	if (addr + old_len > new_addr && new_addr + new_len > addr)
		return -EINVAL;		/* the ranges overlap */
	/* Both areas may be split in three before the move: fail first. */
	if (mm->vmas.count + 2 >= VMA_MAX_COUNT - 3)
		return -ENOMEM;
	if (flags & MREMAP_FIXED) {
		r = mm_do_munmap(mm, new_addr, new_len);
		if (r)
			return r;
		req.map_flags = VM_MAP_FIXED;
	}
	if (old_len > new_len) {
		r = mm_do_munmap(mm, addr + new_len, old_len - new_len);
		if (r)
			return r;
		old_len = new_len;
	}
	r = mremap_area(mm, addr, old_len, new_len, flags, &v);
	if (r)
		return r;
	r = mm_pick_address(mm, &req);	/* without FIXED, new_addr hints */
	if (r < 0)
		return r;
	return mremap_move(mm, v, addr, old_len, new_len, (uint64_t)r, flags);
}

/* Growing without FIXED/DONTUNMAP: in place if possible, else move. */
static long mremap_grow(struct mm *mm, uint64_t addr, uint64_t old_len,
			uint64_t new_len, unsigned long flags, bool privileged)
{
	struct map_request req = { .len = new_len,
				   .check_min_addr = !privileged };
	struct vma *v;
	long r;

	r = mremap_area(mm, addr, old_len, new_len, flags, &v);
	if (r)
		return r;
	if (old_len == v->end - addr &&
	    mremap_can_expand(mm, v, new_len - old_len, privileged)) {
		if (mremap_account(v, old_len, new_len, flags))
			return -ENOMEM;
		/* As Linux 6.1's vma_adjust: no merge with a neighbour the
		 * area now touches. */
		v->end = addr + new_len;
		return (long)addr;
	}
	if (!(flags & MREMAP_MAYMOVE))
		return -ENOMEM;
	r = mm_pick_address(mm, &req);
	if (r < 0)
		return r;
	return mremap_move(mm, v, addr, old_len, new_len, (uint64_t)r, flags);
}

long vm_mremap(struct mm *mm, uint64_t addr, uint64_t old_len,
	       uint64_t new_len, unsigned long flags, uint64_t new_addr,
	       bool privileged)
{
	long r;

	if (flags & ~MREMAP_VALID)
		return -EINVAL;
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	/* DONTUNMAP is always a move and never a resize (raw lengths). */
	if ((flags & MREMAP_DONTUNMAP) &&
	    (!(flags & MREMAP_MAYMOVE) || old_len != new_len))
		return -EINVAL;
	if (!IS_ALIGNED(addr, PAGE_SIZE))
		return -EINVAL;
	/* Rounded up modulo 2^64, as Linux's PAGE_ALIGN: huge lengths wrap
	 * to 0, which for new_len is -EINVAL. */
	old_len = ALIGN_UP(old_len, PAGE_SIZE);
	new_len = ALIGN_UP(new_len, PAGE_SIZE);
	if (!new_len)
		return -EINVAL;

	mutex_lock(&mm->lock);
	if (!vma_lookup(mm, addr)) {
		r = -EFAULT;
	} else if (flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)) {
		r = mremap_to(mm, addr, old_len, new_addr, new_len, flags,
			      privileged);
	} else if (old_len >= new_len) {
		/* Shrinking just unmaps the tail, whatever areas it spans;
		 * an equal length succeeds without looking further. */
		r = mm_do_munmap(mm, addr + new_len, old_len - new_len);
		if (!r || old_len == new_len)
			r = (long)addr;
	} else {
		r = mremap_grow(mm, addr, old_len, new_len, flags, privileged);
	}
	mutex_unlock(&mm->lock);
	return r;
}
