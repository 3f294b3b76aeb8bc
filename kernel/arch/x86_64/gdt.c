/*
 * The GDT and TSS. The segment layout copies Linux's, because user code
 * can observe the selectors (signal frames, ptrace) and some programs
 * compare them: kernel code 0x10, kernel data 0x18, user code 0x33, user
 * data 0x2b, TSS 0x40. The SYSCALL/SYSRET MSRs depend on this order.
 */
#include <types.h>
#include <arch/cpu.h>
#include <arch/trapframe.h>
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

static struct tss tss0 __attribute__((aligned(16)));
/* A double fault often means the kernel stack is gone: give it its own. */
static uint8_t double_fault_stack[4096] __attribute__((aligned(16)));

static uint64_t gdt[10] __attribute__((aligned(16))) = {
	[2] = 0x00af9a000000ffff,	/* 0x10 kernel code, 64-bit */
	[3] = 0x00cf92000000ffff,	/* 0x18 kernel data */
	[4] = 0x00cffa000000ffff,	/* 0x23 user code, 32-bit (unused) */
	[5] = 0x00cff2000000ffff,	/* 0x2b user data */
	[6] = 0x00affa000000ffff,	/* 0x33 user code, 64-bit */
	/* [8], [9]: the 16-byte TSS descriptor, filled at run time */
};

static void gdt_set_tss(void)
{
	uint64_t base = (uint64_t)&tss0;
	uint64_t limit = sizeof(tss0) - 1;

	gdt[8] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
		 (0x89UL << 40) | (((limit >> 16) & 0xf) << 48) |
		 (((base >> 24) & 0xff) << 56);
	gdt[9] = base >> 32;
}

void gdt_init(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __packed ptr = { sizeof(gdt) - 1, (uint64_t)gdt };

	tss0.iomap_base = sizeof(tss0);	/* no I/O bitmap */
	tss0.ist[0] = (uint64_t)double_fault_stack + sizeof(double_fault_stack);
	gdt_set_tss();
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
	tss0.rsp[0] = top;
}
