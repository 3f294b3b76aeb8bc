/*
 * The x86-64 page-table format, as the memory manager uses it
 * (kernel/arch/x86_64/paging.c). A page-table root is a physical address;
 * the upper half of every root shares the kernel's tables, so switching
 * address spaces never changes kernel mappings.
 */
#ifndef BASALT_ARCH_PAGING_H
#define BASALT_ARCH_PAGING_H

#include <types.h>

typedef uint64_t pte_t;

#define PTE_P		(1UL << 0)	/* present */
#define PTE_W		(1UL << 1)	/* writable */
#define PTE_U		(1UL << 2)	/* user accessible */
#define PTE_PWT		(1UL << 3)
#define PTE_PCD		(1UL << 4)
#define PTE_A		(1UL << 5)	/* accessed */
#define PTE_D		(1UL << 6)	/* dirty */
#define PTE_PS		(1UL << 7)	/* huge page (PD/PDPT level) */
#define PTE_G		(1UL << 8)	/* global */
#define PTE_COW		(1UL << 9)	/* software: copy on write */
#define PTE_SHARED	(1UL << 10)	/* software: frame of a shared object */
/* Software, in an entry with P clear: it still holds its frame (the area
 * is PROT_NONE for now); hardware ignores every bit of a non-present PTE. */
#define PTE_PROTNONE	(1UL << 11)
#define PTE_NX		(1UL << 63)	/* no execute (only if cpu_has_nx) */
#define PTE_ADDR_MASK	0x000ffffffffff000UL

static inline phys_addr_t pte_phys(pte_t e) { return e & PTE_ADDR_MASK; }

/* A new root: empty user half, kernel half shared. 0 when out of memory. */
phys_addr_t pt_create(void);
/* Free every user-half table page of root, and root itself. Leaf frames
 * are not touched: the caller has already released them. */
void pt_destroy(phys_addr_t root);
/*
 * The leaf entry for va in root. With create, missing intermediate tables
 * are allocated (NULL when out of memory); without, NULL if absent.
 */
pte_t *pt_walk(phys_addr_t root, uint64_t va, bool create);
/*
 * Call fn for every non-zero leaf entry of root in [start, end) (user
 * half), in address order, skipping absent tables at every level. fn may
 * change or clear the entry, but not free tables of root.
 */
void pt_for_each_leaf(phys_addr_t root, uint64_t start, uint64_t end,
		      void (*fn)(pte_t *pte, uint64_t va, void *arg),
		      void *arg);
/*
 * Unlink the intermediate tables covering only [start, end) that are now
 * empty and add their pages to `freed` (page->list), still referenced:
 * other CPUs may cache them until a TLB shoot-down, after which the
 * caller releases them. Returns how many were unlinked.
 */
struct list_head;
unsigned int pt_free_range(phys_addr_t root, uint64_t start, uint64_t end,
			   struct list_head *freed);

void pt_switch(phys_addr_t root);		/* load CR3 */
bool pt_active(phys_addr_t root);		/* this CPU runs on root */
pte_t pt_nx_bit(void);		/* PTE_NX if the CPU has NX, else 0 */
phys_addr_t pt_kernel_root(void);		/* the boot/kernel root */
void tlb_flush_one(uint64_t va);		/* this CPU only */
void tlb_flush_all(void);			/* this CPU, non-global */

/* Called once at boot, after the page allocator works. */
void paging_init(void);

#endif
