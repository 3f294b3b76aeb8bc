/*
 * Signal install: rt_sigaction setting a handler for SIGUSR1, alternating
 * between two handlers so every call really changes the action. Measures
 * the call's copy-in, validation and the install under the handler lock.
 */
#include "bench.h"

#include <signal.h>
#include <string.h>

static void on_a(int sig) { (void)sig; }
static void on_b(int sig) { (void)sig; }

static int64_t run(long n)
{
	struct sigaction sa[2];
	int64_t t0;

	memset(sa, 0, sizeof(sa));
	sa[0].sa_handler = on_a;
	sa[1].sa_handler = on_b;
	t0 = bench_now_ns();
	for (long i = 0; i < n; i++)
		if (sigaction(SIGUSR1, &sa[i & 1], NULL))
			bench_fail("sigaction");
	return bench_now_ns() - t0;
}

int main(void)
{
	static const struct bench b = {
		.name = "sig_install", .unit = "ns/call", .run = run,
	};

	return bench_main(&b);
}
