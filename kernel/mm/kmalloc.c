/*
 * kmalloc: the kernel's allocator for small objects (docs/physical-memory.md).
 *
 * Requests up to KMALLOC_MAX_SIZE are rounded up to a power-of-two size
 * class (16 .. 2048 bytes) and served from that class's cache. A cache owns
 * slabs; a slab is one page cut into objects of the class size, so every
 * object is aligned to its size (hence always to 16). Larger requests take
 * 2^order whole frames from the page allocator.
 *
 * A slab keeps its bookkeeping in its struct page, not in the page itself,
 * so a 2048-byte class still fits two objects per page:
 *   flags      PG_SLAB
 *   owner      the cache
 *   list       link on the cache's partial or full list
 *   refcount   1 + live objects (the allocator's reference plus one per
 *              object; free_pages() sees the usual 1 when the slab empties)
 *   slab_free  index of the first free object, while the slab is not full
 * Free objects form a singly linked list through their first word; the
 * second word holds a poison value tied to the object's address.
 *
 * With fault injection on (mm/fault_inject.h), a kmalloc call may fail on
 * purpose, before anything is taken.
 *
 * A slab that becomes empty goes straight back to the page allocator: no
 * empty slabs are cached, so the free-page count returns exactly to where
 * it started once every object is freed, and leak tests can rely on it.
 *
 * Misuse panics: kfree of a pointer that is not the start of a live object
 * (detected by the slab page and the offset), and double free (the poison
 * word says "maybe free", then a walk of that slab's free list, at most
 * 256 steps, confirms it, so live data that happens to hold the poison
 * value never causes a false alarm). A poison or link that is wrong when
 * an object is handed out means a freed object was written to: panic.
 */
#include <types.h>
#include <lib/list.h>
#include <lib/printk.h>
#include <lib/string.h>
#include <sync/spinlock.h>
#include <mm/fault_inject.h>
#include <mm/page.h>
#include <mm/kmalloc.h>

#define KMALLOC_MIN_SHIFT	4
#define KMALLOC_MAX_SHIFT	11
#define KMALLOC_MAX_SIZE	(1UL << KMALLOC_MAX_SHIFT)
#define KMALLOC_NR_CACHES	(KMALLOC_MAX_SHIFT - KMALLOC_MIN_SHIFT + 1)

#define FREE_POISON		0x5ab5ab5ab5ab5ab5UL

/* slab_free is 8 bits wide; two words of link and poison must fit. */
_Static_assert((PAGE_SIZE >> KMALLOC_MIN_SHIFT) <= 256, "slab too large");
_Static_assert((1UL << KMALLOC_MIN_SHIFT) >= 16, "objects too small");

struct free_obj {
	struct free_obj *next;	/* next free object of this slab, or NULL */
	uint64_t poison;	/* FREE_POISON ^ address while free */
};

struct kmem_cache {
	struct spinlock lock;
	uint32_t shift;		/* object size is 1 << shift */
	uint32_t per_slab;	/* objects in one slab page */
	/* Guarded by lock: */
	struct list_head partial;	/* slabs with free objects */
	struct list_head full;		/* slabs without */
	uint64_t slab_pages;
	uint64_t objects;		/* live objects */
};

#define CACHE(sh, name)							\
	[(sh) - KMALLOC_MIN_SHIFT] = {					\
		.lock = SPINLOCK_INIT(name),				\
		.shift = (sh),						\
		.per_slab = PAGE_SIZE >> (sh),				\
		.partial = LIST_HEAD_INIT(				\
			kmalloc_caches[(sh) - KMALLOC_MIN_SHIFT].partial), \
		.full = LIST_HEAD_INIT(					\
			kmalloc_caches[(sh) - KMALLOC_MIN_SHIFT].full),	\
	}

static struct kmem_cache kmalloc_caches[KMALLOC_NR_CACHES] = {
	CACHE(4, "kmalloc-16"),
	CACHE(5, "kmalloc-32"),
	CACHE(6, "kmalloc-64"),
	CACHE(7, "kmalloc-128"),
	CACHE(8, "kmalloc-256"),
	CACHE(9, "kmalloc-512"),
	CACHE(10, "kmalloc-1024"),
	CACHE(11, "kmalloc-2048"),
};

