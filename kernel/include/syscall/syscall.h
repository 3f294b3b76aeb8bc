/*
 * System-call handlers. Every handler has the single type syscall_fn and is
 * defined with SYSCALL_DEFINEn, which unpacks the raw argument registers
 * into typed parameters, so no handler is ever called through a mismatched
 * function-pointer type. The table itself is generated from
 * kernel/syscall/syscalls.list.
 */
#ifndef BASALT_SYSCALL_SYSCALL_H
#define BASALT_SYSCALL_SYSCALL_H

#include <types.h>

struct syscall_args {
	unsigned long a[6];	/* rdi, rsi, rdx, r10, r8, r9 */
};

typedef long (*syscall_fn)(const struct syscall_args *);

#define SC_ARG(i, t) ((t)args->a[i])

#define SYSCALL_DEFINE0(name)						\
	long sys_##name(const struct syscall_args *args __unused)

#define SYSCALL_DEFINE1(name, t0, a0)					\
	static long do_sys_##name(t0 a0);				\
	long sys_##name(const struct syscall_args *args)		\
	{ return do_sys_##name(SC_ARG(0, t0)); }			\
	static long do_sys_##name(t0 a0)

#define SYSCALL_DEFINE2(name, t0, a0, t1, a1)				\
	static long do_sys_##name(t0 a0, t1 a1);			\
	long sys_##name(const struct syscall_args *args)		\
	{ return do_sys_##name(SC_ARG(0, t0), SC_ARG(1, t1)); }		\
	static long do_sys_##name(t0 a0, t1 a1)

#define SYSCALL_DEFINE3(name, t0, a0, t1, a1, t2, a2)			\
	static long do_sys_##name(t0 a0, t1 a1, t2 a2);			\
	long sys_##name(const struct syscall_args *args)		\
	{ return do_sys_##name(SC_ARG(0, t0), SC_ARG(1, t1),		\
			       SC_ARG(2, t2)); }			\
	static long do_sys_##name(t0 a0, t1 a1, t2 a2)

#define SYSCALL_DEFINE4(name, t0, a0, t1, a1, t2, a2, t3, a3)		\
	static long do_sys_##name(t0 a0, t1 a1, t2 a2, t3 a3);		\
	long sys_##name(const struct syscall_args *args)		\
	{ return do_sys_##name(SC_ARG(0, t0), SC_ARG(1, t1),		\
			       SC_ARG(2, t2), SC_ARG(3, t3)); }		\
	static long do_sys_##name(t0 a0, t1 a1, t2 a2, t3 a3)

#define SYSCALL_DEFINE5(name, t0, a0, t1, a1, t2, a2, t3, a3, t4, a4)	\
	static long do_sys_##name(t0 a0, t1 a1, t2 a2, t3 a3, t4 a4);	\
	long sys_##name(const struct syscall_args *args)		\
	{ return do_sys_##name(SC_ARG(0, t0), SC_ARG(1, t1),		\
			       SC_ARG(2, t2), SC_ARG(3, t3),		\
			       SC_ARG(4, t4)); }			\
	static long do_sys_##name(t0 a0, t1 a1, t2 a2, t3 a3, t4 a4)

#define SYSCALL_DEFINE6(name, t0, a0, t1, a1, t2, a2, t3, a3, t4, a4,	\
			t5, a5)						\
	static long do_sys_##name(t0 a0, t1 a1, t2 a2, t3 a3, t4 a4,	\
				  t5 a5);				\
	long sys_##name(const struct syscall_args *args)		\
	{ return do_sys_##name(SC_ARG(0, t0), SC_ARG(1, t1),		\
			       SC_ARG(2, t2), SC_ARG(3, t3),		\
			       SC_ARG(4, t4), SC_ARG(5, t5)); }		\
	static long do_sys_##name(t0 a0, t1 a1, t2 a2, t3 a3, t4 a4,	\
				  t5 a5)

/* Called from the entry code; nr and args come from the user registers. */
long syscall_dispatch(unsigned long nr, const struct syscall_args *args);

/* Kernel command line "strace": log every call and its result. */
extern bool syscall_trace;

#endif
