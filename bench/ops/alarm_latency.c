/*
 * Alarm-driven timer latency: arm ITIMER_REAL for 200 us, wait for its
 * SIGALRM (blocked, taken by sigwaitinfo), and report how late it came:
 * the time from arming to waking, less the 200 us asked for. It measures
 * how close to its deadline the kernel's timer interrupt comes, plus
 * the signal's way to a sleeping task.
 */
#include "bench.h"

#include <signal.h>
#include <stddef.h>
#include <sys/time.h>

#define DELAY_US 200

static sigset_t alrm;

static void setup(void)
{
	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	if (sigprocmask(SIG_BLOCK, &alrm, NULL))
		bench_fail("sigprocmask");
}

static int64_t run(long n)
{
	struct itimerval v = { { 0, 0 }, { 0, DELAY_US } };
	int64_t t0 = bench_now_ns();

	for (long i = 0; i < n; i++) {
		if (setitimer(ITIMER_REAL, &v, NULL))
			bench_fail("setitimer");
		if (sigwaitinfo(&alrm, NULL) != SIGALRM)
			bench_fail("sigwaitinfo");
	}
	return bench_now_ns() - t0 - n * DELAY_US * 1000L;
}

int main(void)
{
	static const struct bench b = {
		.name = "alarm_latency", .unit = "ns late", .run = run,
		.setup = setup,
	};

	return bench_main(&b);
}
