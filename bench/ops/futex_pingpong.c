/*
 * Futex ping-pong between two threads of one process: each waits on its
 * own word with FUTEX_WAIT_PRIVATE until the other flips it and wakes it
 * with FUTEX_WAKE_PRIVATE. The result is per one-way hand-off, half a
 * round trip (one wake, one sleep, one switch on one CPU).
 */
#include "bench.h"

#include <linux/futex.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

static volatile uint32_t ping, pong;	/* whose turn: 1 = go */
static volatile int quit;
static pthread_t partner;

static void futex_wait(volatile uint32_t *w, uint32_t v)
{
	syscall(SYS_futex, w, FUTEX_WAIT_PRIVATE, v, NULL, NULL, 0);
}

static void futex_wake(volatile uint32_t *w)
{
	syscall(SYS_futex, w, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

/* The partner answers every ping with a pong. */
static void *answer(void *arg)
{
	(void)arg;
	for (;;) {
		while (!__atomic_load_n(&ping, __ATOMIC_ACQUIRE))
			futex_wait(&ping, 0);
		__atomic_store_n(&ping, 0, __ATOMIC_RELAXED);
		if (quit)
			return NULL;
		__atomic_store_n(&pong, 1, __ATOMIC_RELEASE);
		futex_wake(&pong);
	}
}

static void setup(void)
{
	if (pthread_create(&partner, NULL, answer, NULL) != 0)
		bench_fail("pthread_create");
}

static int64_t run(long n)
{
	int64_t t0 = bench_now_ns();

	for (long i = 0; i < n; i++) {
		__atomic_store_n(&ping, 1, __ATOMIC_RELEASE);
		futex_wake(&ping);
		while (!__atomic_load_n(&pong, __ATOMIC_ACQUIRE))
			futex_wait(&pong, 0);
		__atomic_store_n(&pong, 0, __ATOMIC_RELAXED);
	}
	return bench_now_ns() - t0;
}

static void teardown(void)
{
	quit = 1;
	__atomic_store_n(&ping, 1, __ATOMIC_RELEASE);
	futex_wake(&ping);
	pthread_join(partner, NULL);
}

int main(void)
{
	static const struct bench b = {
		.name = "futex_pingpong", .unit = "ns/handoff", .run = run,
		.setup = setup, .teardown = teardown, .per_n = 2,
	};

	return bench_main(&b);
}
