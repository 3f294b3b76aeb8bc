/*
 * A thread's whole life: pthread_create of a thread that returns at once,
 * then pthread_join. glibc keeps a cache of thread stacks, so this is the
 * kernel's clone, exit and the futex wake-up of the joiner, plus the
 * library's bookkeeping, the same binary on both kernels.
 */
#include "bench.h"

#include <pthread.h>

static void *nothing(void *arg)
{
	return arg;
}

static int64_t run(long n)
{
	int64_t t0 = bench_now_ns();

	for (long i = 0; i < n; i++) {
		pthread_t t;

		if (pthread_create(&t, NULL, nothing, NULL) != 0)
			bench_fail("pthread_create");
		if (pthread_join(t, NULL) != 0)
			bench_fail("pthread_join");
	}
	return bench_now_ns() - t0;
}

int main(void)
{
	static const struct bench b = {
		.name = "thread_create", .unit = "ns/op", .run = run,
	};

	return bench_main(&b);
}
