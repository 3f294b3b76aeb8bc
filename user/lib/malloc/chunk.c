/*
 * chunk.c - the three things done to a chunk inside a pool: checking a
 * pointer that a caller hands back, putting a free chunk to use (split
 * off what is left over), and releasing a chunk (coalesce with free
 * neighbours, give memory back to the kernel, file the rest in a bin).
 */
#include "heap.h"

/*
 * The chunk behind a pointer given to free, realloc or
 * malloc_usable_size, after checking everything that can be checked
 * cheaply; crashes loudly on a pointer the allocator never gave out, a
 * block already freed, or a damaged header here or in the next chunk.
 */
struct chunk *chunk_checked(void *p, const char *who)
{
	struct chunk *c = payload_chunk(p);

	if ((uintptr_t)p % CHUNK_ALIGN)
		heap_crash(who, "invalid pointer (misaligned)", p);
	if (c->head == C_MERGED)
		heap_crash(who, "double free (the block was merged into a free "
			   "neighbour)", p);
	if (!chunk_valid(c) || (c->head & C_FENCE))
		heap_crash(who, "invalid pointer or corrupted block header", p);
	if (!chunk_inuse(c))
		heap_crash(who, "double free", p);
	if (!(c->head & C_LARGE)) {
		struct chunk *next = chunk_next(c);

		if (!chunk_valid(next) || next->prev_size != chunk_size(c))
			heap_crash(who, "corrupted header after this block "
				   "(overflow?)", p);
	}
	return c;
}

/*
 * Marks c, a free chunk out of its bin, in use with size bytes; a tail of
 * CHUNK_MIN or more becomes a free chunk of its own. The chunk after c
 * must be in use, as it is next to any free chunk, so the tail needs no
 * coalescing.
 */
void chunk_use(struct chunk *c, size_t size)
{
	size_t total = chunk_size(c);

	if (total - size >= CHUNK_MIN) {
		struct chunk *rest = (struct chunk *)((char *)c + size);

		rest->prev_size = size;
		chunk_set(rest, total - size, 0);
		chunk_next(rest)->prev_size = total - size;
		bin_insert(rest);
		total = size;
	}
	chunk_set(c, total, C_INUSE);
}

/* Checks that free neighbour prev really is the chunk before c. */
static void check_prev(struct chunk *c, struct chunk *prev)
{
	if (!chunk_valid(prev) || chunk_size(prev) != c->prev_size)
		heap_crash("free", "corrupted header before this block",
			   chunk_payload(c));
}

/*
 * Frees chunk c (not in a bin; its counts already dropped by the caller):
 * merges it with free neighbours, lets the pool give memory back, and
 * files what remains in its bin.
 */
void chunk_release(struct chunk *c)
{
	size_t size = chunk_size(c);
	struct chunk *next = chunk_next(c);

	if (!chunk_inuse(next)) {
		bin_remove(next);
		size += chunk_size(next);
		next->head = C_MERGED;
	}
	if (c->prev_size) {
		struct chunk *prev = chunk_prev(c);

		check_prev(c, prev);
		if (!chunk_inuse(prev)) {
			bin_remove(prev);
			size += chunk_size(prev);
			c->head = C_MERGED;
			c = prev;
		}
	}
	chunk_set(c, size, 0);
	chunk_next(c)->prev_size = size;
	c = pool_give_back(c);
	if (c)
		bin_insert(c);
}
