/*
 * crt0.S - _start, where the kernel enters every libbasalt program.
 *
 * The kernel leaves argc at the stack pointer, then argv, NULL, envp,
 * NULL and the auxiliary vector (the Linux x86-64 process start). _start
 * marks the outermost frame (%rbp = 0), passes that address to
 * __basalt_start in C, and realigns the stack to 16 bytes as the ABI
 * requires at a call. __basalt_start never returns.
 */
	.text
	.globl _start
	.type _start, @function
_start:
	xor %ebp, %ebp
	mov %rsp, %rdi
	and $-16, %rsp
	call __basalt_start
	hlt
	.size _start, . - _start

	.section .note.GNU-stack, "", @progbits
