/*
 * The physical page allocator: a binary buddy system over the struct page
 * array (docs/physical-memory.md).
 *
 * Free memory is kept as blocks of 2^order frames, each aligned to its own
 * size, on one free list per order. Allocation takes the smallest block
 * that fits and splits it, putting the unused halves back; freeing merges a
 * block with its buddy (the other half of the block of twice its size,
 * found by flipping bit `order` of the frame number) for as long as the
 * buddy is free and whole. So after everything is freed the free lists are
 * exactly what they were at boot.
 *
 * State of a frame, as its struct page says:
 *   free, heading a block   flags PG_FREE, order = block order, refcount 0,
 *                           list linked on free_lists[order]
 *   free, inside a block    flags 0, refcount 0
 *   allocated, head         refcount >= 1, order = allocation order
 *   allocated, tail         refcount 0 (only heads are counted)
 *   reserved                flags PG_RESERVED, never on a free list
 * Misuse (double free, freeing a reserved frame, refcount underflow) panics.
 *
 * The last nr_reserve free frames are an emergency reserve (Linux's
 * min_free_kbytes): an ordinary allocation fails rather than take them,
 * so that when memory runs out the OOM killer's victim can still exit and
 * code that cannot sleep can still get a page. How far into the reserve
 * an allocation may go, and what happens when it fails, is decided by
 * mm/oom.c (oom_alloc_reserve, oom_alloc_slowpath).
 *
 * With fault injection on (mm/fault_inject.h), an allocation may fail on
 * purpose, before anything is taken and without the OOM killer.
 *
 * Small blocks (orders below PCP_ORDERS) go through per-CPU lists in front
 * of the buddy (page_pcp.c): the blocks on them are free (PG_PCP,
 * refcount 0) and counted in page_count_free(), but not in the buddy's
 * own counters.
 */
#include <types.h>
#include <lib/list.h>
#include <lib/printk.h>
#include <lib/string.h>
#include <sync/spinlock.h>
#include <mm/fault_inject.h>
#include <mm/oom.h>
#include <mm/page.h>
#include "page_internal.h"

struct page *page_array;
uint64_t page_array_len;

/* Guards free_lists, free_blocks, nr_free and nr_total, and the flags,
 * order and list of every free frame. */
static struct spinlock page_alloc_lock = SPINLOCK_INIT("page_alloc");
static struct list_head free_lists[MAX_ORDER];
static uint64_t free_blocks[MAX_ORDER];
static uint64_t nr_free;	/* frames on the buddy free lists */
static uint64_t nr_total;	/* frames ever given to the allocator */
static uint64_t nr_reserve;	/* free frames kept for emergencies */

static void frame_reset(struct page *pg, uint16_t flags)
{
	pg->refcount = 0;
	pg->flags = flags;
	pg->order = 0;
	pg->slab_free = 0;
	list_init(&pg->list);
	pg->owner = NULL;
}

/*
 * Boot: adopt array as the frame table and mark every frame reserved until
 * page_alloc_add_range() says otherwise.
 */
void page_alloc_init(struct page *array, uint64_t nframes)
{
	page_array = array;
	page_array_len = nframes;
	for (uint64_t pfn = 0; pfn < nframes; pfn++)
		frame_reset(&array[pfn], PG_RESERVED);
	for (unsigned int o = 0; o < MAX_ORDER; o++) {
		list_init(&free_lists[o]);
		free_blocks[o] = 0;
	}
	nr_free = 0;
	nr_total = 0;
	nr_reserve = 0;
	pcp_reset();
}

/* Whether the block at pfn of this order is free and whole. */
static bool block_is_free(uint64_t pfn, unsigned int order)
{
	struct page *pg;

	if (pfn >= page_array_len)
		return false;
	pg = &page_array[pfn];
	return (pg->flags & PG_FREE) && pg->order == order;
}

static void free_list_add(uint64_t pfn, unsigned int order)
{
	struct page *pg = &page_array[pfn];

	pg->flags = PG_FREE;
	pg->order = order;
	list_add(&pg->list, &free_lists[order]);
	free_blocks[order]++;
}

static void free_list_del(struct page *pg)
{
	list_del(&pg->list);
	free_blocks[pg->order]--;
	pg->flags = 0;
	pg->order = 0;
}

