/*
 * Physical memory: one struct page per frame and the buddy allocator over
 * them (kernel/mm/page_alloc.c). Frames are reached by the kernel through
 * the direct map: phys_to_virt()/virt_to_phys().
 */
#ifndef BASALT_MM_PAGE_H
#define BASALT_MM_PAGE_H

#include <types.h>
#include <lib/list.h>
#include <mm/layout.h>

#define MAX_ORDER 11	/* orders 0..10: blocks of 4 KiB .. 4 MiB */

/*
 * flags, order and slab_free belong to the allocators (page_alloc.c, and
 * kmalloc.c for PG_SLAB pages, whose refcount is 1 + live objects); others
 * change refcount only through page_get/page_put. list and owner of an
 * allocated page are its owner's, who must unlink list before freeing.
 */
struct page {
	uint32_t refcount;	/* 0 while free; set to 1 by the allocator */
	uint16_t flags;		/* PG_* */
	uint8_t order;		/* order of the block this page heads */
	uint8_t slab_free;	/* PG_SLAB: index of the first free object */
	struct list_head list;	/* free list link, or owner's use */
	void *owner;		/* slab cache or object that owns the page */
};

#define PG_FREE		0x1	/* heads a free buddy block */
#define PG_RESERVED	0x2	/* never allocatable (firmware, kernel image) */
#define PG_SLAB		0x4	/* belongs to kmalloc */
#define PG_PCP		0x8	/* free, on a CPU's list (mm/page_pcp.c) */

extern struct page *page_array;		/* indexed by frame number */
extern uint64_t page_array_len;

static inline void *phys_to_virt(phys_addr_t p)
{
	return (void *)(p + DIRECT_MAP_BASE);
}

static inline phys_addr_t virt_to_phys(const void *v)
{
	return (phys_addr_t)v - DIRECT_MAP_BASE;
}

static inline uint64_t page_to_pfn(const struct page *pg)
{
	return (uint64_t)(pg - page_array);
}

static inline struct page *pfn_to_page(uint64_t pfn)
{
	return &page_array[pfn];
}

static inline phys_addr_t page_to_phys(const struct page *pg)
{
	return page_to_pfn(pg) << PAGE_SHIFT;
}

static inline struct page *phys_to_page(phys_addr_t p)
{
	return pfn_to_page(p >> PAGE_SHIFT);
}

static inline void *page_to_virt(const struct page *pg)
{
	return phys_to_virt(page_to_phys(pg));
}

static inline struct page *virt_to_page(const void *v)
{
	return phys_to_page(virt_to_phys(v));
}

/*
 * Boot: page_alloc_init() receives the array (already placed in RAM by the
 * caller, every entry PG_RESERVED) and then page_alloc_add_range() for each
 * usable RAM range. Ranges are frame numbers, [start, end).
 */
void page_alloc_init(struct page *array, uint64_t nframes);
void page_alloc_add_range(uint64_t start_pfn, uint64_t end_pfn);
/* Then start the per-CPU lists of free frames (mm/page_pcp.c). */
void page_pcp_init(void);

/*
 * 2^order contiguous frames, refcount 1, contents undefined; NULL if none.
 * When memory is short, a caller that may sleep waits while the OOM killer
 * frees memory (mm/oom.h); one that may not (a spinlock held, interrupts
 * off) gets NULL at once. Every caller must cope with NULL.
 */
struct page *alloc_pages(unsigned int order);
void free_pages(struct page *pg, unsigned int order);

/* One frame, zero-filled, refcount 1; NULL if none. */
struct page *alloc_page_zeroed(void);

/* alloc_pages with flags: */
#define ALLOC_ZERO	0x1	/* zero-filled */
#define ALLOC_USER	0x2	/* user memory (anonymous pages, file data):
				 * never from the reserve, and none at all for
				 * a process being killed when memory is short */
struct page *alloc_pages_flags(unsigned int order, unsigned int flags);

/*
 * How far into the emergency reserve an allocation may go (the last
 * free frames, Linux's min_free_kbytes): not at all, half of it
 * (callers that cannot sleep, like Linux's GFP_ATOMIC), or all of it (a
 * process that is exiting, so that it can exit).
 */
enum alloc_reserve { RESERVE_KEEP, RESERVE_HALF, RESERVE_ALL };
/* Never sleeps: 2^order frames, or NULL. */
struct page *alloc_pages_reserve(unsigned int order, enum alloc_reserve r);
/* Boot, once all RAM is known: size the reserve as Linux does. */
void page_alloc_init_reserve(void);
void page_alloc_set_reserve(uint64_t frames);
uint64_t page_count_reserve(void);

/* Reference counts of single (order-0) frames shared between mappings. */
void page_get(struct page *pg);
void page_put(struct page *pg);		/* frees the frame on the last put */

/* Counters, exact: /proc/meminfo reports them. */
uint64_t page_count_free(void);
uint64_t page_count_total(void);	/* usable frames given to the allocator */
/* Free blocks of exactly this order (for /proc/buddyinfo and tests). */
uint64_t page_count_free_blocks(unsigned int order);

#endif
