/*
 * openat2.c - openat2 with struct open_how: opens and creates like
 * openat, checks flags, mode and resolve strictly (EINVAL) before it
 * reads the name, accepts a larger struct whose extra bytes are zero
 * (E2BIG otherwise), and refuses a struct smaller than the first
 * version. Each RESOLVE_* restriction, its successes and its errors
 * (EXDEV, ELOOP, EAGAIN) as Linux 6.1 answers them, and no leak.
 */
#define _GNU_SOURCE
#include "t.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_openat2
#define SYS_openat2 437
#endif

#define FILE_O "/tmp/openat2-file"

#define RESOLVE_NO_XDEV		0x01
#define RESOLVE_NO_MAGICLINKS	0x02
#define RESOLVE_NO_SYMLINKS	0x04
#define RESOLVE_BENEATH		0x08
#define RESOLVE_IN_ROOT		0x10
#define RESOLVE_CACHED		0x20
#define LINK_O "/tmp/openat2-link"

struct how {
	uint64_t flags, mode, resolve;
};

static long openat2(int dfd, const char *name, const void *how, size_t size)
{
	return syscall(SYS_openat2, dfd, name, how, size);
}

static void case_opens_and_creates(void)
{
	struct how h = { .flags = O_RDWR | O_CREAT | O_TRUNC, .mode = 0640 };
	struct stat st;
	char buf[4];
	int fd;

	umask(022);
	fd = CHECK_OK(openat2(AT_FDCWD, FILE_O, &h, sizeof(h)));
	CHECK_OK(fstat(fd, &st));
	CHECK_EQ(st.st_mode & 07777, 0640);
	CHECK_EQ(write(fd, "abc", 3), 3);
	CHECK_OK(close(fd));
	h = (struct how){ .flags = O_RDONLY | O_CLOEXEC };
	fd = CHECK_OK(openat2(AT_FDCWD, FILE_O, &h, sizeof(h)));
	CHECK_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	CHECK_EQ(read(fd, buf, 4), 3);
	CHECK_OK(close(fd));
	h = (struct how){ .flags = O_PATH | O_NOFOLLOW };
	CHECK_OK(close(CHECK_OK(openat2(AT_FDCWD, FILE_O, &h, sizeof(h)))));
	h = (struct how){ .flags = O_RDONLY };
	CHECK_ERR(openat2(AT_FDCWD, "/tmp/openat2-none", &h, sizeof(h)),
		  ENOENT);
}

static void case_struct_size(void)
{
	struct {
		struct how h;
		uint64_t more[3];
	} big = { .h = { .flags = O_RDONLY } };
	int fd;

	CHECK_ERR(openat2(AT_FDCWD, FILE_O, &big, 0), EINVAL);
	CHECK_ERR(openat2(AT_FDCWD, FILE_O, &big, 23), EINVAL);
	fd = CHECK_OK(openat2(AT_FDCWD, FILE_O, &big, sizeof(big)));
	CHECK_OK(close(fd));
	big.more[2] = 1;
	CHECK_ERR(openat2(AT_FDCWD, FILE_O, &big, sizeof(big)), E2BIG);
	CHECK_ERR(openat2(AT_FDCWD, FILE_O, t_unmapped_page(), 24), EFAULT);
}

