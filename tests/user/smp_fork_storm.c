/*
 * smp_fork_storm.c - fork, exit and wait from two CPUs at once, with a
 * fixed number of children and exact counts:
 *
 *   two-processes  two workers, pinned to different CPUs, each fork 8
 *                  children at a time, 15 times; every child breaks
 *                  copy-on-write on the worker's pages, counts itself
 *                  in a shared page and exits with a status of its own,
 *                  which the worker collects with wait(-1). Every
 *                  status comes back once, the shared count is exact.
 *   two-threads    one process, two threads pinned to different CPUs,
 *                  each forking and waiting for its own children
 *                  (waitpid) while it and the other thread keep
 *                  writing their own counters: the child sees its
 *                  forking thread's counter as it was at the fork.
 *
 * Both run under t_check_no_leak: on Basalt MemFree comes back exactly.
 * With one CPU the workers share it (t_cpu_nth wraps round), which
 * still forks from two processes at once, so nothing skips.
 */
#define _GNU_SOURCE
#include "t.h"
#include "threadtest.h"

#include <stdint.h>
#include <sys/wait.h>

#define BATCH		8	/* children alive at once, per worker */
#define BATCHES		15
#define HEAP_PAGES	16	/* the worker's pages each child writes */
#define THREAD_FORKS	60

static unsigned char heap[HEAP_PAGES * T_PAGE];

/* A child of worker w: COW-break every page, count, exit with a status
 * only this child has. */
static void storm_child(volatile int *count, int w, int n)
{
	for (size_t off = 0; off < sizeof(heap); off += T_PAGE) {
		if (heap[off] != (unsigned char)(w + 1))
			_exit(200);	/* the worker's page, as it was */
		heap[off] = (unsigned char)n;
	}
	th_add(count, 1);
	_exit((w * BATCH + n % BATCH) & 0x7f);
}

/* Worker w: batches of BATCH children; each status seen exactly once. */
static void storm_worker(volatile int *count, int w, int batches)
{
	t_pin(t_cpu_nth(w));
	memset(heap, w + 1, sizeof(heap));
	for (int b = 0; b < batches; b++) {
		unsigned seen = 0;

		for (int n = 0; n < BATCH; n++)
			if (t_fork() == 0)
				storm_child(count, w, b * BATCH + n);
		for (int n = 0; n < BATCH; n++) {
			int status;

			CHECK(wait(&status) > 0);
			CHECK(WIFEXITED(status));
			int code = WEXITSTATUS(status) - w * BATCH;
			CHECK(code >= 0 && code < BATCH);
			CHECK(!(seen & 1u << code));
			seen |= 1u << code;
		}
		CHECK_EQ(seen, (1u << BATCH) - 1);
		CHECK_ERR(wait(NULL), ECHILD);
		for (size_t off = 0; off < sizeof(heap); off += T_PAGE)
			CHECK_EQ(heap[off], w + 1);	/* never the child's */
	}
	_exit(0);
}

static void two_processes(int batches)
{
	volatile int *count = t_shared_ints();
	pid_t w[2];

	*count = 0;
	for (int i = 0; i < 2; i++) {
		w[i] = t_fork();
		if (w[i] == 0)
			storm_worker(count, i, batches);
	}
	for (int i = 0; i < 2; i++)
		CHECK_EXITED(t_wait(w[i]), 0);
	CHECK_EQ(*count, 2 * batches * BATCH);
	CHECK_OK(munmap((void *)count, T_PAGE));
}

static void case_two_processes(void)
{
	t_check_no_leak("fork storm from two processes", two_processes,
			BATCHES);
}

/* Each thread's counter, on a page of its own so each write is its own
 * COW break after a fork by the other thread. */
static volatile long *counters[2];
static int thread_forks;	/* forks per thread in this round */

static void *fork_thread(void *arg)
{
	int me = (int)(intptr_t)arg, forks = thread_forks;
	volatile long *mine = counters[me];

	t_pin(t_cpu_nth(me));
	for (int i = 0; i < forks; i++) {
		(*mine)++;
		pid_t pid = fork();

		if (pid == 0)
			_exit((int)(*mine & 0x7f));
		CHECK(pid > 0);
		(*mine)++;	/* after the fork: the child must not see it */
		int status;

		CHECK_EQ(waitpid(pid, &status, 0), pid);
		CHECK(WIFEXITED(status));
		CHECK_EQ(WEXITSTATUS(status), (2 * i + 1) & 0x7f);
	}
	CHECK_EQ(*mine, 2 * forks);
	return NULL;
}

static void two_threads(int rounds)
{
	pthread_t t[2];

	thread_forks = rounds;
	for (int i = 0; i < 2; i++)
		*counters[i] = 0;
	for (intptr_t i = 0; i < 2; i++)
		t[i] = th_start(fork_thread, (void *)i);
	for (int i = 0; i < 2; i++)
		th_join(t[i]);
	CHECK_EQ(*counters[0], 2 * rounds);
	CHECK_EQ(*counters[1], 2 * rounds);
}

static void case_two_threads(void)
{
	char *pages = t_map(2 * T_PAGE, PROT_READ | PROT_WRITE);

	counters[0] = (volatile long *)pages;
	counters[1] = (volatile long *)(pages + T_PAGE);
	t_check_no_leak("fork storm from two threads", two_threads,
			THREAD_FORKS);
}

static const struct t_case cases[] = {
	{ case_two_processes, "two-processes" },
	{ case_two_threads, "two-threads" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
