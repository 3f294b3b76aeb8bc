/*
 * mmap.c - anonymous mappings: mmap, munmap and mprotect, whole and in part.
 *
 * Memory that must not be accessible is probed from a child, which must be
 * killed by SIGSEGV (the default action; no handler is installed). Errors
 * are checked with the exact errno Linux returns.
 */
#define _GNU_SOURCE
#include "t.h"

#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)

static void fill(char *p, size_t len, char c)
{
	for (size_t i = 0; i < len; i++)
		((volatile char *)p)[i] = c;
}

static void verify(const char *p, size_t len, char c)
{
	for (size_t i = 0; i < len; i++)
		if (((volatile const char *)p)[i] != c)
			T_FAIL("byte %zu at %p is %#x, want %#x", i, (void *)(p + i),
			       (unsigned char)p[i], (unsigned char)c);
}

/* A child reading (write = 0) or writing addr must die of SIGSEGV. */
static void check_faults(void *addr, int write)
{
	pid_t pid = t_fork();

	if (pid == 0) {
		if (write)
			*(volatile char *)addr = 1;
		else
			(void)*(volatile char *)addr;
		_exit(0);
	}
	CHECK_SIGNALED(t_wait(pid), SIGSEGV);
}

static void case_anon_zero(void)
{
	size_t len = 64 * T_PAGE;
	char *p = t_map(len, RW);

	CHECK_EQ((uintptr_t)p % T_PAGE, 0);
	verify(p, len, 0);
	fill(p, len, 'x');
	verify(p, len, 'x');
	CHECK_OK(munmap(p, len));
}

static void case_unmap_middle(void)
{
	char *p = t_map(3 * T_PAGE, RW);

	fill(p, 3 * T_PAGE, 'a');
	CHECK_OK(munmap(p + T_PAGE, T_PAGE));
	verify(p, T_PAGE, 'a');
	verify(p + 2 * T_PAGE, T_PAGE, 'a');
	fill(p, T_PAGE, 'b');
	fill(p + 2 * T_PAGE, T_PAGE, 'c');
	check_faults(p + T_PAGE, 0);
	check_faults(p + T_PAGE, 1);
	verify(p, T_PAGE, 'b');
	verify(p + 2 * T_PAGE, T_PAGE, 'c');
	/* Unmapping across the hole is fine; then everything is gone. */
	CHECK_OK(munmap(p, 3 * T_PAGE));
	check_faults(p, 0);
	check_faults(p + 2 * T_PAGE, 0);
}

static void case_unmap_ends(void)
{
	char *p = t_map(4 * T_PAGE, RW);

	fill(p, 4 * T_PAGE, 'a');
	CHECK_OK(munmap(p, T_PAGE));			/* the head */
	CHECK_OK(munmap(p + 3 * T_PAGE, T_PAGE));	/* the tail */
	verify(p + T_PAGE, 2 * T_PAGE, 'a');
	check_faults(p, 0);
	check_faults(p + 3 * T_PAGE, 0);
	CHECK_OK(munmap(p + T_PAGE, 2 * T_PAGE));
}

static void case_unmap_unmapped_ok(void)
{
	/* munmap of a range with nothing mapped succeeds. */
	CHECK_OK(munmap(t_unmapped_page(), T_PAGE));
}

static void case_unmap_unaligned_len(void)
{
	/* A length that is not a page multiple is rounded up. */
	char *p = t_map(2 * T_PAGE, RW);

	CHECK_OK(munmap(p, T_PAGE + 1));
	check_faults(p + T_PAGE, 0);
}

static void case_map_fixed_replace(void)
{
	char *p = t_map(3 * T_PAGE, RW);

	fill(p, 3 * T_PAGE, 'a');
	char *q = mmap(p + T_PAGE, T_PAGE, RW, ANON | MAP_FIXED, -1, 0);
	CHECK(q == p + T_PAGE);
	verify(p, T_PAGE, 'a');
	verify(p + T_PAGE, T_PAGE, 0);		/* fresh memory */
	verify(p + 2 * T_PAGE, T_PAGE, 'a');
	fill(q, T_PAGE, 'q');
	verify(p, T_PAGE, 'a');
	verify(p + 2 * T_PAGE, T_PAGE, 'a');
	CHECK_OK(munmap(p, 3 * T_PAGE));
}

