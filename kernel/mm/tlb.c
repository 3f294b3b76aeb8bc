/*
 * TLB shoot-downs. Every CPU caches translations of the address space
 * whose root its CR3 holds; mm->cpus says which CPUs those may be. A CPU
 * sets its bit before it loads mm's root and clears it after it loaded
 * another, so a change to mm's page tables followed by a look at
 * mm->cpus finds every CPU that could still use the old entries.
 *
 * Lazy TLB: a CPU that switches to its idle task or a kernel thread keeps
 * the last user root loaded (nothing there uses user addresses), which
 * saves a CR3 load, and its TLB, when the same process runs again. Such a
 * CPU is interrupted at most once: the first shoot-down that reaches it
 * makes it leave mm for the kernel's tables instead of flushing, and
 * clears its bit, so later ones skip it (Linux's leave_mm, from before
 * its tlb_gen scheme).
 *
 * No PCIDs: loading CR3 flushes every user translation.
 */
#include <types.h>
#include <arch/cpu.h>
#include <arch/paging.h>
#include <arch/smp.h>
#include <lib/printk.h>
#include <mm/page.h>
#include <proc/task.h>
#include "vm_internal.h"
#include "tlb.h"

/* Above this many pages, one full flush beats page by page. */
#define FLUSH_PAGES_MAX	32

/* The mm whose root each CPU's CR3 holds; NULL: the kernel's. Written
 * only by that CPU, with interrupts off. */
static struct mm *loaded_mm[MAX_CPUS];

/* Load mm (NULL: the kernel's tables) on this CPU. Interrupts off. */
static void switch_loaded(struct mm *next)
{
	unsigned int self = this_cpu()->id;
	struct mm *prev = loaded_mm[self];

	if (prev == next)
		return;
	if (next)
		__atomic_or_fetch(&next->cpus, cpumask_of(self), __ATOMIC_SEQ_CST);
	loaded_mm[self] = next;
	pt_switch(next ? next->root : pt_kernel_root());
	/* The last touch of prev: tlb_release_mm may free it after this. */
	if (prev)
		__atomic_and_fetch(&prev->cpus, ~cpumask_of(self),
				   __ATOMIC_SEQ_CST);
}

void mm_activate(struct mm *mm)
{
	irq_save();
	switch_loaded(mm);
	irq_restore();
}

static void flush_local(uint64_t start, uint64_t end)
{
	if (end - start > FLUSH_PAGES_MAX * PAGE_SIZE) {
		tlb_flush_all();
		return;
	}
	for (uint64_t va = start; va < end; va += PAGE_SIZE)
		tlb_flush_one(va);
}

struct flush_req {
	struct mm *mm;
	uint64_t start, end;
};

/* On each CPU the shoot-down reaches, in interrupt context. */
static void flush_ipi(void *arg)
{
	const struct flush_req *r = arg;
	unsigned int self = this_cpu()->id;
	struct task *t = current;

	irq_stat_inc(IRQ_STAT_TLB);	/* Linux counts every one it serves */
	if (loaded_mm[self] != r->mm)
		return;			/* left it since the mask was read */
	if (t->mm != r->mm) {
		switch_loaded(NULL);	/* lazy: leave rather than flush */
		return;
	}
	flush_local(r->start, r->end);
}

void tlb_flush_range(struct mm *mm, uint64_t start, uint64_t end)
{
	struct flush_req r = { mm, start, end };
	cpumask_t others;

	if (start >= end)
		return;
	irq_save();			/* stay on this CPU while we look */
	if (loaded_mm[this_cpu()->id] == mm)
		flush_local(start, end);
	/* Orders the entries' change before the look at mm->cpus. */
	others = __atomic_load_n(&mm->cpus, __ATOMIC_SEQ_CST) &
		 ~cpumask_of(this_cpu()->id);
	irq_restore();
	if (others)
		smp_call_function_many(others, flush_ipi, &r);
}

void tlb_flush_page(struct mm *mm, uint64_t va)
{
	tlb_flush_range(mm, va, va + PAGE_SIZE);
}

void tlb_flush_mm(struct mm *mm)
{
	tlb_flush_range(mm, 0, USER_TOP);	/* more than FLUSH_PAGES_MAX: all */
}

static void leave_ipi(void *arg)
{
	if (loaded_mm[this_cpu()->id] == arg)
		switch_loaded(NULL);
}

void tlb_release_mm(struct mm *mm)
{
	cpumask_t others;

	irq_save();
	if (loaded_mm[this_cpu()->id] == mm)
		switch_loaded(NULL);
	others = __atomic_load_n(&mm->cpus, __ATOMIC_SEQ_CST);
	irq_restore();
	if (others)
		smp_call_function_many(others, leave_ipi, mm);
	BUG_ON(__atomic_load_n(&mm->cpus, __ATOMIC_SEQ_CST));
}
