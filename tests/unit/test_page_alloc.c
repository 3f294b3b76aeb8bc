// UNIT_SOURCES: kernel/mm/page_alloc.c kernel/mm/page_pcp.c
/*
 * The buddy allocator: counters, splitting and merging, alignment, random
 * workloads checked against a shadow map of who owns each frame, reference
 * counts, and the panics that catch misuse.
 */
#include <stdlib.h>
#include <string.h>
#include <pthread.h>

#include <mm/page.h>
#include "../../kernel/mm/page_internal.h"
#include "unit.h"

#define NFRAMES 3000	/* not a power of two: the edge blocks are smaller */

struct buddy_shape {
	uint64_t blocks[MAX_ORDER];
};

static struct buddy_shape shape_now(void)
{
	struct buddy_shape s;

	for (unsigned int o = 0; o < MAX_ORDER; o++)
		s.blocks[o] = page_count_free_blocks(o);
	return s;
}

static void assert_shape(const struct buddy_shape *want)
{
	struct buddy_shape now = shape_now();

	for (unsigned int o = 0; o < MAX_ORDER; o++)
		UT_ASSERT_EQ(now.blocks[o], want->blocks[o]);
}

/* What cutting [start, end) into maximal aligned blocks gives. */
static struct buddy_shape shape_of_range(uint64_t start, uint64_t end)
{
	struct buddy_shape s = { { 0 } };

	while (start < end) {
		unsigned int o = MAX_ORDER - 1;

		while (!IS_ALIGNED(start, 1UL << o) || start + (1UL << o) > end)
			o--;
		s.blocks[o]++;
		start += 1UL << o;
	}
	return s;
}

static uint64_t shape_frames(const struct buddy_shape *s)
{
	uint64_t n = 0;

	for (unsigned int o = 0; o < MAX_ORDER; o++)
		n += s->blocks[o] << o;
	return n;
}

static void test_init_counts(void)
{
	struct buddy_shape want = shape_of_range(1, NFRAMES + 1);

	unit_mem_init(NFRAMES);
	UT_ASSERT_EQ(page_count_total(), NFRAMES);
	UT_ASSERT_EQ(page_count_free(), NFRAMES);
	UT_ASSERT_EQ(shape_frames(&want), NFRAMES);
	assert_shape(&want);
	UT_ASSERT(page_array[0].flags & PG_RESERVED);
	UT_ASSERT(page_array[1].flags & PG_FREE);
	UT_ASSERT_EQ(page_array[1].order, 0);
	UT_ASSERT_EQ(page_array[1024].order, 10);
}

/* Ranges added piecemeal, unaligned and out of order, merge completely. */
static void test_unaligned_ranges(void)
{
	struct buddy_shape want = shape_of_range(3, 2500);

	unit_mem_init(NFRAMES);
	page_alloc_init(page_array, page_array_len);
	page_alloc_add_range(1000, 2500);
	page_alloc_add_range(3, 7);
	page_alloc_add_range(517, 1000);
	page_alloc_add_range(7, 517);
	page_alloc_add_range(NFRAMES + 1, NFRAMES + 100);	/* beyond: ignored */
	UT_ASSERT_EQ(page_count_total(), 2497);
	UT_ASSERT_EQ(page_count_free(), 2497);
	assert_shape(&want);
	UT_EXPECT_PANIC(page_alloc_add_range(2400, 2600));
	unit_mem_fini();
}

static void fill(struct page *pg, unsigned int order, uint64_t tag)
{
	uint64_t *w = page_to_virt(pg);
	size_t n = (PAGE_SIZE << order) / sizeof(*w);

	for (size_t i = 0; i < n; i += 61)
		w[i] = tag ^ i;
	w[n - 1] = ~tag;
}

static void check_fill(struct page *pg, unsigned int order, uint64_t tag)
{
	uint64_t *w = page_to_virt(pg);
	size_t n = (PAGE_SIZE << order) / sizeof(*w);

	for (size_t i = 0; i < n; i += 61)
		UT_ASSERT_EQ(w[i], tag ^ i);
	UT_ASSERT_EQ(w[n - 1], ~tag);
}

