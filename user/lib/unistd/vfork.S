/*
 * vfork.S - vfork. The child runs on the parent's stack until it execs
 * or exits, so the return address is popped into a register before the
 * call (the child would otherwise overwrite the parent's copy when it
 * returns) and pushed back after; the result then goes through
 * __syscall_ret like any other.
 */
	.text
	.globl vfork
	.type vfork, @function
vfork:
	pop %rdx
	mov $58, %eax		/* SYS_vfork */
	syscall
	push %rdx
	mov %rax, %rdi
	jmp __syscall_ret
	.size vfork, . - vfork

	.section .note.GNU-stack, "", @progbits
