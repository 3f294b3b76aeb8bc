/*
 * Memory objects (kernel/mm/vm_object.c): refcounted "pages by offset"
 * containers. One object backs each MAP_SHARED|MAP_ANONYMOUS mapping and
 * each System V shared-memory segment (and later tmpfs file data).
 *
 * Lifetime: every reference is counted in one place, obj->refcount. The
 * creator holds one; every VMA that maps the object holds one (taken when
 * the VMA is created, split or copied by fork; dropped when it is
 * unmapped, merged away or its mm dies). The last vm_object_put() frees
 * every page of the object, then calls ops->release. A shm id table
 * simply keeps the creator's reference until IPC_RMID and drops it there:
 * the pages then go back exactly when the last attachment is gone.
 *
 * Lock order: mm->lock (held around map, unmap, fork, exit and faults)
 * is taken before obj->lock; ops->open and ops->close are called with the
 * mm lock held, so their implementations may take a subsystem lock (e.g.
 * shm's) only if that subsystem never calls vm_map_object() or
 * vm_unmap_object() while holding it.
 */
#ifndef BASALT_MM_VM_OBJECT_H
#define BASALT_MM_VM_OBJECT_H

#include <types.h>

struct mm;
struct page;
struct vm_object;

/* Hooks for the owner of an object (all optional, all in process context). */
struct vm_object_ops {
	/* A VMA starts mapping obj: vm_map_object, a split, or fork. */
	void (*open)(struct vm_object *obj);
	/* A VMA stops mapping obj: munmap/shmdt, a merge, exit or execve. */
	void (*close)(struct vm_object *obj);
	/* The last reference is gone and the pages are freed; obj itself is
	 * freed right after this returns. Frees whatever priv points to. */
	void (*release)(struct vm_object *obj);
};

/*
 * A new object of size bytes (rounded up to pages, size > 0), with one
 * reference for the caller and no pages yet. NULL when out of memory.
 */
struct vm_object *vm_object_create(uint64_t size);
/* Attach owner hooks and a private pointer; call before mapping obj. */
void vm_object_set_ops(struct vm_object *obj, const struct vm_object_ops *ops,
		       void *priv);
void *vm_object_priv(const struct vm_object *obj);
const struct vm_object_ops *vm_object_ops(const struct vm_object *obj);

void vm_object_get(struct vm_object *obj);
void vm_object_put(struct vm_object *obj);	/* last put frees everything */

/*
 * The page at page index `index`, allocated zero-filled on first use.
 * The page stays owned by the object (no reference is added for the
 * caller); it lives as long as the caller's object reference. NULL when
 * out of memory or index is beyond the object.
 */
struct page *vm_object_get_page(struct vm_object *obj, uint64_t index);

uint64_t vm_object_size(const struct vm_object *obj);	/* bytes, paged */
/* Number of VMAs mapping obj (Linux's shm_nattch counts exactly these). */
unsigned int vm_object_nattach(const struct vm_object *obj);
/* Pages allocated so far (shm_rss for SHM_INFO). */
uint64_t vm_object_resident(const struct vm_object *obj);

/* Flags of vm_map_object. Without FIXED*, addr is a hint (0: none). */
#define VM_MAP_FIXED		0x1	/* exactly addr; replaces what is there */
#define VM_MAP_NOREPLACE	0x2	/* exactly addr; -EEXIST if anything is */
#define VM_MAP_NOWRITE		0x4	/* mprotect may never add PROT_WRITE */

/*
 * Map pages [pgoff, pgoff + len/PAGE_SIZE) of obj shared into mm at addr
 * with prot (PROT_* bits). addr and len must be page-aligned and the
 * range must lie inside the object. The new VMA takes its own object
 * reference (the caller keeps its own). Returns the address, or -EINVAL
 * (bad alignment/range), -ENOMEM (no room or memory), -EEXIST
 * (VM_MAP_NOREPLACE and the range is in use).
 */
long vm_map_object(struct mm *mm, uint64_t addr, uint64_t len, int prot,
		   struct vm_object *obj, uint64_t pgoff, unsigned int flags);

/*
 * shmdt(): unmap the attachment of an object with the given ops that
 * starts at addr, Linux-style: the first VMA at or above addr whose object
 * has these ops and that maps the object's page (vma start - addr) /
 * PAGE_SIZE, then every other fragment of that object that lies within
 * object size of addr. -EINVAL if addr is unaligned or nothing matched.
 */
int vm_unmap_object(struct mm *mm, uint64_t addr,
		    const struct vm_object_ops *ops);

#endif
