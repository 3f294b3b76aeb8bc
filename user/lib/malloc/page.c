/*
 * page.c - the region of size-class pages and its pool of free pages.
 *
 * The region is reserved once, at the first small request: the
 * descriptors of REGION_PAGES pages (struct page), then the pages
 * themselves, PAGE_SPAN bytes each. Reserving costs nothing until a
 * page is touched: the mapping is MAP_NORESERVE (neither Linux nor
 * Basalt counts it against overcommit), and fork copies only the page
 * table entries that exist. If the reservation is refused, small
 * requests are served by the chunk heap instead.
 *
 * Free pages are marked in a bitmap (with a summary word per 64 words),
 * and the lowest one is taken first, so the pages in use stay packed at
 * the start of the region and the descriptors touched stay few. A page
 * that empties keeps its memory, as glibc's fastbins and tcache keep
 * freed small chunks: a program that freed many blocks tends to allocate
 * as many again, and faulting the pages in anew cost the benchmark's
 * fragment workload half its time. An idle page is given to the class
 * it last served first (a list per class), since the memory it kept is
 * what that class touches: a page of 16-byte blocks uses 16 KiB of its
 * 128 KiB, and given to another class it would end up resident whole.
 * Idle pages stay up to the most pages
 * the program has had in use (IDLE_KEEP at least); beyond that the
 * highest go back to the kernel with MADV_DONTNEED. All of them go back
 * at malloc_trim, and when the chunk heap asks the kernel for memory
 * (pool.c). Pages of threads that ended ("abandoned", with
 * blocks still in use) wait on a list per class for a thread to adopt
 * them. Everything here runs under the heap lock.
 */
#include "heap.h"

uint8_t small_class[SMALL_MAX / 16 + 1];

bool region_init(void)
{
	size_t meta = align_up(REGION_PAGES * sizeof(struct page), PAGE_SPAN);
	char *r = glue_reserve(meta + REGION_PAGES * PAGE_SPAN);

	if (!r) {
		heap.region_failed = true;
		return false;
	}
	for (size_t i = 0; i <= SMALL_MAX / 16; i++)
		small_class[i] = (uint8_t)class_of(i * 16);
	heap.pages = (struct page *)r;
	heap.page_base = r + meta;
	heap.page_limit = REGION_PAGES * PAGE_SPAN;
	return true;
}

static void free_mark(size_t i)
{
	heap.free_map[i / 64] |= 1ULL << (i % 64);
	heap.free_sum[i / 4096] |= 1ULL << (i / 64 % 64);
}

static void free_unmark(size_t i)
{
	heap.free_map[i / 64] &= ~(1ULL << (i % 64));
	if (!heap.free_map[i / 64])
		heap.free_sum[i / 4096] &= ~(1ULL << (i / 64 % 64));
}

/* The lowest free page, or REGION_PAGES. */
static size_t free_first(void)
{
	for (size_t s = 0; s < REGION_PAGES / 4096; s++) {
		if (!heap.free_sum[s])
			continue;
		size_t w = s * 64 + __builtin_ctzll(heap.free_sum[s]);

		return w * 64 + __builtin_ctzll(heap.free_map[w]);
	}
	return REGION_PAGES;
}

static void page_init(struct page *pg, unsigned cls, struct theap *th)
{
	size_t size = class_bytes(cls);

	pg->free = NULL;
	pg->start = page_data(pg);
	pg->size = (uint32_t)size;
	pg->magic = (((1ULL << 32) + size / 16 - 1) / (size / 16));
	pg->carved = 0;
	pg->nblocks = (uint16_t)class_blocks(cls);
	pg->used = 0;
	pg->cls = (uint8_t)cls;
	pg->full = false;
	pg->zero = !pg->resident;
	pg->resident = false;
	pg->remote = NULL;
	pg->state = PG_OWNED;
	__atomic_store_n(&pg->owner, th, __ATOMIC_RELAXED);
	heap.page_count++;
}

struct page *page_take(struct theap *th, unsigned cls)
{
	struct page *pg = heap.abandoned[cls];

