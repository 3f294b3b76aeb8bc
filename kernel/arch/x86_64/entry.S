/*
 * Trap, interrupt and system-call entry and exit. Every way into the
 * kernel builds the same struct trapframe (include/arch/trapframe.h) on
 * the kernel stack, so C code, fork and execve see one register layout.
 *
 * GS: in user mode GS base is the user's; in the kernel it points at the
 * per-CPU area. SWAPGS exchanges them on every user<->kernel crossing.
 *
 * EFLAGS.AC: when it is set, SMAP does not stop the kernel touching user
 * pages. User mode may set it at will (popf), and the kernel sets it itself
 * inside the copy routines (uaccess.S), so every entry clears it before
 * any C code runs, as Linux's ASM_CLAC does: SFMASK for SYSCALL, CLEAR_AC
 * for every exception and interrupt, whether it came from user mode or
 * from the kernel. IRET puts the interrupted context's AC back.
 */
#include <arch/x86_64/asm_offsets.h>	/* TF_*, CPU_*: checked against C */

.macro PUSH_REGS
	push %rax
	push %rbx
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	push %rbp
	push %r8
	push %r9
	push %r10
	push %r11
	push %r12
	push %r13
	push %r14
	push %r15
.endm

.macro POP_REGS
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rbp
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	pop %rbx
	pop %rax
.endm

/* CLAC is an invalid opcode without SMAP; without SMAP, AC does nothing
 * in the kernel. Changes only the arithmetic flags (and AC). */
.macro CLEAR_AC
	testb $1, cpu_has_smap(%rip)
	jz 97f
	clac
97:
.endm

/* Exceptions without an error code push a zero so the frame is uniform. */
.macro TRAP_NOERR n
	.align 16
	push $0
	push $\n
	jmp trap_common
.endm

.macro TRAP_ERR n
	.align 16
	push $\n
	jmp trap_common
.endm

	.text
	.align 16
	.global trap_vectors
trap_vectors:			/* 256 stubs, 16 bytes apart */
	vec = 0
	.rept 256
	.if vec == 8 || (vec >= 10 && vec <= 14) || vec == 17 || vec == 21 || vec == 29 || vec == 30
	TRAP_ERR vec
	.else
	TRAP_NOERR vec
	.endif
	vec = vec + 1
	.endr

trap_common:
	CLEAR_AC
	PUSH_REGS
	testb $3, TF_CS(%rsp)
	jz 1f
	swapgs
1:	cld
	mov %rsp, %rdi
	call trap_dispatch
	jmp trap_return

/* Return through IRET from the trapframe at %rsp. */
	.global trap_return
trap_return:
	cli
	testb $3, TF_CS(%rsp)
	jz 1f
	call exit_to_user_checks
	swapgs
1:	POP_REGS
	add $16, %rsp		/* vector, error */
	iretq

/* trap_return_to(tf): abandon the current kernel frames and return via tf. */
	.global trap_return_to
trap_return_to:
	mov %rdi, %rsp
	jmp trap_return

/* A new task's first run: release the scheduler lock, then leave. */
	.global task_first_return
task_first_return:
	call sched_finish_switch
	call task_first_user_entry	/* CLONE_CHILD_SETTID, in its context */
	jmp trap_return

/*
 * SYSCALL: RCX = user RIP, R11 = user RFLAGS, interrupts masked by SFMASK.
 * Build a trapframe on the kernel stack, dispatch, and leave with SYSRET
 * when the return address is a canonical user address (else IRET, since
 * SYSRET to a non-canonical RIP faults in kernel mode on Intel CPUs) and
 * the frame still has rcx == rip and r11 == rflags, which SYSRET restores
 * from rcx and r11. Otherwise (rt_sigreturn, a signal handler's start, a
 * restarted call, execve) the frame was rewritten: IRET restores it all.
 */
	.global syscall_entry
syscall_entry:
	swapgs
	mov %rsp, %gs:CPU_USER_RSP
	mov %gs:CPU_KERNEL_RSP, %rsp
	push $USER_DS		/* ss */
	push %gs:CPU_USER_RSP	/* rsp */
	push %r11		/* rflags */
	push $USER_CS		/* cs */
	push %rcx		/* rip */
	push $0			/* error */
	push $TF_VECTOR_SYSCALL	/* vector */
	PUSH_REGS
	sti
	cld
	mov %rsp, %rdi
	call syscall_handler
	cli
	call exit_to_user_checks
	mov TF_RIP(%rsp), %rcx
	cmp %rcx, TF_RCX(%rsp)
	jne 2f
	mov TF_RFLAGS(%rsp), %r11
	cmp %r11, TF_R11(%rsp)
	jne 2f
	mov %rcx, %r11
	sar $47, %r11
	jnz 2f			/* not a user-half canonical address */
	POP_REGS		/* %rsp now at the vector */
	mov TF_RIP - TF_VECTOR(%rsp), %rcx
	mov TF_RFLAGS - TF_VECTOR(%rsp), %r11
	mov TF_RSP - TF_VECTOR(%rsp), %rsp
	swapgs
	sysretq
2:	swapgs
	POP_REGS
	add $16, %rsp
	iretq
