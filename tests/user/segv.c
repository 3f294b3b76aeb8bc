/*
 * segv.c - a faulting user program is killed by the right signal, and the
 * kernel (and the parent) carry on.
 *
 * Each fault happens in a child with no handler installed, so the default
 * action kills it; the parent checks WIFSIGNALED and WTERMSIG. DESIGN.md:
 * "a user fault becomes a signal (SIGSEGV/SIGBUS/SIGILL/SIGFPE)". Faults
 * through kernel and non-canonical addresses matter most: the first is a
 * page fault on a supervisor page, the second a general-protection fault,
 * and neither may be mistaken for a kernel bug.
 */
#define _GNU_SOURCE
#include "t.h"

#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

/* Runs fault(arg) in a child that must be killed by sig. */
static void expect_signal(void (*fault)(void *), void *arg, int sig)
{
	pid_t pid = t_fork();

	if (pid == 0) {
		/* No core files, whatever the inherited limit says. */
		struct rlimit none = { 0, 0 };
		setrlimit(RLIMIT_CORE, &none);
		fault(arg);
		_exit(0);	/* survived: the parent reports it */
	}
	CHECK_SIGNALED(t_wait(pid), sig);
}

static void write_at(void *addr)
{
	*(volatile int *)addr = 1;
}

static void read_at(void *addr)
{
	(void)*(volatile int *)addr;
}

static void case_null_write(void)
{
	expect_signal(write_at, NULL, SIGSEGV);
}

static void case_null_read(void)
{
	expect_signal(read_at, NULL, SIGSEGV);
}

static void case_kernel_address(void)
{
	expect_signal(read_at, T_KERNEL_TEXT, SIGSEGV);
	expect_signal(write_at, T_KERNEL_TEXT, SIGSEGV);
	expect_signal(read_at, T_KERNEL_DIRECT, SIGSEGV);
	expect_signal(write_at, T_KERNEL_DIRECT, SIGSEGV);
}

static void case_noncanonical_address(void)
{
	/* #GP, not #PF, on x86-64; Linux still sends SIGSEGV. */
	expect_signal(read_at, T_NONCANONICAL, SIGSEGV);
	expect_signal(write_at, T_NONCANONICAL, SIGSEGV);
	/* Non-canonical with 4-level paging, unmapped with 5-level. */
	expect_signal(read_at, T_USER_END, SIGSEGV);
}

static void case_write_to_code(void)
{
	/* Program text is mapped read-only and executable. */
	expect_signal(write_at, (void *)case_write_to_code, SIGSEGV);
}

static void case_write_to_rodata(void)
{
	static const int constant = 42;

	expect_signal(write_at, (void *)&constant, SIGSEGV);
}

static void jump_to(void *addr)
{
	((void (*)(void))addr)();
}

static void case_exec_data_page(void)
{
	/* A writable page without PROT_EXEC may not run (NX). */
	unsigned char *p = t_map(T_PAGE, PROT_READ | PROT_WRITE);

	memset(p, 0xc3, T_PAGE);	/* "ret": would return if run */
	expect_signal(jump_to, p, SIGSEGV);
	expect_signal(jump_to, NULL, SIGSEGV);
}

static void ud2(void *unused)
{
	(void)unused;
	__asm__ volatile("ud2");
}

static void divide_by_zero(void *zero)
{
	volatile int n = 1, d = *(int *)zero;

	n = n / d;
}

static void breakpoint(void *unused)
{
	(void)unused;
	__asm__ volatile("int3");
}

static void case_illegal_instruction(void)
{
	expect_signal(ud2, NULL, SIGILL);
}

static void case_divide_error(void)
{
	static int zero;

	expect_signal(divide_by_zero, &zero, SIGFPE);
}

static void case_breakpoint(void)
{
	expect_signal(breakpoint, NULL, SIGTRAP);
}

/* 4 KiB per level; the depth bound is never reached before the fault. */
static int recurse(volatile char *prev, long depth)
{
	volatile char frame[4096];

	if (depth == 0)
		return 0;
	frame[0] = prev ? prev[0] + 1 : 0;
	return recurse(frame, depth - 1) + frame[100];
}

static void overflow_stack(void *unused)
{
	struct rlimit stack;

	(void)unused;
	/* Bound the stack (it may be unlimited) so the fault comes soon. */
	if (getrlimit(RLIMIT_STACK, &stack) == 0 && stack.rlim_cur > (8UL << 20)) {
		stack.rlim_cur = 8UL << 20;
		setrlimit(RLIMIT_STACK, &stack);
	}
	recurse(NULL, 1L << 40);
}

static void case_stack_overflow(void)
{
	/* Endless recursion runs into the stack limit: SIGSEGV, not a hang. */
	expect_signal(overflow_stack, NULL, SIGSEGV);
}

static void case_parent_unharmed(void)
{
	/* After all those deaths the parent still forks and waits normally. */
	for (int i = 0; i < 10; i++) {
		expect_signal(write_at, NULL, SIGSEGV);
		pid_t pid = t_fork();
		if (pid == 0)
			_exit(i);
		CHECK_EXITED(t_wait(pid), i);
	}
}

static const struct t_case cases[] = {
	{ case_null_write, "null_write" },
	{ case_null_read, "null_read" },
	{ case_kernel_address, "kernel_address" },
	{ case_noncanonical_address, "noncanonical_address" },
	{ case_write_to_code, "write_to_code" },
	{ case_write_to_rodata, "write_to_rodata" },
	{ case_exec_data_page, "exec_data_page" },
	{ case_illegal_instruction, "illegal_instruction" },
	{ case_divide_error, "divide_error" },
	{ case_breakpoint, "breakpoint" },
	{ case_stack_overflow, "stack_overflow" },
	{ case_parent_unharmed, "parent_unharmed" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