struct live_block {
	struct page *pg;
	unsigned int order;
};

/* Small orders are common in the kernel; large ones still happen. */
static unsigned int random_order(void)
{
	uint64_t r = unit_rand_below(100);

	if (r < 50)
		return 0;
	if (r < 75)
		return 1 + unit_rand_below(2);
	if (r < 95)
		return 3 + unit_rand_below(4);
	return 7 + unit_rand_below(MAX_ORDER - 7);
}

static void block_check_new(struct live_block *b, int *owner, int id)
{
	uint64_t pfn = page_to_pfn(b->pg);

	UT_ASSERT(IS_ALIGNED(pfn, 1UL << b->order));
	UT_ASSERT(IS_ALIGNED((uintptr_t)page_to_virt(b->pg),
			     PAGE_SIZE << b->order));
	UT_ASSERT(pfn >= 1 && pfn + (1UL << b->order) <= NFRAMES + 1);
	UT_ASSERT_EQ(b->pg->refcount, 1);
	UT_ASSERT(!(b->pg->flags & (PG_FREE | PG_RESERVED)));
	for (uint64_t i = 0; i < (1UL << b->order); i++) {
		UT_ASSERT_EQ(owner[pfn + i], -1);	/* no overlap */
		owner[pfn + i] = id;
	}
}

static void block_release(struct live_block *b, int *owner, int id)
{
	uint64_t pfn = page_to_pfn(b->pg);

	check_fill(b->pg, b->order, (uint64_t)id * 0x9e3779b97f4a7c15UL);
	for (uint64_t i = 0; i < (1UL << b->order); i++) {
		UT_ASSERT_EQ(owner[pfn + i], id);
		owner[pfn + i] = -1;
	}
	free_pages(b->pg, b->order);
	b->pg = NULL;
}

/* Random mixed-order allocations and frees, often running out of memory. */
static void test_random_workload(void)
{
	enum { SLOTS = 400, STEPS = 30000 };
	static struct live_block live[SLOTS];
	static int owner[NFRAMES + 1];
	struct buddy_shape initial;
	uint64_t used = 0, failures = 0;

	unit_mem_init(NFRAMES);
	initial = shape_now();
	memset(owner, -1, sizeof(owner));
	for (int step = 0; step < STEPS; step++) {
		int id = (int)unit_rand_below(SLOTS);
		struct live_block *b = &live[id];

		if (b->pg) {
			used -= 1UL << b->order;
			block_release(b, owner, id);
		} else {
			b->order = random_order();
			b->pg = alloc_pages(b->order);
			if (!b->pg) {
				failures++;
				continue;
			}
			used += 1UL << b->order;
			block_check_new(b, owner, id);
			fill(b->pg, b->order, (uint64_t)id * 0x9e3779b97f4a7c15UL);
		}
		UT_ASSERT_EQ(page_count_free(), NFRAMES - used);
	}
	UT_ASSERT(failures > 0);	/* the out-of-memory path ran too */
	for (int id = 0; id < SLOTS; id++)
		if (live[id].pg)
			block_release(&live[id], owner, id);
	UT_ASSERT_EQ(page_count_free(), NFRAMES);
	assert_shape(&initial);
}

/* Every frame singly, then freed in random order: all merges happen. */
static void test_exhaust_and_merge(void)
{
	static struct page *pages[NFRAMES];
	struct buddy_shape initial;
	size_t n = 0;
	struct page *pg;

	unit_mem_init(NFRAMES);
	initial = shape_now();
	while ((pg = alloc_pages(0)) != NULL)
		pages[n++] = pg;
	UT_ASSERT_EQ(n, NFRAMES);
	UT_ASSERT_EQ(page_count_free(), 0);
	for (unsigned int o = 0; o < MAX_ORDER; o++)
		UT_ASSERT(alloc_pages(o) == NULL);
	for (size_t i = n - 1; i > 0; i--) {	/* shuffle */
		size_t j = unit_rand_below(i + 1);
		struct page *t = pages[i];

		pages[i] = pages[j];
		pages[j] = t;
	}
	for (size_t i = 0; i < n; i++)
		free_pages(pages[i], 0);
	UT_ASSERT_EQ(page_count_free(), NFRAMES);
	assert_shape(&initial);
}

