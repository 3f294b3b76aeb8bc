/*
 * Scaling, CPU-bound: two processes each run the same arithmetic loop and
 * make no system call. On two CPUs each should have one to itself, so
 * the pair should finish in about half the time it takes on one: this
 * is the row that shows whether the scheduler puts runnable work on an
 * idle CPU at all. One unit of work is LOOP_STEPS steps of xorshift64,
 * a chain of dependent instructions the compiler cannot fold away.
 */
#include "bench_scale.h"

#define LOOP_STEPS	100000
#define UNITS		300	/* per worker, per repetition */

static volatile uint64_t sink;

static int work(long n)
{
	uint64_t x = 88172645463325252ULL + (uint64_t)n;

	for (long i = 0; i < n; i++)
		for (long s = 0; s < LOOP_STEPS; s++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
		}
	sink = x;
	return 0;
}

static int64_t run(long n)
{
	return scale_run(n, NULL, work);
}

int main(void)
{
	static const struct bench b = {
		.name = "scale_cpu", .unit = "ns/loop", .run = run,
		.fixed_n = UNITS, .per_n = SCALE_WORKERS,
	};

	return bench_main(&b);
}
