// UNIT_SOURCES: kernel/mm/kmalloc.c kernel/mm/page_alloc.c kernel/mm/page_pcp.c
/*
 * kmalloc over the real buddy allocator: alignment of every size, random
 * workloads with fill patterns, statistics, large allocations, empty slabs
 * going back at once (the free-page count returns exactly to its start),
 * and the panics for double and bad frees.
 */
#include <string.h>
#include <pthread.h>

#include <mm/page.h>
#include <mm/kmalloc.h>
#include "unit.h"

#define NFRAMES 4096

/* The size class kmalloc uses for size, or 0 for a large allocation. */
static size_t class_of(size_t size)
{
	size_t c = 16;

	if (size > 2048)
		return 0;
	while (c < size)
		c *= 2;
	return c;
}

static size_t large_frames(size_t size)
{
	size_t n = 1;

	while (n * PAGE_SIZE < size)
		n *= 2;
	return n;
}

static void assert_stats(uint64_t slab_pages, uint64_t bytes, uint64_t large)
{
	struct kmalloc_stats st;

	kmalloc_get_stats(&st);
	if (slab_pages != (uint64_t)-1)
		UT_ASSERT_EQ(st.slab_pages, slab_pages);
	UT_ASSERT_EQ(st.bytes_in_use, bytes);
	UT_ASSERT_EQ(st.large_pages, large);
}

static void test_alignment_every_size(void)
{
	unit_mem_init(NFRAMES);
	for (size_t size = 0; size <= 9000; size += size < 300 ? 1 : 37) {
		unsigned char *p = kmalloc(size);
		size_t align = class_of(size) ? class_of(size) : PAGE_SIZE;

		UT_ASSERT(p != NULL);
		UT_ASSERT(IS_ALIGNED((uintptr_t)p, MIN(align, PAGE_SIZE)));
		UT_ASSERT(IS_ALIGNED((uintptr_t)p, 16));
		memset(p, 0x5c, size);	/* ASan would catch an overrun */
		kfree(p);
	}
	assert_stats(0, 0, 0);
}

/* Sizes: mostly small, sometimes a page or several. */
static size_t random_size(void)
{
	uint64_t r = unit_rand_below(100);

	if (r < 60)
		return 1 + unit_rand_below(128);
	if (r < 95)
		return 1 + unit_rand_below(2048);
	return 2049 + unit_rand_below(5 * PAGE_SIZE);
}

struct live_obj {
	unsigned char *p;
	size_t size;
};

static void obj_fill(struct live_obj *o, int id)
{
	for (size_t i = 0; i < o->size; i++)
		o->p[i] = (unsigned char)(id * 7 + i);
}

static void obj_check(const struct live_obj *o, int id)
{
	for (size_t i = 0; i < o->size; i++)
		UT_ASSERT_EQ(o->p[i], (unsigned char)(id * 7 + i));
}

/* Random kmalloc/kfree; patterns catch overlapping objects. */
static void test_random_workload(void)
{
	enum { SLOTS = 2000, STEPS = 60000 };
	static struct live_obj live[SLOTS];
	uint64_t bytes = 0, large = 0;

	unit_mem_init(NFRAMES);
	for (int step = 0; step < STEPS; step++) {
		int id = (int)unit_rand_below(SLOTS);
		struct live_obj *o = &live[id];

		if (o->p) {
			obj_check(o, id);
			kfree(o->p);
			bytes -= class_of(o->size);
			large -= class_of(o->size) ? 0 : large_frames(o->size);
			o->p = NULL;
			continue;
		}
		o->size = random_size();
		o->p = kmalloc(o->size);
		UT_ASSERT(o->p != NULL);
		UT_ASSERT(IS_ALIGNED((uintptr_t)o->p, 16));
		obj_fill(o, id);
		bytes += class_of(o->size);
		large += class_of(o->size) ? 0 : large_frames(o->size);
		if (step % 97 == 0)
			assert_stats((uint64_t)-1, bytes, large);
	}
	for (int id = 0; id < SLOTS; id++) {
		if (live[id].p) {
			obj_check(&live[id], id);
			kfree(live[id].p);
		}
	}
	assert_stats(0, 0, 0);
	UT_ASSERT_EQ(page_count_free(), unit_mem_initial_free());
}

/* Slab pages are exactly what the live objects need, and no more. */
static void test_empty_slabs_returned(void)
{
	enum { N = 1000 };
	static void *p[N];
	uint64_t free0;

	unit_mem_init(NFRAMES);
	free0 = page_count_free();
	for (int i = 0; i < N; i++)
		p[i] = kmalloc(32);
	assert_stats((N + 127) / 128, N * 32, 0);
	UT_ASSERT_EQ(page_count_free(), free0 - (N + 127) / 128);
	for (int i = 0; i < N; i += 2)	/* every slab keeps half */
		kfree(p[i]);
	assert_stats((N + 127) / 128, N / 2 * 32, 0);
	for (int i = 1; i < N; i += 2)
		kfree(p[i]);
	assert_stats(0, 0, 0);
	UT_ASSERT_EQ(page_count_free(), free0);

	/* Freed objects are reused before a new slab is taken. */
	p[0] = kmalloc(100);
	p[1] = kmalloc(100);
	kfree(p[0]);
	UT_ASSERT(kmalloc(128) == p[0]);
	kfree(p[0]);
	kfree(p[1]);
}

