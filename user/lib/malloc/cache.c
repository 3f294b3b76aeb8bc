/*
 * cache.c - per-thread caches of small chunks, in front of the shared
 * heap, so that most malloc and free calls of small blocks take no lock
 * and do no coalescing.
 *
 * Each thread has a list per small chunk size (32 to 4080 bytes, the
 * heap's exact-size bins below CACHE_LIMIT). malloc pops the list of the
 * request's chunk size; free pushes a checked block (its own header:
 * the next one is checked when the block leaves the cache, in
 * release_runs) onto the list of its size. A cached
 * chunk stays in use as far as the heap knows (its neighbours never
 * merge into it) and is flagged C_CACHED, so freeing it again is still a
 * loud double free and malloc_check can find it.
 *
 * An empty list is refilled with a batch, under the lock, by exact best
 * fit: the smallest free chunk that fits one block, then carved into as
 * many blocks of the size as the batch wants and it holds (what is left
 * of a best fit is the best fit for the next block, so every block is
 * the one best fit would have chosen). A full list gives half of itself
 * back, under the lock, through the ordinary free path (coalescing,
 * trimming). So the lock is taken once per batch, not once per call.
 *
 * A block may be freed by any thread: it goes to that thread's cache,
 * which owns it from then on, as glibc's tcache does. A producer thread
 * refills from the heap and a consumer thread flushes to it, both in
 * batches. When a thread ends, its cache goes back to the heap
 * (cache_flush_all: thread_exit in libbasalt, a key destructor on the
 * host); fork's child forgets the other threads' caches (their blocks are
 * counted as orphans: the threads are not there to give them back).
 */
#include "heap.h"

__thread struct tcache tcache;

/* How many chunks a list may hold: fewer for bigger chunks, few above
 * 1 KiB, where many sizes at a few KiB each would add up. */
static unsigned cache_cap(unsigned i)
{
	return i < 7 ? 64 : i < 31 ? 16 : i < 62 ? 8 : 2; /* 128, 512, 1K */
}

static size_t class_size(unsigned i)
{
	return (i + 2) * CHUNK_ALIGN;
}

/* The header a cached chunk of size bytes at c must carry. */
static size_t cached_head(const struct chunk *c, size_t size)
{
	size_t head = size | C_INUSE | C_CACHED;

	return head | chunk_check_bits(c, head);
}

/* Links c, whose header already says cached, onto list i. */
static void push(struct tcache *tc, unsigned i, struct chunk *c, size_t size)
{
	c->next = tc->head[i];
	tc->head[i] = c;
	tc->count[i]++;
	tc->blocks++;
	tc->bytes += size - CHUNK_HEADER;
}

static struct chunk *pop(struct tcache *tc, unsigned i, size_t size)
{
	struct chunk *c = tc->head[i];

	if (c->head != cached_head(c, size))
		heap_crash("malloc", "corrupted thread cache (use after free?)",
			   chunk_payload(c));
	tc->head[i] = c->next;
	tc->count[i]--;
	tc->blocks--;
	tc->bytes -= size - CHUNK_HEADER;
	return c;
}

static void cache_register(struct tcache *tc)
{
	tc->registered = true;
	tc->prev = NULL;
	tc->next = heap.caches;
	if (tc->next)
		tc->next->prev = tc;
	heap.caches = tc;
}

/* Enters tc in the registry (a thread's first use, or after a trim). */
static void cache_join(struct tcache *tc)
{
	heap_lock();
	cache_register(tc);
	heap_unlock();
	glue_watch_thread(cache_thread_end);
}

static void cache_unregister(struct tcache *tc)
{
	if (tc->prev)
		tc->prev->next = tc->next;
	else
		heap.caches = tc->next;
	if (tc->next)
		tc->next->prev = tc->prev;
	tc->registered = false;
}

