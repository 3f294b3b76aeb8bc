/*
 * stubs.S - the few instructions the fuzzer needs outside C.
 *
 * fz_restorer            the sa_restorer of every handler the fuzzer sets
 * fz_sigreturn_on(frame) rt_sigreturn with the stack pointer at a frame of
 *                        random values (the kernel must sanitise it)
 * fz_sigreturn_landing   where such a frame's rip sometimes points: exits
 *                        with FZ_EXIT_LANDED (121) using no memory, since
 *                        the restored registers (stack included) are junk
 * fz_clone_thread(flags, stack_top, fn, arg, ctid)
 *                        a raw clone whose child starts on its own stack
 *                        in fn(arg) (both passed on that stack)
 */
	.text
	.globl fz_restorer
	.type fz_restorer, @function
fz_restorer:
	mov $15, %eax
	syscall
	ud2
	.size fz_restorer, . - fz_restorer

	.globl fz_sigreturn_on
	.type fz_sigreturn_on, @function
fz_sigreturn_on:
	mov %rdi, %rsp
	mov $15, %eax
	syscall
	ud2
	.size fz_sigreturn_on, . - fz_sigreturn_on

	.globl fz_sigreturn_landing
	.type fz_sigreturn_landing, @function
fz_sigreturn_landing:
	mov $60, %eax
	mov $121, %edi
	syscall
	ud2
	.size fz_sigreturn_landing, . - fz_sigreturn_landing

	.globl fz_clone_thread
	.type fz_clone_thread, @function
fz_clone_thread:
	sub $16, %rsi
	mov %rdx, 0(%rsi)	/* fn */
	mov %rcx, 8(%rsi)	/* arg */
	mov %r8, %r10		/* child_tid */
	xor %edx, %edx		/* parent_tid */
	xor %r8d, %r8d		/* tls */
	mov $56, %eax
	syscall
	test %rax, %rax
	jnz 1f
	pop %rax
	pop %rdi
	and $-16, %rsp
	call *%rax
	mov $60, %eax
	xor %edi, %edi
	syscall
	ud2
1:	ret
	.size fz_clone_thread, . - fz_clone_thread

	.section .note.GNU-stack, "", @progbits
