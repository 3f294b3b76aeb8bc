/*
 * Starting the application processors (APs). CPU 0 copies the real-mode
 * trampoline (trampoline.S) below 1 MiB and starts the CPUs the firmware
 * listed, one at a time, with the sequence of Intel's SDM (vol. 3, 8.4.4
 * and 10.6): an INIT IPI, 10 ms, then a STARTUP IPI naming the
 * trampoline's page, 200 us, and a second STARTUP IPI (ignored by a CPU
 * already running). Each AP reaches ap_main on its own boot stack, sets
 * itself up, says so through ap_alive, and becomes that CPU's idle task.
 * A CPU that has not said so within a second is reported, put back to
 * sleep with another INIT, and left out; the CPUs that came up are
 * numbered 1, 2, ... in the order they started.
 */
#include <types.h>
#include <arch/boot.h>
#include <arch/cpu.h>
#include <arch/paging.h>
#include <arch/x86_64/desc.h>
#include <lib/printk.h>
#include <lib/string.h>
#include <mm/layout.h>
#include <mm/page.h>
#include <proc/sched.h>
#include <proc/task.h>
#include "apic.h"
#include "trampoline.h"

#define AP_START_TIMEOUT_US	1000000

extern char trampoline_start[], trampoline_end[], trampoline_data[];
extern char ap_entry64[];
extern uint64_t boot_pml4[512];

static unsigned int max_cpus = MAX_CPUS;
static int ap_alive = -1;		/* the number of the AP that came up */
static void *ap_stack[MAX_CPUS];

noreturn void ap_main(unsigned int n);

void smp_set_max_cpus(unsigned int n)
{
	max_cpus = MAX(1U, MIN(n, (unsigned int)MAX_CPUS));
}

/* An AP, on its boot stack with the kernel's tables: become CPU n. */
noreturn void ap_main(unsigned int n)
{
	uint64_t top = (uint64_t)ap_stack[n] + KSTACK_SIZE;

	cpu_init_ap(n);
	gdt_init();
	idt_load();
	syscall_init();
	apic_init_ap();
	proc_init_ap_idle(cpu_area(n), ap_stack[n], KSTACK_SIZE);
	tss_set_kernel_stack(top);
	__atomic_store_n(&ap_alive, (int)n, __ATOMIC_RELEASE);
	sched_ap_start();
}

/* Page tables for the trampoline: the kernel half of the kernel's, and
 * the identity map of the first 4 GiB, which the direct map's PDPT
 * already is, at entry 0. 0 when out of memory. */
static phys_addr_t trampoline_tables(void)
{
	struct page *pg = alloc_page_zeroed();
	uint64_t *pml4;

	if (!pg)
		return 0;
	pml4 = page_to_virt(pg);
	memcpy(&pml4[256], &boot_pml4[256], 256 * sizeof(uint64_t));
	pml4[0] = boot_pml4[(DIRECT_MAP_BASE >> 39) & 511];
	return page_to_phys(pg);
}

static void trampoline_set(unsigned int off, uint64_t v)
{
	uint8_t *data = (uint8_t *)phys_to_virt(TRAMPOLINE_PHYS) +
			(trampoline_data - trampoline_start);

	memcpy(data + off, &v, sizeof(v));
}

static bool ap_came_up(unsigned int n)
{
	return __atomic_load_n(&ap_alive, __ATOMIC_ACQUIRE) == (int)n;
}

/* Start the CPU of APIC ID id as CPU n; false if it did not come up. */
static bool start_cpu(unsigned int n, uint32_t id, phys_addr_t tables)
{
	struct page *stack = alloc_pages(KSTACK_ORDER);

	if (!stack)
		return false;
	ap_stack[n] = page_to_virt(stack);
	cpu_apic_ids[n] = id;
	trampoline_set(TD_CR3, tables);
	trampoline_set(TD_EFER, rdmsr(MSR_EFER) & 0x901); /* NXE|LME|SCE */
	trampoline_set(TD_STACK, (uint64_t)ap_stack[n] + KSTACK_SIZE);
	trampoline_set(TD_KERNEL_CR3, pt_kernel_root());
	trampoline_set(TD_CPU, n);
	trampoline_set(TD_ENTRY, (uint64_t)ap_entry64);

	apic_send_init(id);
	udelay(10000);
	for (int i = 0; i < 2; i++) {
		apic_send_sipi(id, TRAMPOLINE_PHYS >> 12);
		udelay(200);
	}
	uint64_t deadline = clock_monotonic_ns() + AP_START_TIMEOUT_US * 1000;
	while (!ap_came_up(n) && clock_monotonic_ns() < deadline)
		cpu_relax();
	if (ap_came_up(n))
		return true;
	pr_warn("smp: the CPU with APIC ID %u did not start; left out", id);
	apic_send_init(id);		/* back to waiting, off our memory */
	udelay(10000);
	free_pages(stack, KSTACK_ORDER);
	ap_stack[n] = NULL;
	return false;
}

/* Start the other CPUs the firmware listed; returns how many run now. */
static unsigned int start_aps(void)
{
	unsigned int n = 1;
	uint32_t self = cpu_apic_ids[0];
	phys_addr_t tables;

	BUG_ON(trampoline_end - trampoline_start > (long)PAGE_SIZE);
	/* Low memory is never the allocator's, but it may be the
	 * firmware's: the trampoline goes only where the map says RAM. */
	if (!boot_ram_usable(TRAMPOLINE_PHYS, TRAMPOLINE_PHYS + PAGE_SIZE)) {
		pr_warn("smp: %#x is not usable RAM: one CPU only",
			TRAMPOLINE_PHYS);
		return 1;
	}
	tables = trampoline_tables();
	if (!tables || tables >= (4UL << 30)) {
		pr_warn("smp: no memory for the trampoline's tables");
		return 1;
	}
	memcpy(phys_to_virt(TRAMPOLINE_PHYS), trampoline_start,
	       trampoline_end - trampoline_start);
	for (unsigned int i = 0; i < madt.ncpus; i++) {
		if (madt.cpu_apic_id[i] == self)
			continue;
		if (n == max_cpus)
			break;
		if (start_cpu(n, madt.cpu_apic_id[i], tables))
			n++;
	}
	free_pages(phys_to_page(tables), 0);
	return n;
}

void smp_init(void)
{
	unsigned int n = 1;

	if (!apic_present) {
		pr_info("smp: no APIC, 1 CPU online");
		return;
	}
	cpu_apic_ids[0] = apic_id();
	if (madt.ncpus > 1 && max_cpus > 1)
		n = start_aps();
	if (n < madt.ncpus)
		pr_info("smp: %u of the %u CPUs found started%s", n,
			madt.ncpus, n == max_cpus ? " (maxcpus)" : "");
	__atomic_store_n(&nr_cpus, n, __ATOMIC_RELEASE);
	smp_self_test();
	pr_info("smp: %u CPUs online", n);
}
