/*
 * The user (or interrupted kernel) register state saved at the top of a
 * kernel stack by every trap, interrupt and system call (entry.S). The
 * layout is shared with the assembly through arch/x86_64/asm_offsets.h,
 * whose numbers are checked against these structures at compile time
 * (arch/x86_64/asm_offsets.c): change both together.
 */
#ifndef BASALT_ARCH_TRAPFRAME_H
#define BASALT_ARCH_TRAPFRAME_H

#include <types.h>
#include <arch/x86_64/asm_offsets.h>	/* TF_*, selectors */

struct trapframe {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector;	/* trap number, or TF_VECTOR_SYSCALL */
	uint64_t error;		/* CPU error code, or 0 */
	uint64_t rip, cs, rflags, rsp, ss;	/* pushed by the CPU */
};

static inline bool trapframe_from_user(const struct trapframe *tf)
{
	return (tf->cs & 3) == 3;
}

/* Kernel-side register state saved by switch_to (switch.S). */
struct context {
	uint64_t r15, r14, r13, r12, rbx, rbp, rip;
};

void switch_to(struct context **save, struct context *next);

/* Where a new task first runs (entry.S): finishes the switch, returns to user. */
void task_first_return(void);

/* Return to user mode from the trapframe at the top of the current stack. */
noreturn void trap_return_to(struct trapframe *tf);

#endif