/* Take single frames until none comes; how many. */
static size_t take_all(struct page **pages, size_t n, unsigned int flags)
{
	size_t got = 0;
	struct page *pg;

	while ((pg = alloc_pages_flags(0, flags)) != NULL)
		pages[n + got++] = pg;
	return got;
}

/*
 * The emergency reserve: ordinary allocations and user memory leave it,
 * callers that cannot sleep may take half of it, a dying process all of
 * it (the OOM killer's hooks decide which; here unit_alloc_reserve).
 */
static void test_reserve(void)
{
	static struct page *pages[NFRAMES];
	size_t n = 0;

	unit_mem_init(NFRAMES);
	page_alloc_set_reserve(100);
	UT_ASSERT_EQ(page_count_reserve(), 100);
	n += take_all(pages, n, 0);
	UT_ASSERT_EQ(n, NFRAMES - 100);
	UT_ASSERT_EQ(page_count_free(), 100);
	UT_ASSERT(alloc_pages_reserve(0, RESERVE_KEEP) == NULL);
	unit_alloc_reserve = RESERVE_HALF;
	UT_ASSERT_EQ(take_all(pages, n, ALLOC_USER), 0);
	n += take_all(pages, n, ALLOC_ZERO);
	UT_ASSERT_EQ(page_count_free(), 50);
	unit_alloc_reserve = RESERVE_ALL;
	UT_ASSERT_EQ(take_all(pages, n, ALLOC_USER), 0);
	/* A block must fit whole above what has to stay. */
	UT_ASSERT(alloc_pages_reserve(6, RESERVE_ALL) == NULL);
	n += take_all(pages, n, 0);
	UT_ASSERT_EQ(n, NFRAMES);
	unit_alloc_reserve = RESERVE_KEEP;
	for (size_t i = 0; i < n; i++)
		free_pages(pages[i], 0);
	UT_ASSERT_EQ(page_count_free(), NFRAMES);
	/* Linux's min_free_kbytes: sqrt(16 * kB of RAM), at least 128 kB. */
	page_alloc_init_reserve();
	UT_ASSERT_EQ(page_count_reserve(), 438 / 4);	/* 12000 kB */
}

/* A split leaves one free buddy at each order below the block split. */
static void test_split(void)
{
	struct page *a;

	unit_mem_init(2047);
	page_alloc_init(page_array, page_array_len);
	page_alloc_add_range(1024, 2048);	/* one order-10 block */
	UT_ASSERT_EQ(page_count_free_blocks(10), 1);
	a = alloc_pages(0);
	UT_ASSERT_EQ(page_to_pfn(a), 1024);
	for (unsigned int o = 0; o < 10; o++) {
		UT_ASSERT_EQ(page_count_free_blocks(o), 1);
		UT_ASSERT(page_array[1024 + (1UL << o)].flags & PG_FREE);
		UT_ASSERT_EQ(page_array[1024 + (1UL << o)].order, o);
	}
	UT_ASSERT_EQ(page_count_free_blocks(10), 0);
	UT_ASSERT_EQ(page_count_free(), 1023);
	free_pages(a, 0);
	for (unsigned int o = 0; o < 10; o++)
		UT_ASSERT_EQ(page_count_free_blocks(o), 0);
	UT_ASSERT_EQ(page_count_free_blocks(10), 1);
	UT_ASSERT(alloc_pages(MAX_ORDER) == NULL);
	a = alloc_pages(10);
	UT_ASSERT_EQ(page_to_pfn(a), 1024);
	UT_ASSERT(alloc_pages(0) == NULL);
	free_pages(a, 10);
	unit_mem_fini();
}

