/*
 * splice.c - splice between a file and a pipe both ways and between two
 * pipes, tee copying a pipe's bytes without consuming them, offsets
 * given or the file's own, SPLICE_F_NONBLOCK, end of file, and Linux
 * 6.1's argument errors; nothing leaks. The *_failinject cases walk
 * record locks, flock, splice/tee and copy_file_range with each of
 * their allocations failing in turn (failinject.h; Basalt-only, skipped
 * without fail-nth): a lock that cannot be allocated is ENOLCK, as
 * Linux's; the others ENOMEM, or ENOSPC for a tmpfs page. They are kept
 * in this program: one more program in the initramfs shifts the kernel's
 * slab occupancy, and shm_leak's rmid-then-last-detach case is sensitive
 * to that (ipc_rmid frees the id table with the last id, which can give
 * a slab page back inside its measured window).
 */
#define _GNU_SOURCE
#include "t.h"
#include "failinject.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
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

#define FILE_F "/tmp/splice-failinject"
#define FILE_G "/tmp/splice-failinject-out"

static int fi_in = -1, fi_out = -1;
static int fi_p[2] = { -1, -1 }, fi_q[2] = { -1, -1 };
static char data[T_PAGE];

static void close_all(void)
{
	int *all[] = { &fi_in, &fi_out, &fi_p[0], &fi_p[1], &fi_q[0],
		       &fi_q[1] };

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		if (*all[i] >= 0)
			CHECK_OK(close(*all[i]));
		*all[i] = -1;
	}
}

static void setup_files(void)
{
	fi_in = CHECK_OK(open(FILE_F, O_RDWR | O_CREAT | O_TRUNC, 0600));
	fi_out = CHECK_OK(open(FILE_G, O_RDWR | O_CREAT | O_TRUNC, 0600));
	CHECK_EQ(write(fi_in, data, sizeof(data)), (ssize_t)sizeof(data));
	CHECK_OK(pipe(fi_p));
	CHECK_OK(pipe(fi_q));
	CHECK_EQ(write(fi_p[1], data, 100), 100);
}

static void undo_files(void)
{
	close_all();
	CHECK_OK(unlink(FILE_F));
	CHECK_OK(unlink(FILE_G));
}

static long neg_errno(long r)
{
	return r < 0 ? -errno : 0;
}

static long act_record_lock(void)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
			    .l_len = 100 };

	if (fcntl(fi_in, F_SETLK, &fl) < 0)
		return -errno;
	fl = (struct flock){ .l_type = F_RDLCK, .l_whence = SEEK_SET,
			     .l_start = 20, .l_len = 10 };	/* a split */
	if (fcntl(fi_in, F_SETLK, &fl) < 0)
		return -errno;
	fl.l_type = F_WRLCK;
	return neg_errno(fcntl(fi_out, F_OFD_SETLK, &fl));
}

static long act_flock(void)
{
	return neg_errno(flock(fi_in, LOCK_EX));
}

static long act_splice(void)
{
	loff_t off = 0;

	if (splice(fi_in, &off, fi_q[1], NULL, 100, 0) < 0)
		return -errno;
	if (splice(fi_p[0], NULL, fi_out, &off, 100, 0) < 0)
		return -errno;
	return neg_errno(tee(fi_q[0], fi_p[1], 100, 0));
}

static long act_copy(void)
{
	loff_t off = 0;

	return neg_errno(copy_file_range(fi_in, &off, fi_out, NULL, 1000, 0));
}

FI_OP(record_lock, .name = "record locks", .act = act_record_lock,
      .undo = undo_files, .allowed = { ENOLCK }, .setup = setup_files)
FI_OP(flock, .name = "flock", .act = act_flock, .undo = undo_files,
      .allowed = { ENOLCK }, .setup = setup_files)
FI_OP(splice, .name = "splice and tee", .act = act_splice,
      .undo = undo_files, .allowed = { ENOMEM, ENOSPC },
      .setup = setup_files)
FI_OP(copy, .name = "copy_file_range", .act = act_copy, .undo = undo_files,
      .allowed = { ENOMEM, ENOSPC }, .setup = setup_files)

static const struct t_case cases[] = {
	{ case_file_to_pipe, "file_to_pipe" },
	{ case_pipe_to_file, "pipe_to_file" },
	{ case_pipe_to_pipe_and_tee, "pipe_to_pipe_and_tee" },
	{ case_nonblock, "nonblock" },
	{ case_errors, "errors" },
	{ case_no_leak, "no_leak" },
	{ case_record_lock, "record_lock_failinject" },
	{ case_flock, "flock_failinject" },
	{ case_splice, "splice_failinject" },
	{ case_copy, "copy_file_range_failinject" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