static void case_strict_checks(void)
{
	struct how h = { .flags = O_RDONLY | ((uint64_t)1 << 32) };

	CHECK_ERR(openat2(AT_FDCWD, FILE_O, &h, sizeof(h)), EINVAL);
	h = (struct how){ .flags = O_RDONLY, .mode = 0600 };
	CHECK_ERR(openat2(AT_FDCWD, FILE_O, &h, sizeof(h)), EINVAL);
	h = (struct how){ .flags = O_RDWR | O_CREAT, .mode = 010000 };
	CHECK_ERR(openat2(AT_FDCWD, FILE_O, &h, sizeof(h)), EINVAL);
	h = (struct how){ .flags = O_PATH | O_RDWR };
	CHECK_ERR(openat2(AT_FDCWD, FILE_O, &h, sizeof(h)), EINVAL);
	h = (struct how){ .flags = O_RDONLY, .resolve = 0x40 };
	CHECK_ERR(openat2(AT_FDCWD, FILE_O, &h, sizeof(h)), EINVAL);
	h = (struct how){ .flags = O_RDONLY, .resolve = 0x08 | 0x10 };
	CHECK_ERR(openat2(AT_FDCWD, FILE_O, &h, sizeof(h)), EINVAL);
	/* The arguments are checked before the name is read. */
	h = (struct how){ .flags = O_RDONLY, .mode = 1 };
	CHECK_ERR(openat2(AT_FDCWD, t_unmapped_page(), &h, sizeof(h)),
		  EINVAL);
	h.mode = 0;
	CHECK_ERR(openat2(AT_FDCWD, t_unmapped_page(), &h, sizeof(h)),
		  EFAULT);
	CHECK_ERR(openat2(-1, "openat2-file", &h, sizeof(h)), EBADF);
}

#define DIR_O "/tmp/openat2-dir"

/* DIR_O/f, DIR_O/sub/, links abs -> DIR_O/f, rootf -> /f, up -> ../FILE,
 * rel -> sub/../f, and g beside DIR_O reached only by clamped "..". */
static void resolve_setup(void)
{
	struct how h = { .flags = O_RDWR | O_CREAT, .mode = 0600 };
	int fd;

	mkdir(DIR_O, 0755);
	mkdir(DIR_O "/sub", 0755);
	fd = CHECK_OK(openat2(AT_FDCWD, DIR_O "/f", &h, sizeof(h)));
	CHECK_OK(close(fd));
	fd = CHECK_OK(openat2(AT_FDCWD, FILE_O, &h, sizeof(h)));
	CHECK_OK(close(fd));
	unlink(DIR_O "/abs");
	unlink(DIR_O "/rootf");
	unlink(DIR_O "/up");
	unlink(DIR_O "/rel");
	unlink(LINK_O);
	CHECK_OK(symlink(DIR_O "/f", DIR_O "/abs"));
	CHECK_OK(symlink("/f", DIR_O "/rootf"));
	CHECK_OK(symlink("../openat2-file", DIR_O "/up"));
	CHECK_OK(symlink("sub/../f", DIR_O "/rel"));
	CHECK_OK(symlink(FILE_O, LINK_O));
}

/* openat2 with resolve flags; the descriptor, closed, or -1 and errno. */
static long try_open(int dfd, const char *name, uint64_t flags,
		     uint64_t resolve)
{
	struct how h = { .flags = flags, .resolve = resolve };
	long fd = openat2(dfd, name, &h, sizeof(h));

	if (fd >= 0)
		close((int)fd);
	return fd;
}

#define OPENS(dfd, name, resolve) \
	CHECK_OK(try_open(dfd, name, O_RDONLY, resolve))
#define FAILS(dfd, name, resolve, err) \
	CHECK_ERR(try_open(dfd, name, O_RDONLY, resolve), err)

static void case_resolve_no_symlinks(void)
{
	resolve_setup();
	OPENS(AT_FDCWD, FILE_O, RESOLVE_NO_SYMLINKS);
	FAILS(AT_FDCWD, LINK_O, RESOLVE_NO_SYMLINKS, ELOOP);
	FAILS(AT_FDCWD, "/proc/self/status", RESOLVE_NO_SYMLINKS, ELOOP);
	/* The last component is not followed with O_NOFOLLOW: O_PATH opens
	 * the link itself, anything else is ELOOP as for openat. */
	CHECK_OK(try_open(AT_FDCWD, LINK_O, O_PATH | O_NOFOLLOW,
			  RESOLVE_NO_SYMLINKS));
	CHECK_ERR(try_open(AT_FDCWD, LINK_O, O_RDONLY | O_NOFOLLOW,
			   RESOLVE_NO_SYMLINKS), ELOOP);
	FAILS(AT_FDCWD, DIR_O "/rel", RESOLVE_NO_SYMLINKS, ELOOP);
}

