/*
 * pool.c - memory from the kernel and back: the brk heap, mmapped pools,
 * and trimming.
 *
 * The brk heap is one pool that starts at the program break and grows
 * with it, at least BRK_STEP at a time. When the break cannot move (the
 * kernel refuses, or someone else moved it behind our back), further
 * pools are mmapped, at least MMAP_POOL_SIZE each. An mmapped pool that
 * becomes entirely free is unmapped at once; the brk heap gives back its
 * free top once that passes the trim threshold (TRIM_THRESHOLD, raised
 * with the mmap threshold, see large.c), keeping TOP_KEEP so that a
 * program freeing and allocating in a loop does not call brk every time.
 * malloc_trim(0) gives back even that.
 */
#include "heap.h"

static void pool_link(struct pool *p, size_t size, unsigned kind)
{
	p->magic = POOL_MAGIC;
	p->size = size;
	p->kind = kind;
	p->prev = NULL;
	p->next = heap.pools;
	if (p->next)
		p->next->prev = p;
	heap.pools = p;
	heap.pool_count++;
	heap.pool_bytes += size;
}

static void pool_unlink(struct pool *p)
{
	if (p->prev)
		p->prev->next = p->next;
	else
		heap.pools = p->next;
	if (p->next)
		p->next->prev = p->prev;
	heap.pool_count--;
	heap.pool_bytes -= p->size;
}

/* Closes a pool at fence f, whose last chunk has last_size bytes. */
static void fence_set(struct chunk *f, size_t last_size)
{
	f->prev_size = last_size;
	chunk_set(f, CHUNK_HEADER, C_INUSE | C_FENCE);
}

/* Makes [c, end - CHUNK_HEADER) one free chunk and closes the pool at end. */
static struct chunk *pool_span(struct chunk *c, size_t prev_size, char *end)
{
	size_t size = (size_t)(end - CHUNK_HEADER - (char *)c);

	c->prev_size = prev_size;
	chunk_set(c, size, 0);
	fence_set(chunk_next(c), size);
	return c;
}

/* Is the break still where the brk heap ends? */
static bool brk_intact(void)
{
	struct pool *p = heap.brk_pool;

	if (!heap.brk_broken && (char *)glue_brk(0) != (char *)p + p->size)
		heap.brk_broken = true;
	return !heap.brk_broken;
}

/* Starts the brk heap at the current break, with room for size. */
static struct chunk *brk_start(size_t size)
{
	char *start = (char *)align_up((uintptr_t)glue_brk(0), CHUNK_ALIGN);
	char *end = (char *)align_up((uintptr_t)start + POOL_HEADER + size +
				     CHUNK_HEADER, GLUE_PAGE);

	if (glue_brk(end) != end)
		return NULL;
	struct pool *p = (struct pool *)start;
	pool_link(p, end - start, POOL_BRK);
	heap.brk_pool = p;
	return pool_span(pool_first(p), 0, end);
}

/*
 * Grows the brk heap so that its last chunk is free and at least size
 * bytes, and returns that chunk (out of its bin). NULL if the break
 * cannot move.
 */
struct chunk *brk_extend(size_t size)
{
	struct pool *p = heap.brk_pool;

	if (size < BRK_STEP)
		size = BRK_STEP;
	if (!p)
		return heap.brk_broken ? NULL : brk_start(size);
	if (!brk_intact())
		return NULL;

	char *old_end = (char *)p + p->size;
	struct chunk *fence = pool_fence(p);
	struct chunk *last = fence->prev_size ? chunk_prev(fence) : NULL;
	char *end = (char *)align_up((uintptr_t)old_end + size, GLUE_PAGE);

	if (glue_brk(end) != end)
		return NULL;
	heap.pool_bytes += end - old_end;
	p->size += end - old_end;
	if (last && !chunk_inuse(last)) {
		bin_remove(last);
		return pool_span(last, last->prev_size, end);
	}
	/* The old fence's header becomes the new chunk's. */
	return pool_span(fence, fence->prev_size, end);
}

static struct chunk *mmap_pool(size_t size)
{
	size_t len = align_up(POOL_HEADER + size + CHUNK_HEADER, GLUE_PAGE);

	if (len < MMAP_POOL_SIZE)
		len = MMAP_POOL_SIZE;
	struct pool *p = glue_mmap(len);
	if (!p)
		return NULL;
	pool_link(p, len, POOL_MMAP);
	return pool_span(pool_first(p), 0, (char *)p + len);
}

/*
 * A free chunk of at least size bytes from new memory, or NULL. Memory
 * kept in free size-class pages goes back to the kernel first: the
 * program is asking the kernel for more anyway, and pages it left idle
 * while its blocks grew past SMALL_MAX would only add to its peak.
 */
struct chunk *pool_grow(size_t size)
{
	if (heap.idle_pages)
		pages_discard(true);
	struct chunk *c = brk_extend(size);

	return c ? c : mmap_pool(size);
}

/*
 * Shrinks the break so that the brk heap's last chunk c (free, out of
 * its bin) keeps about keep bytes; with keep 0 a wholly free heap goes
 * entirely. Returns c, or NULL if it went.
 */
static struct chunk *brk_shrink(struct chunk *c, size_t keep)
{
	struct pool *p = heap.brk_pool;
	char *old_end = (char *)p + p->size;

	if (!brk_intact())
		return c;
	if (keep == 0 && c->prev_size == 0) {
		/* Unlink first: the header's page goes with the break. */
		pool_unlink(p);
		heap.brk_pool = NULL;
		if (glue_brk(p) == (void *)p)
			return NULL;
		pool_link(p, p->size, POOL_BRK);	/* refused: keep it */
		heap.brk_pool = p;
		return c;
	}
	if (keep < CHUNK_MIN)
		keep = CHUNK_MIN;
	char *end = (char *)align_up((uintptr_t)c + keep + CHUNK_HEADER,
				     GLUE_PAGE);
	if (end >= old_end || glue_brk(end) != end)
		return c;
	heap.pool_bytes -= old_end - end;
	p->size -= old_end - end;
	return pool_span(c, c->prev_size, end);
}

/*
 * Called with a chunk that has just become free and coalesced (out of its
 * bin): returns to the kernel what the policy above says should go.
 * Returns what is left of c for the bins, or NULL.
 */
struct chunk *pool_give_back(struct chunk *c)
{
	struct chunk *next = chunk_next(c);

	if (!(next->head & C_FENCE))
		return c;
	if (c->prev_size == 0) {
		struct pool *p = (struct pool *)((char *)c - POOL_HEADER);

		if (p->kind == POOL_MMAP) {
			pool_unlink(p);
			glue_munmap(p, p->size);
			return NULL;
		}
	}
	if (heap.brk_pool && next == pool_fence(heap.brk_pool) &&
	    chunk_size(c) >= heap.trim_threshold)
		return brk_shrink(c, TOP_KEEP);
	return c;
}

/* malloc_trim: gives back empty pages and the brk heap's free top, all
 * of it. */
int heap_trim(void)
{
	int pages = small_trim();

	heap_lock();
	size_t before = heap.pool_bytes;
	struct pool *p = heap.brk_pool;
	struct chunk *fence = p ? pool_fence(p) : NULL;

	if (fence && fence->prev_size) {
		struct chunk *last = chunk_prev(fence);

		if (!chunk_inuse(last)) {
			bin_remove(last);
			last = brk_shrink(last, 0);
			if (last)
				bin_insert(last);
		}
	}
	int released = heap.pool_bytes < before || pages;
	heap_unlock();
	return released;
}