static void test_zeroed(void)
{
	unsigned char *p;
	struct page *pg;

	unit_mem_init(16);
	pg = alloc_page_zeroed();
	UT_ASSERT(pg != NULL);
	p = page_to_virt(pg);
	for (size_t i = 0; i < PAGE_SIZE; i++)
		UT_ASSERT_EQ(p[i], 0);
	UT_ASSERT(virt_to_page(p + 100) == pg);
	UT_ASSERT_EQ(virt_to_phys(p), page_to_phys(pg));
	free_pages(pg, 0);
}

static void test_refcount(void)
{
	struct page *pg;

	unit_mem_init(64);
	pg = alloc_pages(0);
	page_get(pg);
	page_get(pg);
	UT_ASSERT_EQ(pg->refcount, 3);
	page_put(pg);
	page_put(pg);
	UT_ASSERT_EQ(page_count_free(), 63);
	UT_EXPECT_PANIC(free_pages(pg, 0); free_pages(pg, 0));
	page_put(pg);
	UT_ASSERT_EQ(page_count_free(), 64);
	UT_ASSERT(pg->flags & PG_FREE);
	UT_EXPECT_PANIC(page_put(pg));
	UT_EXPECT_PANIC(page_get(pg));
}

static void test_misuse_panics(void)
{
	struct page *pg, *big;

	unit_mem_init(64);
	pg = alloc_pages(0);
	big = alloc_pages(2);
	UT_EXPECT_PANIC(free_pages(pg, 0); free_pages(pg, 0));	/* double */
	UT_EXPECT_PANIC(free_pages(&page_array[0], 0));		/* reserved */
	UT_EXPECT_PANIC(free_pages(big, 1));			/* wrong order */
	UT_EXPECT_PANIC(free_pages(big + 1, 0));		/* a tail */
	UT_EXPECT_PANIC(page_get(big));				/* not order 0 */
	UT_EXPECT_PANIC(page_get(pg); free_pages(pg, 0));	/* shared */
	UT_EXPECT_PANIC(page_put(pg); page_put(pg));		/* underflow */
	free_pages(big, 2);
	UT_EXPECT_PANIC(free_pages(big, 2));			/* merged away */
	free_pages(pg, 0);
}

/* Two threads hammer the allocator; the counters must stay exact. */
static void *stress_thread(void *arg)
{
	uint64_t x = (uintptr_t)arg;
	struct page *held[32] = { NULL };

	for (int i = 0; i < 20000; i++) {
		int k;

		x = x * 6364136223846793005UL + 1442695040888963407UL;
		k = (int)((x >> 33) % 32);
		if (held[k]) {
			free_pages(held[k], (unsigned int)(k % 4));
			held[k] = NULL;
		} else {
			held[k] = alloc_pages((unsigned int)(k % 4));
		}
	}
	for (int k = 0; k < 32; k++)
		if (held[k])
			free_pages(held[k], (unsigned int)(k % 4));
	return NULL;
}

static void test_threads(void)
{
	pthread_t t[2];
	struct buddy_shape initial;

	unit_mem_init(NFRAMES);
	initial = shape_now();
	for (uintptr_t i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, stress_thread, (void *)(i + 1));
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	UT_ASSERT_EQ(page_count_free(), NFRAMES);
	assert_shape(&initial);
}

/*
 * The per-CPU lists in front of the buddy: a freed frame is the next one
 * handed out, frames on a list count as free (page_count_free stays
 * exact), a second free of one panics, and draining the lists gives the
 * buddy back exactly its shape.
 */
