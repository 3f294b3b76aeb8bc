/*
 * splice.c - splice between a file and a pipe both ways and between two
 * pipes, tee copying a pipe's bytes without consuming them, offsets
 * given or the file's own, SPLICE_F_NONBLOCK, end of file, and Linux
 * 6.1's argument errors; nothing leaks.
 */
#define _GNU_SOURCE
#include "t.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define FILE_S "/tmp/splice-file"

static int open_s(int flags)
{
	return CHECK_OK(open(FILE_S, O_RDWR | O_CREAT | flags, 0644));
}

static int pipe_bytes(int fd)
{
	int n = -1;

	CHECK_OK(ioctl(fd, FIONREAD, &n));
	return n;
}

static void check_read(int fd, const char *want)
{
	char buf[64] = { 0 };
	size_t n = strlen(want);

	CHECK_EQ(read(fd, buf, n), (ssize_t)n);
	CHECK(memcmp(buf, want, n) == 0);
}

static void case_file_to_pipe(void)
{
	int fd = open_s(O_TRUNC), p[2];
	loff_t off = 6;

	CHECK_OK(pipe(p));
	CHECK_EQ(write(fd, "hello world", 11), 11);
	CHECK_EQ(splice(fd, &off, p[1], NULL, 100, 0), 5);
	CHECK_EQ(off, 11);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 11);	/* untouched by splice */
	check_read(p[0], "world");
	CHECK_OK(lseek(fd, 0, SEEK_SET));
	CHECK_EQ(splice(fd, NULL, p[1], NULL, 5, 0), 5);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 5);	/* the file's own moved */
	check_read(p[0], "hello");
	CHECK_EQ(splice(fd, &off, p[1], NULL, 5, 0), 0);	/* at EOF */
	CHECK_OK(close(p[0]));
	CHECK_OK(close(p[1]));
	CHECK_OK(close(fd));
}

static void case_pipe_to_file(void)
{
	int fd = open_s(O_TRUNC), p[2];
	loff_t off = 2;
	char buf[8] = { 0 };

	CHECK_OK(pipe(p));
	CHECK_EQ(write(p[1], "abcdef", 6), 6);
	CHECK_EQ(splice(p[0], NULL, fd, &off, 4, 0), 4);
	CHECK_EQ(off, 6);
	CHECK_EQ(pipe_bytes(p[0]), 2);
	CHECK_EQ(pread(fd, buf, sizeof(buf), 0), 6);
	CHECK(memcmp(buf, "\0\0abcd", 6) == 0);
	CHECK_EQ(splice(p[0], NULL, fd, NULL, 10, 0), 2);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 2);
	CHECK_EQ(pread(fd, buf, 2, 0), 2);
	CHECK(memcmp(buf, "ef", 2) == 0);
	CHECK_OK(close(p[1]));
	CHECK_EQ(splice(p[0], NULL, fd, NULL, 10, 0), 0);	/* no writer */
	CHECK_OK(close(p[0]));
	CHECK_OK(close(fd));
}

static void case_pipe_to_pipe_and_tee(void)
{
	int a[2], b[2];

	CHECK_OK(pipe(a));
	CHECK_OK(pipe(b));
	CHECK_EQ(write(a[1], "xyz", 3), 3);
	CHECK_EQ(splice(a[0], NULL, b[1], NULL, 2, 0), 2);
	check_read(b[0], "xy");
	CHECK_EQ(pipe_bytes(a[0]), 1);
	CHECK_EQ(write(a[1], "data", 4), 4);
	/* tee copies and leaves the bytes where they were. */
	CHECK_EQ(tee(a[0], b[1], 100, 0), 5);
	CHECK_EQ(tee(a[0], b[1], 2, 0), 2);
	check_read(b[0], "zdataz");
	check_read(b[0], "d");
	check_read(a[0], "zdata");
	CHECK_OK(close(a[1]));
	CHECK_EQ(tee(a[0], b[1], 10, 0), 0);		/* empty, no writer */
	CHECK_EQ(splice(a[0], NULL, b[1], NULL, 10, 0), 0);
	CHECK_OK(close(a[0]));
	CHECK_OK(close(b[0]));
	CHECK_OK(close(b[1]));
}

