/*
 * madvise(2). The advice that changes what a program sees is implemented:
 * MADV_DONTNEED (and _LOCKED) drops the entries of the range (private
 * anonymous memory reads back as zeroes; an object mapping refaults the
 * object's pages, so a private file mapping shows the file again where it
 * had copies), MADV_FREE drops private anonymous frames at once (a valid
 * MADV_FREE), MADV_REMOVE punches a hole in the object of a shared
 * mapping, MADV_DONTFORK/DOFORK and MADV_WIPEONFORK/KEEPONFORK
 * change what fork copies, MADV_POPULATE_READ/WRITE prefault. Pure
 * performance hints (NORMAL, RANDOM, SEQUENTIAL, WILLNEED, COLD, PAGEOUT,
 * MERGEABLE, UNMERGEABLE, HUGEPAGE, NOHUGEPAGE, DONTDUMP, DODUMP) have no
 * visible effect on a kernel without swap, KSM or huge pages, and succeed
 * after the same range checks as on Linux 6.1. Other values are -EINVAL.
 *
 * Which areas accept what follows Linux: MADV_FREE and MADV_WIPEONFORK
 * only private anonymous memory (-EINVAL on any object mapping);
 * MADV_REMOVE only a mapping of a file's object (-EINVAL otherwise) that
 * is shared and may be made writable (-EACCES otherwise).
 */
#include <types.h>
#include <arch/paging.h>
#include <mm/vm.h>
#include <mm/vm_object.h>
#include <proc/sched.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
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

/* Apply advice (not MADV_REMOVE) to [start, end), inside area v. */
static int madvise_area(struct mm *mm, struct vma *v, uint64_t start,
			uint64_t end, int advice)
{
	switch (advice) {
	case MADV_FREE:
		if (v->obj)
			return -EINVAL;
		/* Freeing at once is a valid MADV_FREE. */
		__attribute__((fallthrough));
	case MADV_DONTNEED:
	case MADV_DONTNEED_LOCKED:
		mm_zap_range(mm, start, end);
		mm_free_tables(mm, start, end);
		return 0;
	case MADV_DONTFORK:
		return madvise_flags(mm, v, start, end, VMA_DONTFORK, 0);
	case MADV_DOFORK:
		return madvise_flags(mm, v, start, end, 0, VMA_DONTFORK);
	case MADV_WIPEONFORK:
		if (v->obj)
			return -EINVAL;
		return madvise_flags(mm, v, start, end, VMA_WIPEONFORK, 0);
	case MADV_KEEPONFORK:
		return madvise_flags(mm, v, start, end, 0, VMA_WIPEONFORK);
	}
	return 0;			/* a hint */
}

/*
 * MADV_REMOVE on [start, end) inside v: Linux's madvise_remove, which
 * punches a hole through the file's fallocate. Called with mm->lock held;
 * drops it around the punch, which takes the lock of every mm mapping the
 * object (rmap_zap), then takes it again. v may be gone by then, so the
 * caller looks the next area up afresh.
 */
static int madvise_remove(struct mm *mm, struct vma *v, uint64_t start,
			  uint64_t end)
{
	struct vm_object *obj = v->obj;
	uint64_t off;

	mm_assert_locked(mm);
	/* Only a file's object: not private anonymous memory, not the vDSO
	 * (a special mapping without a file on Linux). */
	if (!obj || vm_object_name(obj))
		return -EINVAL;
	/* Shared and writable through mprotect (VM_SHARED|VM_MAYWRITE: the
	 * Debian 6.1 kernel has the stable backport that checks MAYWRITE,
	 * so a mapping mprotect()ed read-only may still punch). */
	if (!(v->flags & VMA_SHARED) || !(v->maxprot & PROT_WRITE))
		return -EACCES;
	/* tmpfs refuses to punch sealed data (shmem_fallocate). */
	if (vm_object_seals(obj) & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE))
		return -EPERM;
	off = (v->pgoff << PAGE_SHIFT) + (start - v->start);
	vm_object_get(obj);	/* the area may be unmapped meanwhile */
	mutex_unlock(&mm->lock);
	vm_object_punch(obj, off, off + (end - start));
	vm_object_put(obj);
	mutex_lock(&mm->lock);
	return 0;
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
		if (err == -EIO)
			return -EFAULT;	/* SIGBUS: beyond the end of a file */
		if (err)
			return err;
		cond_resched();		/* the range is the user's to choose */
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
		if (advice == MADV_REMOVE)
			err = madvise_remove(mm, v, start, piece_end);
		else
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
