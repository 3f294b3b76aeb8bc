/*
 * The loop of the exec benchmarks: fork(), the child execve()s a program
 * that exits with 0, the parent waits for it. A child that could not
 * exec exits with execve's errno, so the parent can say why.
 */
#ifndef BENCH_EXEC_H
#define BENCH_EXEC_H

#include "bench.h"

#include <errno.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static void exec_check_status(const char *path, int status)
{
	char what[128];

	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return;
	if (WIFEXITED(status)) {
		errno = WEXITSTATUS(status);
		snprintf(what, sizeof(what), "execve %s", path);
	} else {
		errno = 0;
		snprintf(what, sizeof(what), "%s ended with status 0x%x",
			 path, status);
	}
	bench_fail(what);
}

/* n runs of path with argv and an empty environment; the time taken. */
static int64_t exec_loop(long n, const char *path, char *const argv[])
{
	char *envp[] = { NULL };
	int64_t t0 = bench_now_ns();

	for (long i = 0; i < n; i++) {
		int status;
		pid_t pid = fork();

		if (pid < 0)
			bench_fail("fork");
		if (pid == 0) {
			execve(path, argv, envp);
			_exit(errno);
		}
		if (waitpid(pid, &status, 0) != pid)
			bench_fail("waitpid");
		exec_check_status(path, status);
	}
	return bench_now_ns() - t0;
}

#endif
