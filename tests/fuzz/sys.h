/*
 * sys.h - how the fuzzer enters the kernel: raw system calls that touch
 * no memory of their own (no errno, no TLS), and the stubs in stubs.S.
 */
#ifndef BASALT_FUZZ_SYS_H
#define BASALT_FUZZ_SYS_H

#include <stdint.h>

static inline int64_t fz_sys6(int64_t nr, uint64_t a1, uint64_t a2,
			      uint64_t a3, uint64_t a4, uint64_t a5,
			      uint64_t a6)
{
	register uint64_t r10 __asm__("r10") = a4;
	register uint64_t r8 __asm__("r8") = a5;
	register uint64_t r9 __asm__("r9") = a6;
	int64_t ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10),
			   "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

#define fz_sys(...) fz_sys_pad_(__VA_ARGS__, 0, 0, 0, 0, 0, 0, 0)
#define fz_sys_pad_(nr, a1, a2, a3, a4, a5, a6, ...)                        \
	fz_sys6((nr), (uint64_t)(a1), (uint64_t)(a2), (uint64_t)(a3),       \
		(uint64_t)(a4), (uint64_t)(a5), (uint64_t)(a6))

/*
 * A fork-like call (fork, vfork, clone, clone3) whose child, whatever
 * stack, TLS or address space it was given, exits at once without
 * touching memory: it checks the result in registers and calls exit(0).
 * Only the parent returns.
 */
static inline int64_t fz_fork6(int64_t nr, uint64_t a1, uint64_t a2,
			       uint64_t a3, uint64_t a4, uint64_t a5,
			       uint64_t a6)
{
	register uint64_t r10 __asm__("r10") = a4;
	register uint64_t r8 __asm__("r8") = a5;
	register uint64_t r9 __asm__("r9") = a6;
	int64_t ret;

	__asm__ volatile("syscall\n\t"
			 "test %%rax, %%rax\n\t"
			 "jnz 1f\n\t"
			 "mov $60, %%eax\n\t"
			 "xor %%edi, %%edi\n\t"
			 "syscall\n\t"
			 "ud2\n"
			 "1:"
			 : "=a"(ret)
			 : "a"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10),
			   "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

/* stubs.S */
void fz_restorer(void);		/* sa_restorer: rt_sigreturn */
/* rt_sigreturn with the stack pointer at frame: never returns here. */
void fz_sigreturn_on(void *frame) __attribute__((noreturn));
void fz_sigreturn_landing(void);	/* exit(FZ_EXIT_LANDED), no memory */
/* clone(flags) a thread on stack_top that runs fn(arg), then exit(0);
 * ctid is the child_tid of CLONE_CHILD_SETTID/CLEARTID. Returns the
 * tid or -errno, in the caller only. */
int64_t fz_clone_thread(uint64_t flags, void *stack_top, void (*fn)(void *),
			void *arg, volatile int32_t *ctid);

#endif
