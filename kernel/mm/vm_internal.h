/*
 * Private to mm/: the layout of struct mm and the helpers the address-
 * space files share (mapping and unmapping ranges, walking page-table
 * entries, resolving faults). Other subsystems use mm/vm.h only.
 *
 * Page accounting rule, relied on everywhere: every page-table entry that
 * holds a frame (P set, or PTE_PROTNONE) owns exactly one reference to
 * that frame's struct page. Private pages are freed by the last PTE that
 * drops them; object pages additionally hold the object's reference.
 */
#ifndef BASALT_MM_VM_INTERNAL_H
#define BASALT_MM_VM_INTERNAL_H

#include <types.h>
#include <arch/paging.h>
#include <mm/layout.h>
#include <mm/vm.h>
#include <mm/vm_object.h>
#include <sync/mutex.h>
#include <sync/spinlock.h>
#include <arch/smp.h>
#include "vma.h"

struct page;

/* Lowest address mmap hands out or MAP_FIXED may use unprivileged. */
#define MMAP_MIN_ADDR	0x10000UL
/* Top of the top-down mmap area: 128 MiB below the top, as Linux's
 * minimum gap for the stack (no randomisation). */
#define MMAP_BASE	(USER_TOP - (128UL << 20))
/* MAP_32BIT places mappings in the second GiB, as on Linux. */
#define MMAP_32BIT_LOW	0x40000000UL
#define MMAP_32BIT_HIGH	0x80000000UL

struct mm {
	uint32_t refcount;		/* atomic: tasks and other holders */
	struct mutex lock;		/* guards every field below */
	phys_addr_t root;		/* page-table root, fixed for life */
	cpumask_t cpus;			/* atomic: CPUs that may cache it (tlb.c) */
	struct vma_set vmas;
	uint64_t brk_start;		/* program break set by exec */
	uint64_t brk;			/* current break, as the program set it */
	uint64_t arg_start, arg_end;	/* argv strings, set by exec */
	uint64_t auxv_start, auxv_end;	/* the auxiliary vector, likewise */
	uint64_t env_start, env_end;	/* environment strings, likewise */
	uint64_t mmap_base;		/* top of the top-down mmap area */
	uint64_t rss;			/* frames held by this mm's PTEs */
	struct file *exe_file;		/* the program: writes denied */
	bool oom_victim;		/* set once by oom.c (holding a
					 * reference): its owner was killed */
};

/* A reference unless mm is already being torn down (the reverse map). */
bool mm_tryget(struct mm *mm);

/* The contract "caller holds mm->lock"; the last reference (mm_destroy,
 * refcount 0) needs no lock, since nobody else can reach mm. */
#define mm_assert_locked(mm)						\
	BUG_ON(!mutex_held(&(mm)->lock) &&				\
	       __atomic_load_n(&(mm)->refcount, __ATOMIC_RELAXED) != 0)

/* A memory object (mm/vm_object.h; the page tree is vm_object_tree.c's). */
struct vm_object {
	uint32_t refcount;		/* atomic */
	uint32_t nattach;		/* atomic: VMAs mapping the object */
	uint32_t nr_writable;		/* atomic: shared VMAs with maxprot W */
	uint32_t seals;			/* atomic: F_SEAL_* */
	const struct vm_object_ops *ops;	/* fixed once mapped */
	void *priv;
	const char *name;		/* fixed: "[vdso]", or NULL */
	uint64_t anon_ino;		/* fixed: shared anonymous memory's
					 * number (vm_object_create_anon) */
	uint64_t serial;		/* fixed: machine-wide, never reused
					 * (futex keys) */
	struct mutex lock;		/* guards the fields below */
	uint64_t size;			/* bytes; read atomically without lock */
	unsigned int height;		/* tree levels; 0: empty */
	void *root;			/* struct obj_node, or NULL */
	uint64_t nr_resident;		/* pages in the tree */
	struct spinlock map_lock;	/* guards mappings and zap_gen */
	struct list_head mappings;	/* struct vma, by obj_link */
	uint32_t zap_gen;		/* rmap_zap's pass number */
};

/* The last vm_object_put: free obj's page tree, dropping the object's
 * reference to every page in it (vm_object_tree.c). */
void vm_object_free_tree(struct vm_object *obj);

/*
 * Remove pages [first, last) of obj (page indices) from every mapping of
 * it: shared ones, and private ones where the entry still maps the
 * object's own page; with even_cows, private copies too. Takes each
 * mapping mm's lock in turn: the caller holds no mm lock nor obj->lock.
 */
void rmap_zap(struct vm_object *obj, uint64_t first, uint64_t last,
	      bool even_cows);

/* Software access flag for fault_resolve: ignore the area's protection
 * (the kernel writing an exec image into a read-only segment). */
#define FAULT_FORCE	0x100

/* PTE bits (not the frame, not W for private pages) for a page of v. */
pte_t vma_pte_bits(const struct vma *v);
/* Whether a PTE holds a frame (and so a page reference). */
static inline bool pte_holds_frame(pte_t e)
{
	return e & (PTE_P | PTE_PROTNONE);
}

/*
 * Call fn for every PTE in [start, end) of mm that holds a frame, in
 * address order, skipping absent page tables quickly. fn may change or
 * clear the entry. Caller holds mm->lock.
 */
