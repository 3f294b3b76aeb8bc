/*
 * demos.c - the demonstrations of user/bin/ (other than list, which has
 * its own test), run in-process with their main renamed (see
 * libbasalt.mk), each in a child whose standard output is captured:
 *
 *   bank           100 runs; in each, 100 father and 50 child lines, in
 *                  some order, every balance one step from the one
 *                  before (so the lines tell a serial story), and the
 *                  final balance exactly 1000$.
 *   bank --no-lock the race shown: how often the final balance is
 *                  wrong is reported, never asserted (it depends on the
 *                  CPUs and the scheduler).
 *   prodcons       its exact output (across fork, shared memory and
 *                  semaphores).
 *   philosophers   its exact output (every meal eaten, no fork shared).
 *
 * bank and philosophers need threads, and all three need System V
 * semaphores: on a kernel without them they fail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "t.h"
#include "capture.h"
#include "bank_story.h"

int bank_main(int argc, char **argv);
int prodcons_main(void);
int philosophers_main(void);

#define BANK_RUNS	100

static int run_bank(void *arg)
{
	char *argv[] = { "bank", arg, NULL };

	return bank_main(arg ? 2 : 1, argv);
}

static void case_bank_100_runs(void)
{
	static char out[16384];
	int interleaved = 0;

	for (int run = 0; run < BANK_RUNS; run++) {
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
	       "father's last deposit", interleaved, BANK_RUNS);
}

static void case_bank_no_lock_race(void)
{
	static char out[16384];
	int wrong = 0, crashed = 0;

	for (int run = 0; run < BANK_RUNS; run++) {
		int status = capture_child(run_bank, "--no-lock", out,
					   sizeof(out));
		char *final = strstr(out, "Final balance: ");

		if (!WIFEXITED(status) || WEXITSTATUS(status) > 1 || !final)
			crashed++;
		else if (strcmp(final, "Final balance: 1000$\n") != 0)
			wrong++;
	}
	CHECK_EQ(crashed, 0);
	t_note("bank --no-lock: final balance wrong in %d of %d runs "
	       "(reported, not asserted)", wrong, BANK_RUNS);
}

static int run_prodcons(void *arg)
{
	(void)arg;
	return prodcons_main();
}

static void case_prodcons_output(void)
{
	static char out[1024];
	int status = capture_child(run_prodcons, NULL, out, sizeof(out));

	check_text(out,
		   "1000 items through a ring of 8 slots in shared memory\n"
		   "consumer: received 1000 items in order, sum 500500\n"
		   "producer: sent 1000 items, sum 500500\n"
		   "semaphores: empty 8, full 0, mutex 1\n");
	CHECK_EXITED(status, 0);
}

static int run_philosophers(void *arg)
{
	(void)arg;
	return philosophers_main();
}

static void case_philosophers_output(void)
{
	static char out[1024];
	int status = capture_child(run_philosophers, NULL, out, sizeof(out));

	check_text(out,
		   "philosopher 0 ate 100 times\n"
		   "philosopher 1 ate 100 times\n"
		   "philosopher 2 ate 100 times\n"
		   "philosopher 3 ate 100 times\n"
		   "philosopher 4 ate 100 times\n"
		   "forks held by two at once: 0\n"
		   "all 5 philosophers ate 100 times each: no deadlock\n");
	CHECK_EXITED(status, 0);
}

static const struct t_case cases[] = {
	{ case_bank_100_runs, "bank_100_runs" },
	{ case_bank_no_lock_race, "bank_no_lock_race" },
	{ case_prodcons_output, "prodcons_output" },
	{ case_philosophers_output, "philosophers_output" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