static void case_resolve_no_magiclinks(void)
{
	char name[64];
	int fd;

	resolve_setup();
	fd = CHECK_OK(open(FILE_O, O_RDONLY));
	snprintf(name, sizeof(name), "/proc/self/fd/%d", fd);
	OPENS(AT_FDCWD, name, 0);
	FAILS(AT_FDCWD, name, RESOLVE_NO_MAGICLINKS, ELOOP);
	FAILS(AT_FDCWD, "/proc/self/cwd", RESOLVE_NO_MAGICLINKS, ELOOP);
	/* /proc/self and ordinary symlinks are not magic. */
	OPENS(AT_FDCWD, "/proc/self/status", RESOLVE_NO_MAGICLINKS);
	OPENS(AT_FDCWD, LINK_O, RESOLVE_NO_MAGICLINKS);
	CHECK_OK(try_open(AT_FDCWD, name, O_PATH | O_NOFOLLOW,
			  RESOLVE_NO_MAGICLINKS));
	CHECK_OK(close(fd));
}

static void case_resolve_no_xdev(void)
{
	int proc = CHECK_OK(open("/proc", O_RDONLY | O_DIRECTORY));
	int root = CHECK_OK(open("/", O_RDONLY | O_DIRECTORY));

	resolve_setup();
	OPENS(proc, "version", RESOLVE_NO_XDEV);
	OPENS(proc, "sys/../version", RESOLVE_NO_XDEV);
	OPENS(AT_FDCWD, "/proc/version", 0);
	FAILS(AT_FDCWD, "/proc/version", RESOLVE_NO_XDEV, EXDEV);
	FAILS(root, "proc", RESOLVE_NO_XDEV, EXDEV);	/* down, the last */
	FAILS(proc, "..", RESOLVE_NO_XDEV, EXDEV);	/* up */
	FAILS(proc, "../proc/version", RESOLVE_NO_XDEV, EXDEV);
	/* An absolute name may start anywhere; an absolute symlink may not
	 * jump to another mount's root. */
	OPENS(proc, "/", RESOLVE_NO_XDEV);
	FAILS(proc, "self/root", RESOLVE_NO_XDEV, EXDEV);
	CHECK_OK(close(proc));
	CHECK_OK(close(root));
}

static void case_resolve_beneath(void)
{
	int dir, proc;

	resolve_setup();
	dir = CHECK_OK(open(DIR_O, O_RDONLY | O_DIRECTORY));
	OPENS(dir, "f", RESOLVE_BENEATH);
	OPENS(dir, "sub/../f", RESOLVE_BENEATH);
	OPENS(dir, "./sub/..", RESOLVE_BENEATH);
	OPENS(dir, "rel", RESOLVE_BENEATH);
	FAILS(dir, "..", RESOLVE_BENEATH, EXDEV);
	FAILS(dir, "sub/../../openat2-file", RESOLVE_BENEATH, EXDEV);
	FAILS(dir, DIR_O "/f", RESOLVE_BENEATH, EXDEV);
	FAILS(-1, "/tmp", RESOLVE_BENEATH, EXDEV);	/* before dfd */
	FAILS(dir, "abs", RESOLVE_BENEATH, EXDEV);
	FAILS(dir, "up", RESOLVE_BENEATH, EXDEV);
	OPENS(dir, "abs", 0);
	CHECK_ERR(try_open(dir, "f/x", O_RDONLY,
			   RESOLVE_BENEATH), ENOTDIR);
	CHECK_OK(close(dir));
	/* A magic link may not be followed in a scoped walk. */
	proc = CHECK_OK(open("/proc", O_RDONLY | O_DIRECTORY));
	OPENS(proc, "self/status", RESOLVE_BENEATH);
	FAILS(proc, "self/cwd", RESOLVE_BENEATH, EXDEV);
	CHECK_OK(close(proc));
	/* The start must be a directory. */
	dir = CHECK_OK(open(FILE_O, O_RDONLY));
	FAILS(dir, "x", RESOLVE_BENEATH, ENOTDIR);
	CHECK_OK(close(dir));
}

