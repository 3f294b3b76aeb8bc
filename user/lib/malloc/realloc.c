/*
 * realloc.c - resizing a block, in place whenever the memory around it
 * allows: shrinking splits the tail off as a free chunk; growing takes
 * the free chunk that follows, or moves the break when the block is the
 * last of the brk heap; a large block is resized by its mapping. Only
 * when none of that works is the block moved (malloc, copy, free), and
 * then with a quarter more room than asked for: a block that grew once
 * tends to grow again, and its next steps then fit in place (the
 * headroom is the slack that size-class allocators get from their
 * classes). For the same reason a block that shrinks by less than a
 * quarter keeps its tail.
 */
#include "heap.h"

/* Sets c's size to total (in use), splits off the tail, fixes the counts. */
static void *grow_into(struct chunk *c, size_t total, size_t size)
{
	size_t old_usable = chunk_size(c) - CHUNK_HEADER;

	chunk_set(c, total, C_INUSE);
	chunk_next(c)->prev_size = total;
	chunk_use(c, size);
	heap.live_bytes += chunk_size(c) - CHUNK_HEADER - old_usable;
	return chunk_payload(c);
}

/* Gives pool chunk c (in use) size bytes in place; NULL if it cannot. */
static void *resize_in_place(struct chunk *c, size_t size)
{
	size_t cur = chunk_size(c);
	struct chunk *next = chunk_next(c);

	if (size <= cur) {
		if (cur - size < CHUNK_MIN || cur - size < cur / 4)
			return chunk_payload(c);
		struct chunk *tail = (struct chunk *)((char *)c + size);

		chunk_set(c, size, C_INUSE);
		tail->prev_size = size;
		chunk_set(tail, cur - size, 0);
		heap.live_bytes -= cur - size;
		chunk_release(tail);
		return chunk_payload(c);
	}
	bool next_free = !chunk_inuse(next);
	struct chunk *after = next_free ? chunk_next(next) : next;

	if (next_free && cur + chunk_size(next) >= size) {
		bin_remove(next);
	} else if (heap.brk_pool && after == pool_fence(heap.brk_pool)) {
		/*
		 * The block (or the free chunk after it) ends the brk heap:
		 * moving the break makes room right behind it.
		 */
		next = brk_extend(size - cur);
		if (!next)
			return NULL;
	} else {
		return NULL;
	}
	size_t total = cur + chunk_size(next);

	next->head = C_MERGED;
	return grow_into(c, total, size);
}

/* Moves block p (old usable bytes) to a new one of n bytes, with a
 * quarter more room when it grows; NULL (p untouched) if none. */
static void *move_block(void *p, size_t old, size_t n)
{
	void *q = NULL;

	if (n > old && n < heap.mmap_threshold && n / 4 <= REQUEST_MAX - n)
		q = heap_malloc(n + n / 4);
	if (!q)
		q = heap_malloc(n);
	if (q) {
		memcpy(q, p, old < n ? old : n);
		heap_free(p);
	}
	return q;
}

/*
 * A page block stays where it is while the request fits its class and
 * uses more than half of it (any size, up to 64 bytes); otherwise it
 * moves to the class that fits, or to the chunk heap.
 */
static void *small_realloc(void *p, size_t n)
{
	size_t old = small_check_block(p, "realloc")->size;

	if (n <= old && (n > old / 2 || old <= 64))
		return p;
	return move_block(p, old, n);
}

void *heap_realloc(void *p, size_t n)
{
	if (!p)
		return heap_malloc(n);
	if (n == 0) {
		/* As glibc: realloc(p, 0) frees p and returns NULL. */
		heap_free(p);
		return NULL;
	}
	if (n > REQUEST_MAX)
		return NULL;
	if (page_block(p))
		return small_realloc(p, n);

	heap_lock();
	struct chunk *c = chunk_checked(p, "realloc");
	size_t old = chunk_size(c) - CHUNK_HEADER;
	void *q;

	if (c->head & C_LARGE)
		q = n >= heap.mmap_threshold ? large_realloc(c, n) : NULL;
	else
		q = resize_in_place(c, request_size(n));
	heap_unlock();
	if (q)
		return q;

	return move_block(p, old, n);
}
