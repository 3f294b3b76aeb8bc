/*
 * Shoot-down batches (mm/tlb.h): a change that takes frames or page
 * tables out of an address space collects them here while it clears the
 * entries, then one shoot-down covers the whole range, and only then are
 * they released. A page freed before every CPU forgot it could be
 * reallocated and still be read or written through a stale TLB entry.
 */
#include <types.h>
#include <lib/list.h>
#include <mm/page.h>
#include "tlb.h"

void tlb_gather_init(struct tlb_gather *g, struct mm *mm)
{
	g->mm = mm;
	g->start = UINT64_MAX;
	g->end = 0;
	g->flush_all = false;
	g->nr = 0;
	list_init(&g->tables);
}

static void gather_release(struct tlb_gather *g)
{
	struct page *pg, *n;

	if (g->flush_all)
		tlb_flush_mm(g->mm);
	else if (g->start < g->end)
		tlb_flush_range(g->mm, g->start, g->end);
	for (unsigned int i = 0; i < g->nr; i++)
		page_put(g->pages[i]);
	list_for_each_entry_safe(pg, n, &g->tables, list) {
		list_del(&pg->list);
		page_put(pg);
	}
	g->nr = 0;
	g->start = UINT64_MAX;
	g->end = 0;
	g->flush_all = false;
}

void tlb_gather_page(struct tlb_gather *g, uint64_t va, struct page *pg)
{
	g->start = MIN(g->start, va);
	g->end = MAX(g->end, va + PAGE_SIZE);
	if (!pg)
		return;
	if (g->nr == TLB_GATHER_PAGES)
		gather_release(g);	/* a full batch: flush it early */
	g->pages[g->nr++] = pg;
}

void tlb_gather_finish(struct tlb_gather *g)
{
	gather_release(g);
}
