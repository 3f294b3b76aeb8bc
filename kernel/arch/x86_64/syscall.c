/*
 * The SYSCALL instruction's set-up and the C side of system-call entry.
 * STAR's selector fields follow from the GDT order (gdt.c): SYSCALL loads
 * CS=0x10/SS=0x18, SYSRET loads CS=0x23+16=0x33/SS=0x23+8=0x2b.
 */
#include <types.h>
#include <arch/cpu.h>
#include <arch/trapframe.h>
#include <arch/x86_64/desc.h>
#include <proc/task.h>
#include <syscall/syscall.h>

extern char syscall_entry[];

void syscall_init(void)
{
	wrmsr(MSR_STAR, (0x23UL << 48) | ((uint64_t)KERNEL_CS << 32));
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	/* Clear IF, TF, DF, AC and NT on entry. */
	wrmsr(MSR_SFMASK, RFLAGS_IF | (1 << 8) | (1 << 10) | RFLAGS_AC |
			  (1 << 14));
}

void syscall_handler(struct trapframe *tf)
{
	struct syscall_args args = {
		{ tf->rdi, tf->rsi, tf->rdx, tf->r10, tf->r8, tf->r9 }
	};

	user_access_assert_closed("system call entry");
	current->regs = tf;
	current->syscall_nr = (long)tf->rax;	/* for a restart */
	tf->rax = syscall_dispatch(tf->rax, &args);
}
