/*
 * The fake MMU (arch/x86_64/mmu.c on the host) and the helpers the
 * address-space tests share: fake RAM with a kernel root whose upper half
 * is "mapped", and looks at page-table entries. Included by exactly one
 * source file per test program (it defines the MMU functions).
 */
#ifndef BASALT_UNIT_FAKE_MMU_H
#define BASALT_UNIT_FAKE_MMU_H

#include <types.h>
#include <arch/paging.h>
#include <mm/page.h>
#include <mm/vm.h>
#include "../../kernel/mm/vm_internal.h"
#include "../../kernel/mm/tlb.h"
#include "unit.h"

static phys_addr_t fake_cr3, kernel_root;
static unsigned long tlb_flushes;

phys_addr_t pt_kernel_root(void) { return kernel_root; }
bool pt_active(phys_addr_t root) { return fake_cr3 == root; }
void pt_switch(phys_addr_t root) { fake_cr3 = root; }
pte_t pt_nx_bit(void) { return PTE_NX; }
void tlb_flush_one(uint64_t va) { tlb_flushes++; }
void tlb_flush_all(void) { tlb_flushes++; }

/*
 * The shoot-downs of mm/tlb.c, which needs real CPUs: each one is
 * counted, with its range and the free-frame count at that moment, so
 * that a test can check what a change flushed and that nothing was
 * freed before the flush.
 */
static struct {
	unsigned long calls;
	uint64_t start, end;		/* the last one's range */
	uint64_t free_frames;		/* page_count_free() at the last one */
} shootdowns;

void mm_activate(struct mm *mm) { fake_cr3 = mm ? mm->root : kernel_root; }
void tlb_flush_range(struct mm *mm, uint64_t start, uint64_t end)
{
	shootdowns.calls++;
	shootdowns.start = start;
	shootdowns.end = end;
	shootdowns.free_frames = page_count_free();
}
void tlb_flush_page(struct mm *mm, uint64_t va)
{
	tlb_flush_range(mm, va, va + PAGE_SIZE);
}
void tlb_flush_mm(struct mm *mm) { tlb_flush_range(mm, 0, USER_TOP); }
void tlb_release_mm(struct mm *mm)
{
	if (fake_cr3 == mm->root)
		fake_cr3 = kernel_root;
}

static inline void setup(size_t frames)
{
	struct page *pg;

	unit_mem_init(frames);
	pg = alloc_page_zeroed();
	UT_ASSERT(pg);
	kernel_root = page_to_phys(pg);
	((pte_t *)page_to_virt(pg))[511] = 0x1000 | PTE_P | PTE_W;
	fake_cr3 = kernel_root;
}

static inline void teardown(void)
{
	page_put(phys_to_page(kernel_root));
}

static inline pte_t pte_of(struct mm *mm, uint64_t va)
{
	pte_t *p = pt_walk(mm->root, va, false);

	return p ? *p : 0;
}

static inline struct page *frame_of(struct mm *mm, uint64_t va)
{
	return phys_to_page(pte_phys(pte_of(mm, va)));
}

/* An anonymous mapping that must succeed. */
static inline uint64_t xmmap(struct mm *mm, uint64_t addr, uint64_t len,
			     int prot, int flags)
{
	long r = vm_mmap(mm, addr, len, prot, flags, NULL, 0, false);

	UT_ASSERT(r > 0);
	return r;
}

#endif
