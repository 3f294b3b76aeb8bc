// UNIT_SOURCES: user/lib/malloc/state.c user/lib/malloc/lock.c user/lib/thread/lock.c user/lib/malloc/bins.c user/lib/malloc/pool.c user/lib/malloc/chunk.c user/lib/malloc/alloc.c user/lib/malloc/realloc.c user/lib/malloc/memalign.c user/lib/malloc/large.c user/lib/malloc/check.c user/lib/malloc/page.c user/lib/malloc/small.c user/lib/malloc/page_check.c
/*
 * libbasalt's allocator on the host, under ASan and UBSan: its core is
 * compiled unchanged with -DUNIT_TEST, and this file is its environment
 * (the UNIT_TEST half of user/lib/malloc/glue.h). The break is simulated
 * in a reserved region, so a case can make it refuse, move it behind the
 * allocator's back, and see exactly where it ends; pages above the break
 * are inaccessible, so a write past the heap faults. mmap and munmap are
 * real but counted, so a case can see every mapped byte go back.
 *
 * The cases: alignment and usable sizes, random alloc/free/realloc runs
 * with fill patterns checked before every free and malloc_check after
 * every step, coalescing, in-place realloc, trimming the break, mmapped
 * pools when the break is stuck, large blocks and the moving threshold,
 * the loud errors (each in a child that must die of SIGABRT with the
 * right message), malloc_check finding damage, and threads sharing the
 * heap and freeing each other's blocks through the real futex lock.
 * The size-class pages: exact classes, counts, remote frees taken back
 * by the owner, pages of an ended thread adopted, their loud errors
 * (double free, remote double free, pointers inside a page that are not
 * blocks, a damaged free-list link), malloc_trim giving pages back, and
 * fork while threads hold pages.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"
#include "../../user/lib/malloc/heap.h"
#include "../../user/lib/internal/libc.h"

/* ---- The simulated kernel (glue.h, UNIT_TEST) ------------------------- */

#define SIM_BRK_SPAN	(256UL << 20)

static char *sim_start;		/* where the break starts */
static char *sim_cur;		/* the break */
static char *sim_limit;		/* the break may not pass this */
static long sim_mapped;		/* bytes mapped through glue_mmap, live */
static bool sim_mmap_fails;
static bool sim_mremap_fails;

static uintptr_t page_up(uintptr_t a)
{
	return (a + 4095) & ~4095UL;
}

