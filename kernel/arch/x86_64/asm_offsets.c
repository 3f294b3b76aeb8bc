/*
 * Compile-time checks that the numbers the assembly uses
 * (arch/x86_64/asm_offsets.h) match the C structures they describe:
 * struct trapframe (entry.S builds it), struct cpu (entry.S and cpu.h
 * reach it through %gs), struct context (switch.S builds it), and the
 * selectors the GDT (gdt.c) and the SYSCALL/SYSRET MSRs (syscall.c)
 * assume. This file generates no code.
 */
#include <types.h>
#include <arch/cpu.h>
#include <arch/trapframe.h>
#include <arch/x86_64/asm_offsets.h>

#define AT(type, field, off)						\
	_Static_assert(offsetof(struct type, field) == (off),		\
		       #type "." #field " is not at " #off)

AT(trapframe, r15, TF_R15);
AT(trapframe, r14, TF_R14);
AT(trapframe, r13, TF_R13);
AT(trapframe, r12, TF_R12);
AT(trapframe, r11, TF_R11);
AT(trapframe, r10, TF_R10);
AT(trapframe, r9, TF_R9);
AT(trapframe, r8, TF_R8);
AT(trapframe, rbp, TF_RBP);
AT(trapframe, rdi, TF_RDI);
AT(trapframe, rsi, TF_RSI);
AT(trapframe, rdx, TF_RDX);
AT(trapframe, rcx, TF_RCX);
AT(trapframe, rbx, TF_RBX);
AT(trapframe, rax, TF_RAX);
AT(trapframe, vector, TF_VECTOR);
AT(trapframe, error, TF_ERROR);
AT(trapframe, rip, TF_RIP);
AT(trapframe, cs, TF_CS);
AT(trapframe, rflags, TF_RFLAGS);
AT(trapframe, rsp, TF_RSP);
AT(trapframe, ss, TF_SS);
_Static_assert(sizeof(struct trapframe) == TF_SIZE, "trapframe size");
/* The CPU pushes rip..ss itself: they must be the frame's last words. */
_Static_assert(TF_SS + 8 == TF_SIZE, "the hardware frame ends the trapframe");
_Static_assert(TF_VECTOR_SYSCALL > 255, "a syscall is no CPU vector");

AT(cpu, self, CPU_SELF);
AT(cpu, kernel_rsp, CPU_KERNEL_RSP);
AT(cpu, user_rsp, CPU_USER_RSP);
AT(cpu, running, CPU_RUNNING);

AT(context, r15, CTX_R15);
AT(context, r14, CTX_R14);
AT(context, r13, CTX_R13);
AT(context, r12, CTX_R12);
AT(context, rbx, CTX_RBX);
AT(context, rbp, CTX_RBP);
AT(context, rip, CTX_RIP);
_Static_assert(sizeof(struct context) == CTX_SIZE, "context size");

/* SYSRET loads CS from STAR[63:48] + 16 and SS from + 8: user data must
 * sit just below user code (Linux's order), which syscall.c relies on. */
_Static_assert(USER_CS == USER_DS + 8, "SYSRET selector order");
_Static_assert((USER_CS & 3) == 3 && (USER_DS & 3) == 3, "user RPL 3");
_Static_assert(KERNEL_DS == KERNEL_CS + 8, "SYSCALL selector order");
