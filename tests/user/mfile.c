/*
 * mfile.c - the calls that act on mapped memory rather than make it:
 * msync(2), mincore(2) and madvise(2), mostly on file mappings.
 *
 * msync: every valid flag combination succeeds on a shared tmpfs mapping,
 * the invalid ones and unmapped ranges give Linux's errno. mincore: which
 * pages are resident (anonymous: the touched ones; file mappings: the pages
 * the file has, whether or not this mapping touched them). madvise: what
 * MADV_DONTNEED, MADV_REMOVE, MADV_FREE and MADV_WILLNEED do to shared and
 * private file mappings. Calls are raw where a C library wrapper might
 * round or check arguments itself.
 */
#define _GNU_SOURCE
#include "t.h"
#include "maptest.h"

#include <sys/stat.h>
#include <sys/syscall.h>

#ifndef MADV_FREE
#define MADV_FREE 8
#endif
#ifndef MADV_REMOVE
#define MADV_REMOVE 9
#endif

#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)

static long sys_msync(void *p, size_t len, int flags)
{
	return syscall(SYS_msync, p, len, flags);
}

static long sys_mincore(void *p, size_t len, unsigned char *vec)
{
	return syscall(SYS_mincore, p, len, vec);
}

static long sys_madvise(void *p, size_t len, int advice)
{
	return syscall(SYS_madvise, p, len, advice);
}

/* mincore's answer for n pages at p as a string of '0' and '1'. */
static const char *resident(void *p, int n)
{
	static unsigned char vec[64];
	static char str[65];

	CHECK(n <= 64);
	memset(vec, 0xff, sizeof(vec));
	CHECK_OK(sys_mincore(p, n * T_PAGE, vec));
	for (int i = 0; i < n; i++)
		str[i] = (vec[i] & 1) ? '1' : '0';
	str[n] = '\0';
	return str;
}

