/*
 * epoll.c - epoll_create/epoll_create1, epoll_ctl, epoll_wait,
 * epoll_pwait and epoll_pwait2 on pipes, eventfd, the tty and nested
 * epoll instances: level- and edge-triggered reporting, EPOLLONESHOT and
 * its re-arming, EPOLLEXCLUSIVE's rules, every error epoll_ctl gives, the
 * (file, fd) keying of registrations and their removal when the file is
 * finally closed, and leaks.
 */
#define _GNU_SOURCE
#include "t.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int ep_add(int ep, int fd, uint32_t events, uint64_t data)
{
	struct epoll_event ev = { .events = events, .data.u64 = data };

	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

static int ep_mod(int ep, int fd, uint32_t events, uint64_t data)
{
	struct epoll_event ev = { .events = events, .data.u64 = data };

	return epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev);
}

/* epoll_wait without waiting: how many events, the first one in *ev. */
static int ep_now(int ep, struct epoll_event *ev)
{
	struct epoll_event tmp[8];
	int n = epoll_wait(ep, tmp, 8, 0);

	if (n > 0 && ev)
		*ev = tmp[0];
	return n;
}

static void case_create(void)
{
	int ep = CHECK_OK(epoll_create1(EPOLL_CLOEXEC));
	int ep2 = CHECK_OK(epoll_create(1));
	char path[64], buf[64] = { 0 };

	CHECK_EQ(fcntl(ep, F_GETFD), FD_CLOEXEC);
	CHECK_EQ(fcntl(ep2, F_GETFD), 0);
	CHECK_ERR(syscall(SYS_epoll_create, 0), EINVAL);
	CHECK_ERR(syscall(SYS_epoll_create, -1), EINVAL);
	CHECK_ERR(epoll_create1(1), EINVAL);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", ep);
	CHECK_OK(readlink(path, buf, sizeof(buf) - 1));
	CHECK_EQ(strcmp(buf, "anon_inode:[eventpoll]"), 0);
	close(ep);
	close(ep2);
}

static void case_ctl_errors(void)
{
	int ep = CHECK_OK(epoll_create1(0));
	int p[2], reg;
	struct epoll_event ev = { .events = EPOLLIN };

	CHECK_OK(pipe(p));
	reg = CHECK_OK(open("/tmp/epoll-regular", O_CREAT | O_RDWR, 0600));
	CHECK_ERR(ep_add(ep, reg, EPOLLIN, 0), EPERM);
	CHECK_ERR(ep_add(ep, ep, EPOLLIN, 0), EINVAL);
	CHECK_ERR(ep_add(p[0], p[1], EPOLLIN, 0), EINVAL);
	CHECK_ERR(ep_add(-1, p[0], EPOLLIN, 0), EBADF);
	CHECK_ERR(ep_add(ep, 999, EPOLLIN, 0), EBADF);
	CHECK_ERR(epoll_ctl(ep, 99, p[0], &ev), EINVAL);
	CHECK_ERR(ep_mod(ep, p[0], EPOLLIN, 0), ENOENT);
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL), ENOENT);
	CHECK_OK(ep_add(ep, p[0], EPOLLIN, 0));
	CHECK_ERR(ep_add(ep, p[0], EPOLLIN, 0), EEXIST);
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, p[1], (void *)8), EFAULT);
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL), ENOENT);
	close(reg);
	unlink("/tmp/epoll-regular");
	close(p[0]);
	close(p[1]);
	close(ep);
}

static void case_wait_errors(void)
{
	int ep = CHECK_OK(epoll_create1(0));
	int p[2];
	struct epoll_event ev[2];

	CHECK_OK(pipe(p));
	CHECK_ERR(epoll_wait(ep, ev, 0, 0), EINVAL);
	CHECK_ERR(epoll_wait(ep, ev, -1, 0), EINVAL);
	CHECK_ERR(epoll_wait(-1, ev, 1, 0), EBADF);
	CHECK_ERR(epoll_wait(p[0], ev, 1, 0), EINVAL);
	CHECK_EQ(epoll_wait(ep, NULL, 1, 0), 0);	/* nothing to copy */
	CHECK_OK(ep_add(ep, p[1], EPOLLOUT, 0));
	CHECK_ERR(epoll_wait(ep, NULL, 1, 0), EFAULT);
	CHECK_ERR(epoll_wait(ep, (void *)T_KERNEL_DIRECT, 1, 0), EFAULT);
	CHECK_EQ(epoll_pwait(ep, ev, 1, 0, NULL), 1);
	close(p[0]);
	close(p[1]);
	close(ep);
}

