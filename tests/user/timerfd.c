/*
 * timerfd.c - timerfd_create, timerfd_settime, timerfd_gettime: read
 * returns the expirations as a u64 and resets them, a non-blocking read
 * with none says EAGAIN, poll sees POLLIN once the timer fired, a
 * periodic timer counts the periods missed between reads, absolute
 * times, settime's old value, gettime, bad arguments, and creating and
 * closing timerfds leaks nothing. Waits are in read or poll, never
 * thresholds on elapsed time.
 */
#define _GNU_SOURCE
#include "t.h"

#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define MS (1000 * 1000L)

static long ns_of(const struct timespec *ts)
{
	return ts->tv_sec * 1000000000L + ts->tv_nsec;
}

static void arm(int fd, int flags, long value, long interval,
		struct itimerspec *old)
{
	struct itimerspec its = {
		{ interval / 1000000000, interval % 1000000000 },
		{ value / 1000000000, value % 1000000000 },
	};

	CHECK_OK(timerfd_settime(fd, flags, &its, old));
}

static void busy_wait(long ns)
{
	struct timespec a, b;

	CHECK_OK(clock_gettime(CLOCK_MONOTONIC, &a));
	do
		CHECK_OK(clock_gettime(CLOCK_MONOTONIC, &b));
	while (ns_of(&b) - ns_of(&a) < ns);
}

static void case_read_blocks(void)
{
	int fd = CHECK_OK(timerfd_create(CLOCK_MONOTONIC, 0));
	uint64_t n = 0;

	arm(fd, 0, 5 * MS, 0, NULL);
	CHECK_EQ(read(fd, &n, sizeof(n)), 8);
	CHECK_EQ(n, 1);
	CHECK_OK(close(fd));
}

static void case_nonblock(void)
{
	int fd = CHECK_OK(timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK));
	uint64_t n;

	CHECK_ERR(read(fd, &n, sizeof(n)), EAGAIN);
	arm(fd, 0, 1000 * 1000 * MS, 0, NULL);
	CHECK_ERR(read(fd, &n, sizeof(n)), EAGAIN);
	CHECK_ERR(read(fd, &n, 4), EINVAL);
	CHECK(fcntl(fd, F_GETFL) & O_NONBLOCK);
	CHECK_OK(close(fd));
}

static void case_poll(void)
{
	int fd = CHECK_OK(timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK));
	struct pollfd p = { fd, POLLIN, 0 };
	uint64_t n;

	CHECK_EQ(poll(&p, 1, 0), 0);
	arm(fd, 0, 5 * MS, 0, NULL);
	CHECK_EQ(poll(&p, 1, -1), 1);
	CHECK_EQ(p.revents, POLLIN);
	CHECK_EQ(read(fd, &n, sizeof(n)), 8);
	CHECK_EQ(n, 1);
	CHECK_EQ(poll(&p, 1, 0), 0);	/* read reset it */
	CHECK_OK(close(fd));
}

/* A 1 ms period and 30 ms between reads: expirations pile up. How many
 * depends on when the guest's timer interrupt came (a loaded host delays
 * it), so only "at least one, and every later read too" is asserted. */
static void case_periodic_count(void)
{
	int fd = CHECK_OK(timerfd_create(CLOCK_MONOTONIC, 0));
	uint64_t n, total = 0;

	arm(fd, 0, 1 * MS, 1 * MS, NULL);
	busy_wait(30 * MS);
	CHECK_EQ(read(fd, &n, sizeof(n)), 8);
	CHECK(n >= 1);
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(read(fd, &n, sizeof(n)), 8);
		CHECK(n >= 1);
		total += n;
	}
	CHECK(total >= 3);
	CHECK_OK(close(fd));
}

static void case_abstime(void)
{
	int fd = CHECK_OK(timerfd_create(CLOCK_REALTIME, 0));
	struct timespec now;
	uint64_t n;

	CHECK_OK(clock_gettime(CLOCK_REALTIME, &now));
	arm(fd, TFD_TIMER_ABSTIME, ns_of(&now) + 5 * MS, 0, NULL);
	CHECK_EQ(read(fd, &n, sizeof(n)), 8);
	CHECK_EQ(n, 1);
	arm(fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, 1, 0, NULL);
	CHECK_EQ(read(fd, &n, sizeof(n)), 8);	/* long past: at once */
	CHECK_EQ(n, 1);
	CHECK_OK(close(fd));
}

