/*
 * cow.c - fork copies private memory (copy-on-write) and shares MAP_SHARED.
 *
 * Each kind of private memory (stack, .data, .bss, small and large heap,
 * anonymous mmap) is checked in both orders, because they take different
 * paths in a copy-on-write kernel:
 *   parent first - the parent's write must copy the still-shared page, and
 *                  the child, reading later, must see the old contents;
 *   child first  - the child's write copies, the parent sees old contents.
 * A MAP_SHARED flag page orders the two processes; no pipes or signals.
 */
#define _GNU_SOURCE
#include "t.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define SPAN (3 * T_PAGE + 100)	/* crosses page boundaries */

static char data_area[SPAN] = { 1 };	/* initialised: lives in .data */
static char bss_area[SPAN];		/* zero: lives in .bss */

static void fill(volatile char *p, size_t len, char c)
{
	for (size_t i = 0; i < len; i++)
		p[i] = c;
}

/* Fails the case, naming the first byte that is not c. */
static void verify(volatile char *p, size_t len, char c, const char *who)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != c)
			T_FAIL("%s: byte %zu is %#x, want '%c'", who, i,
			       (unsigned char)p[i], c);
}

static void parent_writes_first(volatile char *p, size_t len)
{
	volatile int *flag = t_shared_ints();

	fill(p, len, 'a');
	pid_t pid = t_fork();
	if (pid == 0) {
		t_await(flag, 1);	/* until the parent has written */
		verify(p, len, 'a', "child after parent's write");
		fill(p, len, 'c');
		verify(p, len, 'c', "child's own write");
		_exit(0);
	}
	fill(p, len, 'p');
	t_post(flag, 1);
	CHECK_EXITED(t_wait(pid), 0);
	verify(p, len, 'p', "parent after child's write");
}

