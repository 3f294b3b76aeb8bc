/*
 * Signal delivery round trip: kill() of oneself with a handler installed
 * for SIGUSR1. One operation is the whole trip: the send, the frame built
 * on the way back to user mode, the handler, and rt_sigreturn.
 */
#include "bench.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t hits;

static void on_usr1(int sig)
{
	(void)sig;
	hits++;
}

static int64_t run(long n)
{
	struct sigaction sa;
	pid_t self = getpid();
	int64_t t0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	if (sigaction(SIGUSR1, &sa, NULL))
		bench_fail("sigaction");
	hits = 0;
	t0 = bench_now_ns();
	for (long i = 0; i < n; i++)
		kill(self, SIGUSR1);
	t0 = bench_now_ns() - t0;
	if (hits != n)
		bench_fail("handler count");
	return t0;
}

int main(void)
{
	static const struct bench b = {
		.name = "sig_roundtrip", .unit = "ns/op", .run = run,
	};

	return bench_main(&b);
}