static void case_map_fixed_noreplace(void)
{
	char *p = t_map(2 * T_PAGE, RW);

	fill(p, 2 * T_PAGE, 'a');
	CHECK_ERR(mmap(p, T_PAGE, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0), EEXIST);
	/* Partly occupied counts as occupied. */
	CHECK_ERR(mmap(p + T_PAGE, 2 * T_PAGE, RW, ANON | MAP_FIXED_NOREPLACE,
		       -1, 0), EEXIST);
	verify(p, 2 * T_PAGE, 'a');
	/* A free range is mapped exactly there. */
	CHECK_OK(munmap(p + T_PAGE, T_PAGE));
	char *q = mmap(p + T_PAGE, T_PAGE, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0);
	CHECK(q == p + T_PAGE);
	verify(q, T_PAGE, 0);
	CHECK_OK(munmap(p, 2 * T_PAGE));
}

static void case_hints(void)
{
	char *hint = t_unmapped_page();

	/* A free, aligned hint is taken as given. */
	char *p = mmap(hint, T_PAGE, RW, ANON, -1, 0);
	CHECK(p == hint);
	fill(p, T_PAGE, 'h');

	/* An occupied hint is only a hint: another place, no harm done. */
	char *q = mmap(hint, T_PAGE, RW, ANON, -1, 0);
	CHECK(q != MAP_FAILED);
	CHECK(q != hint);
	CHECK_EQ((uintptr_t)q % T_PAGE, 0);
	verify(p, T_PAGE, 'h');
	verify(q, T_PAGE, 0);

	/* An unaligned hint never yields an unaligned mapping. */
	char *r = mmap(hint + 123, T_PAGE, RW, ANON, -1, 0);
	CHECK(r != MAP_FAILED);
	CHECK_EQ((uintptr_t)r % T_PAGE, 0);
	CHECK_OK(munmap(p, T_PAGE));
	CHECK_OK(munmap(q, T_PAGE));
	CHECK_OK(munmap(r, T_PAGE));
}

static void case_bad_args(void)
{
	/*
	 * Raw calls: musl's mprotect wrapper rounds the address down to a
	 * page, so the kernel's own checks are only visible this way.
	 */
	char *p = t_map(2 * T_PAGE, RW);

	CHECK_ERR(syscall(SYS_munmap, p + 1, T_PAGE), EINVAL);	/* unaligned */
	CHECK_ERR(syscall(SYS_munmap, p, 0), EINVAL);		/* empty */
	CHECK_ERR(syscall(SYS_mmap, NULL, 0, RW, ANON, (long)-1, 0), EINVAL);
	/* Neither MAP_PRIVATE nor MAP_SHARED. */
	CHECK_ERR(syscall(SYS_mmap, NULL, T_PAGE, RW, MAP_ANONYMOUS, (long)-1, 0), EINVAL);
	CHECK_ERR(syscall(SYS_mmap, p + 1, T_PAGE, RW, ANON | MAP_FIXED, (long)-1, 0),
		  EINVAL);
	CHECK_ERR(syscall(SYS_mprotect, p + 1, T_PAGE, PROT_READ), EINVAL);
	CHECK_ERR(syscall(SYS_mprotect, t_unmapped_page(), T_PAGE, PROT_READ),
		  ENOMEM);
	/* Larger than the whole user address space. */
	CHECK_ERR(syscall(SYS_mmap, NULL, 1UL << 48, RW, ANON, (long)-1, 0), ENOMEM);
	/* Kernel addresses cannot be unmapped. */
	CHECK_ERR(syscall(SYS_munmap, T_KERNEL_TEXT, T_PAGE), EINVAL);
	/* The mapping survived all of that. */
	fill(p, 2 * T_PAGE, 'x');
	CHECK_OK(munmap(p, 2 * T_PAGE));
}

static void case_prot_none(void)
{
	char *p = t_map(T_PAGE, PROT_NONE);

	check_faults(p, 0);
	check_faults(p, 1);
	CHECK_OK(mprotect(p, T_PAGE, RW));
	verify(p, T_PAGE, 0);
	fill(p, T_PAGE, 'x');
	CHECK_OK(munmap(p, T_PAGE));
}

static void case_mprotect_readonly(void)
{
	char *p = t_map(T_PAGE, RW);

	fill(p, T_PAGE, 'a');
	CHECK_OK(mprotect(p, T_PAGE, PROT_READ));
	verify(p, T_PAGE, 'a');		/* reading is still allowed */
	check_faults(p, 1);
	CHECK_OK(mprotect(p, T_PAGE, RW));
	verify(p, T_PAGE, 'a');		/* contents kept across changes */
	fill(p, T_PAGE, 'b');
	verify(p, T_PAGE, 'b');
	CHECK_OK(munmap(p, T_PAGE));
}

