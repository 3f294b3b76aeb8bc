/*
 * Where the application processors' start code lives and the layout of
 * the data smp_boot.c leaves in it for each CPU (trampoline.S). Plain
 * #defines: included by assembly.
 */
#ifndef BASALT_ARCH_X86_64_TRAMPOLINE_H
#define BASALT_ARCH_X86_64_TRAMPOLINE_H

/* A page below 1 MiB (a STARTUP IPI gives its page number), in the low
 * memory mem_init never hands to the page allocator. */
#define TRAMPOLINE_PHYS	0x8000

#define TD_CR3		0	/* tables for the switch: below 4 GiB */
#define TD_EFER		8	/* LME, SCE, NXE as on CPU 0 */
#define TD_STACK	16	/* the AP's boot stack top (kernel address) */
#define TD_KERNEL_CR3	24	/* the kernel's own tables */
#define TD_CPU		32	/* the AP's number */
#define TD_ENTRY	40	/* ap_entry64 */
#define TD_SIZE		48

#endif
