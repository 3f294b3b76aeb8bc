/*
 * read() of one byte from /dev/null (which returns 0 at once): the
 * system-call path plus looking up the descriptor and calling the
 * device's read.
 */
#include "bench.h"

#include <fcntl.h>
#include <unistd.h>

static int fd;

static void setup(void)
{
	fd = open("/dev/null", O_RDONLY);
	if (fd < 0)
		bench_fail("open /dev/null");
}

static int64_t run(long n)
{
	char c;
	int64_t t0 = bench_now_ns();

	for (long i = 0; i < n; i++)
		if (read(fd, &c, 1) < 0)
			bench_fail("read");
	return bench_now_ns() - t0;
}

int main(void)
{
	static const struct bench b = {
		.name = "read_null", .unit = "ns/call", .run = run,
		.setup = setup,
	};

	return bench_main(&b);
}
