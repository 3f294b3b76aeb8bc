/*
 * Per-CPU lists of free small blocks in front of the buddy allocator
 * (Linux's per-cpu pagesets; docs/physical-memory.md).
 *
 * Most allocations are single frames or small blocks (a kernel stack is
 * four frames), and most are freed again soon, often on the same CPU.
 * Each CPU keeps, for each order up to PCP_ORDERS - 1, a short list of
 * free blocks, and takes from them and gives to them under its own lock,
 * which no other CPU takes but to drain it; the buddy lock is taken once
 * per batch, not once per block, and the buddy's splitting and merging
 * happen once per batch too. With two CPUs faulting pages in or forking,
 * the buddy lock was the one lock both took every time.
 *
 * A block on a list is free: its head's refcount is 0 and its flags
 * PG_PCP, so a second free of it panics and the buddy never merges with
 * it. It counts as free memory (page_count_free), so MemFree does not
 * move when blocks go on or off a list. Each list holds at most
 * PCP_HIGH_FRAMES frames' worth; when memory runs short, an allocation
 * that the buddy cannot serve drains every list back and tries once more,
 * so no frame is stranded.
 */
#include <types.h>
#include <lib/list.h>
#include <sync/spinlock.h>
#include <arch/smp.h>
#include <mm/page.h>
#include "page_internal.h"

#define PCP_BATCH_FRAMES 32U	/* moved to or from the buddy at once */
#define PCP_HIGH_FRAMES	 64U	/* a list holding more gives a batch back */
#define PCP_HIGH_SINGLE	 512U	/* the same, for single frames (2 MiB) */

struct pcp_lists {
	struct spinlock lock;
	struct list_head blocks[PCP_ORDERS];	/* guarded by lock */
	unsigned int count[PCP_ORDERS];		/* blocks; read racily too */
} __attribute__((aligned(64)));	/* a cache line each: no false sharing */

static struct pcp_lists pcp[MAX_CPUS];
static bool pcp_on;

static unsigned int batch_of(unsigned int order)
{
	return MAX(PCP_BATCH_FRAMES >> order, 1U);
}

/*
 * Single frames get a long list: a process faulting in and unmapping a
 * megabyte at a time (256 frames) then never reaches the buddy.
 */
static unsigned int high_of(unsigned int order)
{
	return order ? MAX(PCP_HIGH_FRAMES >> order, 2U) : PCP_HIGH_SINGLE;
}

/* A new frame table (page_alloc_init): no lists until page_pcp_init. */
void pcp_reset(void)
{
	for (unsigned int i = 0; i < MAX_CPUS; i++) {
		spin_init(&pcp[i].lock, "page_pcp");
		for (unsigned int o = 0; o < PCP_ORDERS; o++) {
			list_init(&pcp[i].blocks[o]);
			pcp[i].count[o] = 0;
		}
	}
	pcp_on = false;
}

/* Boot, once the buddy has its memory: start using the lists. */
void page_pcp_init(void)
{
	pcp_on = true;
}

/*
 * The lists of the CPU we run on. Being moved to another CPU right after
 * reading it is harmless: the lock, not the CPU, guards the lists.
 */
static struct pcp_lists *this_pcp(void)
{
	return &pcp[smp_processor_id()];
}

static void set_count(struct pcp_lists *c, unsigned int order,
		      unsigned int n)
{
	__atomic_store_n(&c->count[order], n, __ATOMIC_RELAXED);
}

/* Move the n blocks at the cold end (the tail) of from onto to. */
static void move_blocks(struct list_head *from, struct list_head *to,
			unsigned int n)
{
	while (n--) {
		struct list_head *e = from->prev;

		list_del(e);
		list_add(e, to);
	}
}

/*
 * A free block of this order from this CPU's list, refilled from the
 * buddy when empty, as long as more than keep free frames are left; NULL
 * when the list has nothing to give (the caller then asks the buddy,
 * which decides exactly).
 */
struct page *pcp_alloc(unsigned int order, uint64_t keep)
{
	struct pcp_lists *c;
	struct page *pg = NULL;

	if (!pcp_on || order >= PCP_ORDERS)
		return NULL;
	c = this_pcp();
	spin_lock(&c->lock);
	if (c->count[order] == 0)
		set_count(c, order, buddy_take_blocks(&c->blocks[order], order,
						      batch_of(order), keep));
	/* The buddy alone holds more than keep: there is a frame above the
	 * reserve whichever block we take. Otherwise the buddy decides. */
	else if (buddy_free_frames() < keep)
		goto out;
	if (c->count[order]) {
		pg = list_first_entry(&c->blocks[order], struct page, list);
		list_del(&pg->list);
		set_count(c, order, c->count[order] - 1);
		pg->flags = 0;
	}
out:
	spin_unlock(&c->lock);
	return pg;
}

/*
 * Take a block whose last reference is gone (refcount 0, frames checked
 * by the caller) onto this CPU's list of its order; a list grown too long
 * gives its coldest batch back to the buddy. False if the block is not
 * for the lists (too big, or the lists are not in use yet).
 */
bool pcp_free(struct page *pg, unsigned int order)
{
	struct list_head spill;
	struct pcp_lists *c;
	unsigned int n;

	if (!pcp_on || order >= PCP_ORDERS)
		return false;
	list_init(&spill);
	pg->flags = PG_PCP;
	pg->order = order;
	c = this_pcp();
	spin_lock(&c->lock);
	list_add(&pg->list, &c->blocks[order]);
	n = c->count[order] + 1;
	if (n > high_of(order)) {
		move_blocks(&c->blocks[order], &spill, batch_of(order));
		n -= batch_of(order);
	}
	set_count(c, order, n);
	spin_unlock(&c->lock);
	if (!list_empty(&spill))
		buddy_give_blocks(&spill, order);
	return true;
}

/* Frames on all the lists (exact when no CPU is allocating or freeing). */
uint64_t pcp_frames(void)
{
	uint64_t n = 0;

	for (unsigned int i = 0; i < MAX_CPUS; i++)
		for (unsigned int o = 0; o < PCP_ORDERS; o++)
			n += (uint64_t)__atomic_load_n(&pcp[i].count[o],
						       __ATOMIC_RELAXED) << o;
	return n;
}

/* Give every list back to the buddy; how many frames that was. */
uint64_t pcp_drain_all(void)
{
	uint64_t n = 0;

	if (!pcp_on)
		return 0;
	for (unsigned int i = 0; i < MAX_CPUS; i++) {
		for (unsigned int o = 0; o < PCP_ORDERS; o++) {
			struct list_head all;
			unsigned int count;

			list_init(&all);
			spin_lock(&pcp[i].lock);
			count = pcp[i].count[o];
			move_blocks(&pcp[i].blocks[o], &all, count);
			set_count(&pcp[i], o, 0);
			spin_unlock(&pcp[i].lock);
			if (count)
				buddy_give_blocks(&all, o);
			n += (uint64_t)count << o;
		}
	}
	return n;
}
