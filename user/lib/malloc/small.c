/*
 * small.c - blocks of up to SMALL_MAX bytes, from size-class pages that
 * one thread owns (the layout is in heap.h, the pages' pool in page.c).
 *
 * A thread allocates from the first page of its class's avail list:
 * pop the page's free list (heap.h, page_pop), else take back what other
 * threads freed into the page, else use one of the next few avail pages
 * that has free blocks, else carve the next untouched block (a bump
 * pointer, so memory never handed out is never touched), else move the
 * page to the full list and try the next. With no page left it looks
 * at a few full pages for remote frees (rotating, so all are looked at
 * in turn), then adopts an abandoned page or takes a new one from the
 * pool, under the heap lock: the only lock on this path, once a page.
 *
 * free finds the page by the block's address (one range check tells a
 * page block from a chunk) and checks the block: on a block boundary,
 * carved, its bit set in the page's bitmap (clear: a double free). The
 * owner clears the bit and pushes the block on the page's free list: no
 * lock, no atomic instruction. Another thread pushes it on the page's
 * remote list with a CAS; the owner takes the whole list with one
 * exchange when its free list runs dry, clearing the bits then (a block
 * on the remote list twice is a double free found there).
 *
 * When a thread ends, its empty pages go back to the pool and the others
 * are abandoned to the heap, where the next thread short of a page of
 * that class adopts them; remote frees into them keep going to their
 * remote lists throughout. fork's child abandons the other threads'
 * pages after rebuilding them from their bitmaps (page_rebuild).
 */
#include "heap.h"

__thread struct theap theap;

static void theap_register(struct theap *th)
{
	th->registered = true;
	th->prev = NULL;
	th->next = heap.theaps;
	if (th->next)
		th->next->prev = th;
	heap.theaps = th;
}

static void theap_unregister(struct theap *th)
{
	if (th->prev)
		th->prev->next = th->next;
	else
		heap.theaps = th->next;
	if (th->next)
		th->next->prev = th->prev;
	th->registered = false;
}

/* Block b of pg, checked, or a crash: what a remote list holds. */
static uint32_t remote_index(const struct page *pg, const char *b)
{
	size_t off = (size_t)(b - pg->start);
	uint32_t idx = block_index(pg, off);

	if (off >= (size_t)pg->carved * pg->size || idx * pg->size != off)
		heap_crash("free", "corrupted remote free list (use after "
			   "free?)", b);
	return idx;
}

void page_collect(struct page *pg)
{
	char *b = __atomic_exchange_n(&pg->remote, NULL, __ATOMIC_ACQUIRE);

	while (b) {
		uint32_t idx = remote_index(pg, b);
		uint64_t *w = &pg->bits[idx / 64], bit = 1ULL << (idx % 64);
		char *next = *(char **)b;

		/* Freed twice by other threads before we came. */
		if (!(bits_load(w) & bit))
			heap_crash("free", "double free", b);
		bits_store(w, bits_load(w) & ~bit);
		*(void **)b = pg->free;
		pg->free = b;
		pg->used--;
		b = next;
	}
}

/*
 * The next untouched block of pg (carved < nblocks), for the caller; the
 * blocks after it that start in the 4 KiB page where it ends go on the
 * free list, so the next calls take the fast path without touching more
 * memory: a page's memory is touched a little at a time, as it is used.
 * Only the first is known to be fresh (calloc clears the others).
 */
static void *page_bump(struct page *pg, bool *fresh)
{
	uint32_t idx = pg->carved;
	char *b = pg->start + (size_t)idx * pg->size;
	uint64_t *w = &pg->bits[idx / 64];
	/* The blocks that start in the same 4 KiB as this one ends. */
	uintptr_t end = align_up((uintptr_t)b + pg->size, GLUE_PAGE);
	uint32_t k = (uint32_t)((end - (uintptr_t)b) / pg->size);

	if (k > pg->nblocks - idx)
		k = pg->nblocks - idx;
	for (uint32_t j = k; j-- > 1;) {
		char *x = b + (size_t)j * pg->size;

		*(void **)x = pg->free;
		pg->free = x;
	}
	pg->carved = (uint16_t)(idx + (k ? k : 1));
	bits_store(w, bits_load(w) | 1ULL << (idx % 64));
	pg->used++;
	*fresh = pg->zero;
	return b;
}

