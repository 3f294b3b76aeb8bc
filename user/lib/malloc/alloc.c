/*
 * alloc.c - malloc, free and malloc_usable_size at the heart of the
 * allocator (user/lib/malloc/api/ holds the public wrappers), and the
 * core of calloc.
 *
 * malloc: requests of up to SMALL_MAX bytes come from the calling
 * thread's size-class pages (small.c) without the lock; requests of
 * mmap_threshold bytes or more get a mapping of their own (large.c); the
 * rest take the best-fitting free chunk from the bins, or new memory
 * from a pool, and split off what they do not need. free tells a page
 * block from a chunk by its address and checks it first, always.
 */
#include "heap.h"

/* A block from the chunk heap (small requests too, when pages cannot). */
static void *chunk_malloc(size_t n)
{
	if (n > REQUEST_MAX)
		return NULL;
	size_t size = request_size(n);

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

void *heap_malloc(size_t n)
{
	if (n <= SMALL_MAX) {
		bool fresh;
		void *p = small_alloc(n, &fresh);

		if (p)
			return p;
	}
	return chunk_malloc(n);
}

/* free's chunk half: checked under the lock, then released. */
static void chunk_free(void *p)
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

void heap_free(void *p)
{
	if (page_block(p))
		small_free(p);
	else if (p)
		chunk_free(p);
}

size_t heap_usable(void *p)
{
	if (page_block(p))
		return small_check_block(p, "malloc_usable_size")->size;
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
 * mappings and untouched page blocks are zero already, so only other
 * memory is cleared.
 */
void *heap_calloc(size_t n)
{
	void *p;

	if (n <= SMALL_MAX) {
		bool fresh;

		p = small_alloc(n, &fresh);
		if (p) {
			if (!fresh)
				memset(p, 0, n);
			return p;
		}
	}
	if (n > REQUEST_MAX)
		return NULL;
	heap_lock();
	bool large = n >= heap.mmap_threshold;
	heap_unlock();
	if (large)
		return large_alloc(n, CHUNK_ALIGN);
	p = chunk_malloc(n);
	if (p)
		memset(p, 0, n);
	return p;
}