static void case_gettime_old(void)
{
	int fd = CHECK_OK(timerfd_create(CLOCK_BOOTTIME, 0));
	struct itimerspec cur, old;

	CHECK_OK(timerfd_gettime(fd, &cur));
	CHECK_EQ(ns_of(&cur.it_value) + ns_of(&cur.it_interval), 0);
	arm(fd, 0, 100 * 1000 * MS, 3 * MS, NULL);
	CHECK_OK(timerfd_gettime(fd, &cur));
	CHECK(ns_of(&cur.it_value) > 0 && ns_of(&cur.it_value) <= 100 * 1000 * MS);
	CHECK_EQ(ns_of(&cur.it_interval), 3 * MS);
	arm(fd, 0, 0, 0, &old);
	CHECK(ns_of(&old.it_value) > 0);
	CHECK_EQ(ns_of(&old.it_interval), 3 * MS);
	CHECK_OK(timerfd_gettime(fd, &cur));
	CHECK_EQ(ns_of(&cur.it_value), 0);
	CHECK_OK(close(fd));
}

static void case_invalid(void)
{
	struct itimerspec its = { { 0, 0 }, { 0, 1000000000 } }, ok = { { 0, 0 }, { 1, 0 } };
	int fd = CHECK_OK(timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC));
	int pfd[2];
	uint64_t n = 1;

	CHECK(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	CHECK_ERR(timerfd_create(CLOCK_MONOTONIC_RAW, 0), EINVAL);
	CHECK_ERR(timerfd_create(CLOCK_PROCESS_CPUTIME_ID, 0), EINVAL);
	CHECK_ERR(timerfd_create(CLOCK_MONOTONIC, 0x10), EINVAL);
	CHECK_ERR(timerfd_settime(fd, 0, &its, NULL), EINVAL);
	CHECK_ERR(timerfd_settime(fd, 4, &ok, NULL), EINVAL);
	CHECK_ERR(timerfd_settime(-1, 0, &ok, NULL), EBADF);
	CHECK_OK(pipe(pfd));
	CHECK_ERR(timerfd_settime(pfd[0], 0, &ok, NULL), EINVAL);
	CHECK_ERR(timerfd_gettime(pfd[0], &its), EINVAL);
	CHECK_ERR(write(fd, &n, sizeof(n)), EINVAL);
	CHECK_OK(close(fd));
}

/*
 * Regression (timerfd-lseek-espipe): a timerfd is one of Linux's anonymous
 * inodes with noop_llseek, so lseek answers 0 and moves nothing; Basalt
 * said ESPIPE. Its /proc/self/fd link names it as Linux does.
 */
static void case_lseek_noop(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, 0);
	char path[64], link[64];
	ssize_t n;

	CHECK(fd >= 0);
	CHECK_EQ(lseek(fd, 5, SEEK_SET), 0);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 0);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, link, sizeof(link) - 1);
	CHECK(n > 0);
	link[n > 0 ? n : 0] = '\0';
	CHECK(strcmp(link, "anon_inode:[timerfd]") == 0);
	CHECK_OK(close(fd));
}

/*
 * Edge-triggered epoll on a periodic timerfd: each read re-arms it (as
 * on Linux, a periodic timerfd moves on at read), and each expiry after
 * a read is a new edge. The timerfd wakes epoll through its poll head.
 */
static void case_epoll_et_each_expiry(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET };
	struct itimerspec its = { { 0, 10 * MS }, { 0, 10 * MS } };

	CHECK(fd >= 0 && ep >= 0);
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev));
	CHECK_OK(timerfd_settime(fd, 0, &its, NULL));
	for (int i = 0; i < 3; i++) {
		uint64_t n;

		CHECK_EQ(epoll_wait(ep, &ev, 1, 10000), 1);
		CHECK_EQ(read(fd, &n, sizeof(n)), 8);
		CHECK(n >= 1);
	}
	CHECK_OK(close(ep));
	CHECK_OK(close(fd));
}

static void timerfds(int rounds)
{
	for (int i = 0; i < rounds; i++) {
		int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
		struct itimerspec its = { { 0, MS }, { 0, MS } };

		if (fd < 0 || timerfd_settime(fd, 0, &its, NULL) || close(fd))
			T_FAIL("timerfd round %d", i);
	}
}

static void case_no_leak(void)
{
	t_check_no_leak("500 x timerfd_create+settime+close", timerfds, 500);
}

static const struct t_case cases[] = {
	{ case_read_blocks, "read_blocks" },
	{ case_nonblock, "nonblock" },
	{ case_poll, "poll" },
	{ case_periodic_count, "periodic_count" },
	{ case_abstime, "abstime" },
	{ case_gettime_old, "gettime_old" },
	{ case_invalid, "invalid" },
	{ case_lseek_noop, "timerfd-lseek-espipe" },
	{ case_epoll_et_each_expiry, "epoll_et_after_read" },
	{ case_no_leak, "no_leak" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