	if (pg) {
		page_list_del(&heap.abandoned[cls], pg);
		pg->state = PG_OWNED;
		pg->full = false;
		__atomic_store_n(&pg->owner, th, __ATOMIC_RELAXED);
		return pg;
	}
	if (!heap.pages && (heap.region_failed || !region_init()))
		return NULL;
	/* An idle page of this class first: its memory was touched as far
	 * as this class touches it, where another class's might have been
	 * touched less (a page of 16-byte blocks uses 16 KiB of it). */
	size_t i = heap.idle[cls] ? (size_t)(heap.idle[cls] - heap.pages) :
				    free_first();

	if (i == REGION_PAGES) {
		if (heap.page_top == REGION_PAGES)
			return NULL;
		i = heap.page_top++;
		heap.pages[i].resident = false;
	} else {
		pg = &heap.pages[i];
		free_unmark(i);
		if (pg->resident) {
			page_list_del(&heap.idle[pg->cls], pg);
			heap.idle_pages--;
		}
	}
	pg = &heap.pages[i];
	page_init(pg, cls, th);
	if (heap.page_count > heap.page_peak)
		heap.page_peak = heap.page_count;
	return pg;
}

void page_retire(struct page *pg)
{
	size_t i = (size_t)(pg - heap.pages);

	pg->state = PG_FREE;
	__atomic_store_n(&pg->owner, NULL, __ATOMIC_RELAXED);
	pg->free = NULL;
	pg->carved = 0;
	pg->used = 0;
	pg->full = false;
	pg->resident = true;
	page_list_add(&heap.idle[pg->cls], pg);
	heap.page_count--;
	heap.idle_pages++;
	free_mark(i);
	if (heap.idle_pages > IDLE_KEEP && heap.idle_pages > heap.page_peak)
		pages_discard(false);
}

/*
 * Gives the memory of free resident pages back to the kernel, highest
 * first, in runs: all of them, or down to half the most kept. Returns
 * how many pages went back.
 */
size_t pages_discard(bool all)
{
	size_t keep = heap.page_peak > IDLE_KEEP ? heap.page_peak : IDLE_KEEP;
	size_t gone = 0, i = heap.page_top;

	keep = all ? 0 : keep / 2;

	while (i > 0 && heap.idle_pages > keep) {
		size_t end = i;

		while (i > 0 && heap.idle_pages > keep &&
		       heap.pages[i - 1].state == PG_FREE &&
		       heap.pages[i - 1].resident) {
			i--;
			heap.pages[i].resident = false;
			page_list_del(&heap.idle[heap.pages[i].cls],
				      &heap.pages[i]);
			heap.idle_pages--;
			gone++;
		}
		if (i < end)
			glue_discard(page_data(&heap.pages[i]),
				     (end - i) * PAGE_SPAN);
		else
			i--;
	}
	return gone;
}

/*
 * fork's child, for a page another thread owned: that thread may have
 * stopped half-way through a malloc or free, so the free list and count
 * are rebuilt from the bitmap, the one thing each call changes last
 * (malloc sets the bit of the block it returns, free clears it first).
 * Blocks on the remote list were freed: their bits are cleared. A
 * block whose bit was set but never returned to a caller stays in use.
 */
void page_rebuild(struct page *pg)
{
	char *b = pg->remote;

	pg->remote = NULL;
	for (unsigned k = 0; b && k < pg->nblocks; k++) {
		size_t off = (size_t)(b - pg->start);
		uint32_t idx = block_index(pg, off);

		if (off >= (size_t)pg->nblocks * pg->size ||
		    idx * pg->size != off)
			break;
		pg->bits[idx / 64] &= ~(1ULL << (idx % 64));
		b = *(char **)b;
	}
	for (unsigned w = PAGE_MAX_BLOCKS / 64; w-- > 0;) {
		if (!pg->bits[w])
			continue;
		unsigned top = w * 64 + 64 - __builtin_clzll(pg->bits[w]);

		if (top > pg->carved)
			pg->carved = (uint16_t)top;
		break;
	}
	pg->free = NULL;
	pg->used = 0;
	for (unsigned idx = pg->carved; idx-- > 0;) {
		if (pg->bits[idx / 64] & (1ULL << (idx % 64))) {
			pg->used++;
			continue;
		}
		b = pg->start + (size_t)idx * pg->size;
		*(void **)b = pg->free;
		pg->free = b;
	}
}