/* Level-triggered: reported as long as it is true. */
static void case_level_triggered(void)
{
	int ep = CHECK_OK(epoll_create1(0));
	int p[2];
	struct epoll_event ev;
	char c;

	CHECK_OK(pipe(p));
	CHECK_OK(ep_add(ep, p[0], EPOLLIN, 77));
	CHECK_EQ(ep_now(ep, NULL), 0);
	CHECK_EQ(write(p[1], "ab", 2), 2);
	CHECK_EQ(ep_now(ep, &ev), 1);
	CHECK_EQ(ev.events, EPOLLIN);
	CHECK_EQ(ev.data.u64, 77);
	CHECK_EQ(ep_now(ep, &ev), 1);
	CHECK_EQ(read(p[0], &c, 1), 1);
	CHECK_EQ(ep_now(ep, &ev), 1);
	CHECK_EQ(read(p[0], &c, 1), 1);
	CHECK_EQ(ep_now(ep, &ev), 0);
	close(p[0]);
	close(p[1]);
	close(ep);
}

/* Edge-triggered: once per new event, not again while nothing happens. */
static void case_edge_triggered(void)
{
	int ep = CHECK_OK(epoll_create1(0));
	int p[2];
	struct epoll_event ev;
	char c;

	CHECK_OK(pipe(p));
	CHECK_OK(ep_add(ep, p[0], EPOLLIN | EPOLLET, 5));
	CHECK_EQ(write(p[1], "ab", 2), 2);
	CHECK_EQ(ep_now(ep, &ev), 1);
	CHECK_EQ(ev.events, EPOLLIN);
	CHECK_EQ(ep_now(ep, &ev), 0);
	CHECK_EQ(read(p[0], &c, 1), 1);	/* a read is no new input */
	CHECK_EQ(ep_now(ep, &ev), 0);
	CHECK_EQ(write(p[1], "c", 1), 1);	/* a write is, even when ready */
	CHECK_EQ(ep_now(ep, &ev), 1);
	CHECK_EQ(ep_now(ep, &ev), 0);
	close(p[0]);
	close(p[1]);
	close(ep);
}

/* ET write end: room appearing is an event. */
static void case_edge_triggered_out(void)
{
	int ep = CHECK_OK(epoll_create1(0));
	int p[2];
	struct epoll_event ev;
	static char big[65536];

	CHECK_OK(pipe2(p, O_NONBLOCK));
	CHECK_OK(ep_add(ep, p[1], EPOLLOUT | EPOLLET, 1));
	CHECK_EQ(ep_now(ep, &ev), 1);		/* writable at the start */
	CHECK_EQ(ep_now(ep, &ev), 0);
	CHECK_EQ(write(p[1], big, sizeof(big)), (long)sizeof(big));
	CHECK_EQ(ep_now(ep, &ev), 0);		/* full */
	CHECK_EQ(read(p[0], big, 8192), 8192);
	CHECK_EQ(ep_now(ep, &ev), 1);
	CHECK_EQ(ev.events, EPOLLOUT);
	close(p[0]);
	close(p[1]);
	close(ep);
}

static void case_oneshot(void)
{
	int ep = CHECK_OK(epoll_create1(0));
	int p[2];
	struct epoll_event ev;

	CHECK_OK(pipe(p));
	CHECK_OK(ep_add(ep, p[0], EPOLLIN | EPOLLONESHOT, 9));
	CHECK_EQ(write(p[1], "a", 1), 1);
	CHECK_EQ(ep_now(ep, &ev), 1);
	CHECK_EQ(ep_now(ep, &ev), 0);		/* disarmed */
	CHECK_EQ(write(p[1], "b", 1), 1);
	CHECK_EQ(ep_now(ep, &ev), 0);		/* still disarmed */
	CHECK_ERR(ep_add(ep, p[0], EPOLLIN, 0), EEXIST); /* but registered */
	CHECK_OK(ep_mod(ep, p[0], EPOLLIN | EPOLLONESHOT, 10));
	CHECK_EQ(ep_now(ep, &ev), 1);		/* re-armed: ready at once */
	CHECK_EQ(ev.data.u64, 10);
	CHECK_EQ(ep_now(ep, &ev), 0);
	close(p[0]);
	close(p[1]);
	close(ep);
}

