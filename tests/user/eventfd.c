/*
 * eventfd.c - eventfd(2) and eventfd2: the counter's read and write
 * semantics (EFD_SEMAPHORE, overflow), blocking and EFD_NONBLOCK, the
 * flags, poll readiness, and that a thousand of them leak nothing.
 */
#define _GNU_SOURCE
#include "t.h"

#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <poll.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>

static short revents(int fd, short events)
{
	struct pollfd p = { .fd = fd, .events = events };

	CHECK_EQ(poll(&p, 1, 0), p.revents ? 1 : 0);
	return p.revents;
}

static void case_counter(void)
{
	int fd = CHECK_OK(eventfd(3, 0));
	uint64_t v = 0;

	CHECK_EQ(read(fd, &v, 8), 8);
	CHECK_EQ(v, 3);
	v = 5;
	CHECK_EQ(write(fd, &v, 8), 8);
	CHECK_EQ(write(fd, &v, 8), 8);
	CHECK_EQ(read(fd, &v, 8), 8);
	CHECK_EQ(v, 10);
	close(fd);
}

static void case_semaphore(void)
{
	int fd = CHECK_OK(eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK));
	uint64_t v = 0;

	CHECK_EQ(read(fd, &v, 8), 8);
	CHECK_EQ(v, 1);
	CHECK_EQ(read(fd, &v, 8), 8);
	CHECK_EQ(v, 1);
	CHECK_ERR(read(fd, &v, 8), EAGAIN);
	close(fd);
}

static void case_errors(void)
{
	int fd = CHECK_OK(eventfd(0, EFD_NONBLOCK));
	uint64_t v = UINT64_MAX;
	char small[4];

	CHECK_ERR(eventfd(0, 0x4), EINVAL);
	CHECK_ERR(read(fd, small, sizeof(small)), EINVAL);
	CHECK_ERR(write(fd, small, sizeof(small)), EINVAL);
	CHECK_ERR(write(fd, &v, 8), EINVAL);	/* 2^64-1 is never written */
	CHECK_ERR(read(fd, &v, 8), EAGAIN);
	CHECK_EQ(lseek(fd, 5, SEEK_SET), 0);	/* Linux's noop_llseek */
	CHECK_ERR(pread(fd, &v, 8, 0), ESPIPE);
	close(fd);
}

static void case_overflow(void)
{
	int fd = CHECK_OK(eventfd(0, EFD_NONBLOCK));
	uint64_t v = UINT64_MAX - 1;

	CHECK_EQ(write(fd, &v, 8), 8);		/* the most it holds */
	CHECK_EQ(revents(fd, POLLIN | POLLOUT), POLLIN);
	v = 1;
	CHECK_ERR(write(fd, &v, 8), EAGAIN);
	CHECK_EQ(read(fd, &v, 8), 8);
	CHECK_EQ(v, UINT64_MAX - 1);
	CHECK_EQ(revents(fd, POLLIN | POLLOUT), POLLOUT);
	close(fd);
}

static void case_flags(void)
{
	int fd = CHECK_OK(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
	int fd2 = CHECK_OK(syscall(SYS_eventfd, 7));
	uint64_t v;

	CHECK_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	CHECK(fcntl(fd, F_GETFL) & O_NONBLOCK);
	CHECK_EQ(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDWR);
	CHECK_EQ(fcntl(fd2, F_GETFD), 0);
	CHECK_EQ(read(fd2, &v, 8), 8);
	CHECK_EQ(v, 7);
	close(fd);
	close(fd2);
}

static void case_proc_fd_name(void)
{
	int fd = CHECK_OK(eventfd(0, 0));
	char path[64], buf[64] = { 0 };

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	CHECK_OK(readlink(path, buf, sizeof(buf) - 1));
	CHECK_EQ(strcmp(buf, "anon_inode:[eventfd]"), 0);
	close(fd);
}

/* A blocked reader is woken by a write from another process. */
static void case_blocking_read(void)
{
	int fd = CHECK_OK(eventfd(0, 0));
	uint64_t v = 0;
	pid_t pid = t_fork();

	if (pid == 0) {
		uint64_t one = 42;

		while (t_proc_state(getppid()) != 'S')
			sched_yield();
		_exit(write(fd, &one, 8) == 8 ? 0 : 1);
	}
	CHECK_EQ(read(fd, &v, 8), 8);
	CHECK_EQ(v, 42);
	CHECK_EXITED(t_wait(pid), 0);
	close(fd);
}

/* A writer that would overflow waits for a read. */
static void case_blocking_write(void)
{
	int fd = CHECK_OK(eventfd(0, 0));
	uint64_t v = UINT64_MAX - 1;
	pid_t pid;

	CHECK_EQ(write(fd, &v, 8), 8);
	pid = t_fork();
	if (pid == 0) {
		uint64_t got;

		while (t_proc_state(getppid()) != 'S')
			sched_yield();
		_exit(read(fd, &got, 8) == 8 && got == UINT64_MAX - 1 ? 0 : 1);
	}
	v = 9;
	CHECK_EQ(write(fd, &v, 8), 8);
	CHECK_EXITED(t_wait(pid), 0);
	CHECK_EQ(read(fd, &v, 8), 8);
	CHECK_EQ(v, 9);
	close(fd);
}

static void case_poll(void)
{
	int fd = CHECK_OK(eventfd(0, EFD_NONBLOCK));
	uint64_t v = 1;

	CHECK_EQ(revents(fd, POLLIN | POLLOUT), POLLOUT);
	CHECK_EQ(write(fd, &v, 8), 8);
	CHECK_EQ(revents(fd, POLLIN | POLLOUT), POLLIN | POLLOUT);
	close(fd);
}

static void eventfd_rounds(int n)
{
	for (int i = 0; i < n; i++) {
		int fd = eventfd(1, 0);
		uint64_t v;

		if (fd < 0 || read(fd, &v, 8) != 8)
			T_FAIL("eventfd round %d", i);
		close(fd);
	}
}

static void case_leak(void)
{
	t_check_no_leak("1000 x eventfd", eventfd_rounds, 1000);
}

static const struct t_case cases[] = {
	{ case_counter, "counter" },
	{ case_semaphore, "semaphore" },
	{ case_errors, "errors" },
	{ case_overflow, "overflow" },
	{ case_flags, "flags" },
	{ case_proc_fd_name, "proc_fd_name" },
	{ case_blocking_read, "blocking_read" },
	{ case_blocking_write, "blocking_write" },
	{ case_poll, "poll" },
	{ case_leak, "leak" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
