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
 * Blocks of up to SMALL_MAX bytes do not use chunks at all: they come
 * from size-class pages owned by one thread each (struct page, struct
 * theap: page.c, small.c), which carry no per-block header.
 *
 * One lock guards the chunk heap, the pool of free pages and the lists
 * of abandoned pages (heap_lock below; fork's part in lock.c). Every
 * internal function below expects the caller to hold it unless it says
 * otherwise. A thread's own pages are its alone: it allocates from them
 * and frees to them without the lock or atomics.
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
#define pool_holds	__malloc_pool_holds
#define theap		__malloc_theap
#define small_class	__malloc_small_class
#define small_alloc_slow __malloc_small_alloc_slow
#define small_free_slow	__malloc_small_free_slow
#define small_bad_block	__malloc_small_bad_block
#define small_thread_end __malloc_thread_end
#define small_trim	__malloc_small_trim
#define small_fork_child __malloc_small_fork_child
#define small_check	__malloc_small_check
#define small_census	__malloc_small_census
#define small_memalign	__malloc_small_memalign
#define region_init	__malloc_region_init
#define page_take	__malloc_page_take
#define page_retire	__malloc_page_retire
#define page_collect	__malloc_page_collect
#define page_rebuild	__malloc_page_rebuild
#define pages_discard	__malloc_pages_discard

/* The allocator's entry points, wrapped by the public functions. */
#define heap_malloc	__malloc_heap_malloc
#define heap_calloc	__malloc_heap_calloc
#define heap_free	__malloc_heap_free
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
#define C_FLAGS		7UL
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
 * Chunks below 1 MiB have one bin per size (65534 bins of exactly one
 * size each); larger ones have four bins per power of two up to 4 MiB and
 * one bin beyond, each kept sorted by size. See bins.c.
 */
#define EXACT_LIMIT	(1024UL * 1024)
#define EXACT_BINS	(EXACT_LIMIT / CHUNK_ALIGN - 2)
#define NBINS		(EXACT_BINS + 2 * 4 + 1)
#define BINMAP_WORDS	((NBINS + 63) / 64)
#define BINSUM_WORDS	((BINMAP_WORDS + 63) / 64)

/* ---- Size-class pages (page.c, small.c) ----------------------------- */

/*
 * Requests of up to SMALL_MAX bytes are rounded up to one of NCLASSES
 * block sizes: every multiple of 16 up to 1 KiB (exact, as the chunk
 * heap's best fit was), then eight classes per doubling (1152, 1280,
 * ..., 2048, 2304, ..., 64 KiB): a step of at most an eighth, so a
 * block above 1 KiB wastes under 12.5% of its size, 6% on average.
 * Each block comes from a page (a span of PAGE_SPAN bytes) holding
 * blocks of one size only, with no header: the page's descriptor
 * (struct page) says what they are. A page's tail that holds no whole
 * block is never touched, so it costs no memory. A page holds at most
 * PAGE_MAX_BLOCKS blocks (the classes up to 112 bytes use only the
 * start of theirs): that bounds the descriptor's bitmap to 128 bytes,
 * and the descriptors of a program's pages are memory it keeps too
 * (a 1 KiB bitmap made them 4 MiB of the fragment workload's peak).
 *
 * Pages live in one region reserved at the first small request: the
 * descriptors of REGION_PAGES pages, then the pages themselves, so free
 * tells a page block from a chunk by one range check and finds its
 * descriptor by a shift. Reserved memory costs nothing until touched
 * (MAP_NORESERVE: not counted against overcommit either).
 */
#define SMALL_MAX	65536UL
#define CLASS_EXACT_LOG	10			/* 16-byte steps up to here */
#define CLASS_SPLIT_LOG	3			/* then 8 classes a doubling */
#define CLASS_EXACT	(1UL << CLASS_EXACT_LOG)
#define CLASS_SPLIT	(1U << CLASS_SPLIT_LOG)
#define EXACT_CLASSES	(unsigned)(CLASS_EXACT / 16)
#define NCLASSES	(EXACT_CLASSES + (16 - CLASS_EXACT_LOG) * CLASS_SPLIT)
#define PAGE_SHIFT_	17
#define PAGE_SPAN	(1UL << PAGE_SHIFT_)	/* 128 KiB */
#define PAGE_MAX_BLOCKS	1024UL		/* blocks a page holds, at most */
#define REGION_PAGES	(64UL * 1024)		/* 8 GiB of pages */
#define IDLE_KEEP	128			/* free pages kept, at least */

enum page_state { PG_FREE, PG_OWNED, PG_ABANDONED };

struct theap;

/*
 * A page's descriptor, in four parts on lines of their own: what every
 * free reads (written when the page is set up, carved or moved between
 * lists); what its owner writes on every call; the remote list, which
 * other threads write; the bitmap. A line the owner wrote on every call
 * and other threads' frees read would move between the CPUs' caches.
 * Its owner (or, for a free or abandoned page, the heap lock) writes
 * all but the remote list.
 */
struct page {
	char *start;		/* the first block */
	uint32_t size;		/* block size */
	uint16_t carved;	/* blocks [0, carved) were handed out once */
	uint16_t nblocks;	/* blocks that fit */
	uint64_t magic;		/* ceil(2^32 / (size / 16)): see block_index */
	struct theap *owner;	/* atomic: compared by every free */
	struct page *next, *prev; /* a circular list: its owner's, or the
				     abandoned list of its class */
	uint8_t cls;
	uint8_t state;		/* enum page_state */
	bool zero;		/* blocks from carved on are untouched zeros */
	bool resident;		/* a free page whose memory is still there */
	/* The owner's, on every call. */
	_Alignas(64) void *free; /* free blocks, linked by their first word */
	uint16_t used;		/* in use, remote frees not yet collected too */
	bool full;		/* on its owner's full list */
	/* Other threads' frees, pushed with a CAS; the owner takes all. */
	_Alignas(64) void *remote;
	/* Bit set: the block is in use. Written by the owner only. */
	_Alignas(64) uint64_t bits[PAGE_MAX_BLOCKS / 64];
};

/*
 * A thread's own pages, per class: avail, whose first page serves
 * malloc, and full (no block left when last looked at). Only its thread
 * touches them; the registry links change under the heap lock.
 */
struct theap {
	struct page *avail[NCLASSES];
	struct page *full[NCLASSES];
	bool registered;		/* in heap.theaps */
	bool off;			/* its thread is ending: no pages */
	struct theap *next, *prev;	/* heap.theaps */
};

extern __thread struct theap theap;
/* The class of a request of n bytes, by (n + 15) / 16 (filled in by
 * region_init; class_of says the same, slower). */
extern uint8_t small_class[SMALL_MAX / 16 + 1];

/* The class of a request of n <= SMALL_MAX bytes. */
static inline unsigned class_of(size_t n)
{
	if (n <= CLASS_EXACT)
		return n <= 16 ? 0 : (unsigned)((n + 15) / 16 - 1);
	unsigned lg = 63 - __builtin_clzl(n - 1);	/* 2^lg < n <= 2^(lg+1) */
	size_t step = 1UL << (lg - CLASS_SPLIT_LOG);

	return EXACT_CLASSES + (lg - CLASS_EXACT_LOG) * CLASS_SPLIT +
	       (unsigned)((n - (1UL << lg) + step - 1) / step) - 1;
}

/* The block size of class cls. */
static inline size_t class_bytes(unsigned cls);

/* How many blocks a page of class cls holds. */
static inline unsigned class_blocks(unsigned cls)
{
	size_t n = PAGE_SPAN / class_bytes(cls);

	return (unsigned)(n < PAGE_MAX_BLOCKS ? n : PAGE_MAX_BLOCKS);
}

static inline size_t class_bytes(unsigned cls)
{
	if (cls < EXACT_CLASSES)
		return (cls + 1) * 16UL;
	unsigned j = cls - EXACT_CLASSES;
	unsigned lg = CLASS_EXACT_LOG + j / CLASS_SPLIT;

	return (1UL << lg) + (j % CLASS_SPLIT + 1) *
	       (1UL << (lg - CLASS_SPLIT_LOG));
}

/* Circular lists of pages: *head is the first, NULL when empty. */
static inline void page_list_add(struct page **head, struct page *pg)
{
	struct page *h = *head;

	if (!h) {
		pg->next = pg->prev = pg;
	} else {
		pg->next = h;
		pg->prev = h->prev;
		h->prev->next = pg;
		h->prev = pg;
	}
	*head = pg;
}

/* Adds pg at the end: *head stays first (unless the list was empty). */
static inline void page_list_add_tail(struct page **head, struct page *pg)
{
	struct page *h = *head;

	page_list_add(head, pg);
	if (h)
		*head = h;
}

static inline void page_list_del(struct page **head, struct page *pg)
{
	if (pg->next == pg) {
		*head = NULL;
		return;
	}
	pg->prev->next = pg->next;
	pg->next->prev = pg->prev;
	if (*head == pg)
		*head = pg->next;
}

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
	bool no_pages;			/* the host unit test's core cases */
	size_t secret;			/* mixed into every header check */
	struct page *pages;		/* the region's descriptors, or NULL */
	char *page_base;		/* the first page */
	size_t page_limit;		/* REGION_PAGES * PAGE_SPAN once there */
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
	struct theap *theaps;		/* every registered thread heap */
	struct page *abandoned[NCLASSES]; /* pages of threads that ended */
	size_t page_top;		/* pages [0, page_top) were ever used */
	size_t page_count;		/* pages owned or abandoned */
	size_t page_peak;		/* the most page_count has been */
	size_t idle_pages;		/* free pages still resident */
	struct page *idle[NCLASSES];	/* those, by the class they last had */
	uint64_t free_map[REGION_PAGES / 64]; /* bit set: that page is free */
	uint64_t free_sum[REGION_PAGES / 4096]; /* bit: that word is not 0 */
	bool region_failed;		/* the reservation was refused */
};

