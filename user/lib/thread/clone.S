/*
 * clone.S - __basalt_clone, the one step of thread_create that cannot be
 * C: after clone(2) the child runs on its new stack with the parent's
 * registers, so it must not return into the parent's C frame.
 *
 *   long __basalt_clone(unsigned long flags, void *stack_top,
 *                       int *parent_tid, int *child_tid,
 *                       struct basalt_thread *tls,
 *                       void (*start)(struct basalt_thread *));
 *
 * start and tls are stored at the top of the new stack before the call,
 * so the child finds them in memory and depends on no register but
 * %rsp. The kernel's argument order on x86-64 is clone(flags, stack,
 * parent_tid, child_tid, tls). The parent gets the new thread's id or
 * -errno; the child calls start(tls) with an aligned stack and a zero
 * frame pointer (the outermost frame), and start never returns.
 */
	.text
	.globl __basalt_clone
	.type __basalt_clone, @function
__basalt_clone:
	and $-16, %rsi
	sub $16, %rsi
	mov %r8, 8(%rsi)	/* the argument: the new control block */
	mov %r9, (%rsi)		/* what the child runs */
	mov %rcx, %r10		/* the fourth argument goes in r10 */
	mov $56, %eax		/* SYS_clone */
	syscall
	test %rax, %rax
	jz 1f
	ret			/* the parent: the id, or -errno */
1:	xor %ebp, %ebp		/* the child, on the new stack */
	mov (%rsp), %rax
	mov 8(%rsp), %rdi
	call *%rax
	hlt			/* not reached: start ends the thread */
	.size __basalt_clone, . - __basalt_clone

	.section .note.GNU-stack, "", @progbits
