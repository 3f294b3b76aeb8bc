/*
 * signalfd.c - signalfd and signalfd4: reading blocked signals as
 * struct signalfd_siginfo records, SFD_NONBLOCK and SFD_CLOEXEC, a new
 * mask on an existing descriptor, poll readiness, queued real-time
 * signals one record each, a read that blocks until a child signals, the
 * errors, and no leak.
 */
#define _GNU_SOURCE
#include "t.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void block2(int a, int b, sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, a);
	if (b)
		sigaddset(set, b);
	CHECK_OK(sigprocmask(SIG_BLOCK, set, NULL));
}

static void case_read_records(void)
{
	struct signalfd_siginfo r;
	sigset_t set;
	int fd;

	block2(SIGUSR1, 0, &set);
	fd = CHECK_OK(signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC));
	CHECK(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	CHECK(fcntl(fd, F_GETFL) & O_NONBLOCK);
	CHECK_ERR(read(fd, &r, sizeof(r)), EAGAIN);
	CHECK_OK(kill(getpid(), SIGUSR1));
	CHECK_EQ(read(fd, &r, sizeof(r)), (ssize_t)sizeof(r));
	CHECK_EQ(r.ssi_signo, SIGUSR1);
	CHECK_EQ(r.ssi_code, SI_USER);
	CHECK_EQ(r.ssi_pid, (uint32_t)getpid());
	CHECK_EQ(r.ssi_uid, getuid());
	CHECK_ERR(read(fd, &r, sizeof(r)), EAGAIN);	/* taken */
	CHECK_ERR(read(fd, &r, sizeof(r) - 1), EINVAL);
	CHECK_OK(close(fd));
}

static void case_poll_readiness(void)
{
	struct pollfd p;
	sigset_t set;
	int fd;

	block2(SIGUSR2, 0, &set);
	fd = CHECK_OK(signalfd(-1, &set, 0));
	p.fd = fd;
	p.events = POLLIN;
	CHECK_EQ(poll(&p, 1, 0), 0);
	CHECK_OK(raise(SIGUSR2));
	CHECK_EQ(poll(&p, 1, 0), 1);
	CHECK(p.revents & POLLIN);
	CHECK_OK(close(fd));
}

/* signalfd on an existing descriptor replaces its mask. */
static void case_update_mask(void)
{
	struct signalfd_siginfo r;
	sigset_t both, one;
	int fd;

	block2(SIGUSR1, SIGUSR2, &both);
	sigemptyset(&one);
	sigaddset(&one, SIGUSR1);
	fd = CHECK_OK(signalfd(-1, &one, SFD_NONBLOCK));
	CHECK_OK(kill(getpid(), SIGUSR2));
	CHECK_ERR(read(fd, &r, sizeof(r)), EAGAIN);
	sigemptyset(&one);
	sigaddset(&one, SIGUSR2);
	CHECK_EQ(signalfd(fd, &one, 0), fd);
	CHECK_EQ(read(fd, &r, sizeof(r)), (ssize_t)sizeof(r));
	CHECK_EQ(r.ssi_signo, SIGUSR2);
	CHECK_OK(close(fd));
}

static void case_rt_records(void)
{
	struct signalfd_siginfo r[4];
	sigset_t set;
	int fd;

	block2(SIGRTMIN, 0, &set);
	fd = CHECK_OK(signalfd(-1, &set, SFD_NONBLOCK));
	for (int i = 0; i < 3; i++) {
		union sigval v = { .sival_int = 10 + i };
		CHECK_OK(sigqueue(getpid(), SIGRTMIN, v));
	}
	CHECK_EQ(read(fd, r, sizeof(r)), (ssize_t)(3 * sizeof(r[0])));
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(r[i].ssi_signo, (uint32_t)SIGRTMIN);
		CHECK_EQ(r[i].ssi_code, SI_QUEUE);
		CHECK_EQ(r[i].ssi_int, 10 + i);
	}
	CHECK_OK(close(fd));
}

/* A blocking read sleeps until the signal comes. */
static void case_blocking_read(void)
{
	struct signalfd_siginfo r;
	sigset_t set;
	int fd;

	block2(SIGUSR1, 0, &set);
	fd = CHECK_OK(signalfd(-1, &set, 0));
	pid_t parent = getpid();
	pid_t pid = t_fork();
	if (pid == 0) {
		while (t_proc_state(parent) != 'S')
			sched_yield();
		kill(parent, SIGUSR1);
		_exit(0);
	}
	CHECK_EQ(read(fd, &r, sizeof(r)), (ssize_t)sizeof(r));
	CHECK_EQ(r.ssi_signo, SIGUSR1);
	CHECK_EQ(r.ssi_pid, (uint32_t)pid);
	CHECK_EXITED(t_wait(pid), 0);
	CHECK_OK(close(fd));
}

/* SIGCHLD's record carries the child's status. */
static void case_sigchld_record(void)
{
	struct signalfd_siginfo r;
	sigset_t set;
	int fd;

	block2(SIGCHLD, 0, &set);
	fd = CHECK_OK(signalfd(-1, &set, 0));
	pid_t pid = t_fork();
	if (pid == 0)
		_exit(9);
	CHECK_EQ(read(fd, &r, sizeof(r)), (ssize_t)sizeof(r));
	CHECK_EQ(r.ssi_signo, SIGCHLD);
	CHECK_EQ(r.ssi_code, CLD_EXITED);
	CHECK_EQ(r.ssi_status, 9);
	CHECK_EQ(r.ssi_pid, (uint32_t)pid);
	CHECK_EXITED(t_wait(pid), 9);
	CHECK_OK(close(fd));
}

static void case_errors(void)
{
	sigset_t set;
	int p[2];

	sigemptyset(&set);
	CHECK_ERR(syscall(SYS_signalfd4, -1, &set, 8, 1), EINVAL);
	CHECK_ERR(syscall(SYS_signalfd4, -1, &set, 4, 0), EINVAL);
	CHECK_ERR(syscall(SYS_signalfd4, 999, &set, 8, 0), EBADF);
	CHECK_OK(pipe(p));
	CHECK_ERR(syscall(SYS_signalfd4, p[0], &set, 8, 0), EINVAL);
	int fd = CHECK_OK(syscall(SYS_signalfd, -1, &set, 8));
	CHECK_EQ(lseek(fd, 5, SEEK_SET), 0);	/* noop_llseek */
	CHECK_ERR(write(fd, "x", 1), EINVAL);
	CHECK_OK(close(fd));
}

static void signalfd_work(int rounds)
{
	struct signalfd_siginfo r;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	for (int i = 0; i < rounds; i++) {
		int fd = signalfd(-1, &set, SFD_NONBLOCK);

		kill(getpid(), SIGUSR1);
		read(fd, &r, sizeof(r));
		close(fd);
	}
}

static void case_no_leak(void)
{
	t_check_no_leak("signalfd open, read, close", signalfd_work, 300);
}

static const struct t_case cases[] = {
	{ case_read_records, "read_records" },
	{ case_poll_readiness, "poll_readiness" },
	{ case_update_mask, "update_mask" },
	{ case_rt_records, "rt_records" },
	{ case_blocking_read, "blocking_read" },
	{ case_sigchld_record, "sigchld_record" },
	{ case_errors, "errors" },
	{ case_no_leak, "no_leak" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