/* Looks at a few full pages for remote frees; true if one now has some. */
static bool reclaim(struct theap *th, unsigned cls)
{
	bool found = false;
	struct page *pg;

	for (int k = 0; k < 8 && (pg = th->full[cls]); k++) {
		if (!__atomic_load_n(&pg->remote, __ATOMIC_RELAXED)) {
			th->full[cls] = pg->next;	/* rotate */
			continue;
		}
		page_list_del(&th->full[cls], pg);
		pg->full = false;
		page_collect(pg);
		page_list_add_tail(&th->avail[cls], pg);
		found = true;
	}
	return found;
}

/* A new page for class cls, adopted or from the pool; false if none. */
static bool page_get(struct theap *th, unsigned cls)
{
	bool joined = false;

	heap_lock();
	if (!th->registered) {
		theap_register(th);
		joined = true;
	}
	struct page *pg = page_take(th, cls);
	heap_unlock();
	if (joined)
		glue_watch_thread(small_thread_end);
	if (!pg)
		return false;
	page_collect(pg);	/* an adopted page may have remote frees */
	page_list_add(&th->avail[cls], pg);
	return true;
}

/*
 * Another of the first few avail pages after pg with a free block (its
 * remote frees taken), or NULL: freed blocks are used before untouched
 * ones are carved, or every page of a class would end up carved whole.
 */
static struct page *other_with_free(struct page *pg)
{
	struct page *o = pg->next;

	for (int k = 0; k < 4 && o != pg; k++, o = o->next) {
		if (__atomic_load_n(&o->remote, __ATOMIC_RELAXED))
			page_collect(o);
		if (o->free)
			return o;
	}
	return NULL;
}

/*
 * A free block of one of the next classes up, at most a quarter bigger
 * than n, or NULL; from their first avail pages' free lists only (their
 * remote lists are the owner's to take: collecting them here cost the
 * prodcons workload two thirds of its speed). A class holds its own
 * freed blocks, so without this the memory of the classes adds up their
 * peaks; with it, neighbouring classes share their free blocks (and the
 * blocks carved ahead), and a class at its peak takes a neighbour's
 * rather than carving more: the threads workloads' peak RSS fell 14%.
 */
static void *borrow(struct theap *th, unsigned cls, size_t n)
{
	size_t limit = n + n / 4;

	for (unsigned c = cls + 1; c < NCLASSES && class_bytes(c) <= limit;
	     c++) {
		struct page *pg = th->avail[c];

		if (pg && pg->free)
			return page_pop(pg, pg->free);
	}
	return NULL;
}

void *small_alloc_slow(size_t n, bool *fresh, bool exact)
{
	struct theap *th = &theap;
	unsigned cls = class_of(n);
	struct page *pg;

	if (th->off || heap.no_pages)
		return NULL;
	for (;;) {
		while ((pg = th->avail[cls])) {
			if (__atomic_load_n(&pg->remote, __ATOMIC_RELAXED))
				page_collect(pg);
			if (pg->free)
				return page_pop(pg, pg->free);
			struct page *o = other_with_free(pg);
			if (o) {
				th->avail[cls] = o;	/* pg goes last */
				return page_pop(o, o->free);
			}
			if (pg->carved < pg->nblocks)
				break;
			page_list_del(&th->avail[cls], pg);
			pg->full = true;
			page_list_add_tail(&th->full[cls], pg);
		}
		if (!pg && reclaim(th, cls))
			continue;
		/* No free block of the class: a neighbour's, else carve. */
		void *b = exact ? NULL : borrow(th, cls, n);
		if (b)
			return b;
		if (pg)
			return page_bump(pg, fresh);
		if (!page_get(th, cls))
			return NULL;
	}
}

/* A page of ours went empty: back to the pool unless it is the one we
 * allocate from (so that a block freed and allocated in turn does not
 * take a page from the pool each time). */
static void page_emptied(struct theap *th, struct page *pg)
{
	if (th->avail[pg->cls] == pg)
		return;
	page_list_del(&th->avail[pg->cls], pg);
	heap_lock();
	page_retire(pg);
	heap_unlock();
}

void small_free_slow(struct page *pg, void *p)
{
	struct theap *th = &theap;
	uint32_t idx = block_index(pg, (size_t)((char *)p - pg->start));
	uint64_t *w = &pg->bits[idx / 64];

	if (__atomic_load_n(&pg->owner, __ATOMIC_RELAXED) != th) {
		void *head = __atomic_load_n(&pg->remote, __ATOMIC_RELAXED);

		do
			*(void **)p = head;
		while (!__atomic_compare_exchange_n(&pg->remote, &head, p, true,
						    __ATOMIC_RELEASE,
						    __ATOMIC_RELAXED));
		return;
	}
	bits_store(w, bits_load(w) & ~(1ULL << (idx % 64)));
	*(void **)p = pg->free;
	pg->free = p;
	pg->used--;
	if (pg->full) {
		page_list_del(&th->full[pg->cls], pg);
		pg->full = false;
		page_list_add_tail(&th->avail[pg->cls], pg);
	}
	if (pg->used == 0)
		page_emptied(th, pg);
}

