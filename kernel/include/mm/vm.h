/*
 * Address spaces (kernel/mm/). A struct mm is a page-table root plus an
 * ordered set of VMAs; its layout is private to mm/. Other subsystems use
 * only these calls.
 */
#ifndef BASALT_MM_VM_H
#define BASALT_MM_VM_H

#include <types.h>

struct mm;

struct mm *mm_create(void);			/* empty; NULL if no memory */
struct mm *mm_fork(struct mm *parent);		/* copy-on-write copy */
void mm_get(struct mm *mm);
void mm_put(struct mm *mm);			/* last put frees everything */
void mm_activate(struct mm *mm);		/* switch this CPU to mm */

/* Page-fault entry from the trap handler. */
#define FAULT_WRITE	0x1
#define FAULT_EXEC	0x2
#define FAULT_USER	0x4	/* fault happened in user mode */
#define FAULT_PRESENT	0x8	/* protection violation, not a missing page */
/* 0 when the fault was resolved; -EFAULT (no mapping / bad access, the
 * caller raises SIGSEGV or takes the exception fixup) or -ENOMEM. */
int vm_fault(struct mm *mm, uint64_t addr, unsigned int flags);

/*
 * For execve, which builds a new image in an mm that is not yet active.
 * vm_map_anon maps [addr, addr+len) private anonymous with prot (PROT_*,
 * Linux values); addr and len page-aligned; replaces what was there.
 */
int vm_map_anon(struct mm *mm, uint64_t addr, uint64_t len, int prot);
/* Copy into / zero user memory of mm (pages faulted in as needed). */
int vm_write(struct mm *mm, uint64_t addr, const void *src, size_t len);
int vm_zero(struct mm *mm, uint64_t addr, size_t len);
/* The program break starts at brk (page-aligned end of the data segment). */
void vm_set_brk(struct mm *mm, uint64_t brk);
/* Where the user stack ends (exclusive); exec places it. */
#define USER_STACK_TOP	0x00007ffffffde000UL
#define USER_STACK_SIZE	(8UL << 20)

#endif