static void case_nonblock(void)
{
	int a[2], b[2], fd = open_s(O_TRUNC);
	static char junk[4096];

	CHECK_OK(pipe(a));
	CHECK_OK(pipe(b));
	CHECK_EQ(write(fd, "x", 1), 1);
	CHECK_ERR(splice(a[0], NULL, b[1], NULL, 10, SPLICE_F_NONBLOCK),
		  EAGAIN);
	CHECK_ERR(tee(a[0], b[1], 10, SPLICE_F_NONBLOCK), EAGAIN);
	CHECK_ERR(splice(a[0], NULL, fd, NULL, 10, SPLICE_F_NONBLOCK),
		  EAGAIN);
	/* A full pipe takes nothing more. */
	CHECK_OK(fcntl(b[1], F_SETFL, O_NONBLOCK));
	while (write(b[1], junk, sizeof(junk)) > 0)
		;
	CHECK_ERR(splice(fd, (loff_t[]){ 0 }, b[1], NULL, 1, 0), EAGAIN);
	CHECK_OK(close(a[0]));
	CHECK_OK(close(a[1]));
	CHECK_OK(close(b[0]));
	CHECK_OK(close(b[1]));
	CHECK_OK(close(fd));
}

static void case_errors(void)
{
	int fd = open_s(0), app = open_s(O_APPEND), p[2], q[2];
	int ro = CHECK_OK(open(FILE_S, O_RDONLY));
	loff_t off = 0;

	CHECK_OK(pipe(p));
	CHECK_OK(pipe(q));
	CHECK_EQ(write(p[1], "abc", 3), 3);
	CHECK_EQ(splice(-1, NULL, -1, NULL, 0, 0), 0);	/* len 0 first */
	CHECK_ERR(splice(p[0], NULL, fd, NULL, 1, 0x10), EINVAL);
	CHECK_ERR(splice(-1, NULL, fd, NULL, 1, 0), EBADF);
	CHECK_ERR(splice(p[0], NULL, -1, NULL, 1, 0), EBADF);
	CHECK_ERR(splice(p[0], &off, fd, NULL, 1, 0), ESPIPE);
	CHECK_ERR(splice(fd, NULL, p[1], &off, 1, 0), ESPIPE);
	CHECK_ERR(splice(p[0], NULL, p[1], NULL, 1, 0), EINVAL);
	CHECK_ERR(splice(fd, NULL, fd, NULL, 1, 0), EINVAL);	/* no pipe */
	CHECK_ERR(splice(p[0], NULL, app, NULL, 1, 0), EINVAL);
	CHECK_ERR(splice(p[0], NULL, ro, NULL, 1, 0), EBADF);
	CHECK_ERR(splice(p[1], NULL, fd, NULL, 1, 0), EBADF);
	CHECK_ERR(splice(fd, (loff_t[]){ -1 }, q[1], NULL, 1, 0), EINVAL);
	CHECK_ERR(tee(p[0], q[1], 1, 0x10), EINVAL);
	CHECK_EQ(tee(-1, -1, 0, 0), 0);
	CHECK_ERR(tee(-1, q[1], 1, 0), EBADF);
	CHECK_ERR(tee(p[0], fd, 1, 0), EINVAL);
	CHECK_ERR(tee(p[0], p[1], 1, 0), EINVAL);
	CHECK_ERR(tee(q[1], p[1], 1, 0), EBADF);
	CHECK_EQ(pipe_bytes(p[0]), 3);		/* nothing was taken */
	/* No reader: EPIPE (SIGPIPE ignored here). */
	CHECK(signal(SIGPIPE, SIG_IGN) != SIG_ERR);
	CHECK_OK(close(q[0]));
	CHECK_ERR(splice(p[0], NULL, q[1], NULL, 1, 0), EPIPE);
	CHECK_ERR(tee(p[0], q[1], 1, 0), EPIPE);
	CHECK_EQ(pipe_bytes(p[0]), 3);
	CHECK_OK(close(q[1]));
	CHECK_OK(close(p[0]));
	CHECK_OK(close(p[1]));
	CHECK_OK(close(ro));
	CHECK_OK(close(app));
	CHECK_OK(close(fd));
}

static void work(int rounds)
{
	for (int i = 0; i < rounds; i++) {
		int a[2], b[2], fd = open_s(0);
		loff_t off = 0;

		if (pipe(a) || pipe(b))
			return;
		write(a[1], "0123456789", 10);
		tee(a[0], b[1], 10, 0);
		splice(a[0], NULL, fd, &off, 10, 0);
		splice(fd, &off, a[1], NULL, 10, 0);
		splice(b[0], NULL, a[1], NULL, 10, 0);
		close(a[0]);
		close(a[1]);
		close(b[0]);
		close(b[1]);
		close(fd);
	}
}

static void case_no_leak(void)
{
	t_check_no_leak("splice and tee", work, 200);
}

static const struct t_case cases[] = {
	{ case_file_to_pipe, "file_to_pipe" },
	{ case_pipe_to_file, "pipe_to_file" },
	{ case_pipe_to_pipe_and_tee, "pipe_to_pipe_and_tee" },
	{ case_nonblock, "nonblock" },
	{ case_errors, "errors" },
	{ case_no_leak, "no_leak" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
