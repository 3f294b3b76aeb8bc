/*
 * msync(2), with Linux 6.1's checks and errno order (its mm/msync.c).
 *
 * On Linux the call's work is writing dirty pages of shared file mappings
 * back to their file (MS_SYNC waits for it; MS_ASYNC has done nothing
 * since 2.6.19, dirty pages being tracked anyway). Every memory object
 * here is tmpfs, shm or shared anonymous memory: the pages are the file,
 * with no backing store behind them, exactly as tmpfs on Linux, whose
 * fsync is a no-op. So nothing is written, and what is left is the
 * argument checks and the walk over the range that reports unmapped parts
 * with -ENOMEM (after the mapped parts were "synced", as Linux does).
 * MS_INVALIDATE gives -EBUSY on mlock()ed areas on Linux; nothing is
 * ever locked here, so it never does.
 */
#include <types.h>
#include <mm/vm.h>
#include <uapi/errno.h>
#include <uapi/mman.h>
#include "vm_internal.h"

/*
 * Linux's loop over the areas of [start, end): -ENOMEM if the range
 * starts in or ends in a hole, or (after going on past it) has one
 * inside; MS_ASYNC alone stops at the first hole. Caller holds mm->lock.
 */
static int msync_walk(struct mm *mm, uint64_t start, uint64_t end, int flags)
{
	struct vma *v = vma_find(&mm->vmas, start);
	int unmapped = 0;

	mm_assert_locked(mm);
	for (;;) {
		if (!v)
			return -ENOMEM;
		if (start < v->start) {
			if (flags == MS_ASYNC)
				return -ENOMEM;
			start = v->start;
			if (start >= end)
				return -ENOMEM;
			unmapped = -ENOMEM;
		}
		/* [start, min(end, v->end)): a shared object mapping would be
		 * written back here under MS_SYNC; no object has a backing
		 * store (see above). */
		start = v->end;
		if (start >= end)
			return unmapped;
		v = vma_next(&mm->vmas, v);
	}
}

int vm_msync(struct mm *mm, uint64_t start, uint64_t len, int flags)
{
	uint64_t end;
	int err;

	if (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC))
		return -EINVAL;
	if (!IS_ALIGNED(start, PAGE_SIZE))
		return -EINVAL;
	if ((flags & MS_ASYNC) && (flags & MS_SYNC))
		return -EINVAL;
	/* Rounded up modulo 2^64 as Linux does: a huge len wraps to 0. */
	end = start + ALIGN_UP(len, PAGE_SIZE);
	if (end < start)
		return -ENOMEM;
	if (end == start)
		return 0;
	mutex_lock(&mm->lock);
	err = msync_walk(mm, start, end, flags);
	mutex_unlock(&mm->lock);
	return err;
}
