/*
 * The application processors' first instructions. A STARTUP IPI starts
 * an AP in real mode at TRAMPOLINE_PHYS (CS = TRAMPOLINE_PHYS >> 4,
 * IP = 0), where smp_boot.c copied this code with its data block. It
 * goes to protected mode, then to long mode on page tables that map
 * the kernel half and, at 0, this page itself (identity), jumps to the
 * kernel's address ap_entry64, and only there loads the kernel's own
 * tables, whose low half is empty.
 *
 * Global pages stay off (CR4.PGE) until the identity map is gone, so
 * that none of its translations outlives the switch of CR3.
 */
#include "trampoline.h"

#define TRAMP(x) (TRAMPOLINE_PHYS + ((x) - trampoline_start))
#define DATA(f) (TRAMP(tramp_data) + (f))

	.section .rodata.trampoline, "a"
	.code16
	.global trampoline_start, trampoline_end
trampoline_start:
	cli
	cld
	mov %cs, %ax
	mov %ax, %ds
	lgdtl tramp_gdt_ptr - trampoline_start
	mov %cr0, %eax
	or $1, %eax			/* PE */
	mov %eax, %cr0
	ljmpl $0x08, $TRAMP(tramp32)

	.code32
tramp32:
	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	mov %cr4, %eax
	or $(1 << 5), %eax		/* PAE */
	mov %eax, %cr4
	mov DATA(TD_CR3), %eax
	mov %eax, %cr3
	mov DATA(TD_EFER), %eax
	xor %edx, %edx
	mov $0xc0000080, %ecx
	wrmsr
	mov %cr0, %eax
	or $0x80010001, %eax		/* PG | WP | PE */
	mov %eax, %cr0
	ljmp $0x18, $TRAMP(tramp64)

	.code64
tramp64:
	mov DATA(TD_STACK), %rsp
	mov DATA(TD_KERNEL_CR3), %rsi
	mov DATA(TD_CPU), %rdi
	mov DATA(TD_ENTRY), %rax
	jmp *%rax

	.align 16
tramp_gdt:
	.quad 0
	.quad 0x00cf9a000000ffff	/* 0x08: 32-bit code */
	.quad 0x00cf92000000ffff	/* 0x10: data */
	.quad 0x00af9a000000ffff	/* 0x18: 64-bit code */
tramp_gdt_ptr:
	.word tramp_gdt_ptr - tramp_gdt - 1
	.long TRAMP(tramp_gdt)
	.align 8
	.global trampoline_data
trampoline_data:
tramp_data:
	.skip TD_SIZE
trampoline_end:

/* ap_entry64(cpu, kernel_cr3): now at the kernel's address. */
	.text
	.global ap_entry64
ap_entry64:
	mov %rsi, %cr3
	mov %cr4, %rax
	or $(1 << 7), %rax		/* PGE */
	mov %rax, %cr4
	xor %ebp, %ebp
	call ap_main
1:	cli
	hlt
	jmp 1b
