/*
 * switch_to(&prev->context, next->context): save the callee-saved
 * registers of the running kernel thread on its stack, store that stack
 * pointer into *prev, and resume next where it saved its own.
 */
	.text
	.global switch_to
switch_to:
	push %rbp
	push %rbx
	push %r12
	push %r13
	push %r14
	push %r15
	mov %rsp, (%rdi)
	mov %rsi, %rsp
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbx
	pop %rbp
	ret