#define CHECK_RESIDENT(p, n, want)                                         \
	do {                                                               \
		const char *got_ = resident((p), (n));                     \
		if (strcmp(got_, (want)) != 0)                             \
			T_FAIL("mincore(%s) = %s, want %s", #p, got_, (want)); \
	} while (0)

static void case_msync_flags(void)
{
	int fd = make_file("msync", 4 * T_PAGE, NULL);
	char *p = map_fd(4 * T_PAGE, RW, MAP_SHARED, fd, 0);

	p[T_PAGE] = 'm';
	CHECK_OK(sys_msync(p, 4 * T_PAGE, MS_SYNC));
	CHECK_EQ(file_byte(fd, T_PAGE), 'm');
	CHECK_OK(sys_msync(p, 4 * T_PAGE, MS_ASYNC));
	CHECK_OK(sys_msync(p, 4 * T_PAGE, MS_INVALIDATE));
	CHECK_OK(sys_msync(p, 4 * T_PAGE, MS_SYNC | MS_INVALIDATE));
	CHECK_OK(sys_msync(p + T_PAGE, T_PAGE, 0));	/* no flag at all is fine */
	CHECK_OK(sys_msync(p, T_PAGE + 1, MS_SYNC));	/* length rounds up */
	CHECK_OK(sys_msync(p, 0, MS_SYNC));
	CHECK_EQ(p[T_PAGE], 'm');			/* invalidation keeps data */
	/* Private and anonymous mappings may be synced too. */
	char *v = map_fd(T_PAGE, RW, MAP_PRIVATE, fd, 0);
	CHECK_OK(sys_msync(v, T_PAGE, MS_SYNC));
	char *a = t_map(T_PAGE, RW);
	CHECK_OK(sys_msync(a, T_PAGE, MS_ASYNC));
	CHECK_OK(munmap(a, T_PAGE));
	CHECK_OK(munmap(v, T_PAGE));
	CHECK_OK(munmap(p, 4 * T_PAGE));
	CHECK_OK(close(fd));
}

static void case_msync_errors(void)
{
	int fd = make_file("msynce", 4 * T_PAGE, NULL);
	char *p = map_fd(4 * T_PAGE, RW, MAP_SHARED, fd, 0);

	CHECK_ERR(sys_msync(p, T_PAGE, MS_SYNC | MS_ASYNC), EINVAL);
	CHECK_ERR(sys_msync(p, T_PAGE, 8), EINVAL);		/* unknown flag */
	CHECK_ERR(sys_msync(p + 1, T_PAGE, MS_SYNC), EINVAL);	/* unaligned */
	CHECK_ERR(sys_msync(t_unmapped_page(), T_PAGE, MS_SYNC), ENOMEM);
	/* A range with a hole is synced where mapped, then reports ENOMEM. */
	CHECK_OK(munmap(p + 2 * T_PAGE, T_PAGE));
	CHECK_ERR(sys_msync(p, 4 * T_PAGE, MS_SYNC), ENOMEM);
	CHECK_OK(munmap(p, 4 * T_PAGE));
	CHECK_OK(close(fd));
}

static void case_mincore_anon(void)
{
	char *p = t_map(8 * T_PAGE, RW);

	CHECK_RESIDENT(p, 8, "00000000");
	p[0] = 1;
	p[3 * T_PAGE + 5] = 1;
	p[8 * T_PAGE - 1] = 1;
	CHECK_RESIDENT(p, 8, "10010001");
	CHECK_OK(sys_madvise(p, T_PAGE, MADV_DONTNEED));
	CHECK_RESIDENT(p, 8, "00010001");
	CHECK_OK(munmap(p, 8 * T_PAGE));
}

static void case_mincore_file(void)
{
	int fd = make_file("mincore", 0, NULL);

	/* A sparse file: only pages 2 and 5 exist. */
	CHECK_OK(ftruncate(fd, 8 * T_PAGE));
	CHECK_EQ(pwrite(fd, "x", 1, 2 * T_PAGE), 1);
	CHECK_EQ(pwrite(fd, "y", 1, 5 * T_PAGE + 9), 1);
	char *s = map_fd(8 * T_PAGE, RW, MAP_SHARED, fd, 0);
	char *v = map_fd(8 * T_PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	/* Untouched through these mappings, but in the file. */
	CHECK_RESIDENT(s, 8, "00100100");
	CHECK_RESIDENT(v, 8, "00100100");
	s[7 * T_PAGE] = 's';		/* a write through the mapping adds one */
	CHECK_RESIDENT(v, 8, "00100101");
	CHECK_RESIDENT(v + 4 * T_PAGE, 4, "0101");
	CHECK_OK(munmap(s, 8 * T_PAGE));
	CHECK_OK(munmap(v, 8 * T_PAGE));
	CHECK_OK(close(fd));
}

static void case_mincore_errors(void)
{
	char *p = t_map(2 * T_PAGE, RW);
	unsigned char vec[4];

	CHECK_ERR(sys_mincore(p + 1, T_PAGE, vec), EINVAL);
	CHECK_ERR(sys_mincore(t_unmapped_page(), T_PAGE, vec), ENOMEM);
	CHECK_ERR(sys_mincore(p, 3 * T_PAGE, vec), ENOMEM);	/* runs off the end */
	CHECK_ERR(sys_mincore(p, 2 * T_PAGE, t_unmapped_page()), EFAULT);
	CHECK_ERR(sys_mincore(p, 2 * T_PAGE, T_KERNEL_TEXT), EFAULT);
	CHECK_OK(munmap(p, 2 * T_PAGE));
}

static void case_dontneed_shared_file(void)
{
	int fd = make_file("dnshared", 2 * T_PAGE, NULL);
	char *p = map_fd(2 * T_PAGE, RW, MAP_SHARED, fd, 0);

	p[10] = 'w';
	CHECK_OK(sys_madvise(p, 2 * T_PAGE, MADV_DONTNEED));
	CHECK_EQ(p[10], 'w');		/* read back from the file */
	check_pat(p + 11, 11, 2 * T_PAGE - 11);
	CHECK_EQ(file_byte(fd, 10), 'w');
	CHECK_OK(munmap(p, 2 * T_PAGE));
	CHECK_OK(close(fd));
}

static void case_dontneed_private_file(void)
{
	int fd = make_file("dnpriv", 2 * T_PAGE, NULL);
	char *p = map_fd(2 * T_PAGE, RW, MAP_PRIVATE, fd, 0);

	p[10] = 'w';
	p[T_PAGE] = 'v';
	CHECK_OK(sys_madvise(p, T_PAGE, MADV_DONTNEED));
	CHECK_EQ(p[10], pat(10));	/* the private copy is gone */
	CHECK_EQ(p[T_PAGE], 'v');	/* outside the range: kept */
	CHECK_OK(munmap(p, 2 * T_PAGE));

	/* Anonymous private memory comes back zeroed. */
	p = t_map(T_PAGE, RW);
	p[1] = 'a';
	CHECK_OK(sys_madvise(p, T_PAGE, MADV_DONTNEED));
	CHECK_EQ(p[1], 0);
	CHECK_OK(munmap(p, T_PAGE));
	CHECK_OK(close(fd));
}

static long blocks(int fd)
{
	struct stat st;

	CHECK_OK(fstat(fd, &st));
	return (long)st.st_blocks;
}

static void case_remove_shared_file(void)
{
	int fd = make_file("remove", 4 * T_PAGE, NULL);
	char *p = map_fd(4 * T_PAGE, RW, MAP_SHARED, fd, 0);
	long before = blocks(fd);

	CHECK_OK(sys_madvise(p + T_PAGE, 2 * T_PAGE, MADV_REMOVE));
	/* A hole is punched: its pages are freed, the size stays. */
	CHECK_EQ(blocks(fd), before - 2 * T_PAGE / 512);
	CHECK_EQ(file_size(fd), 4 * T_PAGE);
	CHECK_EQ(file_byte(fd, T_PAGE), 0);
	CHECK_EQ(file_byte(fd, 3 * T_PAGE - 1), 0);
	check_pat(p, 0, T_PAGE);
	check_pat(p + 3 * T_PAGE, 3 * T_PAGE, T_PAGE);
	/*
	 * The mapping reads zeros there. (On tmpfs a read fault in a shared
	 * mapping allocates the page again, so blocks are checked first.)
	 */
	check_bytes(p + T_PAGE, 2 * T_PAGE, 0);
	p[T_PAGE] = 'n';		/* the hole fills again on a write */
	CHECK_EQ(file_byte(fd, T_PAGE), 'n');
	CHECK_OK(munmap(p, 4 * T_PAGE));
	CHECK_OK(close(fd));
}

static void case_remove_needs_shared_writable(void)
{
	char path[64];
	int fd = make_file("removep", 2 * T_PAGE, path);
	int rd = CHECK_OK(open(path, O_RDONLY));
	char *v = map_fd(2 * T_PAGE, RW, MAP_PRIVATE, fd, 0);
	char *r = map_fd(2 * T_PAGE, PROT_READ, MAP_SHARED, rd, 0);
	char *a = t_map(T_PAGE, RW);

	CHECK_OK(unlink(path));
	CHECK_ERR(sys_madvise(v, T_PAGE, MADV_REMOVE), EACCES);
	/* Private anonymous memory has no file to punch: EINVAL first. */
	CHECK_ERR(sys_madvise(a, T_PAGE, MADV_REMOVE), EINVAL);
	/*
	 * A shared mapping that can never be writable (read-only descriptor).
	 * With a read-write descriptor, a PROT_READ shared mapping may punch
	 * holes on Debian's 6.1 (Linux checks VM_MAYWRITE, not VM_WRITE, there).
	 */
	CHECK_ERR(sys_madvise(r, T_PAGE, MADV_REMOVE), EACCES);
	check_pat(r, 0, 2 * T_PAGE);
	CHECK_OK(munmap(a, T_PAGE));
	CHECK_OK(munmap(v, 2 * T_PAGE));
	CHECK_OK(munmap(r, 2 * T_PAGE));
	CHECK_OK(close(rd));
	CHECK_OK(close(fd));
}

static void case_free_only_anon(void)
{
	int fd = make_file("free", 2 * T_PAGE, NULL);
	char *s = map_fd(2 * T_PAGE, RW, MAP_SHARED, fd, 0);
	char *v = map_fd(2 * T_PAGE, RW, MAP_PRIVATE, fd, 0);
	char *sa = mmap(NULL, T_PAGE, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char *a = t_map(T_PAGE, RW);

	CHECK(sa != MAP_FAILED);
	/* MADV_FREE is for private anonymous memory only. */
	CHECK_ERR(sys_madvise(s, T_PAGE, MADV_FREE), EINVAL);
	CHECK_ERR(sys_madvise(v, T_PAGE, MADV_FREE), EINVAL);
	CHECK_ERR(sys_madvise(sa, T_PAGE, MADV_FREE), EINVAL);
	a[0] = 'a';
	CHECK_OK(sys_madvise(a, T_PAGE, MADV_FREE));
	check_pat(s, 0, 2 * T_PAGE);
	CHECK_OK(munmap(s, 2 * T_PAGE));
	CHECK_OK(munmap(v, 2 * T_PAGE));
	CHECK_OK(munmap(sa, T_PAGE));
	CHECK_OK(munmap(a, T_PAGE));
	CHECK_OK(close(fd));
}

static void case_willneed(void)
{
	int fd = make_file("willneed", 4 * T_PAGE, NULL);
	char *s = map_fd(4 * T_PAGE, RW, MAP_SHARED, fd, 0);
	char *v = map_fd(4 * T_PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	char *a = t_map(4 * T_PAGE, RW);

	CHECK_OK(sys_madvise(s, 4 * T_PAGE, MADV_WILLNEED));
	CHECK_OK(sys_madvise(v, 4 * T_PAGE, MADV_WILLNEED));
	CHECK_OK(sys_madvise(a, 4 * T_PAGE, MADV_WILLNEED));
	check_pat(s, 0, 4 * T_PAGE);
	check_pat(v, 0, 4 * T_PAGE);
	check_bytes(a, 4 * T_PAGE, 0);
	CHECK_OK(munmap(s, 4 * T_PAGE));
	CHECK_OK(munmap(v, 4 * T_PAGE));
	CHECK_OK(munmap(a, 4 * T_PAGE));
	CHECK_OK(close(fd));
}

static void case_madvise_errors(void)
{
	char *p = t_map(2 * T_PAGE, RW);

	CHECK_ERR(sys_madvise(p + 1, T_PAGE, MADV_DONTNEED), EINVAL);
	CHECK_ERR(sys_madvise(p, T_PAGE, 12345), EINVAL);
	CHECK_ERR(sys_madvise(t_unmapped_page(), T_PAGE, MADV_DONTNEED), ENOMEM);
	CHECK_ERR(sys_madvise(t_unmapped_page(), T_PAGE, MADV_WILLNEED), ENOMEM);
	CHECK_OK(munmap(p, 2 * T_PAGE));
}

static const struct t_case cases[] = {
	{ case_msync_flags, "msync_flags" },
	{ case_msync_errors, "msync_errors" },
	{ case_mincore_anon, "mincore_anon" },
	{ case_mincore_file, "mincore_file" },
	{ case_mincore_errors, "mincore_errors" },
	{ case_dontneed_shared_file, "dontneed_shared_file" },
	{ case_dontneed_private_file, "dontneed_private_file" },
	{ case_remove_shared_file, "remove_shared_file" },
	{ case_remove_needs_shared_writable, "remove_needs_shared_writable" },
	{ case_free_only_anon, "free_only_anon" },
	{ case_willneed, "willneed" },
	{ case_madvise_errors, "madvise_errors" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
