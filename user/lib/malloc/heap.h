/*
 * heap.h - the allocator's private layout and state, shared by the files
 * of user/lib/malloc/ (see docs/libbasalt.md for the design).
 *
 * Memory comes from the kernel in pools: the brk heap, which grows and
 * shrinks with the program break, and mmapped pools when the break cannot
 * move. A pool is a run of chunks closed by a fence:
 *
 *   | struct pool | chunk | chunk | ... | chunk | fence |
 *
 * Every chunk starts with a 16-byte header: the size of the chunk before
 * it (0 for the first in its pool) and its own size with flags and a
 * check. Payloads are 16-byte aligned. Free chunks also hold the links of
 * their bin; two free chunks are never neighbours (free coalesces), so the
 * chunks on either side of a free chunk are always in use.
 *
 * Blocks of mmap_threshold bytes or more are mapped on their own ("large"
 * blocks): a struct large record, then a chunk header flagged C_LARGE.
 *
 * One lock guards all of it (heap_lock below; fork's part in lock.c).
 * Every internal function below expects the caller to hold it unless it
 * says otherwise. In front of it, each thread keeps a cache of small
 * chunks (struct tcache, cache.c) that it uses without the lock: those
 * chunks are in use as far as the heap knows, flagged C_CACHED.
 *
 * The names are short for reading; the defines below give them reserved
 * symbols, so a program may name its own functions bin_insert or heap.
 */
#ifndef BASALT_MALLOC_HEAP_H
#define BASALT_MALLOC_HEAP_H

#include "glue.h"
#include "../include/basalt/heap.h"

#define heap		__malloc_heap
#define heap_init	__malloc_heap_init
#define heap_crash	__malloc_heap_crash
#define heap_report	__malloc_heap_report
#define bin_index	__malloc_bin_index
#define bin_insert	__malloc_bin_insert
#define bin_remove	__malloc_bin_remove
#define bin_take_best	__malloc_bin_take_best
#define pool_grow	__malloc_pool_grow
#define brk_extend	__malloc_brk_extend
#define pool_give_back	__malloc_pool_give_back
#define chunk_use	__malloc_chunk_use
#define chunk_release	__malloc_chunk_release
#define chunk_checked	__malloc_chunk_checked
#define large_alloc	__malloc_large_alloc
#define large_unlink	__malloc_large_unlink
#define large_realloc	__malloc_large_realloc
#define tcache		__malloc_tcache
#define cache_malloc	__malloc_cache_malloc
#define cache_free	__malloc_cache_free
#define cache_flush_all	__malloc_cache_flush_all
#define cache_fork_child __malloc_cache_fork_child
#define cache_thread_end __malloc_thread_end
#define cache_check	__malloc_cache_check
#define cache_held	__malloc_cache_held
#define pool_holds	__malloc_pool_holds

/* The allocator's entry points, wrapped by the public functions. */
#define heap_malloc	__malloc_heap_malloc
#define heap_calloc	__malloc_heap_calloc
#define heap_free	__malloc_heap_free
#define heap_free_uncached __malloc_heap_free_uncached
#define heap_realloc	__malloc_heap_realloc
#define heap_memalign	__malloc_heap_memalign
#define heap_usable	__malloc_heap_usable
#define heap_trim	__malloc_heap_trim
#define heap_check	__malloc_heap_check
#define heap_census	__malloc_heap_census

/* ---- Chunks ---------------------------------------------------------- */

#define CHUNK_ALIGN	16UL
#define CHUNK_HEADER	16UL
#define CHUNK_MIN	32UL	/* header + the two bin links */

#define C_INUSE		1UL	/* handed out (fences count as in use) */
#define C_LARGE		2UL	/* mmapped on its own (large.c) */
#define C_FENCE		4UL	/* the header that closes a pool */
#define C_CACHED	8UL	/* in use, held by a thread cache (cache.c) */
#define C_FLAGS		15UL
#define C_SIZE_MASK	0x0000fffffffffff0UL
#define C_CHECK_SHIFT	48

/* Written over the header of a chunk swallowed by its free neighbour. */
#define C_MERGED	0x6d65726765645f5fUL

/* Requests above this are refused before any arithmetic can overflow. */
#define REQUEST_MAX	(1UL << 46)

struct chunk {
	size_t prev_size;	/* size of the chunk before; 0 if first */
	size_t head;		/* size | flags | check << C_CHECK_SHIFT */
	struct chunk *next;	/* free chunks only: links in their bin */
	struct chunk *prev;
};

static inline size_t chunk_size(const struct chunk *c)
{
	return c->head & C_SIZE_MASK;
}

static inline bool chunk_inuse(const struct chunk *c)
{
	return c->head & C_INUSE;
}

static inline struct chunk *chunk_next(const struct chunk *c)
{
	return (struct chunk *)((char *)c + chunk_size(c));
}

static inline struct chunk *chunk_prev(const struct chunk *c)
{
	return (struct chunk *)((char *)c - c->prev_size);
}

static inline void *chunk_payload(const struct chunk *c)
{
	return (char *)c + CHUNK_HEADER;
}