extern struct heap heap;

void heap_init(void);

/* ---- Header checks ---------------------------------------------------- */

/*
 * The 16 check bits of a header: a hash of its address, size and flags.
 */
static inline size_t chunk_check_bits(const struct chunk *c, size_t head)
{
	uint64_t x = ((uintptr_t)c ^ head ^ heap.secret) *
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

/* ---- Small blocks (small.c, page.c) ---------------------------------- */

/* Which block of page pg starts off bytes in (off < PAGE_SPAN, exact
 * when off is a multiple of the size: check idx * size == off). */
static inline uint32_t block_index(const struct page *pg, size_t off)
{
	return (uint32_t)(((off >> 4) * pg->magic) >> 32);
}

static inline bool page_block(const void *p)
{
	return (uintptr_t)p - (uintptr_t)heap.page_base < heap.page_limit;
}

static inline struct page *page_of(const void *p)
{
	return &heap.pages[((uintptr_t)p - (uintptr_t)heap.page_base) >>
			   PAGE_SHIFT_];
}

static inline char *page_data(const struct page *pg)
{
	return heap.page_base + ((size_t)(pg - heap.pages) << PAGE_SHIFT_);
}

static inline uint64_t bits_load(const uint64_t *w)
{
	return __atomic_load_n(w, __ATOMIC_RELAXED);
}

static inline void bits_store(uint64_t *w, uint64_t v)
{
	__atomic_store_n(w, v, __ATOMIC_RELAXED);
}

/* The owner hands out block b of pg, checked: a damaged link stops here. */
static inline void *page_pop(struct page *pg, char *b)
{
	size_t off = (size_t)(b - pg->start);
	uint32_t idx = block_index(pg, off);
	uint64_t *w = &pg->bits[idx / 64], bit = 1ULL << (idx % 64);

	if (off >= (size_t)pg->carved * pg->size || idx * pg->size != off ||
	    (bits_load(w) & bit))
		heap_crash("malloc", "corrupted free list (use after free?)",
			   b);
	bits_store(w, bits_load(w) | bit);
	pg->free = *(void **)b;
	pg->used++;
	return b;
}

/* A small block from the calling thread's pages, or NULL when they cannot
 * serve (no region, the thread is ending): the chunk heap then does.
 * *fresh says whether the block is untouched zeros. Unless exact, the
 * block may be of a class a little bigger than n's (small.c, borrow). */
void *small_alloc_slow(size_t n, bool *fresh, bool exact);

static inline void *small_alloc(size_t n, bool *fresh)
{
	unsigned cls = small_class[(n + 15) / 16];
	struct page *pg = theap.avail[cls];

	*fresh = false;
	if (__builtin_expect(pg && pg->free, 1))
		return page_pop(pg, pg->free);
	return small_alloc_slow(n, fresh, false);
}

/* Says what is wrong with page block p, for who, and aborts. */
_Noreturn void small_bad_block(const struct page *pg, const void *p,
			       const char *who);

/*
 * Checks page block p for who (free, realloc, malloc_usable_size): on a
 * block boundary of a page in use, handed out and not freed. Crashes
 * loudly otherwise. Returns its page.
 */
static inline struct page *small_check_block(const void *p, const char *who)
{
	struct page *pg = page_of(p);
	size_t off = (size_t)((const char *)p - pg->start);
	uint32_t idx = block_index(pg, off);

	if (__builtin_expect(off >= (size_t)pg->carved * pg->size ||
			     idx * pg->size != off ||
			     !(bits_load(&pg->bits[idx / 64]) &
			       (1ULL << (idx % 64))), 0))
		small_bad_block(pg, p, who);
	return pg;
}
/* free's page half, after the range check. */
void small_free_slow(struct page *pg, void *p);

static inline void small_free(void *p)
{
	struct page *pg = small_check_block(p, "free");
	uint32_t idx = block_index(pg, (size_t)((char *)p - pg->start));
	uint64_t *w = &pg->bits[idx / 64];

	if (__builtin_expect(__atomic_load_n(&pg->owner, __ATOMIC_RELAXED) ==
			     &theap && !pg->full && pg->used > 1, 1)) {
		bits_store(w, bits_load(w) & ~(1ULL << (idx % 64)));
		*(void **)p = pg->free;
		pg->free = p;
		pg->used--;
		return;
	}
	small_free_slow(pg, p);
}

/* A block of n bytes aligned to align from a page, or NULL. */
void *small_memalign(size_t align, size_t n);
/* The calling thread ends: its pages go back or are abandoned. */
void small_thread_end(void);
/* malloc_trim's part: empty pages back to the kernel. 1 if any went. */
int small_trim(void);
/* fork's child: the other threads' pages are abandoned (lock held). */
void small_fork_child(void);
/* malloc_check's part (lock held): 0, or -1 after a report. */
int small_check(void);
/* Adds what the pages hold (lock held). */
void small_census(struct malloc_census *out);

/* page.c, lock held: */
bool region_init(void);
/* A page for class cls owned by th: abandoned or from the pool. */
struct page *page_take(struct theap *th, unsigned cls);
void page_retire(struct page *pg);
/* Gives free pages' memory back; all of it when all is true. */
size_t pages_discard(bool all);
/* fork's child: a page left by another thread made whole from its bits. */
void page_rebuild(struct page *pg);

/* The owner takes the remote frees of pg into its free list. */
void page_collect(struct page *pg);

void *heap_malloc(size_t n);
void *heap_calloc(size_t n);
void heap_free(void *p);
void *heap_realloc(void *p, size_t n);
void *heap_memalign(size_t align, size_t n);
size_t heap_usable(void *p);
int heap_trim(void);
int heap_check(void);
void heap_census(struct malloc_census *out);

#endif