/* The same file as name in the plain walk? */
static void check_same(int dfd, const char *name, uint64_t resolve,
		       const char *plain)
{
	struct how h = { .flags = O_RDONLY, .resolve = resolve };
	struct stat a, b;
	int fd = CHECK_OK(openat2(dfd, name, &h, sizeof(h)));

	CHECK_OK(fstat(fd, &a));
	CHECK_OK(stat(plain, &b));
	CHECK_EQ(a.st_ino, b.st_ino);
	CHECK_OK(close(fd));
}

static void case_resolve_in_root(void)
{
	int dir;

	resolve_setup();
	dir = CHECK_OK(open(DIR_O, O_RDONLY | O_DIRECTORY));
	check_same(dir, "f", RESOLVE_IN_ROOT, DIR_O "/f");
	check_same(dir, "/f", RESOLVE_IN_ROOT, DIR_O "/f");
	check_same(dir, "../../f", RESOLVE_IN_ROOT, DIR_O "/f");
	check_same(dir, "/..", RESOLVE_IN_ROOT, DIR_O);
	check_same(dir, "rootf", RESOLVE_IN_ROOT, DIR_O "/f");
	check_same(dir, "sub/../../sub", RESOLVE_IN_ROOT, DIR_O "/sub");
	FAILS(dir, "rootf", 0, ENOENT);
	FAILS(dir, "up", RESOLVE_IN_ROOT, ENOENT);	/* clamped */
	FAILS(dir, "abs", RESOLVE_IN_ROOT, ENOENT);	/* DIR_O/tmp/... */
	CHECK_OK(close(dir));
}

static void case_resolve_cached(void)
{
	resolve_setup();
	OPENS(AT_FDCWD, FILE_O, RESOLVE_CACHED);
	CHECK_OK(try_open(AT_FDCWD, DIR_O, O_RDONLY | O_DIRECTORY,
			  RESOLVE_CACHED | RESOLVE_NO_XDEV));
	CHECK_ERR(try_open(AT_FDCWD, FILE_O, O_RDWR | O_TRUNC,
			   RESOLVE_CACHED), EAGAIN);
	CHECK_ERR(try_open(AT_FDCWD, DIR_O "/new", O_RDWR | O_CREAT,
			   RESOLVE_CACHED), EAGAIN);
	FAILS(AT_FDCWD, DIR_O "/new", 0, ENOENT);
}

static void resolve_rounds(int n)
{
	int dir = open(DIR_O, O_RDONLY | O_DIRECTORY);

	for (int i = 0; i < n; i++) {
		try_open(dir, "..", O_RDONLY, RESOLVE_BENEATH);
		try_open(dir, "abs", O_RDONLY, RESOLVE_BENEATH);
		try_open(dir, "up", O_RDONLY, RESOLVE_IN_ROOT);
		try_open(dir, "rel", O_RDONLY, RESOLVE_IN_ROOT);
		try_open(dir, "rel", O_RDONLY, RESOLVE_NO_SYMLINKS);
		try_open(AT_FDCWD, "/proc/version", O_RDONLY, RESOLVE_NO_XDEV);
		try_open(AT_FDCWD, "/proc/self/cwd", O_RDONLY,
			 RESOLVE_NO_MAGICLINKS);
	}
	close(dir);
}

static void case_resolve_no_leak(void)
{
	resolve_setup();
	t_check_no_leak("openat2 resolve errors", resolve_rounds, 200);
}

static const struct t_case cases[] = {
	{ case_opens_and_creates, "opens_and_creates" },
	{ case_struct_size, "struct_size" },
	{ case_strict_checks, "strict_checks" },
	{ case_resolve_no_symlinks, "resolve_no_symlinks" },
	{ case_resolve_no_magiclinks, "resolve_no_magiclinks" },
	{ case_resolve_no_xdev, "resolve_no_xdev" },
	{ case_resolve_beneath, "resolve_beneath" },
	{ case_resolve_in_root, "resolve_in_root" },
	{ case_resolve_cached, "resolve_cached" },
	{ case_resolve_no_leak, "resolve_no_leak" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
