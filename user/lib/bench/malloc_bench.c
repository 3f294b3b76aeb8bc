/*
 * malloc_bench.c - allocation workloads for `make bench-malloc`.
 *
 * The same source is linked with each allocator (libbasalt's, glibc's,
 * musl's, jemalloc, mimalloc); one run is one workload in a fresh
 * process, so each peak RSS is that workload's alone. It prints
 *
 *   WORKLOAD OPS SECONDS PEAK_RSS_KB
 *
 * Workloads (sizes and counts are fixed, so every allocator does exactly
 * the same work):
 *   small      many small objects: batches of 100k blocks of 16-128
 *              bytes, all freed, twenty times over
 *   mixed      sizes from 8 bytes to 32 KiB (log-uniform) with random
 *              lifetimes: a pool of 10k live blocks, one replaced per step
 *   prodcons   producer/consumer across threads: one thread allocates,
 *              another frees, through a lock-free ring
 *   realloc    growth by realloc: 2000 buffers grown in 64-byte steps up
 *              to 16 KiB, interleaved
 *   fragment   fragmentation: fill with blocks of 64-1024 bytes, free every
 *              other one, then ask for 2-4 KiB blocks that fit no hole;
 *              peak RSS shows how well holes are reused
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static uint64_t rng = 88172645463325252ULL;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Touches a block as a program would: its first and last bytes. */
static void touch(void *p, size_t n)
{
	if (n) {
		((volatile char *)p)[0] = 1;
		((volatile char *)p)[n - 1] = 2;
	}
}

static long work_small(void)
{
	enum { N = 100000, ROUNDS = 20 };
	static void *p[N];
	long ops = 0;

	for (int r = 0; r < ROUNDS; r++) {
		for (int i = 0; i < N; i++) {
			size_t n = 16 + next() % 113;

			p[i] = malloc(n);
			touch(p[i], n);
		}
		for (int i = 0; i < N; i++)
			free(p[i]);
		ops += 2 * N;
	}
	return ops;
}

/* 8 bytes to 32 KiB, uniform in the logarithm. */
static size_t log_size(void)
{
	unsigned shift = 3 + next() % 13;

	return (1UL << shift) + next() % (1UL << shift);
}

static long work_mixed(void)
{
	enum { LIVE = 10000, STEPS = 2000000 };
	static void *p[LIVE];

	for (int i = 0; i < LIVE; i++)
		p[i] = malloc(log_size());
	for (long s = 0; s < STEPS; s++) {
		unsigned k = next() % LIVE;
		size_t n = log_size();

		free(p[k]);
		p[k] = malloc(n);
		touch(p[k], n);
	}
	for (int i = 0; i < LIVE; i++)
		free(p[i]);
	return 2L * STEPS + 2 * LIVE;
}

#define RING 1024
#define PRODUCED 2000000
static void *ring[RING];
static unsigned long head, tail;	/* producer writes head, consumer tail */

static void *consumer(void *arg)
{
	(void)arg;
	for (long got = 0; got < PRODUCED;) {
		unsigned long h = __atomic_load_n(&head, __ATOMIC_ACQUIRE);

		for (; tail < h; tail++, got++)
			free(ring[tail % RING]);
		__atomic_store_n(&tail, tail, __ATOMIC_RELEASE);
		if (tail == h)
			sched_yield();
	}
	return NULL;
}

static long work_prodcons(void)
{
	pthread_t t;

	pthread_create(&t, NULL, consumer, NULL);
	for (long i = 0; i < PRODUCED; i++) {
		size_t n = 16 + next() % 497;
		void *p = malloc(n);

		touch(p, n);
		while (head - __atomic_load_n(&tail, __ATOMIC_ACQUIRE) >= RING)
			sched_yield();
		ring[head % RING] = p;
		__atomic_store_n(&head, head + 1, __ATOMIC_RELEASE);
	}
	pthread_join(t, NULL);
	return 2L * PRODUCED;
}

static long work_realloc(void)
{
	enum { N = 2000, STEP = 64, MAX = 16384 };
	static char *p[N];
	long ops = 0;

	for (size_t len = STEP; len <= MAX; len += STEP)
		for (int i = 0; i < N; i++) {
			p[i] = realloc(p[i], len);
			touch(p[i], len);
			ops++;
		}
	for (int i = 0; i < N; i++)
		free(p[i]);
	return ops + N;
}

static long work_fragment(void)
{
	enum { N = 200000 };
	static void *p[N];
	long ops = 0;

	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < N; i++) {
			size_t n = 64 + next() % 961;

			p[i] = malloc(n);
			touch(p[i], n);
		}
		for (int i = 0; i < N; i += 2)
			free(p[i]);
		for (int i = 0; i < N; i += 2) {
			size_t n = 2048 + next() % 2049;

			p[i] = malloc(n);
			touch(p[i], n);
		}
		for (int i = 0; i < N; i++)
			free(p[i]);
		ops += 3L * N;
	}
	return ops;
}

static const struct {
	const char *name;
	long (*fn)(void);
} workloads[] = {
	{ "small", work_small },
	{ "mixed", work_mixed },
	{ "prodcons", work_prodcons },
	{ "realloc", work_realloc },
	{ "fragment", work_fragment },
};

int main(int argc, char **argv)
{
	for (size_t i = 0; i < sizeof(workloads) / sizeof(workloads[0]); i++) {
		if (argc > 1 && strcmp(argv[1], workloads[i].name) != 0)
			continue;
		struct timespec a, b;
		struct rusage ru;

		clock_gettime(CLOCK_MONOTONIC, &a);
		long ops = workloads[i].fn();
		clock_gettime(CLOCK_MONOTONIC, &b);
		getrusage(RUSAGE_SELF, &ru);
		printf("%s %ld %.6f %ld\n", workloads[i].name, ops,
		       (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9,
		       ru.ru_maxrss);
	}
	return 0;
}
