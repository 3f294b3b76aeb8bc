/*
 * internal/syscall.h - raw Linux system calls for libbasalt's own files.
 *
 * sys_callN(nr, ...) traps with the x86-64 convention (number in %rax,
 * arguments in %rdi %rsi %rdx %r10 %r8 %r9; %rcx and %r11 are clobbered)
 * and returns the kernel's value, -errno on failure. __syscall_ret turns
 * that into the C convention: -1 with errno set. A wrapper is then one
 * line: return __syscall_ret(sys_call1(SYS_close, fd));
 */
#ifndef BASALT_LIB_SYSCALL_H
#define BASALT_LIB_SYSCALL_H

#include <sys/syscall.h>

long __syscall_ret(unsigned long r);

static inline long sys_call6(long nr, long a1, long a2, long a3, long a4,
			     long a5, long a6)
{
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10),
			   "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline long sys_call0(long nr)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(nr)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline long sys_call1(long nr, long a1)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a1)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline long sys_call2(long nr, long a1, long a2)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a1), "S"(a2)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline long sys_call3(long nr, long a1, long a2, long a3)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret)
			 : "a"(nr), "D"(a1), "S"(a2), "d"(a3)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline long sys_call4(long nr, long a1, long a2, long a3, long a4)
{
	return sys_call6(nr, a1, a2, a3, a4, 0, 0);
}

static inline long sys_call5(long nr, long a1, long a2, long a3, long a4,
			     long a5)
{
	return sys_call6(nr, a1, a2, a3, a4, a5, 0);
}

#endif