/* Reserves the break's region; only the part below the break is usable. */
static void sim_init(void)
{
	if (sim_start)
		return;
	char *r = mmap(NULL, SIM_BRK_SPAN, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	UT_ASSERT(r != MAP_FAILED);
	/* Page-aligned, as Linux starts the break: pages above it are gone. */
	sim_start = sim_cur = r;
	sim_limit = r + SIM_BRK_SPAN;
}

void *glue_brk(void *want)
{
	char *w = want;

	sim_init();
	if (!w || w < sim_start || w > sim_limit)
		return sim_cur;
	uintptr_t old = page_up((uintptr_t)sim_cur), new = page_up((uintptr_t)w);
	if (new > old)
		UT_ASSERT(mprotect((void *)old, new - old,
				   PROT_READ | PROT_WRITE) == 0);
	else if (new < old)
		UT_ASSERT(mprotect((void *)new, old - new, PROT_NONE) == 0);
	sim_cur = w;
	return sim_cur;
}

void *glue_mmap(size_t len)
{
	if (sim_mmap_fails)
		return NULL;
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	UT_ASSERT((uintptr_t)p % 4096 == 0);
	sim_mapped += len;
	return p;
}

void glue_munmap(void *addr, size_t len)
{
	UT_ASSERT((uintptr_t)addr % 4096 == 0 && len % 4096 == 0);
	UT_ASSERT(munmap(addr, len) == 0);
	sim_mapped -= len;
	UT_ASSERT(sim_mapped >= 0);
}

void *glue_mremap(void *addr, size_t old_len, size_t new_len)
{
	if (sim_mremap_fails)
		return NULL;
	void *p = mremap(addr, old_len, new_len, MREMAP_MAYMOVE);
	if (p == MAP_FAILED)
		return NULL;
	sim_mapped += (long)new_len - (long)old_len;
	return p;
}

/* The pages' region: real, not counted (it stays for the process). */
void *glue_reserve(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

void glue_discard(void *addr, size_t len)
{
	UT_ASSERT(madvise(addr, len, MADV_DONTNEED) == 0);
}

size_t glue_secret(void)
{
	return 0x5eed5eed12345678UL;
}

/* ---- Helpers ----------------------------------------------------------- */

static void check_heap(void)
{
	UT_ASSERT_EQ(heap_check(), 0);
}

static struct malloc_census census(void)
{
	struct malloc_census c;

	heap_census(&c);
	return c;
}

static unsigned char pattern(const void *p, size_t i)
{
	return (unsigned char)(((uintptr_t)p >> 4) * 31 + i * 7);
}

static void fill(void *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		((unsigned char *)p)[i] = pattern(p, i);
}

/* Checks the first n bytes of block p against the fill of block orig. */
static void check_fill(const void *p, const void *orig, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (((const unsigned char *)p)[i] != pattern(orig, i))
			unit_fail(__FILE__, __LINE__,
				  "byte %zu of block %p damaged", i, p);
}

/*
 * The cases that look at the chunk heap's own policy (coalescing, best
 * fit, trimming, its error checks) run with small blocks from the chunk
 * heap too; the others with the size-class pages. (Called with nothing
 * live: the calling thread's pages all go back.)
 */
static void use_pages(bool on)
{
	heap_trim();
	UT_ASSERT_EQ(census().pages, 0);
	heap.no_pages = !on;
}

/* Everything freed: nothing live, and after a trim nothing held. */
static void check_all_returned(void)
{
	struct malloc_census c = census();

	UT_ASSERT_EQ(c.live_blocks, 0);
	UT_ASSERT_EQ(c.live_bytes, 0);
	UT_ASSERT_EQ(c.large_blocks, 0);
	UT_ASSERT(c.pool_bytes - c.brk_bytes == 0);	/* no mmapped pool */
	/* Kept for reuse: a free top below the trim threshold, plus the
	 * pool's header and fence (threads can leave it just below). */
	UT_ASSERT(c.brk_bytes < heap.trim_threshold + POOL_HEADER + 4096);
	heap_trim();
	c = census();
	UT_ASSERT_EQ(c.pages, 0);
	UT_ASSERT_EQ(c.idle_page_bytes, 0);
	UT_ASSERT_EQ(c.pools, 0);
	UT_ASSERT_EQ(c.pool_bytes, 0);
	UT_ASSERT_EQ(c.free_chunks, 0);
	UT_ASSERT_EQ(sim_mapped, 0);
	UT_ASSERT(sim_cur == sim_start);
	check_heap();
}

/* ---- Cases --------------------------------------------------------------- */

static void test_sizes_and_alignment(void)
{
	void *ps[600];
	size_t n = 0;

	for (size_t size = 0; size < 600; size++) {
		void *p = heap_malloc(size);

		UT_ASSERT(p);
		UT_ASSERT((uintptr_t)p % 16 == 0);
		UT_ASSERT(heap_usable(p) >= size);
		UT_ASSERT(heap_usable(p) < size + 48);
		fill(p, size);
		ps[n++] = p;
	}
	check_heap();
	UT_ASSERT_EQ(census().live_blocks, 600);
	for (size_t i = 0; i < n; i++) {
		check_fill(ps[i], ps[i], i);
		heap_free(ps[i]);
	}
	heap_free(NULL);
	check_all_returned();
}

static void test_refuses_huge(void)
{
	UT_ASSERT(heap_malloc(SIZE_MAX) == NULL);
	UT_ASSERT(heap_malloc(REQUEST_MAX + 1) == NULL);
	UT_ASSERT(heap_memalign(64, SIZE_MAX - 8) == NULL);
	UT_ASSERT(heap_memalign(SIZE_MAX / 2 + 1, 16) == NULL);
	sim_mmap_fails = true;
	UT_ASSERT(heap_malloc(1UL << 30) == NULL);	/* large: mmap fails */
	sim_mmap_fails = false;
	void *p = heap_malloc(100);
	UT_ASSERT(heap_realloc(p, SIZE_MAX) == NULL);
	heap_free(p);			/* p survived the failed realloc */
	check_all_returned();
}

/* Frees one block of a table, checking its fill first. */
struct slot {
	void *p;
	void *orig;	/* the address its fill pattern was made for */
	size_t n;
};

static void slot_free(struct slot *s)
{
	check_fill(s->p, s->orig, s->n);
	heap_free(s->p);
	s->p = NULL;
}

static size_t random_size(void)
{
	switch (unit_rand_below(10)) {
	case 0: return unit_rand_below(300 * 1024);	/* some large */
	case 1: case 2: return unit_rand_below(8192);
	default: return unit_rand_below(256);
	}
}

static void random_step(struct slot *slots, size_t nslots)
{
	struct slot *s = &slots[unit_rand_below(nslots)];
	size_t n = random_size();

	if (s->p && unit_rand_below(3) == 0) {
		size_t keep = s->n < n ? s->n : n;
		void *q;

		check_fill(s->p, s->orig, s->n);
		q = heap_realloc(s->p, n ? n : 1);
		UT_ASSERT(q);
		check_fill(q, s->orig, keep);
		s->p = q;
		s->n = keep;
		return;
	}
	if (s->p) {
		slot_free(s);
		return;
	}
	size_t align = unit_rand_below(4) ? 0 : 16UL << unit_rand_below(9);
	s->p = align ? heap_memalign(align, n) : heap_malloc(n);
	UT_ASSERT(s->p);
	UT_ASSERT((uintptr_t)s->p % (align ? align : 16) == 0);
	UT_ASSERT(heap_usable(s->p) >= n);
	s->orig = s->p;
	s->n = n;
	fill(s->p, n);
}

static void random_run(size_t nslots, size_t steps)
{
	struct slot *slots = calloc(nslots, sizeof(*slots));

	for (size_t i = 0; i < steps; i++) {
		random_step(slots, nslots);
		check_heap();
	}
	for (size_t i = 0; i < nslots; i++)
		if (slots[i].p)
			slot_free(&slots[i]);
	free(slots);
	check_all_returned();
}

static void test_random(void)
{
	use_pages(true);
	random_run(200, 4000);
}

static void test_random_mmap_pools_only(void)
{
	sim_init();
	sim_limit = sim_start;		/* the break never moves */
	random_run(200, 3000);
}

static void test_random_without_mremap(void)
{
	sim_mremap_fails = true;	/* as on Basalt today */
	random_run(100, 2000);
}

static void test_coalescing(void)
{
	use_pages(false);
	void *a = heap_malloc(100), *b = heap_malloc(100);
	void *c = heap_malloc(100), *d = heap_malloc(100);
	size_t free_before = census().free_chunks;

	heap_free(b);
	UT_ASSERT_EQ(census().free_chunks, free_before + 1);
	heap_free(c);			/* merges with b */
	UT_ASSERT_EQ(census().free_chunks, free_before + 1);
	heap_free(a);			/* merges with b+c */
	UT_ASSERT_EQ(census().free_chunks, free_before + 1);
	check_heap();
	/* The merged hole is the best fit for three blocks' worth. */
	void *e = heap_malloc(3 * 100 + 2 * 16);
	UT_ASSERT(e == a);
	heap_free(e);
	heap_free(d);
	check_all_returned();
}

static void test_best_fit(void)
{
	use_pages(false);
	void *sep[4], *hole[3];
	size_t sizes[3] = { 2000, 1200, 5000 };

	for (int i = 0; i < 3; i++) {
		hole[i] = heap_malloc(sizes[i]);
		sep[i] = heap_malloc(16);
	}
	for (int i = 0; i < 3; i++)
		heap_free(hole[i]);
	UT_ASSERT(heap_malloc(1100) == hole[1]);	/* smallest that fits */
	UT_ASSERT(heap_malloc(1900) == hole[0]);
	UT_ASSERT(heap_malloc(4000) == hole[2]);
	check_heap();
	(void)sep;
}

static void test_realloc_in_place(void)
{
	use_pages(false);
	void *a = heap_malloc(100), *b = heap_malloc(1000);
	void *c = heap_malloc(100);

	fill(a, 100);
	heap_free(b);
	void *a2 = heap_realloc(a, 900);	/* grows into b's space */
	UT_ASSERT(a2 == a);
	check_fill(a2, a, 100);
	UT_ASSERT(heap_realloc(a2, 50) == a);	/* shrinks in place */
	check_fill(a, a, 50);
	check_heap();

	/* The last block of the brk heap grows by moving the break. */
	void *top = heap_malloc(2000);		/* bigger than every hole */
	char *brk_before = sim_cur;
	fill(top, 1000);
	UT_ASSERT(heap_realloc(top, 100000) == top);
	UT_ASSERT(heap_realloc(top, 120000) == top);
	check_fill(top, top, 1000);
	UT_ASSERT(heap_realloc(top, 3 * BRK_STEP) == top);
	UT_ASSERT(sim_cur > brk_before);
	check_heap();
	heap_free(top);
	heap_free(a);
	heap_free(c);
	check_all_returned();
}

static void test_large_blocks(void)
{
	use_pages(false);
	void *p = heap_malloc(MMAP_THRESHOLD_MIN);
	struct malloc_census c = census();

	UT_ASSERT_EQ(c.large_blocks, 1);
	UT_ASSERT(sim_mapped >= (long)MMAP_THRESHOLD_MIN);
	fill(p, MMAP_THRESHOLD_MIN);
	void *q = heap_realloc(p, 4 * MMAP_THRESHOLD_MIN);	/* mremap */
	UT_ASSERT(q);
	check_fill(q, p, MMAP_THRESHOLD_MIN);
	check_heap();
	heap_free(q);
	UT_ASSERT_EQ(sim_mapped, 0);
	UT_ASSERT_EQ(census().large_blocks, 0);
	/* The threshold rose: a block of the freed size now comes from a pool. */
	p = heap_malloc(2 * MMAP_THRESHOLD_MIN);
	UT_ASSERT_EQ(census().large_blocks, 0);
	heap_free(p);
	/* Aligned large blocks. */
	p = heap_memalign(1 << 16, 40UL << 20);
	UT_ASSERT((uintptr_t)p % (1 << 16) == 0);
	UT_ASSERT_EQ(census().large_blocks, 1);
	check_heap();
	heap_free(p);
	check_all_returned();
}

static void test_brk_trims_itself(void)
{
	use_pages(false);
	void *ps[2000];

	sim_init();
	char *start = sim_cur;
	for (int i = 0; i < 2000; i++)
		ps[i] = heap_malloc(500);	/* about 1 MiB */
	UT_ASSERT(sim_cur > start + (1 << 20));
	UT_ASSERT_EQ(sim_mapped, 0);	/* all of it from the break */
	for (int i = 0; i < 2000; i++)
		heap_free(ps[i]);
	/* The free top went back, all but TOP_KEEP (and page rounding). */
	UT_ASSERT(sim_cur <= start + TOP_KEEP + 2 * 4096 + POOL_HEADER);
	check_all_returned();
}

static void test_break_moved_behind_our_back(void)
{
	use_pages(false);
	void *a = heap_malloc(100);

	/* Someone else calls sbrk: the heap may not grow over their memory. */
	char *theirs = glue_brk(0);
	glue_brk(theirs + 8192);
	void *b = heap_malloc(100000), *b2 = heap_malloc(100000);
	UT_ASSERT(b && b2);
	heap_free(b);
	b = b2;					/* needed new memory */
	UT_ASSERT((char *)b < theirs || (char *)b >= theirs + 8192);
	UT_ASSERT(census().pools == 2);
	check_heap();
	heap_free(b);
	UT_ASSERT(census().pools == 1);		/* the mmapped pool went */
	heap_free(a);
	UT_ASSERT(glue_brk(0) == theirs + 8192);	/* left alone */
	check_heap();
}

/* Runs fn in a child that must die of SIGABRT saying want on stderr. */
static void expect_crash(void (*fn)(void), const char *want)
{
	int fds[2];
	char out[512] = "";

	UT_ASSERT(pipe(fds) == 0);
	pid_t pid = fork();
	UT_ASSERT(pid >= 0);
	if (pid == 0) {
		dup2(fds[1], 2);
		fn();
		_exit(0);
	}
	close(fds[1]);
	ssize_t n = read(fds[0], out, sizeof(out) - 1);
	out[n > 0 ? n : 0] = '\0';
	close(fds[0]);
	int status;
	UT_ASSERT(waitpid(pid, &status, 0) == pid);
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGABRT ||
	    !strstr(out, want))
		unit_fail(__FILE__, __LINE__, "want SIGABRT and \"%s\"; got "
			  "status %#x, stderr \"%s\"", want, status, out);
}

static void double_free(void)
{
	void *p = heap_malloc(40), *guard = heap_malloc(40);

	heap_free(p);
	heap_free(p);
	(void)guard;
}

static void double_free_merged(void)
{
	void *p = heap_malloc(40), *q = heap_malloc(40);

	heap_free(p);
	heap_free(q);		/* q merges into p */
	heap_free(q);
}

static void free_interior(void)
{
	char *p = heap_malloc(200);

	heap_free(p + 64);
}

static void free_misaligned(void)
{
	char *p = heap_malloc(200);

	heap_free(p + 8);
}

static void overflow_then_free(void)
{
	char *p = heap_malloc(24), *q = heap_malloc(24);

	memset(p, 'x', 24 + 16 + 8);	/* runs over q's header */
	heap_free(p);
	/* A cached block's neighbour is checked when it leaves the cache. */
	heap_trim();
	(void)q;
}

static void corrupt_free_list(void)
{
	void *p = heap_malloc(100), *guard = heap_malloc(100);

	heap_free(p);
	/* A wrong but readable link: to guard, whose back link is not p. */
	((struct chunk *)payload_chunk(p))->next = payload_chunk(guard);
	heap_free(guard);	/* coalescing unlinks p: links checked */
}

static void free_large_twice(void)
{
	void *p = heap_malloc(1 << 20);

	heap_free(p);
	heap_free(p);		/* unmapped: the read faults */
}

/* A block freed twice: its bit in the page's bitmap is clear. */
static void double_free_page(void)
{
	use_pages(true);
	void *p = heap_malloc(40), *guard = heap_malloc(40);

	heap_free(p);
	heap_free(p);
	(void)guard;
}

/* A write after free over a free block's link is found at malloc. */
static void use_after_free_page(void)
{
	use_pages(true);
	void *p = heap_malloc(40), *q = heap_malloc(40);

	heap_free(q);
	heap_free(p);
	*(void **)p = (char *)q + 64;	/* the link now leads mid-block */
	heap_malloc(40);		/* p again */
	heap_malloc(40);		/* the bad link */
}

static void free_page_interior(void)
{
	use_pages(true);
	char *p = heap_malloc(40);

	heap_free(p + 16);
}

static void free_page_never_given(void)
{
	use_pages(true);
	char *p = heap_malloc(40);

	heap_free(p + 48 * 200);	/* a block of the page not carved yet */
}

static void usable_size_of_freed_page_block(void)
{
	use_pages(true);
	void *p = heap_malloc(40), *guard = heap_malloc(40);

	heap_free(p);
	heap_usable(p);
	(void)guard;
}

static void *free_twice_remotely(void *p)
{
	heap_free(p);
	heap_free(p);		/* its bit is still set: found by the owner */
	return NULL;
}

/* Another thread frees a block twice; the owner finds it when it takes
 * the remote frees back (here through malloc_trim). */
static void double_free_remote(void)
{
	use_pages(true);
	void *p = heap_malloc(40), *guard = heap_malloc(40);
	pthread_t t;

	pthread_create(&t, NULL, free_twice_remotely, p);
	pthread_join(t, NULL);
	heap_trim();
	(void)guard;
}

static void test_loud_errors_with_pages(void)
{
	expect_crash(double_free_page, "free: double free");
	expect_crash(use_after_free_page, "malloc: corrupted free list");
	expect_crash(free_page_interior,
		     "free: invalid pointer (not the start of a block)");
	expect_crash(free_page_never_given,
		     "free: invalid pointer (never handed out)");
	expect_crash(free_misaligned, "free: invalid pointer (misaligned)");
	expect_crash(usable_size_of_freed_page_block,
		     "malloc_usable_size: double free");
	expect_crash(double_free_remote, "free: double free");
}

static void test_loud_errors(void)
{
	use_pages(false);
	expect_crash(double_free, "free: double free");
	expect_crash(double_free_merged, "free: double free");
	expect_crash(free_interior, "free: invalid pointer");
	expect_crash(free_misaligned, "free: invalid pointer (misaligned)");
	expect_crash(overflow_then_free, "free: corrupted header after");
	expect_crash(corrupt_free_list, "corrupted free list");
}

static void test_large_double_free_faults(void)
{
	/* The mapping is gone: reading its header is a segfault, not a lie. */
	pid_t pid = fork();

	if (pid == 0) {
		signal(SIGSEGV, SIG_DFL);
		free_large_twice();
		_exit(0);
	}
	int status;
	UT_ASSERT(waitpid(pid, &status, 0) == pid);
	UT_ASSERT(WIFSIGNALED(status));
}

static void test_check_finds_damage(void)
{
	use_pages(false);
	char *p = heap_malloc(64), *q = heap_malloc(64);

	check_heap();
	q[-16 + 8] ^= 0x40;		/* flip a size bit in q's header */
	UT_ASSERT_EQ(heap_check(), -1);
	q[-16 + 8] ^= 0x40;
	check_heap();
	heap_free(p);
	struct chunk *c = payload_chunk(p);
	struct chunk *saved = c->next;
	c->next = c;			/* a loop in a bin */
	UT_ASSERT_EQ(heap_check(), -1);
	c->next = saved;
	check_heap();
	heap_free(q);
	check_all_returned();
}

/* ---- The size-class pages ------------------------------------------------ */

static void test_page_counts(void)
{
	use_pages(true);
	void *p[100];

	for (int i = 0; i < 100; i++)
		p[i] = heap_malloc(48);
	struct malloc_census c = census();
	UT_ASSERT_EQ(c.live_blocks, 100);
	UT_ASSERT_EQ(c.live_bytes, 100 * 48);
	UT_ASSERT_EQ(c.pages, 1);
	check_heap();
	for (int i = 0; i < 100; i++)
		heap_free(p[i]);
	c = census();
	UT_ASSERT_EQ(c.live_blocks, 0);
	/* Kept for the next malloc: the 100, and the rest of the last
	 * batch carved (the blocks in the same 4 KiB). */
	UT_ASSERT_EQ(c.cached_blocks, page_of(p[0])->carved);
	UT_ASSERT(c.cached_blocks >= 100 && c.cached_blocks < 100 + 4096 / 48);
	check_heap();
	/* A block marked in use that is on the free list is found. */
	struct page *pg = page_of(p[99]);
	pg->bits[0] ^= 1;
	UT_ASSERT_EQ(heap_check(), -1);
	pg->bits[0] ^= 1;
	/* So is a free-list link into the middle of a block. */
	void *saved = *(void **)pg->free;
	*(char **)pg->free = (char *)p[5] + 16;
	UT_ASSERT_EQ(heap_check(), -1);
	*(void **)pg->free = saved;
	check_heap();
	check_all_returned();
}

/* The class a request must get: a multiple of 16 up to 1 KiB, then
 * steps of an eighth of the power of two below. */
static size_t want_class(size_t n)
{
	size_t step = 16;

	if (n > 1024)
		step = (1UL << (63 - __builtin_clzl(n - 1))) / 8;
	return n <= 16 ? 16 : (n + step - 1) / step * step;
}

/* Every request gets the smallest class that holds it. */
static void test_page_classes(void)
{
	use_pages(true);
	for (size_t n = 0; n <= SMALL_MAX; n++) {
		void *p = heap_malloc(n);
		size_t want = want_class(n);

		UT_ASSERT(page_block(p));
		UT_ASSERT_EQ(heap_usable(p), want);
		heap_free(p);
	}
	void *p = heap_malloc(SMALL_MAX + 1);	/* above: a chunk */
	UT_ASSERT(!page_block(p));
	heap_free(p);
	check_all_returned();
}

/* A request whose class has no free block takes a free block of a class
 * at most a quarter bigger before it carves or takes a page of its own;
 * memalign takes its own class, whose blocks the alignment divides. */
static void test_page_borrow(void)
{
	use_pages(true);
	void *big[4];

	for (int i = 0; i < 4; i++)
		big[i] = heap_malloc(608);
	struct page *pb = page_of(big[0]);
	heap_free(big[1]);
	void *p = heap_malloc(512);	/* 608 <= 512 + 128 */
	UT_ASSERT(page_of(p) == pb);
	UT_ASSERT_EQ(heap_usable(p), 608);
	UT_ASSERT_EQ(census().pages, 1);
	void *q = heap_malloc(400);	/* 608 is too big for it */
	UT_ASSERT(page_of(q) != pb);
	UT_ASSERT_EQ(heap_usable(q), 400);
	void *a = heap_memalign(512, 512);
	UT_ASSERT_EQ((uintptr_t)a % 512, 0);
	UT_ASSERT_EQ(heap_usable(a), 512);
	UT_ASSERT_EQ(census().pages, 3);
	check_heap();
	heap_free(p);
	heap_free(q);
	heap_free(a);
	heap_free(big[0]);
	heap_free(big[2]);
	heap_free(big[3]);
	check_all_returned();
}

/* A page that empties goes back to the pool keeping its memory, and the
 * next page its class needs is that one, though another class's idle
 * page is lower (that class's memory is what this one touches). */
static void test_idle_page_back_to_its_class(void)
{
	use_pages(true);
	void *a[33], *b[65];

	for (int i = 0; i < 33; i++)		/* 32 blocks a page */
		a[i] = heap_malloc(4096);
	for (int i = 0; i < 65; i++)		/* 64 blocks a page */
		b[i] = heap_malloc(2048);
	struct page *pa = page_of(a[0]), *pb = page_of(b[0]);
	UT_ASSERT(page_of(a[32]) != pa && page_of(b[64]) != pb && pa < pb);
	for (int i = 0; i < 32; i++)
		heap_free(a[i]);
	for (int i = 0; i < 64; i++)
		heap_free(b[i]);
	UT_ASSERT(pa->state == PG_FREE && pa->resident);
	UT_ASSERT(pb->state == PG_FREE && pb->resident);
	UT_ASSERT_EQ(census().idle_page_bytes, 2 * PAGE_SPAN);
	for (int i = 0; i < 64; i++)		/* 63 fit the page in use */
		b[i] = heap_malloc(2048);
	UT_ASSERT(page_of(b[63]) == pb);
	UT_ASSERT(pa->state == PG_FREE);
	check_heap();
	for (int i = 0; i < 65; i++)
		heap_free(b[i]);
	heap_free(a[32]);
	check_all_returned();
}

static void *free_all(void *arg)
{
	void **blocks = arg;

	for (int i = 0; i < 100; i++)
		heap_free(blocks[i]);		/* another thread's blocks */
	return NULL;
}

/* Blocks freed by another thread wait on their page's remote list until
 * the owner runs out and takes them back. */
static void test_remote_free(void)
{
	use_pages(true);
	void *blocks[100], *again[100];
	pthread_t t;

	for (int i = 0; i < 100; i++)
		blocks[i] = heap_malloc(64);
	struct page *pg = page_of(blocks[0]);
	UT_ASSERT(pthread_create(&t, NULL, free_all, blocks) == 0);
	UT_ASSERT(pthread_join(t, NULL) == 0);
	UT_ASSERT(pg->remote != NULL);
	UT_ASSERT_EQ(pg->used, 100);		/* not taken back yet */
	UT_ASSERT_EQ(census().live_blocks, 0);
	check_heap();
	/* The free list is empty: the remote blocks come back, before any
	 * untouched block is carved. */
	size_t carved = pg->carved;
	for (int i = 0; i < 100; i++)
		again[i] = heap_malloc(64);
	UT_ASSERT(pg->remote == NULL);
	UT_ASSERT_EQ(pg->carved, carved);
	check_heap();
	for (int i = 0; i < 100; i++)
		heap_free(again[i]);
	/* Filling the page takes them back: every block of it is used. */
	size_t n = pg->nblocks;
	void **all = calloc(n, sizeof(void *));
	for (size_t i = 0; i < n; i++) {
		all[i] = heap_malloc(64);
		UT_ASSERT(page_of(all[i]) == pg);
	}
	UT_ASSERT(pg->remote == NULL);
	UT_ASSERT_EQ(pg->used, n);
	check_heap();
	for (size_t i = 0; i < n; i++)
		heap_free(all[i]);
	free(all);
	check_all_returned();
}

static void *keep_blocks(void *arg)
{
	void **blocks = arg;

	for (int i = 0; i < 50; i++)
		blocks[i] = heap_malloc(200);
	for (int i = 0; i < 50; i += 2)
		heap_free(blocks[i]);
	return NULL;
}

/* A thread ends with blocks in use: its page is abandoned, still takes
 * remote frees, and the next thread short of a page of its class adopts
 * it. */
static void test_abandoned_page_adopted(void)
{
	use_pages(true);
	void *blocks[50];
	pthread_t t;

	UT_ASSERT(pthread_create(&t, NULL, keep_blocks, blocks) == 0);
	UT_ASSERT(pthread_join(t, NULL) == 0);
	struct page *pg = page_of(blocks[1]);
	unsigned cls = pg->cls;
	UT_ASSERT_EQ(pg->state, PG_ABANDONED);
	UT_ASSERT(heap.abandoned[cls] == pg);
	UT_ASSERT_EQ(census().live_blocks, 25);
	check_heap();
	heap_free(blocks[1]);			/* remote: nobody owns it */
	UT_ASSERT(pg->remote != NULL);
	check_heap();
	void *p = heap_malloc(200);		/* adopted, not a new page */
	UT_ASSERT(page_of(p) == pg);
	UT_ASSERT(pg->owner == &theap && pg->state == PG_OWNED);
	UT_ASSERT(heap.abandoned[cls] == NULL);
	UT_ASSERT_EQ(census().pages, 1);
	check_heap();
	heap_free(p);
	for (int i = 3; i < 50; i += 2)
		heap_free(blocks[i]);		/* ours now: local frees */
	check_heap();
	check_all_returned();
}

/* malloc_trim gives empty pages' memory back to the kernel. */
static void test_page_trim(void)
{
	use_pages(true);
	enum { N = 4000 };
	void **p = calloc(N, sizeof(void *));
	unsigned char vec[16];

	for (int i = 0; i < N; i++) {
		p[i] = heap_malloc(1000);
		memset(p[i], 1, 1000);
	}
	struct page *pg = page_of(p[N / 2]);
	char *data = page_data(pg);
	UT_ASSERT(census().pages > 20);
	for (int i = 0; i < N; i++)
		heap_free(p[i]);
	free(p);
	UT_ASSERT(census().idle_page_bytes > 0);	/* kept, resident */
	UT_ASSERT(mincore(data, 4096, vec) == 0 && (vec[0] & 1));
	UT_ASSERT_EQ(heap_trim(), 1);
	struct malloc_census c = census();
	UT_ASSERT_EQ(c.pages, 0);
	UT_ASSERT_EQ(c.idle_page_bytes, 0);
	UT_ASSERT(mincore(data, 4096, vec) == 0 && !(vec[0] & 1));
	check_heap();
	/* The page's blocks read as zeros again: calloc clears only the
	 * free-list link of a block carved onto the list, and a block that
	 * was handed out before in full. */
	unsigned char *q[40];
	for (int k = 0; k < 40; k++) {
		q[k] = heap_calloc(k < 20 ? 100 : 1000);
		UT_ASSERT(page_block(q[k]));
		for (int i = 0; i < (k < 20 ? 100 : 1000); i++)
			UT_ASSERT_EQ(q[k][i], 0);
		memset(q[k], 0xee, k < 20 ? 100 : 1000);
	}
	for (int k = 0; k < 40; k++)
		heap_free(q[k]);
	for (int k = 0; k < 40; k++) {
		q[k] = heap_calloc(k < 20 ? 100 : 1000);	/* handed out before */
		for (int i = 0; i < (k < 20 ? 100 : 1000); i++)
			UT_ASSERT_EQ(q[k][i], 0);
	}
	for (int k = 0; k < 40; k++)
		heap_free(q[k]);
	check_all_returned();
}

static void test_page_calloc_and_memalign(void)
{
	use_pages(true);
	unsigned char *p = heap_malloc(300);

	memset(p, 0xab, 300);
	heap_free(p);
	unsigned char *q = heap_calloc(300);	/* the same block, cleared */
	UT_ASSERT(q == p);
	for (int i = 0; i < 300; i++)
		UT_ASSERT_EQ(q[i], 0);
	heap_free(q);
	for (size_t align = 32; align <= 8192; align *= 2) {
		void *a = heap_memalign(align, 100);

		UT_ASSERT((uintptr_t)a % align == 0);
		UT_ASSERT(page_block(a) == (align <= 4096));
		UT_ASSERT(heap_usable(a) >= 100);
		heap_free(a);
	}
	check_all_returned();
}

/* realloc moves with headroom, so the next steps grow in place. */
static void test_realloc_headroom(void)
{
	use_pages(true);
	void *guard = NULL, *p = heap_malloc(1000);
	int moves = 0;

	for (size_t n = 1000; n <= 20000; n += 100) {
		guard = heap_malloc(16);	/* the block cannot grow into it */
		void *q = heap_realloc(p, n);
		moves += q != p;
		p = q;
		heap_free(guard);
	}
	UT_ASSERT(moves < 20);		/* 190 steps */
	check_heap();
	heap_free(p);
	check_all_returned();
}

/* A page block stays in place while its class fits; else it moves. */
static void test_page_realloc(void)
{
	use_pages(true);
	char *p = heap_malloc(100);

	fill(p, 100);
	UT_ASSERT(heap_realloc(p, 112) == p);	/* same class */
	UT_ASSERT(heap_realloc(p, 60) == p);	/* over half of it */
	char *q = heap_realloc(p, 20);		/* a smaller class */
	UT_ASSERT(q != p);
	check_fill(q, p, 20);
	char *r = heap_realloc(q, 3000);
	UT_ASSERT(r != q && page_block(r));
	check_fill(r, p, 20);
	char *s = heap_realloc(r, 70000);	/* a chunk now */
	UT_ASSERT(!page_block(s));
	check_fill(s, p, 20);
	heap_free(s);
	check_heap();
	check_all_returned();
}

static volatile bool churn_stop;

static void *churn(void *arg)
{
	uint64_t rng = (uintptr_t)arg * 0x9e3779b97f4a7c15ULL + 1;
	void *mine[64] = { 0 };

	while (!churn_stop) {
		rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
		unsigned k = rng % 64;

		heap_free(mine[k]);
		mine[k] = heap_malloc((rng >> 8) % 3000);
	}
	for (int k = 0; k < 64; k++)
		heap_free(mine[k]);
	return NULL;
}

/* fork while other threads allocate and free from their pages: the
 * child's heap is sound, and their pages are its to adopt. */
static void test_fork_while_threads_hold_pages(void)
{
	use_pages(true);
	pthread_t t[3];

	churn_stop = false;
	for (long i = 0; i < 3; i++)
		UT_ASSERT(pthread_create(&t[i], NULL, churn, (void *)i) == 0);
	for (int i = 0; i < 20; i++) {
		__basalt_malloc_fork(FORK_PREPARE);
		pid_t pid = fork();
		if (pid == 0) {
			__basalt_malloc_fork(FORK_CHILD);
			void *ps[500];
			int bad = heap_check() != 0;

			for (int k = 0; k < 500; k++)
				ps[k] = heap_malloc(k * 5);
			for (int k = 0; k < 500; k++)
				heap_free(ps[k]);
			bad |= heap_check() != 0;
			_exit(bad);
		}
		__basalt_malloc_fork(FORK_PARENT);
		int status;
		UT_ASSERT(waitpid(pid, &status, 0) == pid);
		UT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	churn_stop = true;
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	check_heap();
	check_all_returned();
}

/* ---- Threads -------------------------------------------------------------- */

#define THREADS		4
#define RING		64

/* Blocks handed from thread i to thread (i + 1) % THREADS. */
static struct ring {
	pthread_mutex_t lock;
	void *items[RING];
	int count;
} rings[THREADS];

static void *thread_body(void *arg)
{
	int me = (int)(intptr_t)arg;
	uint64_t rng = 0x9e3779b97f4a7c15ULL * (me + 1);
	struct ring *out = &rings[(me + 1) % THREADS], *in = &rings[me];
	void *mine[32] = { 0 };

	for (int step = 0; step < 20000; step++) {
		rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
		int k = rng % 32;
		size_t n = (rng >> 8) % 2000;

		if (mine[k]) {
			/* Give it to the next thread (it frees it), or free it. */
			pthread_mutex_lock(&out->lock);
			if (out->count < RING) {
				out->items[out->count++] = mine[k];
				mine[k] = NULL;
			}
			pthread_mutex_unlock(&out->lock);
			heap_free(mine[k]);
			mine[k] = NULL;
		} else {
			mine[k] = heap_malloc(n);
			memset(mine[k], me, n);
		}
		pthread_mutex_lock(&in->lock);
		while (in->count)
			heap_free(in->items[--in->count]);
		pthread_mutex_unlock(&in->lock);
	}
	for (int k = 0; k < 32; k++)
		heap_free(mine[k]);
	return NULL;
}

static void test_threads(void)
{
	pthread_t t[THREADS];

	use_pages(true);
	for (int i = 0; i < THREADS; i++)
		pthread_mutex_init(&rings[i].lock, NULL);
	for (int i = 0; i < THREADS; i++)
		UT_ASSERT(pthread_create(&t[i], NULL, thread_body,
					 (void *)(intptr_t)i) == 0);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < THREADS; i++)
		while (rings[i].count)
			heap_free(rings[i].items[--rings[i].count]);
	check_heap();
	check_all_returned();
}

UNIT_MAIN(UNIT_CASE(test_sizes_and_alignment), UNIT_CASE(test_refuses_huge),
	  UNIT_CASE(test_random), UNIT_CASE(test_random_mmap_pools_only),
	  UNIT_CASE(test_random_without_mremap), UNIT_CASE(test_coalescing),
	  UNIT_CASE(test_best_fit), UNIT_CASE(test_realloc_in_place),
	  UNIT_CASE(test_large_blocks), UNIT_CASE(test_brk_trims_itself),
	  UNIT_CASE(test_break_moved_behind_our_back),
	  UNIT_CASE(test_loud_errors), UNIT_CASE(test_large_double_free_faults),
	  UNIT_CASE(test_check_finds_damage), UNIT_CASE(test_threads),
	  UNIT_CASE(test_loud_errors_with_pages), UNIT_CASE(test_page_counts),
	  UNIT_CASE(test_page_classes), UNIT_CASE(test_page_borrow),
	  UNIT_CASE(test_idle_page_back_to_its_class), UNIT_CASE(test_remote_free),
	  UNIT_CASE(test_abandoned_page_adopted), UNIT_CASE(test_page_trim),
	  UNIT_CASE(test_page_calloc_and_memalign),
	  UNIT_CASE(test_realloc_headroom), UNIT_CASE(test_page_realloc),
	  UNIT_CASE(test_fork_while_threads_hold_pages))