static void case_mprotect_part(void)
{
	char *p = t_map(3 * T_PAGE, RW);

	fill(p, 3 * T_PAGE, 'a');
	CHECK_OK(mprotect(p + T_PAGE, T_PAGE, PROT_READ));
	check_faults(p + T_PAGE, 1);
	fill(p, T_PAGE, 'b');			/* the neighbours stay writable */
	fill(p + 2 * T_PAGE, T_PAGE, 'c');
	verify(p + T_PAGE, T_PAGE, 'a');
	CHECK_OK(mprotect(p, 3 * T_PAGE, PROT_NONE));
	check_faults(p, 0);
	check_faults(p + 2 * T_PAGE, 0);
	CHECK_OK(mprotect(p, 3 * T_PAGE, RW));
	verify(p, T_PAGE, 'b');
	verify(p + T_PAGE, T_PAGE, 'a');
	verify(p + 2 * T_PAGE, T_PAGE, 'c');
	CHECK_OK(munmap(p, 3 * T_PAGE));
}

static void case_many_mappings(void)
{
	enum { N = 200 };
	static char *maps[N];

	for (int i = 0; i < N; i++) {
		maps[i] = t_map(2 * T_PAGE, RW);
		fill(maps[i], 2 * T_PAGE, (char)i);
	}
	for (int i = 0; i < N; i += 2)
		CHECK_OK(munmap(maps[i], 2 * T_PAGE));
	for (int i = 1; i < N; i += 2) {
		verify(maps[i], 2 * T_PAGE, (char)i);
		CHECK_OK(munmap(maps[i], 2 * T_PAGE));
	}
}

static void case_large_sparse(void)
{
	/* A large mapping costs nothing until touched; touch a few pages. */
	size_t len = 256UL << 20;	/* half the 512 MiB test VM, untouched */
	char *p = t_map(len, RW);

	for (size_t off = 0; off < len; off += len / 8) {
		verify(p + off, 1, 0);
		p[off] = 'x';
	}
	p[len - 1] = 'y';
	CHECK_OK(munmap(p, len));
}

static void case_stack_grows(void)
{
	/* 1 MiB of stack, far below the 8 MiB RLIMIT_STACK default. */
	volatile char big[1 << 20];

	for (size_t i = 0; i < sizeof(big); i += T_PAGE)
		big[i] = 'x';
	for (size_t i = 0; i < sizeof(big); i += T_PAGE)
		CHECK_EQ(big[i], 'x');
}

/*
 * Regression (boot identity map left in the TLB): the boot code ran at
 * 1 MiB through a global identity mapping, kernel-only, which reloading
 * CR3 does not flush; user memory mapped there must still work.
 */
static void case_low_fixed_boot_identity_map(void)
{
	char *want = (char *)0x100000;
	size_t len = 256 * T_PAGE;
	char *p = mmap(want, len, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0);

	if (p == MAP_FAILED && errno == EEXIST)
		t_skip("1 MiB is already mapped in this process");
	CHECK(p == want);
	fill(p, len, 'b');
	verify(p, len, 'b');
	CHECK_OK(munmap(p, len));
}

static const struct t_case cases[] = {
	{ case_anon_zero, "anon_zero" },
	{ case_unmap_middle, "unmap_middle" },
	{ case_unmap_ends, "unmap_ends" },
	{ case_unmap_unmapped_ok, "unmap_unmapped_ok" },
	{ case_unmap_unaligned_len, "unmap_unaligned_len" },
	{ case_map_fixed_replace, "map_fixed_replace" },
	{ case_map_fixed_noreplace, "map_fixed_noreplace" },
	{ case_hints, "hints" },
	{ case_bad_args, "bad_args" },
	{ case_prot_none, "prot_none" },
	{ case_mprotect_readonly, "mprotect_readonly" },
	{ case_mprotect_part, "mprotect_part" },
	{ case_many_mappings, "many_mappings" },
	{ case_large_sparse, "large_sparse" },
	{ case_stack_grows, "stack_grows" },
	{ case_low_fixed_boot_identity_map, "low_fixed_boot_identity_map" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
