/*
 * bank_smp.c - the bank demonstration (user/bin/bank.c, MISSION.md
 * section 2) 1000 times with its two threads pinned to different CPUs,
 * so the father and the child really run at once and every p and v of
 * the semaphore crosses between CPUs. Each run must tell the serial
 * story of demos.c (every balance one step from the one before, 100
 * deposits, 50 withdrawals) and end at exactly 1000$.
 *
 * The program is bank.c itself, its main renamed bank_main, linked with
 * thread_create wrapped (ld --wrap, libbasalt.mk): the wrapper starts the
 * child through a trampoline that pins it to the second CPU and waits
 * until it is there, while the father runs pinned to the first. Where
 * getcpu exists, both check they run where they were pinned.
 *
 * With one CPU the 1000 runs still run, both threads on it, and still
 * fail on a wrong story, but the case skips instead of passing.
 */
#include <basalt/thread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "t.h"
#include "capture.h"
#include "bank_story.h"

#define RUNS	1000

int bank_main(int argc, char **argv);
int __real_thread_create(struct basalt_thread **t, void *(*fn)(void *),
			 void *arg);
int __wrap_thread_create(struct basalt_thread **t, void *(*fn)(void *),
			 void *arg);

/* What the trampoline needs; one child thread at a time. */
static struct {
	void *(*fn)(void *);
	void *arg;
	volatile int pinned;
} child;

/* Pinned to CPU cpu: running there, if the kernel can say. */
static void pin_and_check(int cpu)
{
	int now;

	t_pin(cpu);
	sched_yield();
	now = t_getcpu();
	if (now >= 0 && now != cpu)
		T_FAIL("pinned to CPU %d, running on CPU %d", cpu, now);
}

static void *trampoline(void *arg)
{
	(void)arg;
	pin_and_check(t_cpu_nth(1));
	t_post(&child.pinned, 1);
	return child.fn(child.arg);
}

int __wrap_thread_create(struct basalt_thread **t, void *(*fn)(void *),
			 void *arg)
{
	int r;

	child.fn = fn;
	child.arg = arg;
	child.pinned = 0;
	r = __real_thread_create(t, trampoline, NULL);
	if (r == 0)
		t_await(&child.pinned, 1);
	return r;
}

static int run_bank(void *arg)
{
	char *argv[] = { "bank", NULL };

	(void)arg;
	pin_and_check(t_cpu_nth(0));
	return bank_main(1, argv);
}

static void case_bank_1000_runs_pinned(void)
{
	static char out[16384];
	int interleaved = 0;

	for (int run = 0; run < RUNS; run++) {
		int status = capture_child(run_bank, NULL, out, sizeof(out));
		char *first_child = strstr(out, "Child:"), *last_father = NULL;

		for (char *f = out; (f = strstr(f, "Father:")); f++)
			last_father = f;
		if (first_child && last_father && first_child < last_father)
			interleaved++;
		check_bank_story(out, run);
		CHECK_EXITED(status, 0);
	}
	t_note("bank: %d of %d runs had the child withdraw before the "
	       "father's last deposit", interleaved, RUNS);
	t_need_cpus(2);	/* ran, but on one CPU */
}

static const struct t_case cases[] = {
	{ case_bank_1000_runs_pinned, "bank-1000-runs-pinned" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
