/*
 * check.c - malloc_check and malloc_census: the allocator examined from
 * outside, for tests.
 *
 * The check walks every pool chunk by chunk, every bin, and every large
 * block, and compares what it finds with the counters. The invariants:
 *   - every header's check bits are right; sizes are multiples of 16 and
 *     at least CHUNK_MIN; each chunk's prev_size is the size of the chunk
 *     before it (0 for the first); each pool ends with its fence exactly
 *     at its end; the brk heap ends at the program break;
 *   - no two free chunks are neighbours; no mmapped pool is wholly free;
 *   - every free chunk is linked into the bin its size selects, bins are
 *     well-formed lists, sorted in the shared bins, and hold only free
 *     chunks inside pools; the bitmap marks exactly the non-empty bins;
 *     as many chunks are free in the pools as are filed in the bins;
 *   - large blocks are well linked and flagged;
 *   - live blocks and bytes, pool and large counts and bytes agree with
 *     the counters the allocator keeps;
 *   - and the size-class pages (page_check.c).
 */
#include "heap.h"

struct tally {
	size_t free_chunks, free_bytes;
	size_t live_blocks, live_bytes;
	size_t pools, pool_bytes;
};

bool pool_holds(const struct chunk *c)
{
	for (struct pool *p = heap.pools; p; p = p->next)
		if ((char *)c >= (char *)pool_first(p) &&
		    (char *)c < (char *)pool_fence(p))
			return true;
	return false;
}

/* A free chunk found in a pool must be linked where its bin says. */
static bool linked(const struct chunk *c)
{
	unsigned i = bin_index(chunk_size(c));

	return (c->prev ? c->prev->next == c : heap.bins[i] == c) &&
	       (!c->next || c->next->prev == c);
}

static int check_chunk(const struct chunk *c, size_t prev_size,
		       bool prev_free, struct tally *t)
{
	size_t size = chunk_size(c);

	if (!chunk_valid(c))
		return heap_report("bad chunk header", c);
	if (c->prev_size != prev_size)
		return heap_report("prev_size differs from the previous chunk",
				   c);
	if (size < CHUNK_MIN || size % CHUNK_ALIGN ||
	    (c->head & (C_LARGE | C_FENCE)))
		return heap_report("bad chunk size or flags", c);
	if (chunk_inuse(c)) {
		t->live_blocks++;
		t->live_bytes += size - CHUNK_HEADER;
		return 0;
	}
	if (prev_free)
		return heap_report("two free chunks side by side", c);
	if (!linked(c))
		return heap_report("free chunk not linked in its bin", c);
	t->free_chunks++;
	return 0;
}

static int check_pool(const struct pool *p, struct tally *t)
{
	if (p->magic != POOL_MAGIC)
		return heap_report("bad pool magic", p);
	if ((p->kind == POOL_BRK) != (p == heap.brk_pool) ||
	    (p->kind != POOL_BRK && p->kind != POOL_MMAP))
		return heap_report("bad pool kind", p);
	if (((uintptr_t)p + p->size) % GLUE_PAGE)
		return heap_report("pool does not end on a page", p);
	if (p == heap.brk_pool && !heap.brk_broken &&
	    glue_brk(0) != (char *)p + p->size)
		return heap_report("the brk heap does not end at the break", p);

	const struct chunk *c = pool_first(p), *fence = pool_fence(p);
	size_t prev_size = 0, chunks = 0;
	bool prev_free = false;

	while (c < fence) {
		if (check_chunk(c, prev_size, prev_free, t))
			return -1;
		prev_size = chunk_size(c);
		prev_free = !chunk_inuse(c);
		chunks++;
		c = chunk_next(c);
	}
	if (c != fence || !chunk_valid(fence) ||
	    (fence->head & ~(~0UL << C_CHECK_SHIFT)) !=
		    (CHUNK_HEADER | C_INUSE | C_FENCE) ||
	    fence->prev_size != prev_size)
		return heap_report("bad pool fence", fence);
	if (p->kind == POOL_MMAP && chunks == 1 && prev_free)
		return heap_report("wholly free mmapped pool kept", p);
	t->pools++;
	t->pool_bytes += p->size;
	return 0;
}

