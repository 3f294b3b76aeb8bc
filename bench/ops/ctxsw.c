/*
 * Context switch: two processes pass one byte back and forth over two
 * pipes. On one CPU every round trip is two switches (to the child and
 * back), each with a pipe write that wakes the other process and a pipe
 * read that sleeps; the result is per switch, half a round trip, as
 * lmbench reports it.
 */
#include "bench.h"

#include <sys/wait.h>
#include <unistd.h>

static int to_child[2], to_parent[2];
static pid_t child;

/* The child echoes every byte until its input pipe reaches end of file. */
static void echo_loop(void)
{
	char c;

	close(to_child[1]);
	close(to_parent[0]);
	while (read(to_child[0], &c, 1) == 1)
		if (write(to_parent[1], &c, 1) != 1)
			_exit(1);
	_exit(0);
}

static void setup(void)
{
	if (pipe(to_child) < 0 || pipe(to_parent) < 0)
		bench_fail("pipe");
	child = fork();
	if (child < 0)
		bench_fail("fork");
	if (child == 0)
		echo_loop();
	close(to_child[0]);
	close(to_parent[1]);
}

static int64_t run(long n)
{
	char c = 'x';
	int64_t t0 = bench_now_ns();

	for (long i = 0; i < n; i++) {
		if (write(to_child[1], &c, 1) != 1)
			bench_fail("write to the child");
		if (read(to_parent[0], &c, 1) != 1)
			bench_fail("read from the child");
	}
	return bench_now_ns() - t0;
}

static void teardown(void)
{
	close(to_child[1]);
	if (waitpid(child, NULL, 0) != child)
		bench_fail("waitpid");
}

int main(void)
{
	static const struct bench b = {
		.name = "ctxsw", .unit = "ns/switch", .run = run,
		.setup = setup, .teardown = teardown, .per_n = 2,
	};

	return bench_main(&b);
}