static void test_kzalloc(void)
{
	unsigned char *p;

	unit_mem_init(64);
	for (int round = 0; round < 2; round++) {	/* second: dirty reuse */
		p = kzalloc(700);
		for (int i = 0; i < 700; i++)
			UT_ASSERT_EQ(p[i], 0);
		memset(p, 0xee, 700);
		kfree(p);
	}
	p = kzalloc(3 * PAGE_SIZE);
	for (size_t i = 0; i < 3 * PAGE_SIZE; i++)
		UT_ASSERT_EQ(p[i], 0);
	kfree(p);
}

static void test_large(void)
{
	void *p;

	unit_mem_init(NFRAMES);
	p = kmalloc(2049);
	UT_ASSERT(IS_ALIGNED((uintptr_t)p, PAGE_SIZE));
	assert_stats(0, 0, 1);
	kfree(p);
	p = kmalloc(PAGE_SIZE << (MAX_ORDER - 1));	/* the largest block */
	UT_ASSERT(p != NULL);
	assert_stats(0, 0, 1UL << (MAX_ORDER - 1));
	kfree(p);
	UT_ASSERT(kmalloc((PAGE_SIZE << (MAX_ORDER - 1)) + 1) == NULL);
	UT_ASSERT(kmalloc((size_t)-1) == NULL);
	assert_stats(0, 0, 0);
	kfree(NULL);
}

/* Out of memory: kmalloc says NULL, and everything comes back after. */
static void test_out_of_memory(void)
{
	enum { MAX = 20000 };
	static void *p[MAX];
	int n = 0;

	unit_mem_init(32);
	while (n < MAX && (p[n] = kmalloc(n % 3 ? 200 : 5000)) != NULL)
		n++;
	UT_ASSERT(n < MAX);
	while ((p[n] = kmalloc(16)) != NULL)
		n++;
	UT_ASSERT_EQ(page_count_free(), 0);
	while (n-- > 0)
		kfree(p[n]);
	assert_stats(0, 0, 0);
}

static void test_misuse_panics(void)
{
	char *p, *q, *big;
	struct page *pg;

	unit_mem_init(64);
	p = kmalloc(64);
	q = kmalloc(64);	/* keeps the slab alive after p is freed */
	big = kmalloc(10000);
	pg = alloc_pages(0);
	UT_EXPECT_PANIC(kfree(p); kfree(p));		/* double free */
	UT_EXPECT_PANIC(kfree(p + 16));			/* inside an object */
	UT_EXPECT_PANIC(kfree(big); kfree(big));	/* double free, large */
	UT_EXPECT_PANIC(kfree(big + PAGE_SIZE));	/* inside, large */
	UT_EXPECT_PANIC(kfree(page_to_virt(pg)));	/* not from kmalloc */
	UT_EXPECT_PANIC(kfree((void *)&pg));		/* not kernel memory */
	UT_EXPECT_PANIC(kfree(p); memset(p, 0, 16); kmalloc(64));
							/* write after free */
	/* A live object holding the poison pattern is not mistaken. */
	kfree(p);
	p = kmalloc(64);
	((uint64_t *)q)[1] = 0x5ab5ab5ab5ab5ab5UL ^ (uintptr_t)q;
	kfree(q);
	kfree(p);
	kfree(big);
	free_pages(pg, 0);
	assert_stats(0, 0, 0);
}

static void *stress_thread(void *arg)
{
	uint64_t x = (uintptr_t)arg;
	unsigned char *held[64] = { NULL };

	for (int i = 0; i < 30000; i++) {
		int k;

		x = x * 6364136223846793005UL + 1442695040888963407UL;
		k = (int)((x >> 33) % 64);
		if (held[k]) {
			UT_ASSERT_EQ(held[k][0], (unsigned char)k);
			kfree(held[k]);
			held[k] = NULL;
		} else {
			held[k] = kmalloc(16UL << (k % 9));
			UT_ASSERT(held[k] != NULL);
			held[k][0] = (unsigned char)k;
		}
	}
	for (int k = 0; k < 64; k++)
		kfree(held[k]);
	return NULL;
}

/* Two threads share the caches; per-cache locks keep them consistent. */
static void test_threads(void)
{
	pthread_t t[2];

	unit_mem_init(NFRAMES);
	for (uintptr_t i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, stress_thread, (void *)(i + 1));
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	assert_stats(0, 0, 0);
	UT_ASSERT_EQ(page_count_free(), unit_mem_initial_free());
}

UNIT_MAIN(UNIT_CASE(test_alignment_every_size),
	  UNIT_CASE(test_random_workload),
	  UNIT_CASE(test_empty_slabs_returned), UNIT_CASE(test_kzalloc),
	  UNIT_CASE(test_large), UNIT_CASE(test_out_of_memory),
	  UNIT_CASE(test_misuse_panics), UNIT_CASE(test_threads))
