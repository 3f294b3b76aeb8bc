/*
 * The benchmark harness (see bench.h): calibration, repetitions, the
 * median and the spread, and the one output line per operation.
 *
 * Calibration doubles as warm-up: after one call that is thrown away,
 * run(n) is called with growing n until one call takes at least the
 * target time, and that n is then used for every repetition. Timing a
 * whole repetition, rather than each operation, keeps the clock's own
 * cost (a system call on a kernel without a vDSO) out of the result. A
 * benchmark with a fixed_n skips calibration (the scaling benchmarks,
 * whose boots with one CPU and with two must do the same work) and is
 * warmed up by one repetition thrown away.
 *
 * Two environment variables (which the kernel command line can set for
 * /init, and the runner passes on) change the defaults:
 *   BENCH_REPS     repetitions per operation (7)
 *   BENCH_REP_MS   the least length of one repetition in ms (40)
 */
#define _GNU_SOURCE
#include "bench.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_REPS	7
#define MAX_REPS	99
#define DEFAULT_REP_MS	40

static const char *current_name = "?";

int64_t bench_now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
		bench_fail("clock_gettime");
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* One line, one write(): the line cannot mix with another process's. */
static void put_line(const char *text)
{
	size_t len = strlen(text);

	(void)!write(1, text, len);
}

void bench_fail(const char *what)
{
	char line[512];
	int err = errno;
	const char *ename = strerrorname_np(err);

	if (err)
		snprintf(line, sizeof(line), "BENCH name=%s error=%s: %s (%s)\n",
			 current_name, what, ename ? ename : "?",
			 strerror(err));
	else
		snprintf(line, sizeof(line), "BENCH name=%s error=%s\n",
			 current_name, what);
	put_line(line);
	exit(1);
}

static long env_long(const char *name, long dflt, long lo, long hi)
{
	const char *s = getenv(name);
	char *end;
	long v;

	if (!s || !*s)
		return dflt;
	v = strtol(s, &end, 10);
	if (*end || v < lo || v > hi)
		return dflt;
	return v;
}

/*
 * The n that makes run(n) last at least target_ns (two calls in a row,
 * the second at least half of it). Growth is bounded (x16 per step)
 * because a very short call says little about the speed, and n never
 * passes b->max_n.
 */
static long calibrate(const struct bench *b, int64_t target_ns)
{
	long n = 1;

	/* A first call can be far slower than the rest (the kernel grows
	 * its caches, page tables appear): it warms up and says nothing. */
	b->run(1);
	for (;;) {
		int64_t t = b->run(n);
		long next;

		if (b->max_n && n >= b->max_n)
			return n;
		/* One slow call (the host was busy, the kernel did some rare
		 * work) must not settle n: a second call confirms. */
		if (t >= target_ns && (t = b->run(n)) >= target_ns / 2)
			return n;
		if (t <= 0)
			next = n * 16;
		else
			next = (long)((double)n * (double)target_ns * 1.2 /
				      (double)t) + 1;
		if (next > n * 16)
			next = n * 16;
		if (next <= n)
			next = n + 1;
		if (b->max_n && next > b->max_n)
			next = b->max_n;
		n = next;
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int bench_main(const struct bench *b)
{
	long reps = env_long("BENCH_REPS", DEFAULT_REPS, 1, MAX_REPS);
	int64_t target = env_long("BENCH_REP_MS", DEFAULT_REP_MS, 1, 10000) *
			 1000000;
	int per_n = b->per_n ? b->per_n : 1;
	double res[MAX_REPS], median;
	char line[512];
	long n;

	current_name = b->name;
	if (b->setup)
		b->setup();
	if (b->fixed_n) {
		n = b->fixed_n;
		b->run(n);	/* the warm-up that calibration would be */
	} else {
		n = calibrate(b, target);
	}
	for (long i = 0; i < reps; i++)
		res[i] = (double)b->run(n) / ((double)n * per_n);
	if (b->teardown)
		b->teardown();

	qsort(res, (size_t)reps, sizeof(res[0]), cmp_double);
	median = reps % 2 ? res[reps / 2]
			  : (res[reps / 2 - 1] + res[reps / 2]) / 2;
	snprintf(line, sizeof(line),
		 "BENCH name=%s unit=%s median=%.1f min=%.1f max=%.1f "
		 "reps=%ld n=%ld\n",
		 b->name, b->unit, median, res[0], res[reps - 1], reps, n);
	put_line(line);
	return 0;
}
