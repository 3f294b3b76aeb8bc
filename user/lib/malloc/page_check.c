/*
 * page_check.c - malloc_check's and malloc_census's look at the
 * size-class pages (check.c does the chunk heap).
 *
 * Every page below page_top is free (marked in the pool's bitmap,
 * holding nothing), owned by a registered thread (on exactly one of its
 * lists, avail or full as its flag says), or abandoned (on its class's
 * abandoned list, no owner). A page in use has the descriptor its class
 * implies; its bitmap has exactly `used` bits, all below `carved`; its
 * free list holds exactly the other carved blocks, each once, on block
 * boundaries; its remote list holds blocks still marked in use. The
 * counters (pages in use, idle pages) agree.
 *
 * Other threads' pages change without the lock: the check is exact when
 * the other threads are not inside malloc or free meanwhile.
 */
#include "heap.h"

/* The index of block b in pg, or -1 if b is not one of its carved blocks. */
static long carved_index(const struct page *pg, const char *b)
{
	size_t off = (size_t)(b - pg->start);
	uint32_t idx = block_index(pg, off);

	if (off >= (size_t)pg->carved * pg->size || idx * pg->size != off)
		return -1;
	return idx;
}

static bool bit(const uint64_t *map, size_t i)
{
	return map[i / 64] & (1ULL << (i % 64));
}

/* Walks a list of blocks of pg; want_in_use: the bitmap must say so.
 * Counts them into *n; -1 after a report. */
static int check_blocks(const struct page *pg, const char *b,
			bool want_in_use, size_t *n, const char *what)
{
	uint64_t seen[PAGE_MAX_BLOCKS / 64] = { 0 };

	for (*n = 0; b; b = *(const char *const *)b) {
		long idx = carved_index(pg, b);

		if (idx < 0 || bit(pg->bits, idx) != want_in_use ||
		    bit(seen, idx))
			return heap_report(what, b);
		seen[idx / 64] |= 1ULL << (idx % 64);
		++*n;
	}
	return 0;
}

/* The remote list's length (bounded), for the census. */
static size_t remote_length(const struct page *pg)
{
	size_t n = 0;

	for (const char *b = pg->remote; b && n <= pg->nblocks;
	     b = *(const char *const *)b)
		n++;
	return n;
}

static int check_used(const struct page *pg, size_t *remote)
{
	size_t size = class_bytes(pg->cls), set = 0, n;

	if (pg->cls >= NCLASSES || pg->size != size ||
	    pg->start != page_data(pg) || pg->nblocks != class_blocks(pg->cls) ||
	    pg->carved > pg->nblocks ||
	    pg->magic != ((1ULL << 32) + size / 16 - 1) / (size / 16))
		return heap_report("bad page descriptor", pg->start);
	for (unsigned w = 0; w < PAGE_MAX_BLOCKS / 64; w++) {
		uint64_t beyond = w * 64 >= pg->carved ? ~0ULL :
				  w * 64 + 64 <= pg->carved ? 0 :
				  ~0ULL << (pg->carved % 64);

		set += __builtin_popcountll(pg->bits[w]);
		if (pg->bits[w] & beyond)
			return heap_report("page block marked in use but "
					   "never carved", pg->start);
	}
	if (set != pg->used)
		return heap_report("page's count of blocks in use is wrong",
				   pg->start);
	if (check_blocks(pg, pg->free, false, &n,
			 "bad block on a page's free list"))
		return -1;
	if (n != (size_t)pg->carved - pg->used)
		return heap_report("page's free list misses blocks", pg->start);
	return check_blocks(pg, pg->remote, true, remote,
			    "bad block on a page's remote list");
}

struct page_tally {
	size_t owned, abandoned, idle;
};

static int check_table(struct page_tally *t)
{
	for (size_t i = heap.page_top; i < REGION_PAGES; i++) {
		if (i % 64 == 0 && !heap.free_map[i / 64]) {
			i += 63;
			continue;
		}
		if (bit(heap.free_map, i))
			return heap_report("free page above the top", NULL);
	}
	for (size_t i = 0; i < heap.page_top; i++) {
		const struct page *pg = &heap.pages[i];
		size_t remote;

		if (bit(heap.free_map, i) != (pg->state == PG_FREE))
			return heap_report("page pool bitmap disagrees",
					   page_data(pg));
		if (pg->state == PG_FREE) {
			if (pg->used || pg->carved || pg->owner)
				return heap_report("free page holds blocks",
						   page_data(pg));
			t->idle += pg->resident;
			continue;
		}
		if (pg->state != PG_OWNED && pg->state != PG_ABANDONED)
			return heap_report("bad page state", page_data(pg));
		if (check_used(pg, &remote))
			return -1;
		if (pg->state == PG_OWNED)
			t->owned++;
		else
			t->abandoned++;
	}
	for (size_t w = 0; w < REGION_PAGES / 64; w++)
		if (bit(heap.free_sum, w) != (heap.free_map[w] != 0))
			return heap_report("page pool summary disagrees", NULL);
	return 0;
}

/* Checks one circular list; counts its pages into *n. */
static int check_list(struct page *head, const struct theap *owner,
		      unsigned cls, bool full, size_t *n)
{
	const struct page *pg = head;

	if (!pg)
		return 0;
	do {
		if (pg < heap.pages || pg >= heap.pages + heap.page_top ||
		    pg->next->prev != pg)
			return heap_report("bad page list link", pg);
		if (pg->cls != cls || pg->owner != owner || pg->full != full ||
		    pg->state != (owner ? PG_OWNED : PG_ABANDONED))
			return heap_report("page on the wrong list",
					   page_data(pg));
		if (++*n > heap.page_top)
			return heap_report("page list loops", pg);
		pg = pg->next;
	} while (pg != head);
	return 0;
}

int small_check(void)
{
	struct page_tally t = { 0 };
	size_t owned = 0, abandoned = 0;

	if (!heap.pages)
		return 0;
	if (check_table(&t))
		return -1;
	for (const struct theap *th = heap.theaps; th; th = th->next)
		for (unsigned cls = 0; cls < NCLASSES; cls++)
			if (check_list(th->avail[cls], th, cls, false, &owned) ||
			    check_list(th->full[cls], th, cls, true, &owned))
				return -1;
	for (unsigned cls = 0; cls < NCLASSES; cls++)
		if (check_list(heap.abandoned[cls], NULL, cls, false,
			       &abandoned))
			return -1;
	if (owned != t.owned || abandoned != t.abandoned)
		return heap_report("pages in use missing from the lists", NULL);
	if (t.owned + t.abandoned != heap.page_count || t.idle != heap.idle_pages)
		return heap_report("page counts disagree", NULL);
	return 0;
}

void small_census(struct malloc_census *out)
{
	for (size_t i = 0; heap.pages && i < heap.page_top; i++) {
		const struct page *pg = &heap.pages[i];

		if (pg->state == PG_FREE)
			continue;
		size_t remote = remote_length(pg);
		size_t live = pg->used - remote;
		size_t kept = pg->carved - live;

		out->live_blocks += live;
		out->live_bytes += live * pg->size;
		out->cached_blocks += kept;
		out->cached_bytes += kept * pg->size;
		out->pages++;
		out->page_bytes += PAGE_SPAN;
	}
	out->idle_page_bytes = heap.idle_pages * PAGE_SPAN;
}