static void test_pcp_lists(void)
{
	static struct page *pages[NFRAMES];
	struct buddy_shape initial;
	uint64_t held;
	struct page *a;

	unit_mem_init(NFRAMES);
	initial = shape_now();
	page_pcp_init();
	for (size_t i = 0; i < 600; i++) {
		pages[i] = alloc_pages(0);
		UT_ASSERT_EQ(page_count_free(), NFRAMES - i - 1);
	}
	for (size_t i = 0; i < 600; i++) {
		free_pages(pages[i], 0);
		UT_ASSERT_EQ(page_count_free(), NFRAMES - 599 + i);
	}
	/* Bounded: past 512 frames the list gave batches back. */
	UT_ASSERT(pcp_frames() > 256 && pcp_frames() <= 512);
	a = alloc_pages(0);
	free_pages(a, 0);
	UT_ASSERT(a->flags & PG_PCP);
	UT_ASSERT(alloc_pages(0) == a);		/* cache-warm first */
	page_put(a);
	UT_EXPECT_PANIC(free_pages(a, 0));
	UT_EXPECT_PANIC(page_put(a));
	UT_EXPECT_PANIC(page_get(a));
	UT_ASSERT_EQ(page_count_free(), NFRAMES);
	/* A kernel stack's order 2 goes through its own list. */
	a = alloc_pages(2);
	UT_ASSERT_EQ(page_count_free(), NFRAMES - 4);
	free_pages(a, 2);
	UT_ASSERT(a->flags & PG_PCP);
	UT_ASSERT_EQ(page_count_free(), NFRAMES);
	UT_EXPECT_PANIC(free_pages(a, 2));
	UT_ASSERT(alloc_pages(2) == a);
	free_pages(a, 2);
	held = pcp_frames();
	UT_ASSERT_EQ(pcp_drain_all(), held);
	UT_ASSERT_EQ(pcp_frames(), 0);
	assert_shape(&initial);
}

/* The reserve holds with the lists: exactly as many frames come out, and
 * once the buddy runs dry the frames on the lists are drained and used. */
static void test_pcp_reserve(void)
{
	static struct page *pages[NFRAMES];
	struct buddy_shape initial;
	size_t n;

	unit_mem_init(NFRAMES);
	initial = shape_now();
	page_pcp_init();
	page_alloc_set_reserve(100);
	n = take_all(pages, 0, 0);
	UT_ASSERT_EQ(n, NFRAMES - 100);
	UT_ASSERT_EQ(page_count_free(), 100);
	for (size_t i = 0; i < 40; i++)	/* onto the list, not the buddy */
		free_pages(pages[--n], 0);
	UT_ASSERT_EQ(take_all(pages, n, 0), 40);
	n += 40;
	unit_alloc_reserve = RESERVE_ALL;
	n += take_all(pages, n, 0);
	unit_alloc_reserve = RESERVE_KEEP;
	UT_ASSERT_EQ(n, NFRAMES);
	UT_ASSERT_EQ(page_count_free(), 0);
	while (n)
		free_pages(pages[--n], 0);
	UT_ASSERT_EQ(page_count_free(), NFRAMES);
	pcp_drain_all();
	assert_shape(&initial);
}

/* Two threads through one list (the host runs both as CPU 0). */
static void test_pcp_threads(void)
{
	pthread_t t[2];
	struct buddy_shape initial;

	unit_mem_init(NFRAMES);
	initial = shape_now();
	page_pcp_init();
	for (uintptr_t i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, stress_thread, (void *)(i + 1));
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	UT_ASSERT_EQ(page_count_free(), NFRAMES);
	pcp_drain_all();
	assert_shape(&initial);
}

UNIT_MAIN(UNIT_CASE(test_init_counts), UNIT_CASE(test_unaligned_ranges),
	  UNIT_CASE(test_random_workload), UNIT_CASE(test_exhaust_and_merge),
	  UNIT_CASE(test_split), UNIT_CASE(test_zeroed),
	  UNIT_CASE(test_refcount), UNIT_CASE(test_misuse_panics),
	  UNIT_CASE(test_reserve),
	  UNIT_CASE(test_threads), UNIT_CASE(test_pcp_lists),
	  UNIT_CASE(test_pcp_reserve), UNIT_CASE(test_pcp_threads))
