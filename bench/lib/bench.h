/*
 * The benchmark harness: what every program in bench/ops/ links with.
 *
 * A benchmark program measures one operation. It describes it with a
 * struct bench and calls bench_main(), which picks how many operations
 * make one repetition long enough to time well, runs the repetitions and
 * prints one line in the format scripts/bench.sh reads:
 *
 *   BENCH name=NAME unit=UNIT median=X min=X max=X reps=R n=N
 *
 * X is the time per operation in nanoseconds (UNIT says per what), over R
 * repetitions of N operations each. When the operation cannot be measured
 * (a system call fails), the program prints instead
 *
 *   BENCH name=NAME error=WHAT
 *
 * and exits with status 1. Everything is timed with the guest's own
 * CLOCK_MONOTONIC, the clock a Linux program would use.
 */
#ifndef BASALT_BENCH_H
#define BASALT_BENCH_H

#include <stdint.h>

struct bench {
	const char *name;	/* the operation's name in the table */
	const char *unit;	/* what one result is per, e.g. "ns/op" */
	/*
	 * Performs n operations and returns the nanoseconds they took. It
	 * reads the clock itself (with bench_now_ns()), so that work which
	 * is not the operation (mapping the pages a fault test touches) can
	 * stay outside the measurement. On failure it calls bench_fail().
	 */
	int64_t (*run)(long n);
	void (*setup)(void);	/* optional: once, before the first run */
	void (*teardown)(void);	/* optional: once, after the last run */
	long max_n;		/* optional bound on n (memory, say); 0: none */
	/*
	 * Optional: no calibration, every repetition is run(fixed_n). The
	 * scaling benchmarks use it so that a boot with one CPU and a boot
	 * with two do the same work, whatever their speed.
	 */
	long fixed_n;
	int per_n;		/* results per operation of run(); 0 means 1 */
};

/* Runs b and prints its BENCH line; returns the process exit status. */
int bench_main(const struct bench *b);

/* CLOCK_MONOTONIC in nanoseconds. */
int64_t bench_now_ns(void);

/* Prints "BENCH name=... error=WHAT: ERRNAME (message)" from errno (only
 * WHAT when errno is 0) and exits with status 1. */
void bench_fail(const char *what) __attribute__((noreturn));

#endif
