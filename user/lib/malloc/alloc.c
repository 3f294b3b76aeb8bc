/*
 * alloc.c - malloc, free and malloc_usable_size at the heart of the
 * allocator (user/lib/malloc/api/ holds the public wrappers), and the
 * core of calloc.
 *
 * malloc: small requests (chunks below 4 KiB) come from the calling
 * thread's cache (cache.c) without the lock; requests of mmap_threshold
 * bytes or more get a mapping of their own (large.c); the rest take the
 * best-fitting free chunk from the bins, or new memory from a pool, and
 * split off what they do not need. free checks the block first, always,
 * and gives a small one to the thread's cache.
 */
#include "heap.h"

void *heap_malloc(size_t n)
{
	if (n > REQUEST_MAX)
		return NULL;
	size_t size = request_size(n);

	if (cache_serves(size))
		return cache_malloc(size);
	heap_lock();
	if (n >= heap.mmap_threshold) {
		heap_unlock();
		return large_alloc(n, CHUNK_ALIGN);
	}
	struct chunk *c = bin_take_best(size);
	void *p = NULL;

	if (!c)
		c = pool_grow(size);
	if (c) {
		chunk_use(c, size);
		heap.live_blocks++;
		heap.live_bytes += chunk_size(c) - CHUNK_HEADER;
		p = chunk_payload(c);
	}
	heap_unlock();
	return p;
}

/*
 * The lock-free path of free: a well-formed small block in use goes to
 * the thread's cache. Anything else, bad pointers included, takes the
 * locked path, which says what is wrong. Only the block's own header is
 * read here: the header after it (damaged by an overflow) is checked
 * when the block leaves the cache for the heap (cache.c's flush), when
 * that neighbour is freed, and by malloc_check. Reading it here cost a
 * second cache miss on every free.
 */
static bool free_to_cache(void *p)
{
	struct chunk *c = payload_chunk(p);

	if ((uintptr_t)p % CHUNK_ALIGN || (c->head & C_FLAGS) != C_INUSE ||
	    !cache_serves(chunk_size(c)) || !chunk_valid(c))
		return false;
	return cache_free(c);
}

void heap_free(void *p)
{
	if (!p || free_to_cache(p))
		return;
	heap_free_uncached(p);
}

void heap_free_uncached(void *p)
{
	heap_lock();
	struct chunk *c = chunk_checked(p, "free");

	heap.live_blocks--;
	heap.live_bytes -= chunk_size(c) - CHUNK_HEADER;
	if (c->head & C_LARGE) {
		void *base;
		size_t len;

		large_unlink(c, &base, &len);
		heap_unlock();
		glue_munmap(base, len);
		return;
	}
	chunk_release(c);
	heap_unlock();
}

size_t heap_usable(void *p)
{
	if (!p)
		return 0;
	heap_lock();
	size_t n = chunk_size(chunk_checked(p, "malloc_usable_size")) -
		   CHUNK_HEADER;
	heap_unlock();
	return n;
}

/*
 * calloc's core (the count is already multiplied, overflow-checked): fresh
 * mappings are zero already, so only pool memory is cleared.
 */
void *heap_calloc(size_t n)
{
	if (n > REQUEST_MAX)
		return NULL;
	if (!cache_serves(request_size(n))) {
		heap_lock();
		bool large = n >= heap.mmap_threshold;
		heap_unlock();
		if (large)
			return large_alloc(n, CHUNK_ALIGN);
	}
	void *p = heap_malloc(n);
	if (p)
		memset(p, 0, n);
	return p;
}
