/*
 * The CPU side of paging (arch/paging.h): which root CR3 holds, TLB
 * invalidation, the boot page tables and the NX bit. Page-table contents
 * are handled by paging.c.
 */
#include <types.h>
#include <arch/cpu.h>
#include <arch/paging.h>
#include <lib/printk.h>
#include <mm/layout.h>
#include <mm/page.h>
#include "apic.h"

#define PML4_USER_END	256		/* first kernel-half PML4 entry */

/* The boot stub's PML4, in the kernel image (boot.S): its upper half
 * maps the kernel and the direct map for every address space. */
extern uint64_t boot_pml4[512];

phys_addr_t pt_kernel_root(void)
{
	return (phys_addr_t)((uint64_t)boot_pml4 - KERNEL_BASE);
}

bool pt_active(phys_addr_t root)
{
	return (read_cr3() & PTE_ADDR_MASK) == root;
}

void pt_switch(phys_addr_t root)
{
	if (!pt_active(root))
		write_cr3(root);
}

pte_t pt_nx_bit(void)
{
	return cpu_has_nx ? PTE_NX : 0;
}

void tlb_flush_one(uint64_t va)
{
	__asm__ volatile("invlpg (%0)" :: "r"(va) : "memory");
}

void tlb_flush_all(void)
{
	write_cr3(read_cr3());
}

void paging_init(void)
{
	/* Every root copies the kernel half; user entries must not leak in. */
	for (unsigned int i = 0; i < PML4_USER_END; i++)
		if (boot_pml4[i])
			pr_warn("paging: boot PML4 entry %u is not empty\n", i);
	pr_info("paging: 4-level, NX %s\n", cpu_has_nx ? "on" : "off");
}

/*
 * Memory-mapped device registers (local and I/O APIC, HPET) sit in the
 * direct map, whose 2 MiB pages are cached write-back: their page is
 * made uncached (PCD | PWT) so that every read and write reaches the
 * device. The boot tables are shared by every address space and every
 * CPU; a CPU started later reads the new entry.
 */
void mmio_map_uncached(uint64_t phys)
{
	uint64_t va = (uint64_t)phys_to_virt(phys);
	pte_t *pdpt = phys_to_virt(pte_phys(boot_pml4[(va >> 39) & 511]));
	pte_t *e = &pdpt[(va >> 30) & 511];

	if (!(*e & PTE_PS)) {
		pte_t *pd = phys_to_virt(pte_phys(*e));
		e = &pd[(va >> 21) & 511];
	}
	BUG_ON(!(*e & PTE_P) || !(*e & PTE_PS));
	*e |= PTE_PCD | PTE_PWT;
	tlb_flush_one(va);
}
