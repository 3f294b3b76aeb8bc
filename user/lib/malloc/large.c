/*
 * large.c - blocks of mmap_threshold bytes or more, each in a mapping of
 * its own, so that freeing one gives its memory straight back:
 *
 *   | struct large | chunk header (C_INUSE | C_LARGE) | payload ... |
 *
 * (with slack before the record when the payload needs more than 16-byte
 * alignment). The records form a list, so free can check a large block's
 * links before unmapping it.
 *
 * The threshold moves, as glibc's does: when a large block is freed, the
 * threshold rises to its size (up to MMAP_THRESHOLD_MAX), on the theory
 * that a program that frees a block of this size will ask for another, and
 * a pool serves that without a fresh mapping and its page faults. The trim
 * threshold follows at twice the mmap threshold, so such a block does not
 * bounce between the brk heap and the kernel.
 */
#include "heap.h"

static void large_link(struct large *l)
{
	l->prev = NULL;
	l->next = heap.large;
	if (l->next)
		l->next->prev = l;
	heap.large = l;
	heap.large_count++;
	heap.large_bytes += l->map_size;
}

static void large_drop(struct large *l)
{
	if ((l->prev ? l->prev->next : heap.large) != l ||
	    (l->next && l->next->prev != l))
		heap_crash("free", "corrupted large block record", l + 1);
	if (l->prev)
		l->prev->next = l->next;
	else
		heap.large = l->next;
	if (l->next)
		l->next->prev = l->prev;
	heap.large_count--;
	heap.large_bytes -= l->map_size;
}

static struct large *large_of(struct chunk *c)
{
	return (struct large *)c - 1;
}

void *large_alloc(size_t n, size_t align)
{
	size_t slack = align > CHUNK_ALIGN ? align : 0;
	size_t len = align_up(sizeof(struct large) + CHUNK_HEADER + n + slack,
			      GLUE_PAGE);
	char *base = glue_mmap(len);

	if (!base)
		return NULL;
	uintptr_t p = align_up((uintptr_t)base + sizeof(struct large) +
			       CHUNK_HEADER, align);
	struct chunk *c = payload_chunk((void *)p);
	struct large *l = large_of(c);

	l->base = base;
	l->map_size = len;
	c->prev_size = 0;
	heap_lock();
	chunk_set(c, base + len - (char *)c, C_INUSE | C_LARGE);
	large_link(l);
	heap.live_blocks++;
	heap.live_bytes += chunk_size(c) - CHUNK_HEADER;
	heap_unlock();
	return (void *)p;
}

void large_unlink(struct chunk *c, void **base, size_t *len)
{
	struct large *l = large_of(c);

	large_drop(l);
	*base = l->base;
	*len = l->map_size;
	if (l->map_size > heap.mmap_threshold &&
	    l->map_size <= MMAP_THRESHOLD_MAX) {
		heap.mmap_threshold = l->map_size;
		heap.trim_threshold = 2 * l->map_size;
	}
}

/*
 * Gives large block c room for n bytes: unmaps surplus pages, or grows
 * the mapping with mremap (which may move it, and keeps the payload's
 * offset in its pages). Returns the payload, or NULL when the kernel
 * cannot (the kernel says no): the caller then copies.
 */
void *large_realloc(struct chunk *c, size_t n)
{
	struct large *l = large_of(c);
	size_t offset = (char *)c - (char *)l->base;
	size_t len = align_up(offset + CHUNK_HEADER + n, GLUE_PAGE);
	size_t old_usable = chunk_size(c) - CHUNK_HEADER;

	if (len == l->map_size)
		return chunk_payload(c);
	large_drop(l);
	if (len < l->map_size) {
		glue_munmap((char *)l->base + len, l->map_size - len);
	} else {
		char *base = glue_mremap(l->base, l->map_size, len);

		if (!base) {
			large_link(l);
			return NULL;
		}
		c = (struct chunk *)(base + offset);
		l = large_of(c);
		l->base = base;
	}
	l->map_size = len;
	large_link(l);
	chunk_set(c, (char *)l->base + len - (char *)c, C_INUSE | C_LARGE);
	heap.live_bytes += chunk_size(c) - CHUNK_HEADER - old_usable;
	return chunk_payload(c);
}
