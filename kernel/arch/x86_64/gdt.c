/*
 * The GDT and TSS. The segment layout copies Linux's, because user code
 * can observe the selectors (signal frames, ptrace) and some programs
 * compare them: kernel code 0x10, kernel data 0x18, user code 0x33, user
 * data 0x2b, TSS 0x40. The SYSCALL/SYSRET MSRs depend on this order.
 *
 * Each CPU has its own GDT and TSS (a TSS descriptor is marked busy once
 * loaded, and each CPU has its own kernel stack pointer and IST stacks),
 * with the same selectors everywhere.
 */
#include <types.h>
#include <arch/cpu.h>
#include <arch/trapframe.h>
#include <arch/smp.h>
#include <arch/x86_64/desc.h>

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __packed;
_Static_assert(sizeof(struct tss) == 104, "TSS layout");

#define GDT_ENTRIES 10
#define IST_STACK_SIZE 4096

static struct tss tss[MAX_CPUS] __attribute__((aligned(16)));
/* A double fault often means the kernel stack is gone: give it its own
 * (IST 1); the NMI may come before syscall_entry switched stacks (IST 2). */
static uint8_t double_fault_stack[MAX_CPUS][IST_STACK_SIZE]
	__attribute__((aligned(16)));
static uint8_t nmi_stack[MAX_CPUS][IST_STACK_SIZE] __attribute__((aligned(16)));

static const uint64_t gdt_template[GDT_ENTRIES] = {
	[2] = 0x00af9a000000ffff,	/* 0x10 kernel code, 64-bit */
	[3] = 0x00cf92000000ffff,	/* 0x18 kernel data */
	[4] = 0x00cffa000000ffff,	/* 0x23 user code, 32-bit (unused) */
	[5] = 0x00cff2000000ffff,	/* 0x2b user data */
	[6] = 0x00affa000000ffff,	/* 0x33 user code, 64-bit */
	/* [8], [9]: the 16-byte TSS descriptor, filled at run time */
};
static uint64_t gdt[MAX_CPUS][GDT_ENTRIES] __attribute__((aligned(16)));

static void gdt_set_tss(uint64_t *g, const struct tss *t)
{
	uint64_t base = (uint64_t)t;
	uint64_t limit = sizeof(*t) - 1;

	g[8] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
	       (0x89UL << 40) | (((limit >> 16) & 0xf) << 48) |
	       (((base >> 24) & 0xff) << 56);
	g[9] = base >> 32;
}

void gdt_init(void)
{
	unsigned int n = smp_processor_id();
	struct tss *t = &tss[n];
	uint64_t *g = gdt[n];
	struct {
		uint16_t limit;
		uint64_t base;
	} __packed ptr = { sizeof(gdt[n]) - 1, (uint64_t)g };

	for (int i = 0; i < GDT_ENTRIES; i++)
		g[i] = gdt_template[i];
	t->iomap_base = sizeof(*t);	/* no I/O bitmap */
	t->ist[0] = (uint64_t)double_fault_stack[n] + IST_STACK_SIZE;
	t->ist[1] = (uint64_t)nmi_stack[n] + IST_STACK_SIZE;
	gdt_set_tss(g, t);
	__asm__ volatile(
		"lgdt %0\n\t"
		"mov %1, %%ds\n\t"
		"mov %1, %%es\n\t"
		"mov %1, %%ss\n\t"
		"pushq %2\n\t"
		"lea 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"ltr %w3"
		:: "m"(ptr), "r"((uint64_t)KERNEL_DS), "i"(KERNEL_CS),
		   "r"(TSS_SEL) : "rax", "memory");
}

/* The stack the CPU switches to on an interrupt from user mode. */
void tss_set_kernel_stack(uint64_t top)
{
	tss[smp_processor_id()].rsp[0] = top;
}
