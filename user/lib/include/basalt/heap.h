/*
 * <basalt/heap.h> - libbasalt's window into its allocator, for tests and
 * curious programs: a full consistency check and a census of what the
 * heap holds. <malloc.h> includes it. These are libbasalt extensions; the
 * standalone build of the allocator (make bench-malloc) offers them too.
 */
#ifndef BASALT_HEAP_H
#define BASALT_HEAP_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What the allocator holds at one moment (see malloc_census). */
struct malloc_census {
	size_t live_blocks;	/* blocks handed out and not yet freed */
	size_t live_bytes;	/* their usable bytes */
	size_t free_chunks;	/* free chunks waiting in the bins */
	size_t free_bytes;	/* their bytes, headers included */
	size_t cached_blocks;	/* freed blocks kept in pages for reuse */
	size_t cached_bytes;	/* their usable bytes */
	size_t pools;		/* pools: the brk heap and mmapped pools */
	size_t pool_bytes;	/* bytes the pools span */
	size_t brk_bytes;	/* of which the brk heap */
	size_t large_blocks;	/* blocks mmapped on their own */
	size_t large_bytes;	/* bytes mapped for them */
	size_t pages;		/* size-class pages in use (128 KiB each) */
	size_t page_bytes;	/* the bytes they span */
	size_t idle_page_bytes;	/* free pages whose memory is kept */
};

/*
 * Walks every pool, bin, large block and page and checks every invariant the
 * allocator relies on. Returns 0 when the heap is sound; otherwise prints
 * the first violation to standard error and returns -1 (it does not
 * abort, so tests can also check that damage is found).
 */
int malloc_check(void);

/* Fills *c with the current counts. */
void malloc_census(struct malloc_census *c);

#ifdef __cplusplus
}
#endif

#endif
