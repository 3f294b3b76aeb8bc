/*
 * Pipe bandwidth: a child writes 64 KiB chunks into a pipe as fast as it
 * can, the parent reads them with 64 KiB reads. The result is the time
 * per 64 KiB moved (lower is better; 65536 / result = GB/s). It exercises
 * copying to and from user memory, the pipe's buffer and the sleeps and
 * wake-ups when the buffer is full or empty.
 */
#include "bench.h"

#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHUNK (64 * 1024)

static int fds[2];
static pid_t child;
static char buf[CHUNK];

/* The writer runs until the reader closes the pipe (EPIPE or SIGPIPE). */
static void write_loop(void)
{
	close(fds[0]);
	memset(buf, 'x', sizeof(buf));	/* no page faults in the loop */
	for (;;)
		if (write(fds[1], buf, sizeof(buf)) < 0)
			_exit(0);
}

static void setup(void)
{
	if (pipe(fds) < 0)
		bench_fail("pipe");
	child = fork();
	if (child < 0)
		bench_fail("fork");
	if (child == 0)
		write_loop();
	close(fds[1]);
	memset(buf, 0, sizeof(buf));
}

static int64_t run(long n)
{
	long long left = (long long)n * CHUNK;
	int64_t t0 = bench_now_ns();

	while (left > 0) {
		ssize_t got = read(fds[0], buf,
				   left < CHUNK ? (size_t)left : CHUNK);

		if (got <= 0)
			bench_fail("read");
		left -= got;
	}
	return bench_now_ns() - t0;
}

static void teardown(void)
{
	close(fds[0]);
	if (waitpid(child, NULL, 0) != child)
		bench_fail("waitpid");
}

int main(void)
{
	static const struct bench b = {
		.name = "pipe_bw", .unit = "ns/64KiB", .run = run,
		.setup = setup, .teardown = teardown,
	};

	return bench_main(&b);
}
