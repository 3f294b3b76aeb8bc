/*
 * kmalloc: small kernel objects from size-class slabs (kernel/mm/kmalloc.c).
 * Sizes above the largest class come straight from the page allocator.
 */
#ifndef BASALT_MM_KMALLOC_H
#define BASALT_MM_KMALLOC_H

#include <types.h>

void *kmalloc(size_t size);	/* NULL when out of memory */
void *kzalloc(size_t size);	/* zero-filled */
void kfree(void *p);		/* kfree(NULL) is allowed */

struct kmalloc_stats {
	uint64_t slab_pages;	/* frames held by slabs */
	uint64_t bytes_in_use;	/* sum of the size classes of live objects */
	uint64_t large_pages;	/* frames held by large allocations */
};
void kmalloc_get_stats(struct kmalloc_stats *st);

#endif
