/*
 * brk.c - the program break: growing, shrinking and refusals.
 *
 * Uses the raw system call. brk(addr) never fails with an errno: it returns
 * the new break on success and the unchanged old break on refusal, and
 * brk(0) just reports the break. The break is not page aligned (glibc
 * moves it by a few bytes for its TLS), but only whole pages above it are
 * mapped or unmapped, so zero-fill checks start at the next page boundary.
 *
 * Each case runs in its own child, so changing the break cannot disturb
 * the harness; malloc is never called while a case moves the break.
 */
#define _GNU_SOURCE
#include "t.h"

#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

extern char end;	/* the linker's end of .bss */

static unsigned long sys_brk(unsigned long addr)
{
	return (unsigned long)t_raw(SYS_brk, addr, 0, 0);
}

static unsigned long page_up(unsigned long a)
{
	return (a + T_PAGE - 1) & ~(T_PAGE - 1);
}

/* Every byte of [from, to) must be zero (whole pages of fresh memory). */
static void check_zero(unsigned long from, unsigned long to)
{
	for (volatile char *p = (char *)from; p < (char *)to; p++)
		if (*p != 0)
			T_FAIL("byte at %p is %#x, want 0", (void *)p,
			       (unsigned char)*p);
}

static void fill(unsigned long from, unsigned long to, char c)
{
	for (volatile char *p = (char *)from; p < (char *)to; p++)
		*p = c;
}

/* A child touching addr must die of SIGSEGV. */
static void check_faults(unsigned long addr)
{
	pid_t pid = t_fork();

	if (pid == 0) {
		*(volatile char *)addr = 1;
		_exit(0);
	}
	CHECK_SIGNALED(t_wait(pid), SIGSEGV);
}

static void case_query(void)
{
	unsigned long b = sys_brk(0);

	CHECK(b != 0);
	CHECK(b >= (unsigned long)&end);
	CHECK_EQ(sys_brk(0), b);
}

static void case_grow(void)
{
	unsigned long b = sys_brk(0);
	unsigned long want = b + 5 * T_PAGE + 123;

	CHECK_EQ(sys_brk(want), want);	/* exactly the value asked for */
	CHECK_EQ(sys_brk(0), want);
	check_zero(page_up(b), want);
	fill(b, want, 'x');		/* usable right up to the break */
	CHECK_EQ(sys_brk(b), b);
}

static void case_grow_unaligned_steps(void)
{
	unsigned long b = sys_brk(0);

	CHECK_EQ(sys_brk(b + 1), b + 1);
	CHECK_EQ(sys_brk(b + 1 + T_PAGE), b + 1 + T_PAGE);
	CHECK_EQ(sys_brk(b + 3), b + 3);
	CHECK_EQ(sys_brk(0), b + 3);
	CHECK_EQ(sys_brk(b), b);
}

static void case_beyond_break_faults(void)
{
	unsigned long b = sys_brk(0);
	unsigned long want = page_up(b) + 2 * T_PAGE;

	CHECK_EQ(sys_brk(want), want);
	fill(want - T_PAGE, want, 'x');
	check_faults(want);		/* the page right after the break */
}

static void case_shrink_and_regrow(void)
{
	unsigned long b = sys_brk(0);
	unsigned long top = page_up(b) + 8 * T_PAGE;

	CHECK_EQ(sys_brk(top), top);
	fill(b, top, 'x');
	CHECK_EQ(sys_brk(b), b);
	CHECK_EQ(sys_brk(0), b);
	/* The pages above the break are gone... */
	check_faults(page_up(b));
	check_faults(top - T_PAGE);
	/* ...and come back as fresh zero pages, not the old contents. */
	CHECK_EQ(sys_brk(top), top);
	check_zero(page_up(b), top);
	CHECK_EQ(sys_brk(b), b);
}

