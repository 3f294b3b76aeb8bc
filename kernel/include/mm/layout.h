/*
 * The virtual address-space layout (x86-64, 4-level paging).
 *
 *   0x0000000000000000 .. USER_TOP            user space, one per process
 *   DIRECT_MAP_BASE    .. + physical memory   all RAM, mapped linearly
 *   KERNEL_BASE        .. + kernel image      the kernel, -mcmodel=kernel
 */
#ifndef BASALT_MM_LAYOUT_H
#define BASALT_MM_LAYOUT_H

#define PAGE_SHIFT	12
#define PAGE_SIZE	4096UL
#define PAGE_MASK	(~(PAGE_SIZE - 1))

/* Highest user address + 1, exactly as Linux's TASK_SIZE. */
#define USER_TOP	0x00007ffffffff000UL
/*
 * Host unit tests (tests/unit/, -DUNIT_TEST) back "physical memory" with a
 * malloc'd buffer, so there the direct map starts wherever that buffer is.
 */
#ifdef UNIT_TEST
extern unsigned long unit_direct_map_base;
#define DIRECT_MAP_BASE	unit_direct_map_base
#else
#define DIRECT_MAP_BASE	0xffff888000000000UL
#endif
#define KERNEL_BASE	0xffffffff80000000UL

/* Stack size of every kernel thread: 4 pages. */
#define KSTACK_ORDER	2
#define KSTACK_SIZE	(PAGE_SIZE << KSTACK_ORDER)

#endif
