/*
 * madvise(2). The advice that changes what a program sees is implemented:
 * MADV_DONTNEED (and _LOCKED) and MADV_FREE drop the frames of the range
 * (private memory reads back as zeroes, shared memory keeps its data in
 * the object), MADV_DONTFORK/DOFORK and MADV_WIPEONFORK/KEEPONFORK change
 * what fork copies, MADV_POPULATE_READ/WRITE prefault. Pure performance
 * hints (NORMAL, RANDOM, SEQUENTIAL, WILLNEED, COLD, PAGEOUT, MERGEABLE,
 * UNMERGEABLE, HUGEPAGE, NOHUGEPAGE, DONTDUMP, DODUMP) have no visible
 * effect on a kernel without swap, KSM or huge pages, and succeed after
 * the same range checks as on Linux. MADV_REMOVE fails with -EOPNOTSUPP
 * (memory objects cannot punch holes yet); other values are -EINVAL.
 */
#include <types.h>
#include <arch/paging.h>
#include <mm/vm.h>
#include <uapi/errno.h>
#include <uapi/mman.h>
#include "vm_internal.h"

static bool advice_is_hint(int advice)
{
	switch (advice) {
	case MADV_NORMAL: case MADV_RANDOM: case MADV_SEQUENTIAL:
	case MADV_WILLNEED: case MADV_COLD: case MADV_PAGEOUT:
	case MADV_MERGEABLE: case MADV_UNMERGEABLE:
	case MADV_HUGEPAGE: case MADV_NOHUGEPAGE:
	case MADV_DONTDUMP: case MADV_DODUMP:
		return true;
	}
	return false;
}

static bool advice_valid(int advice)
{
	switch (advice) {
	case MADV_DONTNEED: case MADV_DONTNEED_LOCKED: case MADV_FREE:
	case MADV_REMOVE: case MADV_DONTFORK: case MADV_DOFORK:
	case MADV_WIPEONFORK: case MADV_KEEPONFORK:
	case MADV_POPULATE_READ: case MADV_POPULATE_WRITE:
		return true;
	}
	return advice_is_hint(advice);
}

/* Set and clear VMA flags on exactly [start, end) of area v. */
static int madvise_flags(struct mm *mm, struct vma *v, uint64_t start,
			 uint64_t end, unsigned int set, unsigned int clear)
{
	unsigned int flags = (v->flags | set) & ~clear;

	if (flags == v->flags)
		return 0;
	if (vma_split_at(&mm->vmas, start) < 0 ||
	    vma_split_at(&mm->vmas, end) < 0)
		return -ENOMEM;
	v = vma_find(&mm->vmas, start);
	v->flags = flags;
	vma_merge(&mm->vmas, v);
	return 0;
}

/* Apply advice to [start, end), which lies inside area v. */
static int madvise_area(struct mm *mm, struct vma *v, uint64_t start,
			uint64_t end, int advice)
{
	bool shared = v->flags & VMA_SHARED;

	switch (advice) {
	case MADV_FREE:
		if (shared)
			return -EINVAL;
		/* Freeing at once is a valid MADV_FREE. */
		__attribute__((fallthrough));
	case MADV_DONTNEED:
	case MADV_DONTNEED_LOCKED:
		mm_zap_range(mm, start, end);
		pt_free_range(mm->root, start, end);
		return 0;
	case MADV_REMOVE:
		if (!shared)
			return -EINVAL;
		return (v->prot & PROT_WRITE) ? -EOPNOTSUPP : -EACCES;
	case MADV_DONTFORK:
		return madvise_flags(mm, v, start, end, VMA_DONTFORK, 0);
	case MADV_DOFORK:
		return madvise_flags(mm, v, start, end, 0, VMA_DONTFORK);
	case MADV_WIPEONFORK:
		if (shared)
			return -EINVAL;
		return madvise_flags(mm, v, start, end, VMA_WIPEONFORK, 0);
	case MADV_KEEPONFORK:
		return madvise_flags(mm, v, start, end, 0, VMA_WIPEONFORK);
	}
	return 0;			/* a hint */
}

/* Linux's madvise_populate: stops at the first hole or failure. */
static int madvise_populate(struct mm *mm, uint64_t start, uint64_t end,
			    bool write)
{
	for (uint64_t va = start; va < end; va += PAGE_SIZE) {
		struct vma *v = vma_find(&mm->vmas, va);
		int err;

		if (!v || v->start > va)
			return -ENOMEM;
		if ((write && !(v->prot & PROT_WRITE)) ||
		    !(v->prot & (PROT_READ | PROT_WRITE | PROT_EXEC)))
			return -EINVAL;
		err = fault_resolve(mm, v, va, write ? FAULT_WRITE : 0, NULL);
		if (err)
			return err;
	}
	return 0;
}

/* Every area piece in [start, end); holes give -ENOMEM at the end. */
static int madvise_walk(struct mm *mm, uint64_t start, uint64_t end,
			int advice)
{
	int unmapped = 0, err;

	while (start < end) {
		struct vma *v = vma_find(&mm->vmas, start);
		uint64_t piece_end;

		if (!v || v->start >= end)
			return -ENOMEM;
		if (v->start > start) {
			unmapped = -ENOMEM;
			start = v->start;
		}
		piece_end = MIN(v->end, end);
		err = madvise_area(mm, v, start, piece_end, advice);
		if (err)
			return err;
		start = piece_end;
	}
	return unmapped;
}

int vm_madvise(struct mm *mm, uint64_t start, uint64_t len_in, int advice)
{
	uint64_t len, end;
	int err;

	if (!advice_valid(advice) || !IS_ALIGNED(start, PAGE_SIZE))
		return -EINVAL;
	len = ALIGN_UP(len_in, PAGE_SIZE);
	if (len_in && !len)
		return -EINVAL;
	end = start + len;
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	mutex_lock(&mm->lock);
	if (advice == MADV_POPULATE_READ || advice == MADV_POPULATE_WRITE)
		err = madvise_populate(mm, start, end,
				       advice == MADV_POPULATE_WRITE);
	else
		err = madvise_walk(mm, start, end, advice);
	mutex_unlock(&mm->lock);
	return err;
}