static inline struct chunk *payload_chunk(const void *p)
{
	return (struct chunk *)((char *)p - CHUNK_HEADER);
}

static inline uintptr_t align_up(uintptr_t x, uintptr_t a)
{
	return (x + a - 1) & ~(a - 1);
}

/* The chunk size that serves a request of n bytes (n <= REQUEST_MAX). */
static inline size_t request_size(size_t n)
{
	size_t s = align_up(n + CHUNK_HEADER, CHUNK_ALIGN);

	return s < CHUNK_MIN ? CHUNK_MIN : s;
}

/* ---- Pools and large blocks ----------------------------------------- */

#define POOL_MAGIC	0x706f6f6c5f626173UL
#define POOL_BRK	1
#define POOL_MMAP	2

struct pool {
	size_t magic;		/* POOL_MAGIC */
	struct pool *next;	/* every pool, newest first */
	struct pool *prev;
	size_t size;		/* from the pool's start to its end */
	unsigned kind;		/* POOL_BRK or POOL_MMAP */
};
#define POOL_HEADER	align_up(sizeof(struct pool), CHUNK_ALIGN)

static inline struct chunk *pool_first(const struct pool *p)
{
	return (struct chunk *)((char *)p + POOL_HEADER);
}

static inline struct chunk *pool_fence(const struct pool *p)
{
	return (struct chunk *)((char *)p + p->size - CHUNK_HEADER);
}

/* Lies just before the header of a large chunk. */
struct large {
	struct large *next;
	struct large *prev;
	void *base;		/* the mapping */
	size_t map_size;
};

/* ---- Sizes that steer the policy (docs/libbasalt.md explains them) -- */

#define MMAP_THRESHOLD_MIN	(128UL * 1024)	/* starting large-block size */
#define MMAP_THRESHOLD_MAX	(32UL * 1024 * 1024)
#define BRK_STEP		(128UL * 1024)	/* least growth of the break */
#define MMAP_POOL_SIZE		(1024UL * 1024)	/* least mmapped pool */
#define TRIM_THRESHOLD		(256UL * 1024)	/* free top that triggers trim */
#define TOP_KEEP		(64UL * 1024)	/* what a trim leaves */

/* ---- Bins ------------------------------------------------------------ */

/*
 * Chunks below 64 KiB have one bin per size (4094 bins of exactly one
 * size each); larger ones have four bins per power of two up to 1 MiB and
 * one bin beyond, each kept sorted by size. See bins.c. The first
 * SMALL_BINS sizes (below CACHE_LIMIT) are the thread caches' classes.
 */
#define CACHE_LIMIT	4096UL	/* chunks below this size are cached */
#define SMALL_BINS	(unsigned)(CACHE_LIMIT / CHUNK_ALIGN - 2)
#define EXACT_LIMIT	(64UL * 1024)
#define EXACT_BINS	(EXACT_LIMIT / CHUNK_ALIGN - 2)
#define NBINS		(EXACT_BINS + 4 * 4 + 1)
#define BINMAP_WORDS	((NBINS + 63) / 64)
#define BINSUM_WORDS	((BINMAP_WORDS + 63) / 64)

/* ---- Thread caches (cache.c) ---------------------------------------- */

/*
 * A thread's cache: for each small chunk size (the SMALL_BINS exact
 * sizes, 32 to 4080 bytes), a list of chunks of exactly that size,
 * linked through their payload's first word and flagged C_INUSE |
 * C_CACHED. Only its thread touches the lists; the registry links (every
 * live cache, for malloc_check) change under the heap lock.
 */
struct tcache {
	struct chunk *head[SMALL_BINS];
	uint16_t count[SMALL_BINS];
	bool registered;		/* in heap.caches */
	bool off;			/* its thread is ending: no caching */
	size_t blocks, bytes;		/* what the lists hold (usable bytes) */
	struct tcache *next, *prev;	/* heap.caches */
};

extern __thread struct tcache tcache;

/* ---- The state -------------------------------------------------------- */

struct heap {
	struct basalt_lock lock;	/* guards everything below */
	bool locked;			/* lock was taken: release it */
	/*
	 * Read by every call, lock or no lock, and written once: a cache
	 * line of their own, so that a thread taking the lock does not
	 * take them away from the other threads' caches (false sharing
	 * with the lock word cost the threads workloads their scaling).
	 */
	_Alignas(64) bool ready;	/* heap_init has run */
	bool no_cache;			/* the host unit test's core cases */
	size_t secret;			/* mixed into every header check */
	_Alignas(64) size_t mmap_threshold; /* requests this big are large */
	size_t trim_threshold;		/* a free brk top this big shrinks */
	struct chunk *bins[NBINS];	/* free chunks (bins.c) */
	uint64_t binmap[BINMAP_WORDS];	/* bit set: that bin is not empty */
	uint64_t binsum[BINSUM_WORDS];	/* bit set: that binmap word is not 0 */
	struct pool *pools;		/* every pool, newest first */
	struct pool *brk_pool;		/* the pool at the break, or NULL */
	bool brk_broken;		/* the break moved behind our back */
	struct large *large;		/* every large block */
	size_t live_blocks, live_bytes;	/* for the census and the check */
	size_t pool_count, pool_bytes;
	size_t large_count, large_bytes;
	struct tcache *caches;		/* every registered thread cache */
	size_t orphan_blocks, orphan_bytes; /* cached by threads fork left */
};

