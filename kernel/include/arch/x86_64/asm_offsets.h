/*
 * The numbers the assembly (entry.S) shares with C: where each register
 * sits in struct trapframe, the fields of the per-CPU area it reaches
 * through %gs, the layout switch_to (switch.S) leaves on a stack, and the
 * segment selectors. Plain #defines, so assembly can include this file;
 * kernel/arch/x86_64/asm_offsets.c asserts every one against the C
 * structures at compile time, so a field moved on one side only fails
 * the build instead of corrupting registers.
 */
#ifndef BASALT_ARCH_X86_64_ASM_OFFSETS_H
#define BASALT_ARCH_X86_64_ASM_OFFSETS_H

/* struct trapframe (arch/trapframe.h): entry.S pushes it from TF_SS down. */
#define TF_R15		(0 * 8)
#define TF_R14		(1 * 8)
#define TF_R13		(2 * 8)
#define TF_R12		(3 * 8)
#define TF_R11		(4 * 8)
#define TF_R10		(5 * 8)
#define TF_R9		(6 * 8)
#define TF_R8		(7 * 8)
#define TF_RBP		(8 * 8)
#define TF_RDI		(9 * 8)
#define TF_RSI		(10 * 8)
#define TF_RDX		(11 * 8)
#define TF_RCX		(12 * 8)
#define TF_RBX		(13 * 8)
#define TF_RAX		(14 * 8)
#define TF_VECTOR	(15 * 8)	/* pushed by the stub (or syscall_entry) */
#define TF_ERROR	(16 * 8)
#define TF_RIP		(17 * 8)	/* from here on pushed by the CPU */
#define TF_CS		(18 * 8)
#define TF_RFLAGS	(19 * 8)
#define TF_RSP		(20 * 8)
#define TF_SS		(21 * 8)
#define TF_SIZE		(22 * 8)

/* tf->vector of a system call (exceptions and IRQs are below 256). */
#define TF_VECTOR_SYSCALL 0x100

/* struct cpu (arch/cpu.h), at %gs:0 in the kernel. */
#define CPU_SELF	0
#define CPU_KERNEL_RSP	8	/* top of the running task's kernel stack */
#define CPU_USER_RSP	16	/* syscall_entry's scratch */
#define CPU_RUNNING	24	/* `current` */

/*
 * struct context (arch/trapframe.h): switch_to pushes rbp, rbx, r12..r15
 * below the return address and saves the stack pointer, which then
 * points at r15.
 */
#define CTX_R15		(0 * 8)
#define CTX_R14		(1 * 8)
#define CTX_R13		(2 * 8)
#define CTX_R12		(3 * 8)
#define CTX_RBX		(4 * 8)
#define CTX_RBP		(5 * 8)
#define CTX_RIP		(6 * 8)
#define CTX_SIZE	(7 * 8)

/* Segment selectors of the GDT (gdt.c). */
#define KERNEL_CS	0x10
#define KERNEL_DS	0x18
#define USER_DS		0x2b
#define USER_CS		0x33
#define TSS_SEL		0x40

#endif