_Noreturn void small_bad_block(const struct page *pg, const void *p,
			       const char *who)
{
	size_t off = (size_t)((const char *)p - pg->start);

	if ((uintptr_t)p % 16)
		heap_crash(who, "invalid pointer (misaligned)", p);
	if (pg->state == PG_FREE)
		heap_crash(who, "invalid pointer or double free (its page is "
			   "free)", p);
	if (off >= (size_t)pg->carved * pg->size)
		heap_crash(who, "invalid pointer (never handed out)", p);
	if (block_index(pg, off) * pg->size != off)
		heap_crash(who, "invalid pointer (not the start of a block)", p);
	heap_crash(who, "double free", p);
}

void *small_memalign(size_t align, size_t n)
{
	bool fresh;

	/* Blocks of a size that align divides are all aligned: the pages
	 * start on a 4 KiB boundary. */
	for (unsigned cls = class_of(n); cls < NCLASSES; cls++) {
		if (class_bytes(cls) % align)
			continue;
		struct page *pg = theap.avail[cls];

		if (pg && pg->free)
			return page_pop(pg, pg->free);
		/* Exact: a borrowed block of another class may be
		 * misaligned. */
		return small_alloc_slow(class_bytes(cls), &fresh, true);
	}
	return NULL;
}

/*
 * Calls fn on each page of list *head, which is emptied first: fn puts
 * the page back on it, or elsewhere.
 */
static void list_drain(struct page **head, void (*fn)(struct page **,
						       struct page *))
{
	struct page *pg = *head;

	*head = NULL;
	if (!pg)
		return;
	pg->prev->next = NULL;
	while (pg) {
		struct page *next = pg->next;

		fn(head, pg);
		pg = next;
	}
}

/* A page of an ending thread (lock held): retired if empty, else left
 * for another thread to adopt. */
static void page_abandon(struct page **head, struct page *pg)
{
	(void)head;
	page_collect(pg);
	pg->full = false;
	if (pg->used == 0) {
		page_retire(pg);
		return;
	}
	__atomic_store_n(&pg->owner, NULL, __ATOMIC_RELAXED);
	pg->state = PG_ABANDONED;
	page_list_add_tail(&heap.abandoned[pg->cls], pg);
}

void small_thread_end(void)
{
	struct theap *th = &theap;

	th->off = true;
	if (!th->registered)
		return;
	heap_lock();
	for (unsigned cls = 0; cls < NCLASSES; cls++) {
		list_drain(&th->avail[cls], page_abandon);
		list_drain(&th->full[cls], page_abandon);
	}
	theap_unregister(th);
	heap_unlock();
}

/* malloc_trim, on a page of ours or an abandoned one (lock held). */
static void page_trim(struct page **head, struct page *pg)
{
	page_collect(pg);
	if (pg->used == 0)
		page_retire(pg);
	else
		page_list_add_tail(head, pg);
}

/* The same on one of our full pages: one with room is not full. */
static void page_trim_full(struct page **head, struct page *pg)
{
	page_collect(pg);
	if (pg->used == 0) {
		page_retire(pg);
	} else if (pg->free) {
		pg->full = false;
		page_list_add_tail(&theap.avail[pg->cls], pg);
	} else {
		page_list_add_tail(head, pg);
	}
}

int small_trim(void)
{
	struct theap *th = &theap;

	heap_lock();
	for (unsigned cls = 0; cls < NCLASSES; cls++) {
		list_drain(&th->avail[cls], page_trim);
		list_drain(&th->full[cls], page_trim_full);
		list_drain(&heap.abandoned[cls], page_trim);
	}
	int released = pages_discard(true) > 0;
	heap_unlock();
	return released;
}

void small_fork_child(void)
{
	heap.theaps = NULL;
	if (theap.registered)
		theap_register(&theap);
	for (size_t i = 0; i < heap.page_top; i++) {
		struct page *pg = &heap.pages[i];

		if (pg->state != PG_OWNED || pg->owner == &theap)
			continue;
		page_rebuild(pg);
		pg->owner = NULL;
		pg->full = false;
		pg->state = PG_ABANDONED;
		page_list_add_tail(&heap.abandoned[pg->cls], pg);
	}
}