/* The owner of the head frame of every large allocation. */
static const char kmalloc_large_tag;
static uint64_t large_pages;	/* atomic */

static uint64_t poison_of(const struct free_obj *obj)
{
	return FREE_POISON ^ (uintptr_t)obj;
}

static struct free_obj *slab_obj(const struct kmem_cache *c,
				 const struct page *pg, unsigned int idx)
{
	return (struct free_obj *)((char *)page_to_virt(pg) +
				   ((size_t)idx << c->shift));
}

static unsigned int slab_index(const struct kmem_cache *c,
			       const struct page *pg, const void *p)
{
	return (unsigned int)(((const char *)p -
			       (const char *)page_to_virt(pg)) >> c->shift);
}

static uint32_t slab_live(const struct page *pg)
{
	return pg->refcount - 1;
}

/* A fresh slab for c, every object free; NULL when out of memory. */
static struct page *slab_create(struct kmem_cache *c)
{
	struct page *pg = alloc_pages(0);

	if (!pg)
		return NULL;
	for (unsigned int i = 0; i < c->per_slab; i++) {
		struct free_obj *obj = slab_obj(c, pg, i);

		obj->next = i + 1 < c->per_slab ? slab_obj(c, pg, i + 1) : NULL;
		obj->poison = poison_of(obj);
	}
	pg->flags = PG_SLAB;
	pg->owner = c;
	pg->slab_free = 0;
	return pg;
}

/* Give an empty slab, already off the cache's lists, back to the pages. */
static void slab_destroy(struct page *pg)
{
	pg->flags &= ~PG_SLAB;
	pg->owner = NULL;
	pg->slab_free = 0;
	free_pages(pg, 0);
}

/* Whether obj is on pg's free list. Called with c->lock held. */
static bool slab_obj_is_free(struct kmem_cache *c, struct page *pg,
			     const struct free_obj *obj)
{
	const struct free_obj *f;
	uint32_t steps = c->per_slab - slab_live(pg);

	spin_assert_held(&c->lock);
	if (steps == 0)
		return false;
	f = slab_obj(c, pg, pg->slab_free);
	for (; f && steps > 0; f = f->next, steps--)
		if (f == obj)
			return true;
	return false;
}

/* Take the first free object of a partial slab. Called with c->lock held. */
static void *slab_take(struct kmem_cache *c, struct page *pg)
{
	struct free_obj *obj = slab_obj(c, pg, pg->slab_free);
	bool now_full = slab_live(pg) + 1 == c->per_slab;
	char *base = page_to_virt(pg);

	spin_assert_held(&c->lock);
	if (obj->poison != poison_of(obj) || (now_full != !obj->next) ||
	    (obj->next && ((char *)obj->next < base ||
			   (char *)obj->next >= base + PAGE_SIZE ||
			   !IS_ALIGNED((uintptr_t)obj->next, 1UL << c->shift))))
		panic("kmalloc: free object %p of %s corrupted "
		      "(written after kfree?)", (void *)obj, c->lock.name);
	if (now_full) {
		list_del(&pg->list);
		list_add(&pg->list, &c->full);
	} else {
		pg->slab_free = slab_index(c, pg, obj->next);
	}
	pg->refcount++;
	obj->next = NULL;
	obj->poison = 0;
	return obj;
}

static void *cache_alloc(struct kmem_cache *c)
{
	struct page *pg;
	void *p;

	spin_lock(&c->lock);
	if (list_empty(&c->partial)) {
		/* Not holding c->lock while the page allocator works. */
		spin_unlock(&c->lock);
		pg = slab_create(c);
		if (!pg)
			return NULL;
		spin_lock(&c->lock);
		list_add(&pg->list, &c->partial);
		c->slab_pages++;
	}
	pg = list_first_entry(&c->partial, struct page, list);
	p = slab_take(c, pg);
	c->objects++;
	spin_unlock(&c->lock);
	return p;
}