void mm_for_each_pte(struct mm *mm, uint64_t start, uint64_t end,
		     void (*fn)(struct mm *mm, uint64_t va, pte_t *pte,
				void *arg),
		     void *arg);
/*
 * Release every frame mapped in [start, end) (PTEs cleared, TLBs shot
 * down on every CPU, then references dropped); the areas stay. Caller
 * holds mm->lock.
 */
void mm_zap_range(struct mm *mm, uint64_t start, uint64_t end);
/* Free the page tables emptied in [start, end), after a shoot-down. */
void mm_free_tables(struct mm *mm, uint64_t start, uint64_t end);
/* The same two into a shoot-down batch the caller finishes (mm/tlb.h). */
struct tlb_gather;
void mm_zap_gather(struct mm *mm, uint64_t start, uint64_t end,
		   struct tlb_gather *g);
void mm_free_tables_gather(struct mm *mm, uint64_t start, uint64_t end,
			   struct tlb_gather *g);
/*
 * Remove [start, end) from mm: areas split or dropped, frames released,
 * emptied page tables freed. 0 or -ENOMEM (a split failed; nothing
 * changed). Caller holds mm->lock.
 */
int mm_unmap(struct mm *mm, uint64_t start, uint64_t end);
/*
 * munmap's checks and work (Linux's do_munmap), for mremap too: -EINVAL
 * if addr is unaligned, [addr, addr + len) leaves the user half or len
 * is 0; then mm_unmap. Caller holds mm->lock.
 */
int mm_do_munmap(struct mm *mm, uint64_t addr, uint64_t len);

/* Everything a new mapping needs (mmap, shmat, exec, brk). */
struct map_request {
	uint64_t addr, len;		/* len page-aligned, > 0 */
	unsigned int prot, maxprot, vma_flags;
	struct vm_object *obj;		/* NULL: private anonymous */
	struct file *file;		/* the file mapped, or NULL */
	uint64_t pgoff;
	unsigned int map_flags;		/* VM_MAP_FIXED, VM_MAP_NOREPLACE */
	bool map_32bit;			/* MAP_32BIT placement */
	bool check_min_addr;		/* FIXED below MMAP_MIN_ADDR: -EPERM */
	uint64_t charge;		/* pages the overcommit policy must
					 * grant, asked once a FIXED mapping
					 * has removed what was there (as
					 * Linux's mmap_region); 0: none */
};
/*
 * Choose the address (Linux's get_unmapped_area rules: FIXED as given,
 * else the hint if free, else top-down below mmap_base, else anywhere),
 * replace what is there for FIXED, ask the overcommit policy for
 * req->charge pages, and insert the area. Returns the address or -ENOMEM
 * / -EEXIST / -EINVAL / -EPERM. Caller holds mm->lock.
 */
long mm_map(struct mm *mm, const struct map_request *req);
/* mm_map in two steps, for mmap's errno order: the address (or -errno),
 * then the mapping at it (FIXED replaces). Caller holds mm->lock. */
long mm_pick_address(struct mm *mm, const struct map_request *req);
/* Whether mm may grow by npages (data: private writable ones) within
 * the caller's RLIMIT_AS and RLIMIT_DATA. Caller holds mm->lock. */
bool mm_may_expand(struct mm *mm, uint64_t npages, bool data);
long mm_map_at(struct mm *mm, const struct map_request *req, uint64_t addr);

/*
 * Make the page at addr (inside v) present for access (FAULT_WRITE and
 * FAULT_FORCE bits): allocate, copy on write or upgrade as needed. On
 * success *out (if non-NULL) is the frame's page. 0, -EFAULT (access not
 * allowed) or -ENOMEM. Caller holds mm->lock.
 */
int fault_resolve(struct mm *mm, struct vma *v, uint64_t addr,
		  unsigned int access, struct page **out);
/* Prefault [start, end) (MAP_POPULATE, MADV_POPULATE_*); 0 or -errno.
 * Caller holds mm->lock. */
int mm_populate(struct mm *mm, uint64_t start, uint64_t end, bool write);

/*
 * The system calls on an explicit mm, with Linux's results; the
 * SYSCALL_DEFINE wrappers in syscalls.c pass current->mm. privileged:
 * the caller may map below MMAP_MIN_ADDR (CAP_SYS_RAWIO). vm_mmap maps
 * f (NULL: anonymous memory; syscalls.c looks the descriptor up).
 */
long vm_mmap(struct mm *mm, uint64_t addr, uint64_t len, unsigned long prot,
	     unsigned long flags, struct file *f, uint64_t off,
	     bool privileged);
int vm_munmap(struct mm *mm, uint64_t addr, uint64_t len);
int vm_mprotect(struct mm *mm, uint64_t start, uint64_t len,
		unsigned long prot);
uint64_t vm_brk(struct mm *mm, uint64_t brk);
int vm_madvise(struct mm *mm, uint64_t start, uint64_t len, int advice);
/* mremap: the new address or -errno; privileged as for vm_mmap. */
long vm_mremap(struct mm *mm, uint64_t old_addr, uint64_t old_len,
	       uint64_t new_len, unsigned long flags, uint64_t new_addr,
	       bool privileged);
int vm_msync(struct mm *mm, uint64_t start, uint64_t len, int flags);
/* mincore: vec (one byte per page) is written with copy_to_user, never
 * while mm->lock is held. */
long vm_mincore(struct mm *mm, uint64_t start, uint64_t len,
		unsigned char __user *vec);

#endif
