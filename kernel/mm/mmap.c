/*
 * mmap(2) and munmap(2) with Linux's argument checks, in Linux's order
 * (ksys_mmap_pgoff, then do_mmap), so every errno matches.
 *
 * Private anonymous mappings are filled with zeroed frames on first touch
 * and copied on write after fork; shared anonymous ones get a fresh memory
 * object (mm/vm_object.h) which every area mapping it, in this process or
 * a forked child, keeps alive. A file mapping maps the file's own memory
 * object, which the file system hands over through its mmap operation
 * (fs: file_mmap_object): shared, its pages are written in place and seen
 * by read(2) and every other mapping; private, they are mapped read-only
 * and copied on the first write. /dev/zero hands over a new anonymous
 * object for MAP_SHARED and none (private anonymous memory) for
 * MAP_PRIVATE; areas record the file they map, for /proc/<pid>/maps.
 * MAP_GROWSDOWN areas are recorded but do not grow automatically;
 * MAP_HUGETLB fails with -ENOMEM (-EINVAL on a file) as on a Linux
 * without reserved huge pages.
 */
#include <types.h>
#include <mm/vm.h>
#include <mm/vm_object.h>
#include <fs/file.h>
#include <fs/fs.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/mman.h>
#include "vm_internal.h"

#define PROT_RWX (PROT_READ | PROT_WRITE | PROT_EXEC)

/*
 * What the overcommit policy counts (Linux's accountable_mapping): a
 * private writable mapping, unless MAP_NORESERVE; such an area is
 * VMA_ACCOUNT. Shared anonymous memory is asked for too (Linux charges
 * its shmem file), without the flag.
 */
static void mmap_account(struct map_request *req, bool shared_anon)
{
	bool shared = req->vma_flags & VMA_SHARED;

	if (req->vma_flags & VMA_NORESERVE)
		return;
	if (!shared && (req->prot & PROT_WRITE))
		req->vma_flags |= VMA_ACCOUNT;
	if ((!shared && (req->prot & PROT_WRITE)) || shared_anon)
		req->charge = req->len >> PAGE_SHIFT;
}

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
		obj = vm_object_create_anon(req->len);
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
	mmap_account(req, obj != NULL);
	r = mm_map_at(mm, req, addr);
	if (obj)
		vm_object_put(obj);	/* the area holds its own reference */
	if (r >= 0 && (flags & (MAP_POPULATE | MAP_LOCKED)) &&
	    !(flags & MAP_NONBLOCK))
		mm_populate(mm, addr, addr + req->len,	/* best effort */
			    (req->prot & PROT_WRITE) && !obj);
	return r;
}

/* Flags MAP_SHARED_VALIDATE accepts (Linux's LEGACY_MAP_MASK). */
#define LEGACY_MAP_MASK (MAP_SHARED | MAP_PRIVATE | MAP_FIXED |		\
	MAP_ANONYMOUS | MAP_DENYWRITE | MAP_EXECUTABLE | MAP_UNINITIALIZED | \
	MAP_GROWSDOWN | MAP_LOCKED | MAP_NORESERVE | MAP_POPULATE |	\
	MAP_NONBLOCK | MAP_STACK | MAP_HUGETLB | MAP_32BIT | (0x3fUL << 26))

/*
 * The file half of do_mmap once the address is known: Linux's checks on
 * the open file in its order, then the object to map. On success req
 * holds the object (a reference the caller drops) or none (/dev/zero
 * private), the file, maxprot and the area flags.
 */
