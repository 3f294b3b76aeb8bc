/*
 * The program break: brk(2) and where execve starts it.
 *
 * The heap is an ordinary private anonymous area [brk_start,
 * PAGE_ALIGN(brk)), marked VMA_BRK so that, as in Linux 6.1, it never
 * merges with the data segment's area below it (/proc/<pid>/maps shows
 * two lines); growing maps (and merges) pages above it, shrinking
 * unmaps them, which frees their frames and emptied page tables at once.
 * The byte-exact break the program asked for is remembered, as Linux
 * does, and returned. Growth is counted memory (VMA_ACCOUNT): the
 * overcommit policy may refuse it, and brk then returns the old break.
 */
#include <types.h>
#include <mm/vm.h>
#include <uapi/errno.h>
#include <uapi/mman.h>
#include "vm_internal.h"

void vm_set_brk(struct mm *mm, uint64_t brk)
{
	mutex_lock(&mm->lock);
	mm->brk_start = mm->brk = ALIGN_UP(brk, PAGE_SIZE);
	mutex_unlock(&mm->lock);
}

/* Linux's brk: the new break, or the old one when refused. */
static uint64_t brk_change(struct mm *mm, uint64_t brk)
{
	uint64_t oldbrk = ALIGN_UP(mm->brk, PAGE_SIZE), newbrk;
	struct map_request req = {
		.prot = PROT_READ | PROT_WRITE,
		.maxprot = PROT_READ | PROT_WRITE | PROT_EXEC,
		.vma_flags = VMA_BRK | VMA_ACCOUNT,
		.map_flags = VM_MAP_FIXED,
	};
	struct vma *next;

	/* No break before exec set one; none below its start or past the top. */
	if (!mm->brk_start || brk < mm->brk_start || brk > USER_TOP)
		return mm->brk;
	newbrk = ALIGN_UP(brk, PAGE_SIZE);
	if (newbrk == oldbrk)
		goto done;
	if (brk <= mm->brk) {		/* shrinking is always allowed */
		if (mm_unmap(mm, newbrk, oldbrk) < 0)
			return mm->brk;
		goto done;
	}
	/* Keep one guard page below the next mapping, like Linux. */
	next = vma_find(&mm->vmas, oldbrk);
	if (next && newbrk + PAGE_SIZE > next->start)
		return mm->brk;
	req.addr = oldbrk;
	req.len = newbrk - oldbrk;
	req.charge = req.len >> PAGE_SHIFT;	/* the overcommit policy */
	if (mm_map(mm, &req) < 0)
		return mm->brk;
done:
	mm->brk = brk;
	return brk;
}

uint64_t vm_brk(struct mm *mm, uint64_t brk)
{
	uint64_t ret;

	mutex_lock(&mm->lock);
	ret = brk_change(mm, brk);
	mutex_unlock(&mm->lock);
	return ret;
}