static void cache_free(struct kmem_cache *c, struct page *pg, void *p)
{
	struct free_obj *obj = p;
	bool was_full;

	if (!IS_ALIGNED((uintptr_t)p, 1UL << c->shift))
		panic("kfree: %p is inside an object of %s", p, c->lock.name);
	spin_lock(&c->lock);
	if (obj->poison == poison_of(obj) && slab_obj_is_free(c, pg, obj))
		panic("kfree: double free of %p (%s)", p, c->lock.name);
	was_full = slab_live(pg) == c->per_slab;
	obj->next = was_full ? NULL : slab_obj(c, pg, pg->slab_free);
	obj->poison = poison_of(obj);
	pg->slab_free = slab_index(c, pg, obj);
	pg->refcount--;
	c->objects--;
	if (slab_live(pg) == 0) {
		list_del(&pg->list);
		c->slab_pages--;
		spin_unlock(&c->lock);
		slab_destroy(pg);
		return;
	}
	if (was_full) {
		list_del(&pg->list);
		list_add(&pg->list, &c->partial);
	}
	spin_unlock(&c->lock);
}

static void *large_alloc(size_t size)
{
	unsigned int order = 0;
	struct page *pg;

	while ((PAGE_SIZE << order) < size)
		if (++order >= MAX_ORDER)
			return NULL;
	pg = alloc_pages(order);
	if (!pg)
		return NULL;
	pg->owner = (void *)&kmalloc_large_tag;
	__atomic_fetch_add(&large_pages, 1UL << order, __ATOMIC_RELAXED);
	return page_to_virt(pg);
}

static void large_free(struct page *pg)
{
	unsigned int order = pg->order;

	pg->owner = NULL;
	__atomic_fetch_sub(&large_pages, 1UL << order, __ATOMIC_RELAXED);
	free_pages(pg, order);
}

/* kmalloc for the function at caller (fault injection names it). */
static void *kmalloc_from(size_t size, const void *caller)
{
	unsigned int shift = KMALLOC_MIN_SHIFT;

	if (fault_inject_should_fail(FAULT_KMALLOC, caller))
		return NULL;
	if (size > KMALLOC_MAX_SIZE)
		return large_alloc(size);
	while ((1UL << shift) < size)
		shift++;
	return cache_alloc(&kmalloc_caches[shift - KMALLOC_MIN_SHIFT]);
}

/*
 * size bytes aligned to the smaller of their size class and a page, and at
 * least to 16; kmalloc(0) returns a unique 16-byte object. NULL when out of
 * memory or when size exceeds the largest buddy block.
 */
void *kmalloc(size_t size)
{
	return kmalloc_from(size, __builtin_return_address(0));
}

/* kmalloc, zero-filled. */
void *kzalloc(size_t size)
{
	void *p = kmalloc_from(size, __builtin_return_address(0));

	if (p)
		memset(p, 0, size);
	return p;
}

/* Free what kmalloc returned; kfree(NULL) does nothing. Anything else panics. */
void kfree(void *p)
{
	uint64_t pfn;
	struct page *pg;

	if (!p)
		return;
	pfn = virt_to_phys(p) >> PAGE_SHIFT;
	if (pfn >= page_array_len)
		panic("kfree: %p is not kernel memory", p);
	pg = pfn_to_page(pfn);
	if (pg->flags & PG_SLAB) {
		struct kmem_cache *c = pg->owner;

		if (c < kmalloc_caches || c >= kmalloc_caches + KMALLOC_NR_CACHES)
			panic("kfree: slab page of %p has a bad owner", p);
		cache_free(c, pg, p);
	} else if (pg->owner == &kmalloc_large_tag && pg->refcount == 1 &&
		   IS_ALIGNED((uintptr_t)p, PAGE_SIZE)) {
		large_free(pg);
	} else {
		panic("kfree: %p is not a live kmalloc object", p);
	}
}

/* A snapshot of the allocator's holdings. */
void kmalloc_get_stats(struct kmalloc_stats *st)
{
	memset(st, 0, sizeof(*st));
	for (unsigned int i = 0; i < KMALLOC_NR_CACHES; i++) {
		struct kmem_cache *c = &kmalloc_caches[i];

		spin_lock(&c->lock);
		st->slab_pages += c->slab_pages;
		st->bytes_in_use += c->objects << c->shift;
		spin_unlock(&c->lock);
	}
	st->large_pages = __atomic_load_n(&large_pages, __ATOMIC_RELAXED);
}