static void child_writes_first(volatile char *p, size_t len)
{
	fill(p, len, 'a');
	pid_t pid = t_fork();
	if (pid == 0) {
		fill(p, len, 'c');
		verify(p, len, 'c', "child's own write");
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
	verify(p, len, 'a', "parent after child's write");
	fill(p, len, 'p');
	verify(p, len, 'p', "parent's own write");
}

static void both_orders(volatile char *p, size_t len)
{
	parent_writes_first(p, len);
	child_writes_first(p, len);
}

static void case_stack(void)
{
	volatile char area[SPAN];

	both_orders(area, sizeof(area));
}

static void case_data(void)
{
	both_orders(data_area, sizeof(data_area));
}

static void case_bss(void)
{
	both_orders(bss_area, sizeof(bss_area));
}

static void case_heap_small(void)
{
	char *p = malloc(200);

	CHECK(p != NULL);
	both_orders(p, 200);
	free(p);
}

static void case_heap_large(void)
{
	/* Large enough that both C libraries take it from mmap, not brk. */
	size_t len = 1 << 20;
	char *p = malloc(len);

	CHECK(p != NULL);
	both_orders(p, len);
	free(p);
}

static void case_anon_private(void)
{
	char *p = t_map(4 * T_PAGE, PROT_READ | PROT_WRITE);

	both_orders(p, 4 * T_PAGE);
	CHECK_OK(munmap(p, 4 * T_PAGE));
}

static void case_anon_untouched(void)
{
	/* Nothing was ever faulted in before fork: both sides start from zero. */
	char *p = t_map(2 * T_PAGE, PROT_READ | PROT_WRITE);
	volatile int *flag = t_shared_ints();

	pid_t pid = t_fork();
	if (pid == 0) {
		t_await(flag, 1);
		verify(p, 2 * T_PAGE, 0, "child");
		fill(p, 2 * T_PAGE, 'c');
		_exit(0);
	}
	fill(p, 2 * T_PAGE, 'p');
	t_post(flag, 1);
	CHECK_EXITED(t_wait(pid), 0);
	verify(p, 2 * T_PAGE, 'p', "parent");
}

static void case_read_then_fork(void)
{
	/* Read-only use first (Linux maps its shared zero page), then fork. */
	volatile char *p = t_map(2 * T_PAGE, PROT_READ | PROT_WRITE);

	verify(p, 2 * T_PAGE, 0, "parent before fork");
	child_writes_first(p, 2 * T_PAGE);
}

static void case_mprotect_after_fork(void)
{
	/*
	 * The page is read-only at fork time, so fork has no write access to
	 * take away; a later mprotect(RW) must still give the child a copy.
	 */
	char *p = t_map(T_PAGE, PROT_READ | PROT_WRITE);

	fill(p, T_PAGE, 'a');
	CHECK_OK(mprotect(p, T_PAGE, PROT_READ));
	pid_t pid = t_fork();
	if (pid == 0) {
		CHECK_OK(mprotect(p, T_PAGE, PROT_READ | PROT_WRITE));
		fill(p, T_PAGE, 'c');
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
	verify(p, T_PAGE, 'a', "parent");
	CHECK_OK(mprotect(p, T_PAGE, PROT_READ | PROT_WRITE));
	fill(p, T_PAGE, 'p');
	verify(p, T_PAGE, 'p', "parent's own write");
}

static void case_three_generations(void)
{
	char *p = t_map(T_PAGE, PROT_READ | PROT_WRITE);

	fill(p, T_PAGE, 'a');
	pid_t child = t_fork();
	if (child == 0) {
		pid_t grandchild = t_fork();
		if (grandchild == 0) {
			fill(p, T_PAGE, 'g');
			_exit(0);
		}
		CHECK_EXITED(t_wait(grandchild), 0);
		verify(p, T_PAGE, 'a', "child after grandchild's write");
		fill(p, T_PAGE, 'c');
		_exit(0);
	}
	CHECK_EXITED(t_wait(child), 0);
	verify(p, T_PAGE, 'a', "parent");
}

static void case_shared_both_ways(void)
{
	size_t len = 3 * T_PAGE;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	volatile int *flag = t_shared_ints();

	CHECK(p != MAP_FAILED);
	fill(p, len, 'a');
	pid_t pid = t_fork();
	if (pid == 0) {
		t_await(flag, 1);
		verify(p, len, 'p', "child sees parent's write");
		fill(p, len, 'c');
		_exit(0);
	}
	fill(p, len, 'p');
	t_post(flag, 1);
	CHECK_EXITED(t_wait(pid), 0);
	verify(p, len, 'c', "parent sees child's write");
	CHECK_OK(munmap(p, len));
}

static void case_shared_first_touch_in_child(void)
{
	/* Pages never touched before fork must still be the same pages. */
	size_t len = 2 * T_PAGE;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED);
	pid_t pid = t_fork();
	if (pid == 0) {
		verify(p, len, 0, "child");
		fill(p, len, 'c');
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
	verify(p, len, 'c', "parent");
	CHECK_OK(munmap(p, len));
}

static void case_shared_grandchild(void)
{
	char *p = mmap(NULL, T_PAGE, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED);
	fill(p, T_PAGE, 'a');
	pid_t child = t_fork();
	if (child == 0) {
		pid_t grandchild = t_fork();
		if (grandchild == 0) {
			fill(p, T_PAGE, 'g');
			_exit(0);
		}
		CHECK_EXITED(t_wait(grandchild), 0);
		/* The child unmapping its view must not affect the parent's. */
		CHECK_OK(munmap(p, T_PAGE));
		_exit(0);
	}
	CHECK_EXITED(t_wait(child), 0);
	verify(p, T_PAGE, 'g', "grandparent");
	fill(p, T_PAGE, 'p');
	verify(p, T_PAGE, 'p', "grandparent's own write");
}

static const struct t_case cases[] = {
	{ case_stack, "stack" },
	{ case_data, "data" },
	{ case_bss, "bss" },
	{ case_heap_small, "heap_small" },
	{ case_heap_large, "heap_large" },
	{ case_anon_private, "anon_private" },
	{ case_anon_untouched, "anon_untouched" },
	{ case_read_then_fork, "read_then_fork" },
	{ case_mprotect_after_fork, "mprotect_after_fork" },
	{ case_three_generations, "three_generations" },
	{ case_shared_both_ways, "shared_both_ways" },
	{ case_shared_first_touch_in_child, "shared_first_touch_in_child" },
	{ case_shared_grandchild, "shared_grandchild" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
