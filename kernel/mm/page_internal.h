/*
 * page_internal.h - between the buddy allocator (page_alloc.c) and the
 * per-CPU lists of free small blocks in front of it (page_pcp.c).
 * Nothing outside mm/ uses these.
 */
#ifndef BASALT_MM_PAGE_INTERNAL_H
#define BASALT_MM_PAGE_INTERNAL_H

#include <types.h>
#include <lib/list.h>
#include <mm/page.h>

#define PCP_ORDERS	4	/* blocks of orders 0..3 go through the lists */

/* page_alloc.c, for page_pcp.c (each takes the buddy lock itself). */
uint64_t buddy_free_frames(void);	/* racy read, for a quick check */
unsigned int buddy_take_blocks(struct list_head *to, unsigned int order,
			       unsigned int n, uint64_t keep);
void buddy_give_blocks(struct list_head *from, unsigned int order);

/* page_pcp.c, for page_alloc.c. */
void pcp_reset(void);		/* page_alloc_init: lists off and empty */
struct page *pcp_alloc(unsigned int order, uint64_t keep);
bool pcp_free(struct page *pg, unsigned int order);
uint64_t pcp_frames(void);
uint64_t pcp_drain_all(void);

#endif
