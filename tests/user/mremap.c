/*
 * mremap.c - mremap(2): shrinking, growing in place and by moving, moving
 * to a fixed place, MREMAP_DONTUNMAP, duplicating a shared mapping, and
 * the exact errno of each refusal.
 *
 * Anonymous private, anonymous shared and file mappings (tmpfs files in
 * /tmp) are remapped; the data must move with the mapping, shared pages
 * must stay shared with the file and with other processes, and the old
 * range must be gone (probed with a SIGSEGV handler, see maptest.h).
 * System calls are raw so that neither C library's wrapper (musl checks
 * new_len itself) changes what the kernel is asked.
 */
#define _GNU_SOURCE
#include "t.h"
#include "maptest.h"

#include <sys/syscall.h>

#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif

#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)
#define MAYMOVE MREMAP_MAYMOVE
#define FIXED (MREMAP_MAYMOVE | MREMAP_FIXED)

/* The raw system call: MAP_FAILED and errno on error. */
static char *mrem(void *old, size_t old_len, size_t new_len, int flags,
		  void *new_addr)
{
	return (char *)syscall(SYS_mremap, old, old_len, new_len, flags, new_addr);
}

static char *mrem_ok(void *old, size_t old_len, size_t new_len, int flags,
		     void *new_addr)
{
	char *p = mrem(old, old_len, new_len, flags, new_addr);

	if (p == MAP_FAILED)
		T_FAIL("mremap(%p, %#zx, %#zx, %#x, %p): errno %s", old, old_len,
		       new_len, flags, new_addr, t_errname(errno));
	return p;
}

/* Nothing may be mapped at addr any more. */
#define check_gone(addr) check_fault((addr), -1, SIGSEGV, SEGV_MAPERR)

/* A private anonymous mapping of n pages, page i filled with 'a' + i. */
static char *map_filled(int n)
{
	char *p = t_map(n * T_PAGE, RW);

	for (int i = 0; i < n; i++)
		fill_bytes(p + i * T_PAGE, T_PAGE, (char)('a' + i));
	return p;
}

#define check_filled(p, n) check_filled_at(__FILE__, __LINE__, (p), (n))
static void check_filled_at(const char *file, int line, const char *p, int n)
{
	for (int i = 0; i < n; i++)
		check_bytes_at(file, line, p + i * T_PAGE, T_PAGE, (char)('a' + i));
}

/* Three pages whose last is PROT_NONE: the first two cannot grow in place. */
static char *map_blocked(void)
{
	char *p = map_filled(3);

	CHECK_OK(mprotect(p + 2 * T_PAGE, T_PAGE, PROT_NONE));
	return p;
}

static void case_shrink_in_place(void)
{
	char *p = map_filled(4);

	CHECK(mrem_ok(p, 4 * T_PAGE, 2 * T_PAGE, 0, NULL) == p);
	check_filled(p, 2);
	check_gone(p + 2 * T_PAGE);
	check_gone(p + 3 * T_PAGE);
	/* An unaligned new length is rounded up to whole pages. */
	CHECK(mrem_ok(p, 2 * T_PAGE, T_PAGE + 1, 0, NULL) == p);
	check_filled(p, 2);
	CHECK_OK(munmap(p, 2 * T_PAGE));
}

static void case_grow_in_place(void)
{
	char *p = map_filled(4);

	CHECK_OK(munmap(p + 2 * T_PAGE, 2 * T_PAGE));
	CHECK(mrem_ok(p, 2 * T_PAGE, 4 * T_PAGE, 0, NULL) == p);
	check_filled(p, 2);
	check_bytes(p + 2 * T_PAGE, 2 * T_PAGE, 0);	/* fresh memory */
	fill_bytes(p + 3 * T_PAGE, T_PAGE, 'z');
	CHECK_OK(munmap(p, 4 * T_PAGE));
}

