/*
 * clock_gettime(CLOCK_MONOTONIC) as a program calls it, through glibc:
 * on Linux that is the vDSO (no system call when the clock source allows
 * it), on a kernel without a vDSO it is a system call.
 */
#include "bench.h"

#include <time.h>

static int64_t run(long n)
{
	struct timespec ts;
	int64_t t0 = bench_now_ns();

	for (long i = 0; i < n; i++)
		if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
			bench_fail("clock_gettime");
	return bench_now_ns() - t0;
}

int main(void)
{
	static const struct bench b = {
		.name = "clock_gettime", .unit = "ns/call", .run = run,
	};

	return bench_main(&b);
}