/*
 * Put the block at pfn back, merging it with its buddy as far as possible.
 * Its frames are already in the "free" state except the head's PG_FREE.
 * Called with page_alloc_lock held.
 */
static void block_free_locked(uint64_t pfn, unsigned int order)
{
	spin_assert_held(&page_alloc_lock);
	nr_free += 1UL << order;
	while (order < MAX_ORDER - 1) {
		uint64_t buddy = pfn ^ (1UL << order);

		if (!block_is_free(buddy, order))
			break;
		free_list_del(&page_array[buddy]);
		pfn &= ~(1UL << order);
		order++;
	}
	free_list_add(pfn, order);
}

/* The largest order a block starting at pfn may have and still end by end. */
static unsigned int block_order_fit(uint64_t pfn, uint64_t end)
{
	unsigned int order = 0;

	while (order < MAX_ORDER - 1 && IS_ALIGNED(pfn, 2UL << order) &&
	       pfn + (2UL << order) <= end)
		order++;
	return order;
}

/*
 * Boot: hand the usable frames [start_pfn, end_pfn) to the allocator.
 * Ranges need no alignment; they are cut into the largest aligned blocks,
 * which merge with free neighbours given earlier. Frames beyond the array
 * are ignored; giving a frame twice panics.
 */
void page_alloc_add_range(uint64_t start_pfn, uint64_t end_pfn)
{
	end_pfn = MIN(end_pfn, page_array_len);
	spin_lock(&page_alloc_lock);
	for (uint64_t pfn = start_pfn; pfn < end_pfn; pfn++) {
		if (!(page_array[pfn].flags & PG_RESERVED))
			panic("page_alloc_add_range: frame %#lx given twice",
			      (unsigned long)pfn);
		frame_reset(&page_array[pfn], 0);
	}
	for (uint64_t pfn = start_pfn; pfn < end_pfn;) {
		unsigned int order = block_order_fit(pfn, end_pfn);

		block_free_locked(pfn, order);
		nr_total += 1UL << order;
		pfn += 1UL << order;
	}
	spin_unlock(&page_alloc_lock);
}

/* Take a block of at least this order and split it down. Lock held. */
static struct page *block_alloc_locked(unsigned int order)
{
	unsigned int o = order;
	struct page *pg;
	uint64_t pfn;

	spin_assert_held(&page_alloc_lock);
	while (o < MAX_ORDER && list_empty(&free_lists[o]))
		o++;
	if (o == MAX_ORDER)
		return NULL;
	pg = list_first_entry(&free_lists[o], struct page, list);
	free_list_del(pg);
	pfn = page_to_pfn(pg);
	while (o > order) {
		o--;
		free_list_add(pfn + (1UL << o), o);
	}
	nr_free -= 1UL << order;
	return pg;
}

/* Free frames an allocation allowed this far into the reserve must leave. */
static uint64_t reserve_kept(enum alloc_reserve r)
{
	switch (r) {
	case RESERVE_ALL:
		return 0;
	case RESERVE_HALF:
		return nr_reserve / 2;
	default:
		return nr_reserve;
	}
}

/* A block from the buddy lists if more than keep frames stay free. */
static struct page *buddy_alloc(unsigned int order, uint64_t keep)
{
	struct page *pg = NULL;

	spin_lock(&page_alloc_lock);
	if (nr_free >= keep + (1UL << order))
		pg = block_alloc_locked(order);
	spin_unlock(&page_alloc_lock);
	return pg;
}

struct page *alloc_pages_reserve(unsigned int order, enum alloc_reserve r)
{
	uint64_t keep = reserve_kept(r);
	struct page *pg = NULL;

	if (order >= MAX_ORDER)
		return NULL;
	pg = pcp_alloc(order, keep);
	if (!pg)
		pg = buddy_alloc(order, keep);
	/* Short of memory: the frames on the CPUs' lists count too. */
	if (!pg && pcp_drain_all())
		pg = buddy_alloc(order, keep);
	if (!pg)
		return NULL;
	pg->refcount = 1;
	pg->order = order;
	return pg;
}

