/*
 * fsmisc.c - the calls programs use to advise the kernel about files:
 * fadvise64 (advice checked, ESPIPE on pipes, EBADF), readahead (EINVAL
 * on anything but a regular file open for reading) and sync_file_range
 * (flags and range checked, ESPIPE on pipes). Each is answered as Linux
 * 6.1 answers for tmpfs, which has no backing device: valid calls
 * succeed with nothing to do, invalid ones fail alike. And
 * copy_file_range between regular files: offsets given or the files'
 * own, the copy cut at the source's end, the checks and errors of 6.1.
 */
#define _GNU_SOURCE
#include "t.h"

#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define FILE_M "/tmp/fsmisc-file"

static int open_m(int flags)
{
	return CHECK_OK(open(FILE_M, flags | O_CREAT, 0644));
}

static long fadvise(int fd, long off, long len, int advice)
{
	return syscall(SYS_fadvise64, fd, off, len, advice);
}

static void case_fadvise(void)
{
	int fd = open_m(O_RDWR), p[2], pfd;

	for (int advice = 0; advice <= 5; advice++)
		CHECK_OK(fadvise(fd, 0, 4096, advice));
	CHECK_OK(fadvise(fd, 1 << 20, 0, POSIX_FADV_DONTNEED));
	CHECK_ERR(fadvise(fd, 0, 0, 6), EINVAL);
	CHECK_ERR(fadvise(fd, 0, 0, -1), EINVAL);
	CHECK_ERR(fadvise(fd, 0, -1, POSIX_FADV_NORMAL), EINVAL);
	CHECK_ERR(fadvise(-1, 0, 0, POSIX_FADV_NORMAL), EBADF);
	pfd = CHECK_OK(open(FILE_M, O_PATH));
	CHECK_ERR(fadvise(pfd, 0, 0, POSIX_FADV_NORMAL), EBADF);
	CHECK_OK(pipe(p));
	CHECK_ERR(fadvise(p[0], 0, 0, POSIX_FADV_NORMAL), ESPIPE);
	CHECK_ERR(fadvise(p[1], 0, 0, 99), ESPIPE);	/* before the advice */
	/* The C library's wrapper returns the error instead. */
	CHECK_EQ(posix_fadvise(p[0], 0, 0, POSIX_FADV_NORMAL), ESPIPE);
	CHECK_EQ(posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL), 0);
	CHECK_OK(close(p[0]));
	CHECK_OK(close(p[1]));
	CHECK_OK(close(pfd));
	CHECK_OK(close(fd));
}

static void case_readahead(void)
{
	int fd = open_m(O_RDONLY), wr = open_m(O_WRONLY), p[2];
	int dir = CHECK_OK(open("/tmp", O_RDONLY | O_DIRECTORY));

	CHECK_OK(readahead(fd, 0, 4096));
	CHECK_OK(readahead(fd, 1 << 30, 0));
	CHECK_ERR(readahead(wr, 0, 4096), EBADF);
	CHECK_ERR(readahead(-1, 0, 4096), EBADF);
	CHECK_ERR(readahead(dir, 0, 4096), EINVAL);
	CHECK_OK(pipe(p));
	CHECK_ERR(readahead(p[0], 0, 4096), EINVAL);
	CHECK_ERR(readahead(p[1], 0, 4096), EBADF);	/* not for reading */
	CHECK_ERR(readahead(fd, 0, (size_t)-1), EINVAL);	/* len < 0 */
	CHECK_OK(close(p[0]));
	CHECK_OK(close(p[1]));
	CHECK_OK(close(dir));
	CHECK_OK(close(wr));
	CHECK_OK(close(fd));
}