static void case_grow_blocked_moves(void)
{
	char *p = map_blocked();

	CHECK_ERR(mrem(p, 2 * T_PAGE, 4 * T_PAGE, 0, NULL), ENOMEM);
	check_filled(p, 2);
	char *q = mrem_ok(p, 2 * T_PAGE, 4 * T_PAGE, MAYMOVE, NULL);
	CHECK(q != p);
	check_filled(q, 2);
	check_bytes(q + 2 * T_PAGE, 2 * T_PAGE, 0);
	check_gone(p);
	check_gone(p + T_PAGE);
	/* The blocking neighbour is untouched. */
	check_fault(p + 2 * T_PAGE, -1, SIGSEGV, SEGV_ACCERR);
	CHECK_OK(munmap(q, 4 * T_PAGE));
	CHECK_OK(munmap(p + 2 * T_PAGE, T_PAGE));
}

static void case_fixed(void)
{
	char *p = map_filled(2);
	char *target = t_map(4 * T_PAGE, RW);

	fill_bytes(target, 4 * T_PAGE, 'T');
	CHECK_ERR(mrem(p, 2 * T_PAGE, 2 * T_PAGE, MREMAP_FIXED, target), EINVAL);
	CHECK_ERR(mrem(p, 2 * T_PAGE, 2 * T_PAGE, FIXED, target + 1), EINVAL);
	check_filled(p, 2);
	/* The move replaces what was at the target, and only that much. */
	CHECK(mrem_ok(p, 2 * T_PAGE, 2 * T_PAGE, FIXED, target + T_PAGE) ==
	      target + T_PAGE);
	check_filled(target + T_PAGE, 2);
	check_bytes(target, T_PAGE, 'T');
	check_bytes(target + 3 * T_PAGE, T_PAGE, 'T');
	check_gone(p);
	check_gone(p + T_PAGE);
	CHECK_OK(munmap(target, 4 * T_PAGE));
}

static void case_fixed_overlap(void)
{
	char *p = map_filled(4);

	/* The new range may not overlap the old one, in either direction. */
	CHECK_ERR(mrem(p, 2 * T_PAGE, 2 * T_PAGE, FIXED, p + T_PAGE), EINVAL);
	CHECK_ERR(mrem(p + 2 * T_PAGE, 2 * T_PAGE, 2 * T_PAGE, FIXED, p + T_PAGE),
		  EINVAL);
	CHECK_ERR(mrem(p, T_PAGE, 2 * T_PAGE, FIXED, p), EINVAL);
	check_filled(p, 4);
	CHECK_OK(munmap(p, 4 * T_PAGE));
}

static void case_dontunmap(void)
{
	char *p = map_filled(4);

	CHECK_ERR(mrem(p, 4 * T_PAGE, 8 * T_PAGE, MAYMOVE | MREMAP_DONTUNMAP, NULL),
		  EINVAL);	/* lengths must be equal */
	CHECK_ERR(mrem(p, 4 * T_PAGE, 4 * T_PAGE, MREMAP_DONTUNMAP, NULL), EINVAL);
	char *q = mrem_ok(p, 4 * T_PAGE, 4 * T_PAGE, MAYMOVE | MREMAP_DONTUNMAP, NULL);
	CHECK(q != p);
	check_filled(q, 4);
	/* The old range stays mapped, emptied: it reads zeros, takes writes. */
	CHECK_EQ(probe_read(p), 0);
	check_bytes(p, 4 * T_PAGE, 0);
	fill_bytes(p, T_PAGE, 'o');
	check_filled(q, 4);
	CHECK_OK(munmap(p, 4 * T_PAGE));
	CHECK_OK(munmap(q, 4 * T_PAGE));
}

