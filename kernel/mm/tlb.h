/*
 * TLB coherence between CPUs (tlb.c): which CPUs may cache an address
 * space's translations, shoot-downs when a translation is removed or
 * restricted, and the gather that frees pages only after every CPU has
 * forgotten them. Private to mm/.
 */
#ifndef BASALT_MM_TLB_H
#define BASALT_MM_TLB_H

#include <types.h>
#include <lib/list.h>

struct mm;
struct page;

/*
 * Forget the translations of [start, end) of mm on every CPU that may
 * cache them: this one if mm is loaded here, the others by IPI (waiting
 * until each has). The page-table entries must already be changed.
 */
void tlb_flush_range(struct mm *mm, uint64_t start, uint64_t end);
void tlb_flush_page(struct mm *mm, uint64_t va);
void tlb_flush_mm(struct mm *mm);		/* every translation of mm */
/* mm is going away: make every CPU that still has it loaded (lazily,
 * running a kernel thread or idle) switch to the kernel's tables. */
void tlb_release_mm(struct mm *mm);

/*
 * A shoot-down batch (Linux's mmu_gather): entries are cleared first and
 * their frames collected, then one flush covers the whole range and only
 * then are the frames released, so that no CPU can reach a page after it
 * was freed. Page-table pages freed by the same change go through it too.
 */
#define TLB_GATHER_PAGES 32

struct tlb_gather {
	struct mm *mm;
	uint64_t start, end;		/* range whose entries changed */
	bool flush_all;			/* tables were freed: flush everything */
	unsigned int nr;
	struct page *pages[TLB_GATHER_PAGES];
	struct list_head tables;	/* page-table pages to free (page->list) */
};

void tlb_gather_init(struct tlb_gather *g, struct mm *mm);
/* The entry for va was cleared; pg (its reference) is released later. */
void tlb_gather_page(struct tlb_gather *g, uint64_t va, struct page *pg);
/* Flush what was gathered and release the pages and tables. */
void tlb_gather_finish(struct tlb_gather *g);

#endif