static void case_exclusive(void)
{
	int ep = CHECK_OK(epoll_create1(0));
	int ep2 = CHECK_OK(epoll_create1(0));
	int efd = CHECK_OK(eventfd(0, 0));
	struct epoll_event ev;
	uint64_t one = 1;

	CHECK_ERR(ep_add(ep, efd, EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT, 0),
		  EINVAL);
	CHECK_ERR(ep_add(ep, efd, EPOLLIN | EPOLLEXCLUSIVE | EPOLLRDHUP, 0),
		  EINVAL);
	CHECK_ERR(ep_add(ep, ep2, EPOLLIN | EPOLLEXCLUSIVE, 0), EINVAL);
	CHECK_OK(ep_add(ep, efd, EPOLLIN | EPOLLEXCLUSIVE, 3));
	CHECK_ERR(ep_mod(ep, efd, EPOLLIN, 0), EINVAL);
	CHECK_ERR(ep_mod(ep, efd, EPOLLIN | EPOLLEXCLUSIVE, 0), EINVAL);
	CHECK_EQ(write(efd, &one, 8), 8);
	CHECK_EQ(ep_now(ep, &ev), 1);
	CHECK_EQ(ev.data.u64, 3);
	close(efd);
	close(ep2);
	close(ep);
}

/* Registrations are keyed by (file, fd); they go when the file does. */
static void case_close_registered(void)
{
	int ep = CHECK_OK(epoll_create1(0));
	int p[2], dupfd;
	struct epoll_event ev[4];

	CHECK_OK(pipe(p));
	dupfd = CHECK_OK(dup(p[0]));
	CHECK_OK(ep_add(ep, p[0], EPOLLIN, 1));
	CHECK_OK(ep_add(ep, dupfd, EPOLLIN, 2));	/* same file, other fd */
	CHECK_EQ(write(p[1], "x", 1), 1);
	CHECK_EQ(epoll_wait(ep, ev, 4, 0), 2);
	close(p[0]);
	/* The file lives on in dupfd: both registrations still report. */
	CHECK_EQ(epoll_wait(ep, ev, 4, 0), 2);
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL), EBADF);
	close(dupfd);				/* the last reference */
	CHECK_EQ(epoll_wait(ep, ev, 4, 0), 0);
	CHECK_OK(pipe(p));			/* the numbers come back */
	CHECK_OK(ep_add(ep, p[0], EPOLLIN, 3));
	close(p[0]);
	close(p[1]);
	close(ep);
}

/* A closed write end is EPOLLHUP on the read end, asked or not. */
static void case_hup(void)
{
	int ep = CHECK_OK(epoll_create1(0));
	int p[2], d;
	struct epoll_event ev;

	CHECK_OK(pipe(p));
	CHECK_OK(ep_add(ep, p[0], EPOLLIN | EPOLLET, 0));
	close(p[1]);
	CHECK_EQ(ep_now(ep, &ev), 1);
	CHECK_EQ(ev.events, EPOLLHUP);
	d = CHECK_OK(dup(p[0]));
	CHECK_OK(ep_add(ep, d, 0, 0));		/* asks for nothing */
	CHECK_EQ(ep_now(ep, &ev), 1);		/* still gets HUP */
	CHECK_EQ(ev.events, EPOLLHUP);
	close(d);
	close(p[0]);
	close(ep);
}

