/*
 * The scaling benchmarks: SCALE_WORKERS processes do the same fixed work
 * at once, and the time from their common start to the last one's end is
 * measured. The host runs them in a boot with one CPU and in a boot with
 * two; the speed-up is the time on one over the time on two, for the same
 * total work (scripts/bench.sh, docs/performance.md).
 *
 * The workers are forked first and each reports ready on a pipe (after
 * any setup of its own, such as forking a partner); the clock starts
 * when all are ready, and the parent then closes the "go" pipe, which
 * every worker is blocked reading: one event releases them all. Forking
 * the workers is outside the measurement; their exit and the parent's
 * waits are inside, as they are part of finishing the work.
 *
 * A worker that fails exits with a status that says what failed
 * (SCALE_FAIL_*), and the parent reports it through bench_fail().
 */
#ifndef BENCH_SCALE_H
#define BENCH_SCALE_H

#include "bench.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#define SCALE_WORKERS 2

/* Exit statuses of a worker; 0 is success. */
enum { SCALE_FAIL_SETUP = 10, SCALE_FAIL_WORK = 11 };

/*
 * The work of one worker: n units of it. Returns 0, or -1 with errno
 * set when a system call failed. Runs in the worker process.
 */
typedef int (*scale_work_fn)(long n);

/* Optional, in the worker before it reports ready (a partner, say);
 * 0 or -1. Undone by the worker's exit. */
typedef int (*scale_setup_fn)(void);

static void scale_worker(int ready_w, int go_r, long n,
			 scale_setup_fn setup, scale_work_fn work)
{
	char c = 'r';

	if (setup && setup() < 0)
		_exit(SCALE_FAIL_SETUP);
	if (write(ready_w, &c, 1) != 1)
		_exit(SCALE_FAIL_SETUP);
	close(ready_w);
	/* End of file on the go pipe is the start signal. */
	if (read(go_r, &c, 1) != 0)
		_exit(SCALE_FAIL_SETUP);
	_exit(work(n) < 0 ? SCALE_FAIL_WORK : 0);
}

static void scale_check(int status)
{
	errno = 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return;
	if (WIFEXITED(status) && WEXITSTATUS(status) == SCALE_FAIL_SETUP)
		bench_fail("a worker's setup failed");
	if (WIFEXITED(status) && WEXITSTATUS(status) == SCALE_FAIL_WORK)
		bench_fail("a worker's work failed");
	bench_fail("a worker ended abnormally");
}

/* Waits for every worker in pids (those > 0) and checks how each ended. */
static void scale_reap(const pid_t *pids, int count)
{
	for (int i = 0; i < count; i++) {
		int status;

		if (pids[i] <= 0)
			continue;
		while (waitpid(pids[i], &status, 0) < 0)
			if (errno != EINTR)
				bench_fail("waitpid");
		scale_check(status);
	}
}

/* Runs SCALE_WORKERS workers doing work(n) each; the time they took. */
static int64_t scale_run(long n, scale_setup_fn setup, scale_work_fn work)
{
	pid_t pids[SCALE_WORKERS] = { 0 };
	int ready[2], go[2];
	int64_t t0, t;
	char c;

	if (pipe(ready) < 0 || pipe(go) < 0)
		bench_fail("pipe");
	for (int i = 0; i < SCALE_WORKERS; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			bench_fail("fork");
		if (pids[i] == 0) {
			close(ready[0]);
			close(go[1]);
			scale_worker(ready[1], go[0], n, setup, work);
		}
	}
	close(ready[1]);
	close(go[0]);
	for (int i = 0; i < SCALE_WORKERS; i++)
		if (read(ready[0], &c, 1) != 1) {
			/* A worker died in its setup: say how. */
			close(go[1]);
			scale_reap(pids, SCALE_WORKERS);
			errno = 0;
			bench_fail("a worker did not report ready");
		}
	close(ready[0]);
	t0 = bench_now_ns();
	close(go[1]);
	scale_reap(pids, SCALE_WORKERS);
	t = bench_now_ns() - t0;
	return t;
}

#endif