static int check_bins(size_t *filed)
{
	for (unsigned i = 0; i < NBINS; i++) {
		bool marked = heap.binmap[i / 64] & (1ULL << (i % 64));
		const struct chunk *prev = NULL;

		bool summed = heap.binsum[i / 4096] & (1ULL << (i / 64 % 64));

		if (marked != (heap.bins[i] != NULL) ||
		    summed != (heap.binmap[i / 64] != 0))
			return heap_report("bin bitmap disagrees with bin",
					   heap.bins[i]);
		for (const struct chunk *c = heap.bins[i]; c; c = c->next) {
			if (!chunk_valid(c) || chunk_inuse(c) ||
			    bin_index(chunk_size(c)) != i)
				return heap_report("bad chunk in bin", c);
			if (c->prev != prev)
				return heap_report("bad bin back link", c);
			if (i >= EXACT_BINS && prev &&
			    chunk_size(prev) > chunk_size(c))
				return heap_report("bin out of order", c);
			if (!pool_holds(c))
				return heap_report("binned chunk outside pools",
						   c);
			if (++*filed > heap.pool_bytes / CHUNK_MIN)
				return heap_report("bin list loops", c);
			prev = c;
		}
	}
	return 0;
}

static int check_large(struct tally *t)
{
	size_t count = 0, bytes = 0;
	const struct large *prev = NULL;

	for (const struct large *l = heap.large; l; l = l->next) {
		const struct chunk *c = (const struct chunk *)(l + 1);

		if (l->prev != prev || (char *)l < (char *)l->base ||
		    !chunk_valid(c) ||
		    (c->head & C_FLAGS) != (C_INUSE | C_LARGE) ||
		    (char *)c + chunk_size(c) != (char *)l->base + l->map_size)
			return heap_report("bad large block", c);
		if (++count > heap.large_count)
			return heap_report("large list too long", c);
		bytes += l->map_size;
		t->live_blocks++;
		t->live_bytes += chunk_size(c) - CHUNK_HEADER;
		prev = l;
	}
	if (count != heap.large_count || bytes != heap.large_bytes)
		return heap_report("large counts disagree", NULL);
	return 0;
}

static int check_all(void)
{
	struct tally t = { 0 };
	size_t filed = 0;

	for (const struct pool *p = heap.pools; p; p = p->next)
		if (check_pool(p, &t))
			return -1;
	if (check_bins(&filed) || check_large(&t) || small_check())
		return -1;
	if (filed != t.free_chunks)
		return heap_report("bins hold a chunk the pools do not", NULL);
	if (t.pools != heap.pool_count || t.pool_bytes != heap.pool_bytes)
		return heap_report("pool counts disagree", NULL);
	if (t.live_blocks != heap.live_blocks ||
	    t.live_bytes != heap.live_bytes)
		return heap_report("live counts disagree", NULL);
	return 0;
}

int heap_check(void)
{
	heap_lock();
	int r = check_all();
	heap_unlock();
	return r;
}

void heap_census(struct malloc_census *out)
{
	heap_lock();
	*out = (struct malloc_census){
		.live_blocks = heap.live_blocks,
		.live_bytes = heap.live_bytes,
		.pools = heap.pool_count,
		.pool_bytes = heap.pool_bytes,
		.brk_bytes = heap.brk_pool ? heap.brk_pool->size : 0,
		.large_blocks = heap.large_count,
		.large_bytes = heap.large_bytes,
	};
	for (unsigned i = 0; i < NBINS; i++)
		for (const struct chunk *c = heap.bins[i]; c; c = c->next) {
			out->free_chunks++;
			out->free_bytes += chunk_size(c);
		}
	small_census(out);
	heap_unlock();
}
