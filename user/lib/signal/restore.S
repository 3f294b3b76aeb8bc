/*
 * restore.S - where a signal handler returns to: the rt_sigreturn system
 * call, which restores the interrupted context the kernel saved.
 */
	.text
	.globl __basalt_restore_rt
	.type __basalt_restore_rt, @function
__basalt_restore_rt:
	mov $15, %eax		/* SYS_rt_sigreturn */
	syscall
	.size __basalt_restore_rt, . - __basalt_restore_rt

	.section .note.GNU-stack, "", @progbits
