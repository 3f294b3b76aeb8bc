/*
 * The Multiboot entry. QEMU (-kernel) or GRUB enters here in 32-bit
 * protected mode with paging off, EAX = Multiboot magic and EBX = the
 * physical address of the Multiboot information. We build the boot page
 * tables, switch to long mode, jump to the higher half and call kmain.
 *
 * Boot page tables (all 2 MiB pages):
 *   PML4[0]   -> pdpt_low   identity 0..4 GiB (only until we are high)
 *   PML4[273] -> pdpt_low   direct map at 0xffff888000000000
 *   PML4[511] -> pdpt_kern  PDPT[510] maps KERNEL_BASE -> phys 0..1 GiB
 */
#define KERNEL_BASE 0xffffffff80000000
#define PHYS(x) ((x) - KERNEL_BASE)
#define MB_MAGIC 0x1BADB002
#define MB_FLAGS 0x00010003	/* page-align modules, memory map, a.out kludge */

	.section .multiboot, "a"
	.align 4
mb_header:
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)
	.long mb_header			/* header_addr */
	.long _image_start_phys		/* load_addr */
	.long _load_end_phys		/* load_end_addr */
	.long _bss_end_phys		/* bss_end_addr */
	.long boot_entry		/* entry_addr */

	.section .boot.text, "ax"
	.code32
	.global boot_entry
boot_entry:
	cli
	mov %eax, %edi			/* keep magic and info for kmain */
	mov %ebx, %esi
	mov $PHYS(boot_stack_top), %esp

	/* PD entries: 2048 x 2 MiB pages covering 0..4 GiB. */
	mov $PHYS(boot_pd), %ebx
	xor %ecx, %ecx
1:	mov %ecx, %eax
	shl $21, %eax
	or $0x183, %eax			/* present, writable, huge, global */
	mov %eax, (%ebx, %ecx, 8)
	mov %ecx, %eax
	shr $11, %eax			/* high dword: bits 32+ of address */
	mov %eax, 4(%ebx, %ecx, 8)
	inc %ecx
	cmp $2048, %ecx
	jne 1b

	/* pdpt_low[0..3] -> the four page directories. */
	mov $PHYS(pdpt_low), %ebx
	mov $PHYS(boot_pd) + 3, %eax
	mov %eax, 0(%ebx)
	add $4096, %eax
	mov %eax, 8(%ebx)
	add $4096, %eax
	mov %eax, 16(%ebx)
	add $4096, %eax
	mov %eax, 24(%ebx)

	/* pdpt_kern[510] -> first page directory (phys 0..1 GiB). */
	mov $PHYS(pdpt_kern), %ebx
	movl $PHYS(boot_pd) + 3, 510*8(%ebx)

	mov $PHYS(boot_pml4), %ebx
	movl $PHYS(pdpt_low) + 3, 0(%ebx)
	movl $PHYS(pdpt_low) + 3, 273*8(%ebx)
	movl $PHYS(pdpt_kern) + 3, 511*8(%ebx)
	mov %ebx, %cr3

	mov %cr4, %eax
	or $((1 << 5) | (1 << 7)), %eax	/* PAE, PGE */
	mov %eax, %cr4

	/* EFER: long mode, syscall, and NX when the CPU has it. */
	mov $0x80000001, %eax
	cpuid
	mov $0x101, %eax		/* LME | SCE */
	bt $20, %edx
	jnc 2f
	or $0x800, %eax			/* NXE */
2:	xor %edx, %edx
	mov $0xc0000080, %ecx
	wrmsr

	mov %cr0, %eax
	or $0x80010001, %eax		/* PG | WP | PE */
	mov %eax, %cr0

	lgdt boot_gdt_ptr
	ljmp $0x10, $boot_long_mode

	.code64
boot_long_mode:
	mov $0x18, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	xor %eax, %eax
	mov %eax, %fs
	mov %eax, %gs
	movabs $boot_high, %rax
	jmp *%rax

	.section .boot.data, "a"
	.align 16
boot_gdt:
	.quad 0
	.quad 0
	.quad 0x00af9a000000ffff	/* 0x10: 64-bit kernel code */
	.quad 0x00cf92000000ffff	/* 0x18: kernel data */
boot_gdt_end:
boot_gdt_ptr:
	.word boot_gdt_end - boot_gdt - 1
	.long boot_gdt

	.text
boot_high:
	movabs $boot_stack_top, %rsp
	movabs $boot_pml4, %rax
	movq $0, (%rax)			/* drop the identity map */
	mov %cr4, %rax			/* its entries are global: reloading */
	and $~(1 << 7), %rax		/* CR3 would keep them, toggling */
	mov %rax, %cr4			/* CR4.PGE flushes them */
	or $(1 << 7), %rax
	mov %rax, %cr4
	xor %ebp, %ebp
	/* kmain(multiboot magic, multiboot info physical address) */
	call kmain
3:	cli
	hlt
	jmp 3b

	.bss
	.align 4096
	.global boot_pml4
boot_pml4:	.skip 4096
pdpt_low:	.skip 4096
pdpt_kern:	.skip 4096
boot_pd:	.skip 4 * 4096
	.global boot_stack, boot_stack_top
boot_stack:	.skip 16384
boot_stack_top:
