/*
 * pipe.c - pipe capacity and modes, as Linux 6.1 has them: F_GETPIPE_SZ
 * and F_SETPIPE_SZ (power-of-two pages, EBUSY below the contents, EPERM
 * above fs.pipe-max-size or over fs.pipe-user-pages-soft for non-root),
 * the two /proc/sys/fs knobs, pipe2(O_DIRECT) packet mode, transfers
 * larger than a page in one call, PIPE_BUF atomicity, partial writes with
 * O_NONBLOCK, FIONREAD, and no memory left behind.
 */
#define _GNU_SOURCE
#include "t.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define PG 4096

static void write_knob(const char *name, const char *value)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "/proc/sys/fs/%s", name);
	fd = CHECK_OK(open(path, O_WRONLY));
	CHECK_EQ(write(fd, value, strlen(value)), (long)strlen(value));
	close(fd);
}

static long read_knob(const char *name)
{
	char path[128], buf[64];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/sys/fs/%s", name);
	fd = CHECK_OK(open(path, O_RDONLY));
	n = CHECK_OK(read(fd, buf, sizeof(buf) - 1));
	buf[n] = '\0';
	close(fd);
	CHECK(n > 0 && buf[n - 1] == '\n');
	return atol(buf);
}

static void restore_knobs(void)
{
	write_knob("pipe-max-size", "1048576");
	write_knob("pipe-user-pages-soft", "16384");
}

/* Become an ordinary user (in a child). */
static void become_user(uid_t uid)
{
	if (setresgid(uid, uid, uid) || setresuid(uid, uid, uid))
		T_FAIL("cannot become uid %u", uid);
}

static void case_default_and_knobs(void)
{
	int fds[2];

	CHECK_EQ(read_knob("pipe-max-size"), 1048576);
	CHECK_EQ(read_knob("pipe-user-pages-soft"), 16384);
	CHECK_OK(pipe(fds));
	CHECK_EQ(fcntl(fds[0], F_GETPIPE_SZ), 65536);
	CHECK_EQ(fcntl(fds[1], F_GETPIPE_SZ), 65536);
	close(fds[0]);
	close(fds[1]);
	CHECK_ERR(fcntl(0 + open("/proc/self/stat", O_RDONLY), F_GETPIPE_SZ),
		  EBADF);
}

static void case_set_size_rounds(void)
{
	int fds[2];

	CHECK_OK(pipe(fds));
	CHECK_EQ(fcntl(fds[1], F_SETPIPE_SZ, 5000), 8192);
	CHECK_EQ(fcntl(fds[0], F_GETPIPE_SZ), 8192);
	CHECK_EQ(fcntl(fds[1], F_SETPIPE_SZ, 0), 4096);
	CHECK_EQ(fcntl(fds[1], F_SETPIPE_SZ, 4097), 8192);
	CHECK_EQ(fcntl(fds[1], F_SETPIPE_SZ, 1 << 20), 1 << 20);
	CHECK_EQ(fcntl(fds[1], F_SETPIPE_SZ, (1 << 20) - 1), 1 << 20);
	CHECK_ERR(fcntl(fds[1], F_SETPIPE_SZ, (1U << 31) + 1), EINVAL);
	close(fds[0]);
	close(fds[1]);
}

/* The capacity is what F_SETPIPE_SZ says, and cannot shrink below the
 * contents. */