static void case_shared_anon_move(void)
{
	char *p = mmap(NULL, 4 * T_PAGE, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char *target = t_map(2 * T_PAGE, RW);
	volatile int *flag = t_shared_ints();

	CHECK(p != MAP_FAILED);
	fill_bytes(p, 4 * T_PAGE, 's');
	pid_t pid = t_fork();
	if (pid == 0) {
		t_await(flag, 1);
		fill_bytes(p, T_PAGE, 'c');	/* through the child's old range */
		t_post(flag, 2);
		_exit(0);
	}
	char *q = mrem_ok(p, 2 * T_PAGE, 2 * T_PAGE, FIXED, target);
	CHECK(q == target);
	check_bytes(q, 2 * T_PAGE, 's');
	check_gone(p);
	t_post(flag, 1);
	t_await(flag, 2);
	check_bytes(q, T_PAGE, 'c');		/* still shared with the child */
	CHECK_EXITED(t_wait(pid), 0);

	/*
	 * Shared anonymous memory is an object of the size first mapped
	 * (4 pages): a grown mapping reaches its pages 2 and 3 but SIGBUS
	 * past them, as past the end of a file.
	 */
	char *r = mrem_ok(q, 2 * T_PAGE, 6 * T_PAGE, MAYMOVE, NULL);
	check_bytes(r, T_PAGE, 'c');
	check_bytes(r + T_PAGE, 3 * T_PAGE, 's');
	check_fault(r + 4 * T_PAGE, -1, SIGBUS, BUS_ADRERR);
	check_fault(r + 5 * T_PAGE + 8, -1, SIGBUS, BUS_ADRERR);
	CHECK_OK(munmap(r, 6 * T_PAGE));
	CHECK_OK(munmap(p + 2 * T_PAGE, 2 * T_PAGE));
}

static void case_shared_file_move(void)
{
	int fd = make_file("mremap", 8 * T_PAGE, NULL);
	char *p = map_fd(2 * T_PAGE, RW, MAP_SHARED, fd, 2 * T_PAGE);
	char *guard = mmap(p + 2 * T_PAGE, T_PAGE, PROT_NONE, ANON | MAP_FIXED_NOREPLACE,
			   -1, 0);

	CHECK(guard == p + 2 * T_PAGE);	/* so the grow below must move */
	p[0] = 'w';
	char *q = mrem_ok(p, 2 * T_PAGE, 4 * T_PAGE, MAYMOVE, NULL);
	CHECK(q != p);
	check_gone(p);
	/* The same file offsets, grown over the next two pages. */
	CHECK_EQ(q[0], 'w');
	check_pat(q + 1, 2 * T_PAGE + 1, 4 * T_PAGE - 1);
	q[3 * T_PAGE] = 'x';
	CHECK_EQ(file_byte(fd, 5 * T_PAGE), 'x');
	CHECK_EQ(pwrite(fd, "y", 1, 2 * T_PAGE + 1), 1);
	CHECK_EQ(q[1], 'y');
	/* Shrinking keeps the head in place and coherent. */
	CHECK(mrem_ok(q, 4 * T_PAGE, T_PAGE, 0, NULL) == q);
	CHECK_EQ(q[0], 'w');
	check_gone(q + T_PAGE);
	CHECK_OK(munmap(q, T_PAGE));
	CHECK_OK(munmap(guard, T_PAGE));
	CHECK_OK(close(fd));
}

static void case_private_file_move(void)
{
	int fd = make_file("mremapp", 4 * T_PAGE, NULL);
	char *p = map_fd(4 * T_PAGE, RW, MAP_PRIVATE, fd, 0);
	char *target = t_map(4 * T_PAGE, RW);

	p[T_PAGE] = 'c';		/* page 1 becomes a private copy */
	CHECK_EQ(p[0], pat(0));		/* page 0 is only read */
	char *q = mrem_ok(p, 4 * T_PAGE, 4 * T_PAGE, FIXED, target);
	CHECK(q == target);
	check_gone(p);
	CHECK_EQ(q[T_PAGE], 'c');	/* the copy moved along */
	check_pat(q + T_PAGE + 1, T_PAGE + 1, T_PAGE - 1);
	CHECK_EQ(pwrite(fd, "f", 1, 0), 1);
	CHECK_EQ(q[0], 'f');		/* an unwritten page still follows the file */
	CHECK_EQ(pwrite(fd, "g", 1, T_PAGE + 2), 1);
	CHECK_EQ(q[T_PAGE + 2], pat(T_PAGE + 2));
	CHECK_EQ(file_byte(fd, T_PAGE), (unsigned char)pat(T_PAGE));
	CHECK_OK(munmap(q, 4 * T_PAGE));
	CHECK_OK(close(fd));
}

static void case_duplicate_shared(void)
{
	char *p = mmap(NULL, 2 * T_PAGE, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED);
	fill_bytes(p, 2 * T_PAGE, 'd');
	/* old_len 0: a second mapping of the same pages; the first stays. */
	char *q = mrem_ok(p, 0, 2 * T_PAGE, MAYMOVE, NULL);
	CHECK(q != p);
	check_bytes(q, 2 * T_PAGE, 'd');
	q[T_PAGE] = 'q';
	CHECK_EQ(p[T_PAGE], 'q');
	p[0] = 'p';
	CHECK_EQ(q[0], 'p');
	CHECK_OK(munmap(p, 2 * T_PAGE));
	CHECK_OK(munmap(q, 2 * T_PAGE));

	/* The same for a shared file mapping. */
	int fd = make_file("dup", 2 * T_PAGE, NULL);
	p = map_fd(2 * T_PAGE, RW, MAP_SHARED, fd, 0);
	q = mrem_ok(p, 0, 2 * T_PAGE, MAYMOVE, NULL);
	check_pat(q, 0, 2 * T_PAGE);
	q[5] = 'q';
	CHECK_EQ(p[5], 'q');
	CHECK_EQ(file_byte(fd, 5), 'q');
	CHECK_OK(munmap(q, 2 * T_PAGE));
	CHECK_OK(munmap(p, 2 * T_PAGE));
	CHECK_OK(close(fd));

	/* Linux 6.1 refuses to "duplicate" a private mapping. */
	p = map_filled(2);
	CHECK_ERR(mrem(p, 0, 2 * T_PAGE, MAYMOVE, NULL), EINVAL);
	CHECK_OK(munmap(p, 2 * T_PAGE));
}

static void case_errors(void)
{
	char *p = map_blocked();

	CHECK_ERR(mrem(p + 1, T_PAGE, T_PAGE, 0, NULL), EINVAL);	/* unaligned */
	CHECK_ERR(mrem(p, T_PAGE, 0, MAYMOVE, NULL), EINVAL);	/* empty */
	CHECK_ERR(mrem(p, T_PAGE, T_PAGE, 0x100, NULL), EINVAL);	/* bad flags */
	CHECK_ERR(mrem(t_unmapped_page(), T_PAGE, 2 * T_PAGE, MAYMOVE, NULL),
		  EFAULT);
	CHECK_ERR(mrem(t_unmapped_page(), T_PAGE, T_PAGE, 0, NULL), EFAULT);
	/* Pages 0-1 and page 2 are two mappings (different protections). */
	CHECK_ERR(mrem(p, 3 * T_PAGE, 4 * T_PAGE, MAYMOVE, NULL), EFAULT);
	CHECK_ERR(mrem(p + T_PAGE, 2 * T_PAGE, 3 * T_PAGE, MAYMOVE, NULL), EFAULT);
	CHECK_ERR(mrem(p, 2 * T_PAGE, 3 * T_PAGE, 0, NULL), ENOMEM);	/* blocked */
	check_filled(p, 2);
	CHECK_OK(munmap(p, 3 * T_PAGE));
}

static void case_grow_1m_to_64m(void)
{
	size_t small = 1UL << 20, big = 64UL << 20;
	char *p = t_map(small, RW);

	for (size_t off = 0; off < small; off += T_PAGE)
		fill_bytes(p + off, T_PAGE, (char)(off / T_PAGE));
	char *q = mrem_ok(p, small, big, MAYMOVE, NULL);
	for (size_t off = 0; off < small; off += T_PAGE)
		check_bytes(q + off, T_PAGE, (char)(off / T_PAGE));
	/* The new part is zero-filled memory; sample a byte every 64 KiB. */
	for (size_t off = small; off < big; off += 16 * T_PAGE)
		CHECK_EQ(q[off + 7], 0);
	q[big - 1] = 'e';
	CHECK_EQ(q[big - 1], 'e');
	CHECK_OK(munmap(q, big));
}

static const struct t_case cases[] = {
	{ case_shrink_in_place, "shrink_in_place" },
	{ case_grow_in_place, "grow_in_place" },
	{ case_grow_blocked_moves, "grow_blocked_moves" },
	{ case_fixed, "fixed" },
	{ case_fixed_overlap, "fixed_overlap" },
	{ case_dontunmap, "dontunmap" },
	{ case_shared_anon_move, "shared_anon_move" },
	{ case_shared_file_move, "shared_file_move" },
	{ case_private_file_move, "private_file_move" },
	{ case_duplicate_shared, "duplicate_shared" },
	{ case_errors, "errors" },
	{ case_grow_1m_to_64m, "grow_1m_to_64m" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
