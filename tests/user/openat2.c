/*
 * openat2.c - openat2 with struct open_how: opens and creates like
 * openat, checks flags, mode and resolve strictly (EINVAL) before it
 * reads the name, accepts a larger struct whose extra bytes are zero
 * (E2BIG otherwise), and refuses a struct smaller than the first
 * version. RESOLVE_* restrictions are a documented Basalt gap (EINVAL).
 */
#define _GNU_SOURCE
#include "t.h"

#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_openat2
#define SYS_openat2 437
#endif

#define FILE_O "/tmp/openat2-file"
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

static void case_resolve_flags(void)
{
	struct how h = { .flags = O_RDONLY, .resolve = 0x04 /* NO_SYMLINKS */ };

	unlink(LINK_O);
	CHECK_OK(symlink(FILE_O, LINK_O));
	/* Basalt-only: its path walk does not implement the RESOLVE_*
	 * restrictions, so it refuses them (EINVAL, as a kernel that does
	 * not know the flag) instead of ignoring them. */
	if (is_basalt()) {
		CHECK_ERR(openat2(AT_FDCWD, FILE_O, &h, sizeof(h)), EINVAL);
		return;
	}
	CHECK_OK(close(CHECK_OK(openat2(AT_FDCWD, FILE_O, &h, sizeof(h)))));
	CHECK_ERR(openat2(AT_FDCWD, LINK_O, &h, sizeof(h)), ELOOP);
}

static const struct t_case cases[] = {
	{ case_opens_and_creates, "opens_and_creates" },
	{ case_struct_size, "struct_size" },
	{ case_strict_checks, "strict_checks" },
	{ case_resolve_flags, "resolve_flags" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