static void case_capacity_and_busy(void)
{
	static char buf[PG];
	int fds[2];
	long total = 0;
	ssize_t n;

	CHECK_OK(pipe2(fds, O_NONBLOCK));
	CHECK_EQ(fcntl(fds[1], F_SETPIPE_SZ, 4 * PG), 4 * PG);
	while ((n = write(fds[1], buf, sizeof(buf))) > 0)
		total += n;
	CHECK_EQ(n, -1);
	CHECK_EQ(errno, EAGAIN);
	CHECK_EQ(total, 4 * PG);
	CHECK_ERR(fcntl(fds[1], F_SETPIPE_SZ, 2 * PG), EBUSY);
	CHECK_EQ(read(fds[0], buf, sizeof(buf)), PG);
	CHECK_EQ(read(fds[0], buf, sizeof(buf)), PG);
	CHECK_EQ(fcntl(fds[1], F_SETPIPE_SZ, 2 * PG), 2 * PG);
	CHECK_EQ(read(fds[0], buf, sizeof(buf)), PG);	/* data kept */
	CHECK_EQ(read(fds[0], buf, sizeof(buf)), PG);
	CHECK_ERR(read(fds[0], buf, sizeof(buf)), EAGAIN);
	close(fds[0]);
	close(fds[1]);
}

/* Non-root may not grow a pipe above fs.pipe-max-size; new pipes are
 * no bigger than it either. */