/*
 * Carves free chunk c (out of its bin) into up to want blocks of size
 * and caches them; returns how many. The chunk's tail beyond them goes
 * back to its bin, or, when under CHUNK_MIN, widens the last block, which
 * is then not cached but put in use for the caller in *spare (as plain
 * best fit would have handed out the chunk with its small tail).
 */
static unsigned carve(struct tcache *tc, struct chunk *c, size_t size,
		      unsigned want, struct chunk **spare)
{
	size_t fit = chunk_size(c) / size;
	unsigned k = fit < want ? (unsigned)fit : want;

	chunk_use(c, k * size);
	size_t total = chunk_size(c), last = total - (k - 1) * size;
	struct chunk *b = c;

	chunk_next(c)->prev_size = last;
	heap.live_blocks += k;
	heap.live_bytes += total - k * CHUNK_HEADER;
	for (unsigned j = 0; j < k; j++) {
		if (j)
			b->prev_size = size;
		if (j + 1 == k && last != size) {
			chunk_set(b, last, C_INUSE);
			*spare = b;
			return k - 1;
		}
		b->head = cached_head(b, size);
		push(tc, bin_index(size), b, size);
		b = (struct chunk *)((char *)b + size);
	}
	return k;
}

/*
 * Fills list i with a batch from the heap and returns a chunk of it for
 * the caller, in use; NULL if there is no memory at all.
 */
static struct chunk *refill(struct tcache *tc, unsigned i)
{
	size_t size = class_size(i);
	unsigned want = cache_cap(i) / 2, got = 0;
	struct chunk *spare = NULL;

	if (!tc->registered)
		cache_join(tc);
	heap_lock();
	while (got < want && !spare) {
		struct chunk *c = bin_take_best(size);

		if (!c)
			c = pool_grow(size * (want - got));
		if (!c)
			break;
		got += carve(tc, c, size, want - got, &spare);
	}
	heap_unlock();
	if (spare || !tc->head[i])
		return spare;
	return pop(tc, i, size);
}

/* A chunk of exactly size bytes (small) from the cache, in use, or NULL. */
void *cache_malloc(size_t size)
{
	struct tcache *tc = &tcache;
	unsigned i = bin_index(size);
	struct chunk *c;

	if (tc->head[i])
		c = pop(tc, i, size);
	else if (!(c = refill(tc, i)))
		return NULL;
	c->head &= ~C_CACHED;	/* in use again: the check bits still hold */
	return chunk_payload(c);
}

/*
 * The check free's fast path left to us (alloc.c): the header after
 * cached chunk c, of size bytes, must be sound and agree with c's size.
 */
static void next_header_sound(struct chunk *c, struct chunk *next,
			      size_t size)
{
	if (!chunk_valid(next) || next->prev_size != size)
		heap_crash("free", "corrupted header after this block "
			   "(overflow?)", chunk_payload(c));
}

/*
 * Releases chunks a[0..n) of size bytes, sorted by address, merging runs
 * of neighbours first: one coalescing release per run instead of one per
 * chunk (blocks carved together tend to be freed together). A merged
 * header gets C_MERGED, so freeing its block again is still caught.
 */
static void release_runs(struct chunk **a, unsigned n, size_t size)
{
	for (unsigned j = 0; j < n;) {
		struct chunk *start = a[j];
		size_t total = size;

		while (++j < n && (char *)a[j] == (char *)start + total) {
			next_header_sound(a[j - 1], a[j], size);
			a[j]->head = C_MERGED;
			total += size;
		}
		/* The release reads this header anyway: no extra miss. */
		next_header_sound(a[j - 1],
				  (struct chunk *)((char *)start + total), size);
		chunk_set(start, total, C_INUSE);
		chunk_release(start);
	}
}