struct page *alloc_pages_flags(unsigned int order, unsigned int flags)
{
	struct page *pg;

	if (order >= MAX_ORDER)
		return NULL;
	/* An injected failure is not a shortage: no slow path for it. */
	if (fault_inject_should_fail(FAULT_PAGE, __builtin_return_address(0)))
		return NULL;
	pg = alloc_pages_reserve(order, oom_alloc_reserve(flags));
	if (!pg)
		pg = oom_alloc_slowpath(order, flags);
	if (pg && (flags & ALLOC_ZERO))
		memset(page_to_virt(pg), 0, PAGE_SIZE << order);
	return pg;
}

/* 2^order contiguous frames, refcount 1, contents undefined; NULL if none. */
struct page *alloc_pages(unsigned int order)
{
	return alloc_pages_flags(order, 0);
}

/* One frame, zero-filled, refcount 1; NULL if none. */
struct page *alloc_page_zeroed(void)
{
	return alloc_pages_flags(0, ALLOC_ZERO);
}

/*
 * Check that the block at pg may be freed and return its frames to the
 * "free" state. The head's refcount must already be 0. The frames are
 * still the caller's (allocated, no reference left): no lock needed, as
 * the buddy only ever looks at an allocated frame to see it is not free.
 */
static void block_release(struct page *pg, unsigned int order)
{
	uint64_t pfn = page_to_pfn(pg);

	for (uint64_t i = 0; i < (1UL << order); i++) {
		struct page *p = &pg[i];

		if (p->flags & PG_RESERVED)
			panic("free_pages: frame %#lx is reserved",
			      (unsigned long)(pfn + i));
		if (p->flags & (PG_FREE | PG_PCP))
			panic("free_pages: frame %#lx is already free "
			      "(double free)", (unsigned long)(pfn + i));
		if (i > 0 && p->refcount)
			panic("free_pages: frame %#lx of the block is "
			      "still referenced", (unsigned long)(pfn + i));
		frame_reset(p, 0);
	}
}

/* Give back a block whose last reference is gone: a small block to this
 * CPU's list, anything bigger (or anything before the lists exist) to the
 * buddy. */
static void block_free(struct page *pg, unsigned int order)
{
	block_release(pg, order);
	if (pcp_free(pg, order))
		return;
	spin_lock(&page_alloc_lock);
	block_free_locked(page_to_pfn(pg), order);
	spin_unlock(&page_alloc_lock);
}

/*
 * Free a block from alloc_pages(order). The caller must hold the only
 * reference: freeing a frame that page_get() shared, or one already free,
 * panics (use page_put for shared frames).
 */
void free_pages(struct page *pg, unsigned int order)
{
	uint64_t pfn = page_to_pfn(pg);

	if (pg < page_array || pfn >= page_array_len || order >= MAX_ORDER ||
	    !IS_ALIGNED(pfn, 1UL << order) ||
	    pfn + (1UL << order) > page_array_len)
		panic("free_pages: no block of order %u at frame %#lx",
		      order, (unsigned long)pfn);
	if (pg->flags & PG_RESERVED)
		panic("free_pages: frame %#lx is reserved", (unsigned long)pfn);
	if ((pg->flags & (PG_FREE | PG_PCP)) || pg->refcount == 0)
		panic("free_pages: frame %#lx is not allocated (double free, "
		      "or not the first frame of a block)", (unsigned long)pfn);
	if (pg->order != order)
		panic("free_pages: frame %#lx was allocated with order %u, "
		      "freed with order %u", (unsigned long)pfn, pg->order,
		      order);
	if (pg->refcount != 1)
		panic("free_pages: frame %#lx is still shared (refcount %u); "
		      "use page_put", (unsigned long)pfn, pg->refcount);
	pg->refcount = 0;
	block_free(pg, order);
}

static void page_check_counted(struct page *pg, const char *what)
{
	if (pg->flags & (PG_FREE | PG_PCP | PG_RESERVED | PG_SLAB) ||
	    pg->order != 0)
		panic("%s: frame %#lx (flags %#x, order %u) is not an "
		      "allocated single frame", what,
		      (unsigned long)page_to_pfn(pg), pg->flags, pg->order);
}

