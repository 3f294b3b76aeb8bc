/*
 * AF_UNIX stream bandwidth: a child writes 64 KiB chunks into a
 * socketpair as fast as it can, the parent reads them with 64 KiB reads;
 * the time per 64 KiB moved, like pipe_bw. It exercises the copies, the
 * message queue and the send-buffer waits.
 */
#include "bench.h"

#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHUNK (64 * 1024)

static int sv[2];
static pid_t child;
static char buf[CHUNK];

/* The writer runs until the reader closes its end. */
static void write_loop(void)
{
	close(sv[0]);
	memset(buf, 'x', sizeof(buf));
	for (;;)
		if (send(sv[1], buf, sizeof(buf), MSG_NOSIGNAL) < 0)
			_exit(0);
}

static void setup(void)
{
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		bench_fail("socketpair");
	child = fork();
	if (child < 0)
		bench_fail("fork");
	if (child == 0)
		write_loop();
	close(sv[1]);
	memset(buf, 0, sizeof(buf));
}

static int64_t run(long n)
{
	long long left = (long long)n * CHUNK;
	int64_t t0 = bench_now_ns();

	while (left > 0) {
		ssize_t got = read(sv[0], buf,
				   left < CHUNK ? (size_t)left : CHUNK);

		if (got <= 0)
			bench_fail("read");
		left -= got;
	}
	return bench_now_ns() - t0;
}

static void teardown(void)
{
	close(sv[0]);
	if (waitpid(child, NULL, 0) != child)
		bench_fail("waitpid");
}

int main(void)
{
	static const struct bench b = {
		.name = "unix_bw", .unit = "ns/64KiB", .run = run,
		.setup = setup, .teardown = teardown,
	};

	return bench_main(&b);
}