/* Gives the first n chunks of list i back to the heap (lock held). */
static void flush(struct tcache *tc, unsigned i, unsigned n)
{
	size_t size = class_size(i);
	struct chunk *a[64];

	while (n && tc->head[i]) {
		unsigned got = 0;

		/*
		 * Sorted by insertion, filling from the back: lists mostly
		 * hold the highest address first, which then costs nothing.
		 */
		while (got < 64 && n && tc->head[i]) {
			struct chunk *c = pop(tc, i, size), **at = &a[63 - got];

			while (at < &a[63] && at[1] < c) {
				at[0] = at[1];
				at++;
			}
			*at = c;
			got++;
			n--;
		}
		heap.live_blocks -= got;
		heap.live_bytes -= got * (size - CHUNK_HEADER);
		release_runs(&a[64 - got], got, size);
	}
}

bool cache_free(struct chunk *c)
{
	struct tcache *tc = &tcache;
	size_t size = chunk_size(c);
	unsigned i = bin_index(size);

	if (!tc->registered)
		cache_join(tc);
	if (tc->count[i] >= cache_cap(i)) {
		heap_lock();
		flush(tc, i, cache_cap(i) / 2);
		heap_unlock();
	}
	c->head |= C_CACHED;	/* checked by free: the check bits still hold */
	push(tc, i, c, size);
	return true;
}

/* Empties the calling thread's cache into the heap (malloc_trim). */
void cache_flush_all(void)
{
	struct tcache *tc = &tcache;

	heap_lock();
	for (unsigned i = 0; i < SMALL_BINS; i++)
		flush(tc, i, tc->count[i]);
	if (tc->registered)
		cache_unregister(tc);
	heap_unlock();
}

/*
 * The calling thread ends: its cache goes back, and whatever it frees or
 * allocates from now on (destructors run late) uses the heap directly.
 */
void cache_thread_end(void)
{
	tcache.off = true;
	cache_flush_all();
}

void cache_fork_child(void)
{
	struct tcache *tc = heap.caches;

	while (tc) {
		struct tcache *next = tc->next;

		if (tc != &tcache) {
			heap.orphan_blocks += tc->blocks;
			heap.orphan_bytes += tc->bytes;
			cache_unregister(tc);
		}
		tc = next;
	}
}

/* Checks one list of one cache; adds what it holds to *blocks, *bytes. */
static int check_list(const struct tcache *tc, unsigned i, size_t *blocks,
		      size_t *bytes)
{
	size_t size = class_size(i), n = 0;

	for (const struct chunk *c = tc->head[i]; c; c = c->next) {
		if ((uintptr_t)c % CHUNK_ALIGN || !pool_holds(c) ||
		    c->head != cached_head(c, size))
			return heap_report("bad chunk in a thread cache",
					   chunk_payload(c));
		if (++n > tc->count[i])
			return heap_report("thread cache list longer than "
					   "its count", chunk_payload(c));
	}
	if (n != tc->count[i])
		return heap_report("thread cache list shorter than its count",
				   tc->head[i]);
	*blocks += n;
	*bytes += n * (size - CHUNK_HEADER);
	return 0;
}

int cache_check(size_t *blocks, size_t *bytes)
{
	*blocks = heap.orphan_blocks;
	*bytes = heap.orphan_bytes;
	for (const struct tcache *tc = heap.caches; tc; tc = tc->next) {
		size_t b = 0, n = 0;

		for (unsigned i = 0; i < SMALL_BINS; i++)
			if (check_list(tc, i, &b, &n))
				return -1;
		if (b != tc->blocks || n != tc->bytes)
			return heap_report("thread cache totals disagree", tc);
		*blocks += b;
		*bytes += n;
	}
	/* The calling thread's cache holds nothing until it registers. */
	if (!tcache.registered && tcache.blocks)
		return heap_report("unregistered thread cache holds blocks",
				   &tcache);
	return 0;
}

void cache_held(size_t *blocks, size_t *bytes)
{
	*blocks = heap.orphan_blocks;
	*bytes = heap.orphan_bytes;
	for (const struct tcache *tc = heap.caches; tc; tc = tc->next) {
		*blocks += tc->blocks;
		*bytes += tc->bytes;
	}
}