static void case_nested(void)
{
	int outer = CHECK_OK(epoll_create1(0));
	int inner = CHECK_OK(epoll_create1(0));
	int efd = CHECK_OK(eventfd(0, EFD_NONBLOCK));
	struct epoll_event ev;
	uint64_t v = 1;

	CHECK_OK(ep_add(inner, efd, EPOLLIN, 1));
	CHECK_OK(ep_add(outer, inner, EPOLLIN, 2));
	CHECK_ERR(ep_add(inner, outer, EPOLLIN, 3), ELOOP);
	CHECK_EQ(ep_now(outer, &ev), 0);
	CHECK_EQ(write(efd, &v, 8), 8);
	CHECK_EQ(ep_now(outer, &ev), 1);
	CHECK_EQ(ev.data.u64, 2);
	CHECK_EQ(ev.events, EPOLLIN);
	CHECK_EQ(ep_now(inner, &ev), 1);
	CHECK_EQ(ev.data.u64, 1);
	CHECK_EQ(read(efd, &v, 8), 8);
	CHECK_EQ(ep_now(outer, &ev), 0);
	close(efd);
	close(inner);
	close(outer);
}

/* Chains of epoll instances stop at Linux's depth. */
static void case_nesting_limit(void)
{
	int ep[8], i, err = 0;

	for (i = 0; i < 8; i++)
		ep[i] = CHECK_OK(epoll_create1(0));
	for (i = 1; i < 8 && !err; i++)
		if (ep_add(ep[i], ep[i - 1], EPOLLIN, 0) < 0)
			err = errno;
	CHECK_EQ(err, ELOOP);
	/* ep[5] could not take ep[4], which has 4 levels below it: a chain
	 * of 5 instances is the most (EP_MAX_NESTS). */
	CHECK_EQ(i, 6);
	for (i = 0; i < 8; i++)
		close(ep[i]);
}

/* A blocked epoll_wait is woken by a write from another process. */
static void case_blocking_wait(void)
{
	int ep = CHECK_OK(epoll_create1(0));
	int p[2];
	struct epoll_event ev;
	pid_t pid;

	CHECK_OK(pipe(p));
	CHECK_OK(ep_add(ep, p[0], EPOLLIN, 4));
	pid = t_fork();
	if (pid == 0) {
		while (t_proc_state(getppid()) != 'S')
			sched_yield();
		_exit(write(p[1], "z", 1) == 1 ? 0 : 1);
	}
	CHECK_EQ(epoll_wait(ep, &ev, 1, -1), 1);
	CHECK_EQ(ev.data.u64, 4);
	CHECK_EXITED(t_wait(pid), 0);
	close(p[0]);
	close(p[1]);
	close(ep);
}

static void case_timeout(void)
{
	int ep = CHECK_OK(epoll_create1(0));
	struct epoll_event ev;
	struct timespec ts = { 0, 1000000 };

	CHECK_EQ(epoll_wait(ep, &ev, 1, 1), 0);
	CHECK_EQ(syscall(SYS_epoll_pwait2, ep, &ev, 1, &ts, NULL, 8), 0);
	ts.tv_nsec = 1000000000;
	CHECK_ERR(syscall(SYS_epoll_pwait2, ep, &ev, 1, &ts, NULL, 8), EINVAL);
	close(ep);
}

static void on_usr1(int sig)
{
	(void)sig;
}

/* A signal ends a wait with EINTR, even with SA_RESTART. */
static void case_eintr(void)
{
	int ep = CHECK_OK(epoll_create1(0));
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_RESTART };
	struct epoll_event ev;
	pid_t parent = getpid(), pid;

	CHECK_OK(sigaction(SIGUSR1, &sa, NULL));
	pid = t_fork();
	if (pid == 0) {
		while (t_proc_state(parent) != 'S')
			sched_yield();
		_exit(kill(parent, SIGUSR1) == 0 ? 0 : 1);
	}
	CHECK_ERR(epoll_wait(ep, &ev, 1, -1), EINTR);
	CHECK_EXITED(t_wait(pid), 0);
	close(ep);
}

/* epoll_pwait's mask: bad size, and a blocked signal does not end it. */
static void case_pwait_mask(void)
{
	int ep = CHECK_OK(epoll_create1(0));
	struct epoll_event ev;
	sigset_t set;
	struct timespec ts = { 0, 0 };

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	CHECK_ERR(syscall(SYS_epoll_pwait, ep, &ev, 1, 0, &set, 4), EINVAL);
	CHECK_ERR(syscall(SYS_epoll_pwait2, ep, &ev, 1, &ts, &set, 16),
		  EINVAL);
	CHECK_EQ(syscall(SYS_epoll_pwait, ep, &ev, 1, 0, &set, 8), 0);
	close(ep);
}

