/*
 * epoll_wait on a ready pipe: one level-triggered registration on the
 * read end of a pipe that holds a byte, so every epoll_wait returns at
 * once with one event. It measures the call's fixed cost: the lookup of
 * the instance, taking the ready item, asking the pipe, copying out.
 */
#include "bench.h"

#include <sys/epoll.h>
#include <unistd.h>

static int ep, fds[2];

static void setup(void)
{
	struct epoll_event ev = { .events = EPOLLIN };

	if (pipe(fds) < 0)
		bench_fail("pipe");
	if (write(fds[1], "r", 1) != 1)
		bench_fail("write");
	ep = epoll_create1(0);
	if (ep < 0)
		bench_fail("epoll_create1");
	if (epoll_ctl(ep, EPOLL_CTL_ADD, fds[0], &ev) < 0)
		bench_fail("epoll_ctl");
}

static int64_t run(long n)
{
	struct epoll_event ev;
	int64_t t0 = bench_now_ns();

	for (long i = 0; i < n; i++)
		if (epoll_wait(ep, &ev, 1, 0) != 1)
			bench_fail("epoll_wait");
	return bench_now_ns() - t0;
}

static void teardown(void)
{
	close(ep);
	close(fds[0]);
	close(fds[1]);
}

int main(void)
{
	static const struct bench b = {
		.name = "epoll_wait_ready", .unit = "ns/op", .run = run,
		.setup = setup, .teardown = teardown,
	};

	return bench_main(&b);
}
