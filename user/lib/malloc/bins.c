/*
 * bins.c - the free chunks, kept in size-segregated lists ("bins") so that
 * best fit costs a bitmap scan instead of a walk over every free chunk.
 *
 * Chunks below 1 MiB have a bin per exact size, so the first chunk of
 * the request's bin is a perfect fit. Larger chunks share bins, four per
 * power of two up to 4 MiB and one beyond; each of those lists is sorted
 * by size, so its first chunk big enough is the smallest that
 * fits. The bins above the request's hold only bigger chunks, so the
 * first chunk of the next non-empty bin is the best fit otherwise: the
 * search is exact best fit. A two-level bitmap (a bit per bin, and a bit
 * per word of those) finds the next non-empty bin in a few steps. The
 * heads take 512 KiB of address space, touched only where sizes occur.
 * Lists are doubly linked and NULL-terminated;
 * unlinking checks both neighbours' links first, so a corrupted free
 * chunk stops the program instead of spreading.
 */
#include "heap.h"

unsigned bin_index(size_t size)
{
	if (size < EXACT_LIMIT)
		return size / CHUNK_ALIGN - 2;
	unsigned log = 63 - __builtin_clzl(size);
	if (log >= 22)
		return NBINS - 1;
	return EXACT_BINS + (log - 20) * 4 + ((size >> (log - 2)) & 3);
}

static void binmap_set(unsigned i)
{
	heap.binmap[i / 64] |= 1ULL << (i % 64);
	heap.binsum[i / 4096] |= 1ULL << (i / 64 % 64);
}

static void binmap_clear(unsigned i)
{
	heap.binmap[i / 64] &= ~(1ULL << (i % 64));
	if (!heap.binmap[i / 64])
		heap.binsum[i / 4096] &= ~(1ULL << (i / 64 % 64));
}

/* The first non-empty binmap word at or above w, or BINMAP_WORDS. */
static unsigned binsum_next(unsigned w)
{
	for (unsigned s = w / 64; s < BINSUM_WORDS; s++) {
		uint64_t bits = heap.binsum[s];

		if (s == w / 64)
			bits &= ~0ULL << (w % 64);
		if (bits)
			return s * 64 + __builtin_ctzll(bits);
	}
	return BINMAP_WORDS;
}

/* The first non-empty bin at or above i, or NBINS. */
static unsigned binmap_next(unsigned i)
{
	if (i >= NBINS)
		return NBINS;
	uint64_t bits = heap.binmap[i / 64] & (~0ULL << (i % 64));

	if (bits)
		return i / 64 * 64 + __builtin_ctzll(bits);
	unsigned w = binsum_next(i / 64 + 1);
	if (w == BINMAP_WORDS)
		return NBINS;
	return w * 64 + __builtin_ctzll(heap.binmap[w]);
}

/* Adds free chunk c (its header already set) to its bin. */
void bin_insert(struct chunk *c)
{
	unsigned i = bin_index(chunk_size(c));
	struct chunk *prev = NULL, *next = heap.bins[i];

	if (i >= EXACT_BINS) {
		while (next && chunk_size(next) < chunk_size(c)) {
			prev = next;
			next = next->next;
		}
	}
	c->prev = prev;
	c->next = next;
	if (prev)
		prev->next = c;
	else
		heap.bins[i] = c;
	if (next)
		next->prev = c;
	binmap_set(i);
}

void bin_remove(struct chunk *c)
{
	unsigned i = bin_index(chunk_size(c));
	struct chunk *prev = c->prev, *next = c->next;

	if ((prev ? prev->next : heap.bins[i]) != c ||
	    (next && next->prev != c))
		heap_crash("malloc", "corrupted free list",
			   chunk_payload(c));
	if (prev)
		prev->next = next;
	else
		heap.bins[i] = next;
	if (next)
		next->prev = prev;
	if (!heap.bins[i])
		binmap_clear(i);
}

/* Removes and returns the smallest free chunk of at least size, or NULL. */
struct chunk *bin_take_best(size_t size)
{
	unsigned i = bin_index(size);
	struct chunk *c = heap.bins[i];

	if (i >= EXACT_BINS) {
		while (c && chunk_size(c) < size)
			c = c->next;
	}
	if (!c) {
		i = binmap_next(i + 1);
		if (i == NBINS)
			return NULL;
		c = heap.bins[i];
	}
	bin_remove(c);
	return c;
}