/* Many ready files: maxevents bounds each call, the rest come next. */
static void case_many(void)
{
	int ep = CHECK_OK(epoll_create1(0));
	int fds[20];
	struct epoll_event ev[20];
	uint64_t v = 1;

	for (int i = 0; i < 20; i++) {
		fds[i] = CHECK_OK(eventfd(1, 0));
		CHECK_OK(ep_add(ep, fds[i], EPOLLIN | EPOLLET, (uint64_t)i));
	}
	CHECK_EQ(epoll_wait(ep, ev, 8, 0), 8);
	CHECK_EQ(epoll_wait(ep, ev, 8, 0), 8);
	CHECK_EQ(epoll_wait(ep, ev, 8, 0), 4);
	CHECK_EQ(epoll_wait(ep, ev, 8, 0), 0);
	CHECK_EQ(write(fds[7], &v, 8), 8);
	CHECK_EQ(epoll_wait(ep, ev, 8, 0), 1);
	CHECK_EQ(ev[0].data.u64, 7);
	for (int i = 0; i < 20; i++)
		close(fds[i]);
	close(ep);
}

/* poll() on an epoll file: readable when an event waits. */
static void case_poll_epoll(void)
{
	int ep = CHECK_OK(epoll_create1(0));
	int efd = CHECK_OK(eventfd(0, 0));
	struct pollfd p = { .fd = ep, .events = POLLIN };
	uint64_t v = 1;

	CHECK_OK(ep_add(ep, efd, EPOLLIN, 0));
	CHECK_EQ(poll(&p, 1, 0), 0);
	CHECK_EQ(write(efd, &v, 8), 8);
	CHECK_EQ(poll(&p, 1, 0), 1);
	CHECK_EQ(p.revents, POLLIN);
	close(efd);
	close(ep);
}

/* The terminal: writable always. */
static void case_tty(void)
{
	int ep = CHECK_OK(epoll_create1(0));
	int fd = open("/dev/console", O_RDWR | O_NOCTTY);
	struct epoll_event ev;

	if (fd < 0) {
		close(ep);
		t_skip("no /dev/console");
	}
	CHECK_OK(ep_add(ep, fd, EPOLLOUT, 6));
	CHECK_EQ(ep_now(ep, &ev), 1);
	CHECK(ev.events & EPOLLOUT);
	close(fd);
	close(ep);
}

static void epoll_rounds(int n)
{
	for (int i = 0; i < n; i++) {
		int ep = epoll_create1(0), p[2];
		struct epoll_event ev = { .events = EPOLLIN };

		if (ep < 0 || pipe(p) < 0)
			T_FAIL("round %d", i);
		epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
		epoll_ctl(ep, EPOLL_CTL_ADD, p[1], &ev);
		if (write(p[1], "a", 1) != 1 || epoll_wait(ep, &ev, 1, 0) != 1)
			T_FAIL("round %d", i);
		if (i % 2)
			close(ep);	/* instance first, then the files */
		close(p[0]);
		close(p[1]);
		if (!(i % 2))
			close(ep);
	}
}

static void case_leak(void)
{
	t_check_no_leak("1000 x epoll with a pipe", epoll_rounds, 1000);
}

static const struct t_case cases[] = {
	{ case_create, "create" },
	{ case_ctl_errors, "ctl_errors" },
	{ case_wait_errors, "wait_errors" },
	{ case_level_triggered, "level_triggered" },
	{ case_edge_triggered, "edge_triggered" },
	{ case_edge_triggered_out, "edge_triggered_out" },
	{ case_oneshot, "oneshot" },
	{ case_exclusive, "exclusive" },
	{ case_close_registered, "close_registered" },
	{ case_hup, "hup" },
	{ case_nested, "nested" },
	{ case_nesting_limit, "nesting_limit" },
	{ case_blocking_wait, "blocking_wait" },
	{ case_timeout, "timeout" },
	{ case_eintr, "eintr" },
	{ case_pwait_mask, "pwait_mask" },
	{ case_many, "many" },
	{ case_poll_epoll, "poll_epoll" },
	{ case_tty, "tty" },
	{ case_leak, "leak" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
