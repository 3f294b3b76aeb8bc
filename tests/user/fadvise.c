/*
 * fadvise.c - posix_fadvise (fadvise64). Named after the bug: `cat` and
 * `sort` in the Debian root logged fadvise64 as not implemented. On
 * files kept in memory (tmpfs, procfs; Linux's noop backing device) the
 * advice is checked and has nothing else to do, on both kernels.
 */
#define _GNU_SOURCE
#include "t.h"

#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

static long fadvise(int fd, long off, long len, int advice)
{
	return t_raw6(SYS_fadvise64, fd, off, len, advice, 0, 0);
}

static void case_cat_fadvise64_missing(void)
{
	int fd = open("/tmp/fadvise-test", O_RDWR | O_CREAT | O_TRUNC, 0600);

	CHECK(fd >= 0);
	CHECK_EQ(write(fd, "data", 4), 4);
	/* What coreutils' cat and sort ask. */
	CHECK_EQ(posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL), 0);
	for (int advice = POSIX_FADV_NORMAL; advice <= POSIX_FADV_NOREUSE;
	     advice++)
		CHECK_EQ(fadvise(fd, 0, 4096, advice), 0);
	/* The data is untouched, even by DONTNEED. */
	char buf[4];
	CHECK_EQ(pread(fd, buf, 4, 0), 4);
	CHECK(memcmp(buf, "data", 4) == 0);
	close(fd);
	unlink("/tmp/fadvise-test");
}

static void case_errors(void)
{
	int fd = open("/proc/self/status", O_RDONLY);
	int path_fd = open("/tmp", O_PATH);
	int p[2];

	CHECK(fd >= 0 && path_fd >= 0);
	CHECK_EQ(fadvise(fd, 0, 0, POSIX_FADV_WILLNEED), 0);
	CHECK_EQ(fadvise(fd, 0, 0, 6), -EINVAL);
	CHECK_EQ(fadvise(fd, 0, 0, -1), -EINVAL);
	CHECK_EQ(fadvise(fd, 0, -1, POSIX_FADV_NORMAL), -EINVAL);
	CHECK_EQ(fadvise(-1, 0, 0, POSIX_FADV_NORMAL), -EBADF);
	CHECK_EQ(fadvise(path_fd, 0, 0, POSIX_FADV_NORMAL), -EBADF);
	CHECK_OK(pipe(p));
	CHECK_EQ(fadvise(p[0], 0, 0, POSIX_FADV_NORMAL), -ESPIPE);
	CHECK_EQ(fadvise(p[1], 0, 0, 6), -ESPIPE);	/* checked first */
	close(p[0]);
	close(p[1]);
	close(fd);
	close(path_fd);
}

static const struct t_case cases[] = {
	{ case_cat_fadvise64_missing, "cat-fadvise64-missing" },
	{ case_errors, "errors" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