static void case_sync_file_range(void)
{
	int fd = open_m(O_RDWR), p[2];
	int dir = CHECK_OK(open("/tmp", O_RDONLY | O_DIRECTORY));
	unsigned int all = SYNC_FILE_RANGE_WAIT_BEFORE |
			   SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER;

	CHECK_EQ(write(fd, "data", 4), 4);
	CHECK_OK(sync_file_range(fd, 0, 0, all));
	CHECK_OK(sync_file_range(fd, 0, 4, SYNC_FILE_RANGE_WRITE));
	CHECK_OK(sync_file_range(fd, 100, 0, 0));
	CHECK_OK(sync_file_range(dir, 0, 0, 0));
	CHECK_ERR(sync_file_range(fd, 0, 0, 8), EINVAL);
	CHECK_ERR(sync_file_range(fd, -1, 0, 0), EINVAL);
	CHECK_ERR(sync_file_range(fd, 10, -5, 0), EINVAL);
	CHECK_ERR(sync_file_range(fd, INT64_MAX, 1, 0), EINVAL);
	CHECK_ERR(sync_file_range(-1, 0, 0, 0), EBADF);
	CHECK_OK(pipe(p));
	CHECK_ERR(sync_file_range(p[0], 0, 0, 0), ESPIPE);
	CHECK_ERR(sync_file_range(p[0], 0, 0, 8), EINVAL);	/* flags first */
	CHECK_OK(close(p[0]));
	CHECK_OK(close(p[1]));
	CHECK_OK(close(dir));
	CHECK_OK(close(fd));
}

static void case_copy_file_range(void)
{
	int in = open_m(O_RDWR | O_TRUNC), out, p[2], dir;
	char buf[32] = { 0 };
	off_t oi = 2, oo = 0;

	out = CHECK_OK(open("/tmp/fsmisc-out", O_RDWR | O_CREAT | O_TRUNC,
			    0644));
	CHECK_EQ(write(in, "0123456789", 10), 10);
	CHECK_OK(lseek(in, 0, SEEK_SET));
	/* The files' own offsets move. */
	CHECK_EQ(copy_file_range(in, NULL, out, NULL, 4, 0), 4);
	CHECK_EQ(lseek(in, 0, SEEK_CUR), 4);
	CHECK_EQ(lseek(out, 0, SEEK_CUR), 4);
	/* Given offsets move instead; the copy stops at the source's end. */
	oo = 4;
	CHECK_EQ(copy_file_range(in, &oi, out, &oo, 100, 0), 8);
	CHECK_EQ(oi, 10);
	CHECK_EQ(oo, 12);
	CHECK_EQ(lseek(in, 0, SEEK_CUR), 4);
	CHECK_EQ(copy_file_range(in, &oi, out, &oo, 100, 0), 0);	/* EOF */
	CHECK_EQ(pread(out, buf, sizeof(buf), 0), 12);
	CHECK(memcmp(buf, "012323456789", 12) == 0);
	/* Within one file, without overlap. */
	oi = 0;
	oo = 20;
	CHECK_EQ(copy_file_range(in, &oi, in, &oo, 5, 0), 5);
	oi = 0;
	oo = 3;
	CHECK_ERR(copy_file_range(in, &oi, in, &oo, 5, 0), EINVAL);
	/* The checks. */
	CHECK_ERR(copy_file_range(in, NULL, out, NULL, 1, 1), EINVAL);
	CHECK_ERR(copy_file_range(-1, NULL, out, NULL, 1, 0), EBADF);
	CHECK_ERR(copy_file_range(in, NULL, -1, NULL, 1, 0), EBADF);
	dir = CHECK_OK(open("/tmp", O_RDONLY | O_DIRECTORY));
	CHECK_ERR(copy_file_range(dir, NULL, out, NULL, 1, 0), EISDIR);
	CHECK_OK(pipe(p));
	CHECK_ERR(copy_file_range(in, NULL, p[1], NULL, 1, 0), EINVAL);
	CHECK_ERR(copy_file_range(p[0], NULL, out, NULL, 1, 0), EINVAL);
	CHECK_OK(close(p[0]));
	CHECK_OK(close(p[1]));
	CHECK_OK(close(dir));
	dir = CHECK_OK(open("/tmp/fsmisc-out", O_WRONLY | O_APPEND));
	CHECK_ERR(copy_file_range(in, NULL, dir, NULL, 1, 0), EBADF);
	CHECK_OK(close(dir));
	dir = CHECK_OK(open("/tmp/fsmisc-out", O_RDONLY));
	CHECK_ERR(copy_file_range(in, NULL, dir, NULL, 1, 0), EBADF);
	CHECK_OK(close(dir));
	/* A zero length copies nothing, successfully. */
	CHECK_EQ(copy_file_range(in, NULL, out, NULL, 0, 0), 0);
	CHECK_OK(close(out));
	CHECK_OK(close(in));
}

static const struct t_case cases[] = {
	{ case_fadvise, "fadvise" },
	{ case_readahead, "readahead" },
	{ case_sync_file_range, "sync_file_range" },
	{ case_copy_file_range, "copy_file_range" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