extern struct heap heap;

void heap_init(void);

/* ---- Header checks ---------------------------------------------------- */

/*
 * The 16 check bits of a header: a hash of its address, size and flags,
 * C_CACHED aside: a thread cache flips that flag on every free and
 * malloc of a small block, and a flip then needs no new hash. (A cached
 * chunk is still told from a live one by the flag; the flag alone could
 * be forged by a stray write, the size and the other flags not.)
 */
static inline size_t chunk_check_bits(const struct chunk *c, size_t head)
{
	uint64_t x = ((uintptr_t)c ^ (head & ~C_CACHED) ^ heap.secret) *
		     0x9e3779b97f4a7c15ULL;

	/* Never zero, so a zeroed header is never valid. */
	return ((x >> C_CHECK_SHIFT) | 1) << C_CHECK_SHIFT;
}

static inline void chunk_set(struct chunk *c, size_t size, size_t flags)
{
	size_t head = size | flags;

	c->head = head | chunk_check_bits(c, head);
}

static inline bool chunk_valid(const struct chunk *c)
{
	size_t head = c->head & ~(~0UL << C_CHECK_SHIFT);

	return c->head == (head | chunk_check_bits(c, head));
}

/* ---- Locking ---------------------------------------------------------- */

/*
 * The lock is taken only while other threads may run (glue_threaded).
 * heap.locked remembers whether this holder took it, because the answer
 * can change in between: a thread that ends while we are inside makes
 * us alone, and the lock we took must still be released. (It cannot
 * change the other way: only a thread outside the allocator creates
 * threads.) The uncontended paths are one atomic instruction, no system
 * call.
 */
static inline void heap_lock(void)
{
	if (glue_threaded()) {
		basalt_lock(&heap.lock);
		heap.locked = true;
	}
	if (!heap.ready)
		heap_init();
}

static inline void heap_unlock(void)
{
	if (heap.locked) {
		heap.locked = false;
		basalt_unlock(&heap.lock);
	}
}

/* ---- Internal operations ---------------------------------------------- */

/*
 * Prints "who: what (pointer p)" to standard error and aborts; for errors
 * found while serving a call (a double free, a bad pointer, a damaged
 * header). The lock may be held: the process ends.
 */
_Noreturn void heap_crash(const char *who, const char *what, const void *p);
/* Prints "malloc_check: what (pointer p)" to stderr; returns -1. */
int heap_report(const char *what, const void *p);

unsigned bin_index(size_t size);
void bin_insert(struct chunk *c);
void bin_remove(struct chunk *c);
struct chunk *bin_take_best(size_t size);

struct chunk *pool_grow(size_t size);
struct chunk *brk_extend(size_t size);
struct chunk *pool_give_back(struct chunk *c);

struct chunk *chunk_checked(void *p, const char *who);
void chunk_use(struct chunk *c, size_t size);
void chunk_release(struct chunk *c);

/* Takes the lock itself. */
void *large_alloc(size_t n, size_t align);
/* Unlinks a large block; the caller unmaps [*base, *base + *len). */
void large_unlink(struct chunk *c, void **base, size_t *len);
/* Resizes a large block in place or by mremap; NULL if it cannot. */
void *large_realloc(struct chunk *c, size_t n);

/* Is a chunk of this size served by the calling thread's cache? */
static inline bool cache_serves(size_t size)
{
	return size < CACHE_LIMIT && !tcache.off && !heap.no_cache;
}

/* The small-block paths of malloc and free (no lock unless refilling). */
void *cache_malloc(size_t size);
/* Caches pool chunk c (checked, in use, small); false if it cannot. */
bool cache_free(struct chunk *c);
/* Gives the calling thread's cached chunks back to the heap (locks). */
void cache_flush_all(void);
/* The calling thread ends: cache flushed, and off from now on. */
void cache_thread_end(void);
/* fork's child: the other threads' caches are gone (lock held). */
void cache_fork_child(void);
/* Does some pool hold chunk c? (A walk over the pools: for checks.) */
bool pool_holds(const struct chunk *c);
/* malloc_check's part: every cache's lists; counts what they hold. */
int cache_check(size_t *blocks, size_t *bytes);
/* What every cache (and the orphans) holds: blocks and usable bytes. */
void cache_held(size_t *blocks, size_t *bytes);

void *heap_malloc(size_t n);
void *heap_calloc(size_t n);
void heap_free(void *p);
/* free's locked path: the block goes to the heap, never to a cache. */
void heap_free_uncached(void *p);
void *heap_realloc(void *p, size_t n);
void *heap_memalign(size_t align, size_t n);
size_t heap_usable(void *p);
int heap_trim(void);
int heap_check(void);
void heap_census(struct malloc_census *out);

#endif