static long mmap_file_prepare(struct map_request *req, struct file *f,
			      unsigned long flags)
{
	bool shared = false, noexec = file_noexec(f);
	struct vm_object *obj = NULL;
	long err;

	switch (flags & MAP_TYPE) {
	case MAP_SHARED_VALIDATE:
		if (flags & ~LEGACY_MAP_MASK)
			return -EOPNOTSUPP;
		__attribute__((fallthrough));
	case MAP_SHARED:
		if ((req->prot & PROT_WRITE) && !(f->mode & FMODE_WRITE))
			return -EACCES;
		shared = true;
		/* Read-only open: shared, but never writable. */
		if (!(f->mode & FMODE_WRITE))
			req->maxprot &= ~PROT_WRITE;
		__attribute__((fallthrough));
	case MAP_PRIVATE:
		if (!(f->mode & FMODE_READ))
			return -EACCES;
		if (noexec) {
			if (req->prot & PROT_EXEC)
				return -EPERM;
			req->maxprot &= ~PROT_EXEC;
		}
		if (flags & MAP_GROWSDOWN)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	err = file_mmap_object(f, shared, req->len, &obj);
	if (err)
		return err;
	/*
	 * A write-sealed file maps shared only read-only, never to be made
	 * writable (Linux's seal_check_write; the 6.1 oracle allows the
	 * read-only mapping for F_SEAL_WRITE too, as later kernels do).
	 */
	if (obj && shared &&
	    (vm_object_seals(obj) & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE))) {
		if (req->prot & PROT_WRITE) {
			vm_object_put(obj);
			return -EPERM;
		}
		req->maxprot &= ~PROT_WRITE;
	}
	req->obj = obj;
	/* As Linux: the area keeps the file (even /dev/zero's private
	 * anonymous memory), except that shared /dev/zero memory is an
	 * anonymous object of its own (shmem_zero_setup replaces the file). */
	req->file = obj && vm_object_anon_ino(obj) ? NULL : f;
	if (obj && shared)
		req->vma_flags |= VMA_SHARED;
	return 0;
}

static long mmap_file_at(struct mm *mm, struct map_request *req,
			 struct file *f, unsigned long flags, uint64_t addr)
{
	long r = mmap_file_prepare(req, f, flags);

	if (r < 0)
		return r;
	/* Shared /dev/zero is shared anonymous memory. */
	mmap_account(req, req->obj && !req->file &&
			  (req->vma_flags & VMA_SHARED));
	r = mm_map_at(mm, req, addr);
	if (req->obj)
		vm_object_put(req->obj);	/* the area holds its own */
	if (r >= 0 && (flags & (MAP_POPULATE | MAP_LOCKED)) &&
	    !(flags & MAP_NONBLOCK))
		mm_populate(mm, addr, addr + req->len,	/* best effort */
			    (req->prot & PROT_WRITE) &&
			    !(req->vma_flags & VMA_SHARED));
	return r;
}

static long do_mmap(struct mm *mm, uint64_t addr, uint64_t len,
		    unsigned long prot, unsigned long flags, struct file *f,
		    uint64_t pgoff, bool privileged)
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
	if (flags & MAP_NORESERVE)	/* honoured: strict mode is refused */
		req.vma_flags |= VMA_NORESERVE;

	mutex_lock(&mm->lock);
	r = mm_pick_address(mm, &req);
	if (r >= 0 && (flags & MAP_FIXED_NOREPLACE) &&
	    vma_find_intersection(&mm->vmas, r, r + req.len))
		r = -EEXIST;
	if (r >= 0 && f) {
		req.pgoff = pgoff;
		r = mmap_file_at(mm, &req, f, flags, r);
	} else if (r >= 0) {
		r = mmap_anon_at(mm, &req, flags, r);
	}
	mutex_unlock(&mm->lock);
	return r;
}

long vm_mmap(struct mm *mm, uint64_t addr, uint64_t len, unsigned long prot,
	     unsigned long flags, struct file *f, uint64_t off,
	     bool privileged)
{
	if (off & ~PAGE_MASK)
		return -EINVAL;
	if (f && (flags & MAP_HUGETLB))
		return -EINVAL;
	if (!f && (flags & MAP_HUGETLB))
		return -ENOMEM;
	return do_mmap(mm, addr, len, prot, flags, f, off >> PAGE_SHIFT,
		       privileged);
}

int mm_do_munmap(struct mm *mm, uint64_t addr, uint64_t len)
{
	uint64_t end;

	mm_assert_locked(mm);
	if (!IS_ALIGNED(addr, PAGE_SIZE) || addr > USER_TOP ||
	    len > USER_TOP - addr)
		return -EINVAL;
	end = addr + ALIGN_UP(len, PAGE_SIZE);
	if (end == addr)
		return -EINVAL;
	return mm_unmap(mm, addr, end);
}

int vm_munmap(struct mm *mm, uint64_t addr, uint64_t len)
{
	int err;

	mutex_lock(&mm->lock);
	err = mm_do_munmap(mm, addr, len);
	mutex_unlock(&mm->lock);
	return err;
}
