/*
 * setitimer overhead: re-arm ITIMER_REAL (10 s ahead, so it never fires
 * during the measurement) and read back the old value, the work a
 * program that keeps pushing a watchdog alarm forward does.
 */
#include "bench.h"

#include <stddef.h>
#include <sys/time.h>

static int64_t run(long n)
{
	struct itimerval v = { { 0, 0 }, { 10, 0 } }, old;
	int64_t t0 = bench_now_ns();

	for (long i = 0; i < n; i++)
		if (setitimer(ITIMER_REAL, &v, &old))
			bench_fail("setitimer");
	return bench_now_ns() - t0;
}

static void teardown(void)
{
	struct itimerval off = { { 0, 0 }, { 0, 0 } };

	setitimer(ITIMER_REAL, &off, NULL);
}

int main(void)
{
	static const struct bench b = {
		.name = "setitimer", .unit = "ns/call", .run = run,
		.teardown = teardown,
	};

	return bench_main(&b);
}
