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
 *   threads1, threads2, threads4
 *              1, 2 or 4 threads, each doing the same work: 4,000 live
 *              blocks of 16 bytes to 2 KiB (log-uniform), one replaced per
 *              step, 1 million steps; every 64th block is handed to the
 *              next thread to free. Each thread does a fixed amount, so
 *              the throughput grows with the threads as far as the
 *              allocator (and the cores) let it.
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

/* One thread of the threads workloads: its own generator and slots. */
struct worker {
	pthread_t t;
	uint64_t rng;
	void *slot[4000];
	void *volatile handoff[64];	/* blocks the previous thread left */
	struct worker *next;		/* where this one leaves its blocks */
};

static uint64_t worker_next(struct worker *w)
{
	w->rng ^= w->rng << 13;
	w->rng ^= w->rng >> 7;
	w->rng ^= w->rng << 17;
	return w->rng;
}

/* Frees a block another thread left here, if any; leaves p there instead. */
static void hand_over(struct worker *w, unsigned k, void *p)
{
	void *old = __atomic_exchange_n(&w->next->handoff[k % 64], p,
					__ATOMIC_ACQ_REL);
	free(old);
}

static void *worker_run(void *arg)
{
	enum { LIVE = 4000, STEPS = 1000000 };
	struct worker *w = arg;

	for (long s = 0; s < STEPS; s++) {
		unsigned k = worker_next(w) % LIVE;
		unsigned shift = 4 + worker_next(w) % 7;
		size_t n = (1UL << shift) + worker_next(w) % (1UL << shift);

		if (s % 64 == 0)
			hand_over(w, (unsigned)(s / 64), w->slot[k]);
		else
			free(w->slot[k]);
		w->slot[k] = malloc(n);
		touch(w->slot[k], n);
	}
	for (int i = 0; i < LIVE; i++)
		free(w->slot[i]);
	return NULL;
}

static long work_threads(int n)
{
	static struct worker w[4];

	for (int i = 0; i < n; i++) {
		w[i].rng = 88172645463325252ULL + 7919 * i;
		w[i].next = &w[(i + 1) % n];
	}
	for (int i = 0; i < n; i++)
		pthread_create(&w[i].t, NULL, worker_run, &w[i]);
	for (int i = 0; i < n; i++)
		pthread_join(w[i].t, NULL);
	for (int i = 0; i < n; i++)
		for (int k = 0; k < 64; k++)
			free(w[i].handoff[k]);
	return 2L * 1000000 * n;
}

static long work_threads1(void)
{
	return work_threads(1);
}

static long work_threads2(void)
{
	return work_threads(2);
}

static long work_threads4(void)
{
	return work_threads(4);
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
	{ "threads1", work_threads1 },
	{ "threads2", work_threads2 },
	{ "threads4", work_threads4 },
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
