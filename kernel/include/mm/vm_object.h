/*
 * Memory objects (kernel/mm/vm_object.c, the pages in vm_object_tree.c):
 * refcounted "pages by offset" containers, the one page store of the
 * kernel. An object holds the data of each tmpfs file (and so of every
 * memfd and POSIX shm object: the page cache), of each
 * MAP_SHARED|MAP_ANONYMOUS mapping, and of each System V shared-memory
 * segment. read(2), write(2) and every mapping of a file
 * reach the same pages, so they are coherent by construction.
 *
 * Lifetime: every reference is counted in one place, obj->refcount. The
 * creator holds one (a tmpfs inode keeps it until it is evicted); every
 * VMA that maps the object holds one (taken when the VMA is created,
 * split or copied by fork; dropped when it is unmapped, merged away or its
 * mm dies). The last vm_object_put() frees every page of the object, then
 * calls ops->release. A shm id table simply keeps the creator's reference
 * until IPC_RMID and drops it there: the pages then go back exactly when
 * the last attachment is gone.
 *
 * Size: an object has a byte size. Pages at or beyond it cannot be mapped
 * (an access there is SIGBUS); shrinking it frees those pages and removes
 * them from every mapping (vm_object_set_size), as truncate(2) must.
 *
 * Lock order: an owner's lock (inode->lock), then mm->lock (held around
 * map, unmap, fork, exit and faults), then obj->lock and obj->map_lock.
 * ops->open and ops->close are called with the mm lock held, so their
 * implementations may take a subsystem lock (e.g. shm's) only if that
 * subsystem never calls vm_map_object() or vm_unmap_object() while holding
 * it. vm_object_set_size and vm_object_punch take mm locks themselves:
 * call them holding neither an mm lock nor obj->lock.
 */
#ifndef BASALT_MM_VM_OBJECT_H
#define BASALT_MM_VM_OBJECT_H

#include <types.h>

struct mm;
struct page;
struct file;
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
	/*
	 * npages pages join (> 0) or leave (< 0) the object: the owner's
	 * accounting (tmpfs's size= limit). May refuse a join with -ENOSPC.
	 * Called with obj->lock held: must not sleep or take an mm lock.
	 */
	int (*charge)(struct vm_object *obj, long npages);
	/*
	 * /proc/<pid>/maps: the name of an area mapping obj without a file
	 * (at most size bytes, with its NUL) and its inode number on Linux's
	 * anonymous shmem device (shm: "/SYSV<key> (deleted)", the id).
	 * Called under the mm's lock: must not sleep.
	 */
	void (*describe)(struct vm_object *obj, char *name, size_t size,
			 ino_t *ino);
};

/*
 * A new object of size bytes (0 is allowed: a new file), with one
 * reference for the caller and no pages yet. NULL when out of memory.
 */
struct vm_object *vm_object_create(uint64_t size);
/*
 * Shared anonymous memory (MAP_SHARED|MAP_ANONYMOUS, MAP_SHARED of
 * /dev/zero): vm_object_create, plus a number of its own, which
 * /proc/<pid>/maps shows as the inode of Linux's shmem_zero_setup file
 * ("/dev/zero (deleted)"). Numbers count up from 1 and are never reused.
 */
struct vm_object *vm_object_create_anon(uint64_t size);
/* That number; 0 for every other object. */
uint64_t vm_object_anon_ino(const struct vm_object *obj);
/* Attach owner hooks and a private pointer; call before mapping obj. */
void vm_object_set_ops(struct vm_object *obj, const struct vm_object_ops *ops,
		       void *priv);
void *vm_object_priv(const struct vm_object *obj);
const struct vm_object_ops *vm_object_ops(const struct vm_object *obj);

void vm_object_get(struct vm_object *obj);
void vm_object_put(struct vm_object *obj);	/* last put frees everything */

/* vm_object_page flags */
#define VMO_ALLOC	0x1	/* absent: allocate a zero-filled page; the
				 * caller writes or maps it (populated pages
				 * become data, see vm_object_populate) */
#define VMO_IN_SIZE	0x2	/* at or beyond the size: -ENXIO (SIGBUS) */

/*
 * The page at page index `index`, with a page reference for the caller
 * (page_put it, or hand it to a page-table entry). Returns 0, -ENOENT
 * (absent and no VMO_ALLOC), -ENXIO (VMO_IN_SIZE and beyond the size),
 * -ENOMEM or the owner's -ENOSPC.
 */
int vm_object_page(struct vm_object *obj, uint64_t index, unsigned int flags,
		   struct page **out);

/*
 * The pages present at indices [index, index + n) below the size, each
 * with a reference (NULL where absent or not yet written since
 * fallocate), for mapping neighbours of a fault ("fault-around").
 * Allocates nothing.
 */
void vm_object_lookup_range(struct vm_object *obj, uint64_t index, size_t n,
			    struct page **pages);

/* Bytes. Mappable pages: those below ALIGN_UP(size, PAGE_SIZE). */
uint64_t vm_object_size(const struct vm_object *obj);
/*
 * Set the size. Growing only moves the end (the new pages read as zeros).
 * Shrinking frees every page beyond the new end, zeroes the tail of the
 * new last page, and removes those pages from every mapping, private
 * copies included (Linux's truncate): an access there is then SIGBUS.
 */
void vm_object_set_size(struct vm_object *obj, uint64_t size);
/*
 * Punch a hole of bytes [start, end): partial pages at the edges are
 * zeroed in place, whole pages freed and removed from shared mappings and
 * from private mappings that still map the object's own page (private
 * copies stay, as on Linux). The size does not change.
 */
void vm_object_punch(struct vm_object *obj, uint64_t start, uint64_t end);
/*
 * fallocate: allocate every absent page of indices [first, last), all or
 * nothing. On -ENOMEM or the owner's -ENOSPC the pages this call added
 * are freed again and the object is as it was. The new pages read as
 * zeros and count as resident, but vm_object_seek sees them as holes
 * until they are written or mapped (a VMO_ALLOC lookup), as Linux's
 * fallocated shmem pages; pages already there count as data from now on.
 * obj->lock is held throughout, so faults on obj wait for the call.
 */
int vm_object_populate(struct vm_object *obj, uint64_t first, uint64_t last);
/*
 * The first page index >= index and < end that holds data (data) or is a
 * hole (!data): absent, or populated and never written. Walks the page
 * tree (empty subtrees are skipped whole). Returns end when there is none.
 */
uint64_t vm_object_seek(struct vm_object *obj, uint64_t index, uint64_t end,
			bool data);

/* Number of VMAs mapping obj (Linux's shm_nattch counts exactly these). */
unsigned int vm_object_nattach(const struct vm_object *obj);
/* Shared VMAs that may be written (maxprot has PROT_WRITE): F_SEAL_WRITE
 * is refused while there are any (Linux's i_mmap_writable). */
unsigned int vm_object_writable_maps(const struct vm_object *obj);
/* Pages allocated so far (shm_rss, st_blocks, mincore). */
uint64_t vm_object_resident(const struct vm_object *obj);

/* A name for /proc/<pid>/maps when no file is mapped ("[vdso]"); the
 * string must outlive the object. */
void vm_object_set_name(struct vm_object *obj, const char *name);
const char *vm_object_name(const struct vm_object *obj);

/* memfd seals (F_SEAL_*), kept with the data they protect. */
unsigned int vm_object_seals(const struct vm_object *obj);
void vm_object_set_seals(struct vm_object *obj, unsigned int seals);

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
