/*
 * The instructions that touch user memory. Each faulting instruction has
 * an __ex_table entry; a fault there resumes at the fixup, which returns
 * -EFAULT (14). SMAP is lifted (STAC) only for the duration of the copy.
 * Range checks against USER_TOP are done by the C callers (uaccess.c).
 */
#define EFAULT 14

.macro SMAP_OPEN
	testb $1, cpu_has_smap(%rip)
	jz 98f
	stac
98:
.endm

.macro SMAP_CLOSE
	testb $1, cpu_has_smap(%rip)
	jz 99f
	clac
99:
.endm

	.text
/*
 * long arch_copy_user(void *dst, const void *src, size_t n): 0 or -EFAULT.
 * Quadwords first, then the tail bytes (see lib/string.c for why).
 */
	.global arch_copy_user
arch_copy_user:
	SMAP_OPEN
	mov %rdx, %rcx
	shr $3, %rcx
1:	rep movsq
	mov %rdx, %rcx
	and $7, %rcx
7:	rep movsb
	SMAP_CLOSE
	xor %eax, %eax
	ret

/* long arch_clear_user(void *dst, size_t n): 0 or -EFAULT */
	.global arch_clear_user
arch_clear_user:
	SMAP_OPEN
	xor %eax, %eax
	mov %rsi, %rcx
	shr $3, %rcx
2:	rep stosq
	mov %rsi, %rcx
	and $7, %rcx
8:	rep stosb
	SMAP_CLOSE
	ret

/*
 * long arch_strncpy_user(char *dst, const char *src, size_t max):
 * length without NUL, -EFAULT, or -1 when no NUL within max bytes.
 */
	.global arch_strncpy_user
arch_strncpy_user:
	SMAP_OPEN
	xor %eax, %eax
4:	cmp %rdx, %rax
	je 5f
3:	movb (%rsi, %rax), %cl
	movb %cl, (%rdi, %rax)
	test %cl, %cl
	jz 6f
	inc %rax
	jmp 4b
5:	mov $-1, %rax
6:	SMAP_CLOSE
	ret

/*
 * Futex words (mm/uaccess.h): one atomic operation on an aligned user
 * 32-bit word. Both store the word's previous value through the last
 * argument only when the access succeeded.
 *
 * long arch_futex_cmpxchg(uint32_t *uaddr, uint32_t old, uint32_t new,
 *                         uint32_t *cur): 0 or -EFAULT.
 */
	.global arch_futex_cmpxchg
arch_futex_cmpxchg:
	SMAP_OPEN
	mov %esi, %eax
10:	lock cmpxchg %edx, (%rdi)
	SMAP_CLOSE
	mov %eax, (%rcx)
	xor %eax, %eax
	ret

/*
 * long arch_futex_op(uint32_t *uaddr, int op, uint32_t oparg,
 *                    uint32_t *old): 0 or -EFAULT. op is Linux's
 * FUTEX_OP_SET (0), ADD (1), OR (2), ANDN (3) or XOR (4), already
 * checked by the caller. SET and ADD are single instructions; the others
 * loop on cmpxchg until no other writer came in between.
 */
	.global arch_futex_op
arch_futex_op:
	SMAP_OPEN
	mov %edx, %eax
	cmp $1, %esi
	jb 12f
	je 13f
14:	mov (%rdi), %eax
15:	mov %eax, %r8d
	cmp $3, %esi
	jb 16f
	je 17f
	xor %edx, %r8d			/* XOR */
	jmp 18f
16:	or %edx, %r8d			/* OR */
	jmp 18f
17:	mov %edx, %r9d			/* ANDN */
	not %r9d
	and %r9d, %r8d
18:	lock cmpxchg %r8d, (%rdi)	/* eax: the value seen on failure */
	jnz 15b
	jmp 19f
12:	xchg %eax, (%rdi)		/* SET */
	jmp 19f
13:	lock xadd %eax, (%rdi)		/* ADD */
19:	SMAP_CLOSE
	mov %eax, (%rcx)
	xor %eax, %eax
	ret

uaccess_fault:
	SMAP_CLOSE
	mov $-EFAULT, %rax
	ret

	.section __ex_table, "a"
	.align 8
	.quad 1b, uaccess_fault
	.quad 7b, uaccess_fault
	.quad 2b, uaccess_fault
	.quad 8b, uaccess_fault
	.quad 3b, uaccess_fault
	.quad 10b, uaccess_fault
	.quad 14b, uaccess_fault
	.quad 18b, uaccess_fault
	.quad 12b, uaccess_fault
	.quad 13b, uaccess_fault