static void case_grow_large(void)
{
	unsigned long b = sys_brk(0);
	unsigned long top = page_up(b) + (16UL << 20);

	CHECK_EQ(sys_brk(top), top);
	for (unsigned long p = page_up(b); p < top; p += T_PAGE) {
		CHECK_EQ(*(volatile char *)p, 0);
		*(volatile char *)p = 'x';
	}
	CHECK_EQ(sys_brk(b), b);
}

static void case_below_initial_refused(void)
{
	static volatile int global = 42;
	unsigned long b = sys_brk(0);

	/* Below the initial break: refused, the old break comes back. */
	CHECK_EQ(sys_brk((unsigned long)&end - 16 * T_PAGE), b);
	CHECK_EQ(sys_brk(T_PAGE), b);
	CHECK_EQ(sys_brk(1), b);
	CHECK_EQ(sys_brk(0), b);
	/* The program's own data must not have been touched. */
	CHECK_EQ(global, 42);
	global = 43;
	CHECK_EQ(global, 43);
}

static void case_overlap_refused(void)
{
	unsigned long b = sys_brk(0);
	unsigned long block = page_up(b) + 16 * T_PAGE;

	/* A mapping in the way stops the break from growing over it. */
	void *m = mmap((void *)block, T_PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	CHECK(m == (void *)block);
	*(volatile char *)m = 'm';
	CHECK_EQ(sys_brk(block + 16 * T_PAGE), b);
	CHECK_EQ(*(volatile char *)m, 'm');
	CHECK_EQ(sys_brk(page_up(b) + 8 * T_PAGE), page_up(b) + 8 * T_PAGE);
	CHECK_EQ(sys_brk(b), b);

	/* So do the stack, the top of user space and the kernel half. */
	CHECK_EQ(sys_brk(0x7ffffffff000UL), b);
	CHECK_EQ(sys_brk((unsigned long)T_USER_END), b);
	CHECK_EQ(sys_brk((unsigned long)T_NONCANONICAL), b);
	CHECK_EQ(sys_brk((unsigned long)T_KERNEL_DIRECT), b);
	CHECK_EQ(sys_brk((unsigned long)T_KERNEL_TEXT), b);
	CHECK_EQ(sys_brk(0), b);
}

static void case_fork_independent(void)
{
	unsigned long b = sys_brk(0);
	unsigned long top = page_up(b) + 4 * T_PAGE;

	pid_t pid = t_fork();
	if (pid == 0) {
		CHECK_EQ(sys_brk(top), top);
		fill(page_up(b), top, 'c');
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
	/* The child's break and its pages were its own. */
	CHECK_EQ(sys_brk(0), b);
	check_faults(page_up(b));
	CHECK_EQ(sys_brk(top), top);
	check_zero(page_up(b), top);

	/* A child inherits the grown break and a copy of its contents. */
	fill(page_up(b), top, 'p');
	pid = t_fork();
	if (pid == 0) {
		CHECK_EQ(sys_brk(0), top);
		for (unsigned long p = page_up(b); p < top; p++)
			CHECK_EQ(*(volatile char *)p, 'p');
		fill(page_up(b), top, 'c');
		CHECK_EQ(sys_brk(b), b);
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
	CHECK_EQ(sys_brk(0), top);
	for (unsigned long p = page_up(b); p < top; p++)
		CHECK_EQ(*(volatile char *)p, 'p');
	CHECK_EQ(sys_brk(b), b);
}

static const struct t_case cases[] = {
	{ case_query, "query" },
	{ case_grow, "grow" },
	{ case_grow_unaligned_steps, "grow_unaligned_steps" },
	{ case_beyond_break_faults, "beyond_break_faults" },
	{ case_shrink_and_regrow, "shrink_and_regrow" },
	{ case_grow_large, "grow_large" },
	{ case_below_initial_refused, "below_initial_refused" },
	{ case_overlap_refused, "overlap_refused" },
	{ case_fork_independent, "fork_independent" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
