/*
 * write() of one byte to /dev/null: the system-call path plus looking up
 * the descriptor and calling the device's write (which takes the byte
 * without copying it).
 */
#include "bench.h"

#include <fcntl.h>
#include <unistd.h>

static int fd;

static void setup(void)
{
	fd = open("/dev/null", O_WRONLY);
	if (fd < 0)
		bench_fail("open /dev/null");
}

static int64_t run(long n)
{
	char c = 'x';
	int64_t t0 = bench_now_ns();

	for (long i = 0; i < n; i++)
		if (write(fd, &c, 1) != 1)
			bench_fail("write");
	return bench_now_ns() - t0;
}

int main(void)
{
	static const struct bench b = {
		.name = "write_null", .unit = "ns/call", .run = run,
		.setup = setup,
	};

	return bench_main(&b);
}
