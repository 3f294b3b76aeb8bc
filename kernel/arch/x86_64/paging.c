/*
 * x86-64 four-level page tables for the memory manager (arch/paging.h):
 * creating, walking and freeing tables. The parts that touch the CPU
 * (CR3, TLB, NX) are in mmu.c, so this file also runs in host tests.
 *
 * Table pages come from the page allocator and are reached through the
 * direct map. Every root shares the kernel half (PML4 entries 256..511)
 * with the boot tables, which the boot stub filled completely, so kernel
 * mappings never need to be propagated between roots. Intermediate
 * entries of the user half are created P|W|U: only the leaf entry
 * decides what user code may do.
 *
 * The walks over a range (for each leaf, freeing tables) have a
 * preemption point after each page table, 2 MiB of address space
 * (walk_resched): a walk's length is the user's to choose.
 */
#include <types.h>
#include <arch/paging.h>
#include <lib/printk.h>
#include <lib/string.h>
#include <mm/layout.h>
#include <mm/page.h>
#include <proc/sched.h>

#define PT_ENTRIES	512
#define PML4_USER_END	256		/* first kernel-half PML4 entry */
#define PT_LEVELS	4		/* level 3 = PML4 ... level 0 = PT */
#define USER_HALF_END	(1UL << 47)

static inline pte_t *table_at(phys_addr_t pa)
{
	return phys_to_virt(pa);
}

/* Index of va in a table of `level`. */
static inline unsigned int pt_index(uint64_t va, int level)
{
	return (va >> (PAGE_SHIFT + 9 * level)) & (PT_ENTRIES - 1);
}

/* Bytes covered by one entry of a table of `level`. */
static inline uint64_t pt_span(int level)
{
	return 1UL << (PAGE_SHIFT + 9 * level);
}

/*
 * A preemption point inside a walk of root's tables. The frames and
 * tables a walk takes out are released only after the caller's TLB
 * shoot-down (mm/tlb.h), so no CPU can reach freed memory meanwhile; but
 * another thread of the process that runs here while we yield should not
 * go on using entries changed so far (a protection taken away): flush
 * this CPU first, as Linux's mmu_gather flushes before it reschedules. A
 * root that is not loaded has nothing cached (no PCIDs: CR3 loads flush).
 */
static void walk_resched(phys_addr_t root)
{
	if (!sched_resched_due())
		return;
	if (pt_active(root))
		tlb_flush_all();
	cond_resched();
}

phys_addr_t pt_create(void)
{
	struct page *pg = alloc_page_zeroed();
	pte_t *root;

	if (!pg)
		return 0;
	root = page_to_virt(pg);
	memcpy(&root[PML4_USER_END], &table_at(pt_kernel_root())[PML4_USER_END],
	       (PT_ENTRIES - PML4_USER_END) * sizeof(pte_t));
	return page_to_phys(pg);
}

static void table_page_free(phys_addr_t pa)
{
	page_put(phys_to_page(pa));
}

/* Free the tables below `table` (of `level`); entries [0, n). */
static void free_subtables(phys_addr_t root, pte_t *table, int level,
			   unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		if (!(table[i] & PTE_P))
			continue;
		if (level > 1)
			free_subtables(root, table_at(pte_phys(table[i])),
				       level - 1, PT_ENTRIES);
		table_page_free(pte_phys(table[i]));
		if (level == 1)
			walk_resched(root);
	}
}

void pt_destroy(phys_addr_t root)
{
	/* Never free the tables the CPU is walking. */
	if (pt_active(root))
		pt_switch(pt_kernel_root());
	free_subtables(root, table_at(root), PT_LEVELS - 1, PML4_USER_END);
	table_page_free(root);
}

pte_t *pt_walk(phys_addr_t root, uint64_t va, bool create)
{
	pte_t *table = table_at(root);

	if (va >= USER_HALF_END)
		return NULL;
	for (int level = PT_LEVELS - 1; level > 0; level--) {
		pte_t *e = &table[pt_index(va, level)];

		if (!(*e & PTE_P)) {
			struct page *pg;

			if (!create)
				return NULL;
			pg = alloc_page_zeroed();
			if (!pg)
				return NULL;
			*e = page_to_phys(pg) | PTE_P | PTE_W | PTE_U;
		}
		BUG_ON(*e & PTE_PS);	/* no huge pages in the user half */
		table = table_at(pte_phys(*e));
	}
	return &table[pt_index(va, 0)];
}

/* The entries [*first, *last] of a table of `level` at base that overlap
 * [start, end). */
static void index_range(int level, uint64_t base, uint64_t start,
			uint64_t end, unsigned int *first, unsigned int *last)
{
	uint64_t span = pt_span(level);

	*first = (MAX(start, base) - base) / span;
	*last = (MIN(end, base + span * PT_ENTRIES) - 1 - base) / span;
}

struct leaf_walk {
	phys_addr_t root;
	uint64_t start, end;
	void (*fn)(pte_t *pte, uint64_t va, void *arg);
	void *arg;
};

static void walk_level(pte_t *table, int level, uint64_t base,
		       const struct leaf_walk *w)
{
	unsigned int first, last;

	index_range(level, base, w->start, w->end, &first, &last);
	for (unsigned int i = first; i <= last; i++) {
		uint64_t va = base + i * pt_span(level);

		if (level == 0) {
			if (table[i])
				w->fn(&table[i], va, w->arg);
		} else if (table[i] & PTE_P) {
			walk_level(table_at(pte_phys(table[i])), level - 1, va,
				   w);
			if (level == 1)
				walk_resched(w->root);
		}
	}
}

void pt_for_each_leaf(phys_addr_t root, uint64_t start, uint64_t end,
		      void (*fn)(pte_t *pte, uint64_t va, void *arg),
		      void *arg)
{
	struct leaf_walk w = { root, start, MIN(end, USER_HALF_END), fn, arg };

	if (w.start < w.end)
		walk_level(table_at(root), PT_LEVELS - 1, 0, &w);
}

static bool table_empty(const pte_t *table)
{
	for (unsigned int i = 0; i < PT_ENTRIES; i++)
		if (table[i])
			return false;
	return true;
}

/*
 * Unlink the empty tables below `table` (of `level`, covering from base)
 * that overlap [start, end), adding their pages to `freed`. Returns how
 * many were unlinked.
 */
static unsigned int free_empty(phys_addr_t root, pte_t *table, int level,
			       uint64_t base, uint64_t start, uint64_t end,
			       struct list_head *freed)
{
	uint64_t span = pt_span(level);
	unsigned int first, last, n = 0;

	index_range(level, base, start, end, &first, &last);
	for (unsigned int i = first; i <= last; i++) {
		pte_t *child;

		if (!(table[i] & PTE_P))
			continue;
		child = table_at(pte_phys(table[i]));
		if (level > 1)
			n += free_empty(root, child, level - 1,
					base + i * span, start, end, freed);
		if (table_empty(child)) {
			struct page *pg = phys_to_page(pte_phys(table[i]));

			table[i] = 0;
			list_add_tail(&pg->list, freed);
			n++;
		}
		if (level == 1)
			walk_resched(root);
	}
	return n;
}

unsigned int pt_free_range(phys_addr_t root, uint64_t start, uint64_t end,
			   struct list_head *freed)
{
	end = MIN(end, USER_HALF_END);
	if (start >= end)
		return 0;
	return free_empty(root, table_at(root), PT_LEVELS - 1, 0, start, end,
			  freed);
}
