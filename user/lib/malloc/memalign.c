/*
 * memalign.c - blocks whose payload needs more than 16-byte alignment.
 * A chunk big enough for the block plus the alignment is taken as usual;
 * the lead before the aligned address (at least CHUNK_MIN, so it can
 * stand alone) becomes a free chunk, and chunk_use splits the tail off.
 * Small blocks with alignments up to a page come from a page of a class
 * whose size the alignment divides (small.c).
 */
#include "heap.h"

void *heap_memalign(size_t align, size_t n)
{
	if (align <= CHUNK_ALIGN)
		return heap_malloc(n);
	if (n > REQUEST_MAX || align > REQUEST_MAX)
		return NULL;
	if (n <= SMALL_MAX && align <= GLUE_PAGE) {
		void *p = small_memalign(align, n);

		if (p)
			return p;
	}
	heap_lock();
	if (n >= heap.mmap_threshold) {
		heap_unlock();
		return large_alloc(n, align);
	}

	size_t size = request_size(n);
	size_t want = size + align + CHUNK_MIN;
	struct chunk *c = bin_take_best(want);

	if (!c)
		c = pool_grow(want);
	if (!c) {
		heap_unlock();
		return NULL;
	}
	uintptr_t p = (uintptr_t)chunk_payload(c);
	uintptr_t a = align_up(p, align);

	if (a != p && a - p < CHUNK_MIN)
		a += align;
	if (a != p) {
		/* c's neighbours are in use: the lead needs no coalescing. */
		size_t lead = a - p;
		struct chunk *rest = (struct chunk *)((char *)c + lead);

		rest->prev_size = lead;
		chunk_set(rest, chunk_size(c) - lead, 0);
		chunk_next(rest)->prev_size = chunk_size(rest);
		chunk_set(c, lead, 0);
		bin_insert(c);
		c = rest;
	}
	chunk_use(c, size);
	heap.live_blocks++;
	heap.live_bytes += chunk_size(c) - CHUNK_HEADER;
	heap_unlock();
	return (void *)a;
}
