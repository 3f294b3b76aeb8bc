/*
 * Null system call: getppid(), which does nothing but return a number
 * the kernel already has, so it measures the system-call entry and exit
 * path alone (glibc does not cache it).
 */
#include "bench.h"

#include <unistd.h>

static int64_t run(long n)
{
	int64_t t0 = bench_now_ns();

	for (long i = 0; i < n; i++)
		getppid();
	return bench_now_ns() - t0;
}

int main(void)
{
	static const struct bench b = {
		.name = "getppid", .unit = "ns/call", .run = run,
	};

	return bench_main(&b);
}
