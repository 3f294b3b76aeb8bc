/*
 * AF_UNIX stream round trip: two processes pass a 64-byte message back
 * and forth over a socketpair. Each round trip is two sends, two
 * receives and two switches on one CPU; the result is per one-way
 * message, half a round trip, like msg_pingpong.
 */
#include "bench.h"

#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define TEXT	64

static int sv[2];
static pid_t child;

/* Echo every message until the parent closes its end. */
static void echo_loop(void)
{
	char m[TEXT];

	close(sv[0]);
	for (;;) {
		if (read(sv[1], m, TEXT) != TEXT)
			_exit(0);
		if (write(sv[1], m, TEXT) != TEXT)
			_exit(1);
	}
}

static void setup(void)
{
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		bench_fail("socketpair");
	child = fork();
	if (child < 0)
		bench_fail("fork");
	if (child == 0)
		echo_loop();
	close(sv[1]);
}

static int64_t run(long n)
{
	char m[TEXT];
	int64_t t0 = bench_now_ns();

	memset(m, 'u', TEXT);
	for (long i = 0; i < n; i++) {
		if (write(sv[0], m, TEXT) != TEXT)
			bench_fail("write");
		if (read(sv[0], m, TEXT) != TEXT)
			bench_fail("read");
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
		.name = "unix_pingpong", .unit = "ns/msg", .run = run,
		.setup = setup, .teardown = teardown, .per_n = 2,
	};

	return bench_main(&b);
}
