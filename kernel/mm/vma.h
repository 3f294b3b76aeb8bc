/*
 * Virtual memory areas: the ordered set of ranges an address space maps
 * (kernel/mm/vma.c). Private to mm/.
 *
 * This layer is pure range bookkeeping: it knows nothing about page tables
 * or the CPU, so it is compiled and tested on the host (tests/unit/
 * test_vma.c). Whoever removes ranges from a set (munmap, MAP_FIXED, brk)
 * gets the removed VMAs back on a list and releases their pages itself.
 *
 * The set is a sorted doubly linked list plus a one-entry lookup cache.
 * Processes map tens of areas, rarely hundreds: a list is short enough to
 * walk, trivially correct to split and merge, and the cache makes the
 * common case (repeated faults in one area) O(1). A balanced tree would
 * only pay off at thousands of areas.
 */
#ifndef BASALT_MM_VMA_H
#define BASALT_MM_VMA_H

#include <types.h>
#include <lib/list.h>

struct vm_object;
struct file;
struct mm;

/* vma->flags */
#define VMA_SHARED	0x1	/* maps obj shared: writes reach the object */
#define VMA_GROWSDOWN	0x2	/* MAP_GROWSDOWN: recorded, but never grows */
#define VMA_DONTFORK	0x4	/* MADV_DONTFORK: the child does not get it */
#define VMA_WIPEONFORK	0x8	/* MADV_WIPEONFORK: the child gets zeroes */
#define VMA_BRK		0x10	/* made by brk: never merged with the data
				 * segment below (Linux 6.1 keeps them apart) */
#define VMA_ACCOUNT	0x20	/* counted by the overcommit policy when made
				 * (Linux's VM_ACCOUNT): private writable
				 * memory, the break, the stack; mremap growing
				 * it and fork copying it ask again */
#define VMA_NORESERVE	0x40	/* MAP_NORESERVE: never counted */
/* As in Linux, areas differing in any flag, these two included, never
 * merge. */

/* Linux's default vm.max_map_count: more areas fail with -ENOMEM. */
#define VMA_MAX_COUNT	65530

struct vma {
	struct list_head link;		/* in vma_set.list, sorted by start */
	uint64_t start, end;		/* [start, end), page-aligned */
	unsigned int prot;		/* PROT_READ | PROT_WRITE | PROT_EXEC */
	unsigned int maxprot;		/* what mprotect may grant */
	unsigned int flags;		/* VMA_* */
	/*
	 * The object mapped: with VMA_SHARED its pages are mapped and
	 * written in place; without, it is a private file mapping that maps
	 * the object's pages read-only and copies one on the first write.
	 * NULL: private anonymous memory.
	 */
	struct vm_object *obj;
	uint64_t pgoff;			/* page of obj mapped at start */
	struct file *file;		/* what was mapped (for /proc maps and
					 * the name); holds a reference */
	struct mm *mm;			/* the owner, once inserted */
	struct list_head obj_link;	/* in obj->mappings (obj->map_lock) */
	uint32_t zap_gen;		/* obj->map_lock: rmap_zap's pass */
};

struct vma_set {
	struct list_head list;		/* struct vma, ascending, disjoint */
	unsigned int count;
	struct vma *cache;		/* last area vma_find returned */
};

void vma_set_init(struct vma_set *s);

/*
 * A detached area; with obj, the area takes its own reference to it (and
 * counts as one attachment). NULL when out of memory.
 */
struct vma *vma_create(uint64_t start, uint64_t end, unsigned int prot,
		       unsigned int maxprot, unsigned int flags,
		       struct vm_object *obj, uint64_t pgoff);
/* A detached copy of v's mapping (object, file, owner) for [start, end),
 * at the matching object offset. NULL when out of memory. */
struct vma *vma_clone(const struct vma *v, uint64_t start, uint64_t end);
/* Record the file v maps (takes a reference). */
void vma_set_file(struct vma *v, struct file *f);
/* Free a detached area, dropping its object and file references. */
void vma_destroy(struct vma *v);

/* The first area with end > addr (it may start above addr), or NULL. */
struct vma *vma_find(struct vma_set *s, uint64_t addr);
/* The first area intersecting [start, end), or NULL. */
struct vma *vma_find_intersection(struct vma_set *s, uint64_t start,
				  uint64_t end);
struct vma *vma_next(struct vma_set *s, struct vma *v);	/* NULL at end */
struct vma *vma_prev(struct vma_set *s, struct vma *v);	/* NULL at start */
struct vma *vma_first(struct vma_set *s);

/*
 * Split v at addr (v->start < addr < v->end, page-aligned): v keeps
 * [start, addr), a new area after it gets [addr, end). Returns the new
 * area, or NULL (out of memory or VMA_MAX_COUNT reached).
 */
struct vma *vma_split(struct vma_set *s, struct vma *v, uint64_t addr);
/* If an area strictly contains addr, split it there. 0 or -ENOMEM. */
int vma_split_at(struct vma_set *s, uint64_t addr);

/*
 * Remove [start, end) from the set: areas straddling the ends are split,
 * and every area inside is unlinked and appended, in address order, to
 * `out` (the caller releases their pages and vma_destroy()s them).
 * 0, or -ENOMEM if a split failed; then nothing was removed.
 */
int vma_detach_range(struct vma_set *s, uint64_t start, uint64_t end,
		     struct list_head *out);

/*
 * Link a detached area into the set; its range must be free. It is then
 * merged with compatible neighbours; returns the area that now covers
 * it (v itself or a neighbour, v being destroyed in that case).
 */
struct vma *vma_insert(struct vma_set *s, struct vma *v);
/* Merge v with its neighbours where compatible; returns the survivor. */
struct vma *vma_merge(struct vma_set *s, struct vma *v);

/*
 * mprotect's walk, with Linux's semantics: the areas from start on get
 * prot (split at start and end as needed), one after the other; for
 * each changed area ops->apply(v, old_prot, arg) is called after v->prot was
 * set (ops->admit, if set, first). Stops with -EACCES at an area whose
 * maxprot forbids prot, and with -ENOMEM at a hole (areas before it stay
 * changed, as in Linux), when a split fails or admit refuses. Changed areas are merged back with compatible
 * neighbours at the end. start, end page-aligned, start < end.
 */
struct vma_protect_ops {
	/* Before an area (or the part [start, end) of it) changes: 0, or
	 * -errno to stop the walk there, as a failed split does. */
	int (*admit)(struct vma *v, uint64_t start, uint64_t end,
		     unsigned int prot, void *arg);
	/* After v->prot was set. */
	void (*apply)(struct vma *v, unsigned int old_prot, void *arg);
};
int vma_protect(struct vma_set *s, uint64_t start, uint64_t end,
		unsigned int prot, const struct vma_protect_ops *ops,
		void *arg);

/* Whether [start, end) is covered by areas without holes. */
bool vma_range_mapped(struct vma_set *s, uint64_t start, uint64_t end);

/*
 * Top-down search: the highest page-aligned addr with [addr, addr + len)
 * free and low <= addr, addr + len <= high. Returns false if none.
 */
bool vma_find_gap(struct vma_set *s, uint64_t len, uint64_t low,
		  uint64_t high, uint64_t *addr);

/* Implemented in vm_object.c: a VMA starts / stops mapping obj. */
void vm_object_attach(struct vm_object *obj, struct vma *v);
void vm_object_detach(struct vm_object *obj, struct vma *v);

#endif
