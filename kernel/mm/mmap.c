/*
 * mmap(2) and munmap(2) with Linux's argument checks, in Linux's order,
 * so every errno matches.
 *
 * Anonymous mappings only for now: private ones are filled with zeroed
 * frames on first touch and copied on write after fork; shared ones get a
 * fresh memory object (mm/vm_object.h) which every area mapping it, in
 * this process or a forked child, keeps alive. File mappings return
 * -ENODEV until the VFS offers an mmap operation (-EBADF for a negative
 * descriptor, as fget would). MAP_GROWSDOWN areas are recorded but do not
 * grow automatically; MAP_HUGETLB fails with -ENOMEM as on a Linux
 * without reserved huge pages.
 */
#include <types.h>
#include <mm/vm.h>
#include <mm/vm_object.h>
#include <uapi/errno.h>
#include <uapi/mman.h>
#include "vm_internal.h"

#define PROT_RWX (PROT_READ | PROT_WRITE | PROT_EXEC)

/* The tail of do_mmap once the address is known: type checks, mapping. */
static long mmap_anon_at(struct mm *mm, struct map_request *req,
			 unsigned long flags, uint64_t addr)
{
	struct vm_object *obj = NULL;
	long r;

	switch (flags & MAP_TYPE) {
	case MAP_SHARED:
		if (flags & MAP_GROWSDOWN)
			return -EINVAL;
		obj = vm_object_create(req->len);
		if (!obj)
			return -ENOMEM;
		req->obj = obj;
		req->pgoff = 0;
		req->vma_flags |= VMA_SHARED;
		break;
	case MAP_PRIVATE:
		req->pgoff = 0;
		break;
	default:
		return -EINVAL;
	}
	r = mm_map_at(mm, req, addr);
	if (obj)
		vm_object_put(obj);	/* the area holds its own reference */
	if (r >= 0 && (flags & (MAP_POPULATE | MAP_LOCKED)) &&
	    !(flags & MAP_NONBLOCK))
		mm_populate(mm, addr, addr + req->len,	/* best effort */
			    (req->prot & PROT_WRITE) && !obj);
	return r;
}

static long mmap_anon(struct mm *mm, uint64_t addr, uint64_t len,
		      unsigned long prot, unsigned long flags, uint64_t pgoff,
		      bool privileged)
{
	struct map_request req = {
		.addr = addr,
		.prot = prot & PROT_RWX,	/* Linux ignores other bits */
		.maxprot = PROT_RWX,
		.map_32bit = flags & MAP_32BIT,
		.check_min_addr = !privileged,
	};
	long r;

	if (len == 0)
		return -EINVAL;
	req.len = ALIGN_UP(len, PAGE_SIZE);
	if (req.len == 0)
		return -ENOMEM;
	if (pgoff + (req.len >> PAGE_SHIFT) < pgoff)
		return -EOVERFLOW;
	if (flags & MAP_FIXED_NOREPLACE)
		req.map_flags = VM_MAP_NOREPLACE;
	else if (flags & MAP_FIXED)
		req.map_flags = VM_MAP_FIXED;
	if (flags & MAP_GROWSDOWN)
		req.vma_flags |= VMA_GROWSDOWN;

	mutex_lock(&mm->lock);
	r = mm_pick_address(mm, &req);
	if (r >= 0 && (flags & MAP_FIXED_NOREPLACE) &&
	    vma_find_intersection(&mm->vmas, r, r + req.len))
		r = -EEXIST;
	if (r >= 0)
		r = mmap_anon_at(mm, &req, flags, r);
	mutex_unlock(&mm->lock);
	return r;
}

long vm_mmap(struct mm *mm, uint64_t addr, uint64_t len, unsigned long prot,
	     unsigned long flags, int fd, uint64_t off, bool privileged)
{
	if (off & ~PAGE_MASK)
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS))
		return fd < 0 ? -EBADF : -ENODEV;
	if (flags & MAP_HUGETLB)
		return -ENOMEM;
	return mmap_anon(mm, addr, len, prot, flags, off >> PAGE_SHIFT,
			 privileged);
}

int vm_munmap(struct mm *mm, uint64_t addr, uint64_t len)
{
	uint64_t end;
	int err;

	if (!IS_ALIGNED(addr, PAGE_SIZE) || addr > USER_TOP ||
	    len > USER_TOP - addr)
		return -EINVAL;
	end = addr + ALIGN_UP(len, PAGE_SIZE);
	if (end == addr)
		return -EINVAL;
	mutex_lock(&mm->lock);
	err = mm_unmap(mm, addr, end);
	mutex_unlock(&mm->lock);
	return err;
}