static void case_max_size_for_users(void)
{
	pid_t pid;

	if (getuid() != 0)
		t_skip("needs root");
	write_knob("pipe-max-size", "5000");
	CHECK_EQ(read_knob("pipe-max-size"), 8192);	/* rounded */
	pid = t_fork();
	if (pid == 0) {
		int fds[2];

		become_user(1000);
		CHECK_OK(pipe(fds));
		CHECK_EQ(fcntl(fds[0], F_GETPIPE_SZ), 8192);
		CHECK_ERR(fcntl(fds[0], F_SETPIPE_SZ, 16384), EPERM);
		CHECK_EQ(fcntl(fds[0], F_SETPIPE_SZ, 4096), 4096);
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
	/* root is exempt */
	int fds[2];
	CHECK_OK(pipe(fds));
	CHECK_EQ(fcntl(fds[0], F_GETPIPE_SZ), 65536);
	CHECK_EQ(fcntl(fds[0], F_SETPIPE_SZ, 1 << 20), 1 << 20);
	restore_knobs();
	/* Bad values: EINVAL, the old value stays. */
	int fd = CHECK_OK(open("/proc/sys/fs/pipe-max-size", O_WRONLY));
	CHECK_ERR(write(fd, "-1", 2), EINVAL);
	close(fd);
	CHECK_EQ(read_knob("pipe-max-size"), 1048576);
}

/* Over fs.pipe-user-pages-soft, a user's new pipes get 2 pages and may
 * not grow. */
static void case_user_pages_soft(void)
{
	pid_t pid;

	if (getuid() != 0)
		t_skip("needs root");
	write_knob("pipe-user-pages-soft", "20");
	pid = t_fork();
	if (pid == 0) {
		int a[2], b[2];

		become_user(4321);
		CHECK_OK(pipe(a));
		CHECK_EQ(fcntl(a[0], F_GETPIPE_SZ), 65536);	/* 16 <= 20 */
		CHECK_OK(pipe(b));
		CHECK_EQ(fcntl(b[0], F_GETPIPE_SZ), 8192);	/* 32 > 20 */
		CHECK_ERR(fcntl(b[0], F_SETPIPE_SZ, 65536), EPERM);
		close(a[0]);
		close(a[1]);
		/* a's 16 pages are no longer counted: b may grow again. */
		CHECK_EQ(fcntl(b[0], F_SETPIPE_SZ, 65536), 65536);
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
	restore_knobs();
}

static void case_packet_mode(void)
{
	char buf[100];
	int fds[2];

	CHECK_OK(pipe2(fds, O_DIRECT | O_NONBLOCK));
	CHECK(fcntl(fds[1], F_GETFL) & O_DIRECT);
	CHECK(!(fcntl(fds[0], F_GETFL) & O_DIRECT));
	CHECK_EQ(write(fds[1], "abc", 3), 3);
	CHECK_EQ(write(fds[1], "defgh", 5), 5);
	CHECK_EQ(write(fds[1], "ij", 2), 2);
	CHECK_EQ(read(fds[0], buf, sizeof(buf)), 3);	/* one packet */
	CHECK(memcmp(buf, "abc", 3) == 0);
	CHECK_EQ(read(fds[0], buf, 2), 2);		/* the rest dropped */
	CHECK(memcmp(buf, "de", 2) == 0);
	CHECK_EQ(read(fds[0], buf, sizeof(buf)), 2);
	CHECK(memcmp(buf, "ij", 2) == 0);
	CHECK_ERR(read(fds[0], buf, sizeof(buf)), EAGAIN);
	close(fds[0]);
	close(fds[1]);
}

/* Packets are at most a page; each takes a slot, however small. */
static void case_packet_sizes_and_slots(void)
{
	static char big[6000], buf[8192];
	int fds[2], n = 0;

	memset(big, 'p', sizeof(big));
	CHECK_OK(pipe2(fds, O_DIRECT | O_NONBLOCK));
	CHECK_EQ(write(fds[1], big, sizeof(big)), (long)sizeof(big));
	CHECK_EQ(read(fds[0], buf, sizeof(buf)), PG);
	CHECK_EQ(read(fds[0], buf, sizeof(buf)), 6000 - PG);
	while (write(fds[1], "x", 1) == 1)
		n++;
	CHECK_EQ(errno, EAGAIN);
	CHECK_EQ(n, 16);
	close(fds[0]);
	close(fds[1]);
}

/* Small writes in normal mode share pages (Linux merges them). */
static void case_small_writes_merge(void)
{
	int fds[2], n = 0, avail = 0;

	CHECK_OK(pipe2(fds, O_NONBLOCK));
	CHECK_EQ(fcntl(fds[1], F_SETPIPE_SZ, PG), PG);
	while (write(fds[1], "0123456789", 10) == 10)
		n++;
	CHECK_EQ(errno, EAGAIN);
	CHECK_EQ(n, PG / 10);		/* 409 writes fill one page */
	CHECK_OK(ioctl(fds[0], FIONREAD, &avail));
	CHECK_EQ(avail, n * 10);
	close(fds[0]);
	close(fds[1]);
}

/* O_NONBLOCK: a big write takes what fits; one of at most PIPE_BUF
 * bytes all or nothing. */
static void case_nonblock_partial_and_atomic(void)
{
	static char big[100000], buf[PG];
	int fds[2];

	CHECK_OK(pipe2(fds, O_NONBLOCK));
	CHECK_EQ(write(fds[1], big, sizeof(big)), 65536);
	CHECK_ERR(write(fds[1], big, 1), EAGAIN);
	CHECK_EQ(read(fds[0], buf, 100), 100);
	/* The first page has 100 free bytes, but no slot is free. */
	CHECK_ERR(write(fds[1], big, 100), EAGAIN);
	CHECK_EQ(read(fds[0], buf, PG - 100), PG - 100);	/* a slot frees */
	CHECK_EQ(write(fds[1], big, 5000), PG);		/* a partial write */
	CHECK_ERR(write(fds[1], big, PG), EAGAIN);
	close(fds[0]);
	close(fds[1]);
}

/* One write and one read of a megabyte each, through a pipe grown to
 * hold it: each call moves it all. */
static void case_large_transfers(void)
{
	const size_t len = 1 << 20;
	char *out = malloc(len), *in = malloc(len);
	int fds[2];

	CHECK(out && in);
	for (size_t i = 0; i < len; i++)
		out[i] = (char)(i * 7 + i / 4096);
	CHECK_OK(pipe(fds));
	CHECK_EQ(fcntl(fds[1], F_SETPIPE_SZ, len), (long)len);
	CHECK_EQ(write(fds[1], out, len), (long)len);
	CHECK_EQ(read(fds[0], in, len), (long)len);
	CHECK(memcmp(in, out, len) == 0);
	/* Through a default pipe, a child writes it in one call; reads
	 * return more than a page at a time. */
	pid_t pid = t_fork();
	if (pid == 0) {
		close(fds[0]);
		CHECK_EQ(fcntl(fds[1], F_SETPIPE_SZ, 65536), 65536);
		CHECK_EQ(write(fds[1], out, len), (long)len);
		_exit(0);
	}
	close(fds[1]);
	size_t got = 0;
	ssize_t n;
	while ((n = CHECK_OK(read(fds[0], in + got, len - got))) > 0)
		got += (size_t)n;
	CHECK_EQ(got, len);
	CHECK(memcmp(in, out, len) == 0);
	CHECK_EXITED(t_wait(pid), 0);
	close(fds[0]);
	free(in);
	free(out);
}

/* Writers of PIPE_BUF-sized records never interleave inside a record. */
static void case_pipe_buf_atomic(void)
{
	enum { WRITERS = 4, RECORDS = 64 };
	static char rec[PG], buf[PG];
	int fds[2];
	pid_t pids[WRITERS];

	CHECK_OK(pipe(fds));
	for (int w = 0; w < WRITERS; w++) {
		pids[w] = t_fork();
		if (pids[w] == 0) {
			close(fds[0]);
			memset(rec, 'a' + w, sizeof(rec));
			for (int r = 0; r < RECORDS; r++)
				CHECK_EQ(write(fds[1], rec, sizeof(rec)), PG);
			_exit(0);
		}
	}
	close(fds[1]);
	for (int r = 0; r < WRITERS * RECORDS; r++) {
		size_t got = 0;

		while (got < PG)
			got += (size_t)CHECK_OK(read(fds[0], buf + got,
						     PG - got));
		for (int i = 1; i < PG; i++)
			CHECK_EQ(buf[i], buf[0]);
	}
	for (int w = 0; w < WRITERS; w++)
		CHECK_EXITED(t_wait(pids[w]), 0);
	close(fds[0]);
}

static void case_fifo_size(void)
{
	char path[] = "/tmp/pipeXXXXXX";
	int fd;

	mkdir("/tmp", 01777);
	fd = CHECK_OK(mkstemp(path));
	close(fd);
	CHECK_OK(unlink(path));
	CHECK_OK(mkfifo(path, 0600));
	fd = CHECK_OK(open(path, O_RDWR));
	CHECK_EQ(fcntl(fd, F_GETPIPE_SZ), 65536);
	CHECK_EQ(fcntl(fd, F_SETPIPE_SZ, 3 * PG), 4 * PG);
	CHECK_EQ(write(fd, "x", 1), 1);
	close(fd);
	CHECK_OK(unlink(path));
}

static void pipe_rounds(int rounds)
{
	static char buf[3 * PG];

	for (int i = 0; i < rounds; i++) {
		int fds[2];

		CHECK_OK(pipe2(fds, i % 2 ? O_DIRECT : 0));
		CHECK_EQ(fcntl(fds[1], F_SETPIPE_SZ, 8 * PG), 8 * PG);
		CHECK_EQ(write(fds[1], buf, sizeof(buf)), (long)sizeof(buf));
		CHECK_EQ(write(fds[1], buf, 10), 10);
		CHECK(read(fds[0], buf, 100) > 0);
		close(fds[0]);
		close(fds[1]);		/* with data still in it */
	}
}

static void case_pipes_leak_nothing(void)
{
	t_check_no_leak("pipes", pipe_rounds, 100);
}

static const struct t_case cases[] = {
	{ case_default_and_knobs, "default_and_knobs" },
	{ case_set_size_rounds, "set_size_rounds" },
	{ case_capacity_and_busy, "capacity_and_busy" },
	{ case_max_size_for_users, "max_size_for_users" },
	{ case_user_pages_soft, "user_pages_soft" },
	{ case_packet_mode, "packet_mode" },
	{ case_packet_sizes_and_slots, "packet_sizes_and_slots" },
	{ case_small_writes_merge, "small_writes_merge" },
	{ case_nonblock_partial_and_atomic, "nonblock_partial_and_atomic" },
	{ case_large_transfers, "large_transfers" },
	{ case_pipe_buf_atomic, "pipe_buf_atomic" },
	{ case_fifo_size, "fifo_size" },
	{ case_pipes_leak_nothing, "pipes_leak_nothing" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