/* Take one more reference to an allocated order-0 frame. */
void page_get(struct page *pg)
{
	page_check_counted(pg, "page_get");
	if (__atomic_fetch_add(&pg->refcount, 1, __ATOMIC_RELAXED) == 0)
		panic("page_get: frame %#lx is not allocated",
		      (unsigned long)page_to_pfn(pg));
}

/* Drop a reference to an order-0 frame; the last one frees it. */
void page_put(struct page *pg)
{
	uint32_t old = __atomic_load_n(&pg->refcount, __ATOMIC_RELAXED);

	page_check_counted(pg, "page_put");
	do {
		if (old == 0)
			panic("page_put: refcount underflow on frame %#lx",
			      (unsigned long)page_to_pfn(pg));
	} while (!__atomic_compare_exchange_n(&pg->refcount, &old, old - 1,
					      false, __ATOMIC_ACQ_REL,
					      __ATOMIC_RELAXED));
	if (old != 1)
		return;
	block_free(pg, 0);
}

/* Free frames now: the buddy's and the CPUs' lists'. */
uint64_t page_count_free(void)
{
	return __atomic_load_n(&nr_free, __ATOMIC_RELAXED) + pcp_frames();
}

/* ---- For page_pcp.c ---- */

/* The buddy's free frames, read without the lock. */
uint64_t buddy_free_frames(void)
{
	return __atomic_load_n(&nr_free, __ATOMIC_RELAXED);
}

/*
 * Move up to n blocks of this order onto the list to, as long as more
 * than keep frames stay free in the buddy; their heads become PG_PCP.
 * How many were moved.
 */
unsigned int buddy_take_blocks(struct list_head *to, unsigned int order,
			       unsigned int n, uint64_t keep)
{
	unsigned int got = 0;

	spin_lock(&page_alloc_lock);
	while (got < n && nr_free >= keep + (1UL << order)) {
		struct page *pg = block_alloc_locked(order);

		if (!pg)
			break;
		pg->flags = PG_PCP;
		pg->order = order;
		list_add_tail(&pg->list, to);
		got++;
	}
	spin_unlock(&page_alloc_lock);
	return got;
}

/* Put every block on the list from (PG_PCP heads of this order) back on
 * the buddy lists. */
void buddy_give_blocks(struct list_head *from, unsigned int order)
{
	spin_lock(&page_alloc_lock);
	while (!list_empty(from)) {
		struct page *pg = list_first_entry(from, struct page, list);

		list_del(&pg->list);
		pg->flags = 0;
		pg->order = 0;
		block_free_locked(page_to_pfn(pg), order);
	}
	spin_unlock(&page_alloc_lock);
}

/* Integer square root (Newton's method), for the reserve's size. */
static uint64_t isqrt(uint64_t x)
{
	uint64_t r = x, y = (x + 1) / 2;

	while (y < r) {
		r = y;
		y = (r + x / r) / 2;
	}
	return r;
}

/*
 * Linux's min_free_kbytes: sqrt(16 * RAM in kB), between 128 kB and
 * 256 MiB (2.8 MiB for 512 MiB of RAM). Called once all RAM is known.
 */
void page_alloc_init_reserve(void)
{
	uint64_t kb = isqrt(page_count_total() * (PAGE_SIZE / 1024) * 16);

	kb = MIN(MAX(kb, 128), 262144);
	page_alloc_set_reserve(kb / (PAGE_SIZE / 1024));
}

void page_alloc_set_reserve(uint64_t frames)
{
	spin_lock(&page_alloc_lock);
	nr_reserve = frames;
	spin_unlock(&page_alloc_lock);
}

uint64_t page_count_reserve(void)
{
	return __atomic_load_n(&nr_reserve, __ATOMIC_RELAXED);
}

/* Usable frames given to the allocator at boot. */
uint64_t page_count_total(void)
{
	return __atomic_load_n(&nr_total, __ATOMIC_RELAXED);
}

/* Free blocks of exactly this order. */
uint64_t page_count_free_blocks(unsigned int order)
{
	uint64_t n;

	if (order >= MAX_ORDER)
		return 0;
	spin_lock(&page_alloc_lock);
	n = free_blocks[order];
	spin_unlock(&page_alloc_lock);
	return n;
}
