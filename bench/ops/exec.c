/*
 * Starting a program: fork(), the child execve()s /bench/exit0 (a static
 * glibc program whose main returns 0), the parent waits for it. Beyond
 * fork+exit+wait it exercises the ELF loader, building the new stack,
 * throwing the old address space away, and the page faults and system
 * calls of glibc's start-up in the new program.
 */
#include "bench.h"

#include <errno.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#define PROGRAM "/bench/exit0"

/* A child that could not exec exits with execve's errno (exit0 itself
 * exits with 0), so the parent can say why. */
static void check_status(int status)
{
	char what[80];

	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return;
	if (WIFEXITED(status)) {
		errno = WEXITSTATUS(status);
		bench_fail("execve " PROGRAM);
	}
	snprintf(what, sizeof(what), PROGRAM " ended with status 0x%x",
		 status);
	errno = 0;
	bench_fail(what);
}

static int64_t run(long n)
{
	char *argv[] = { "exit0", NULL };
	char *envp[] = { NULL };
	int64_t t0 = bench_now_ns();

	for (long i = 0; i < n; i++) {
		int status;
		pid_t pid = fork();

		if (pid < 0)
			bench_fail("fork");
		if (pid == 0) {
			execve(PROGRAM, argv, envp);
			_exit(errno);
		}
		if (waitpid(pid, &status, 0) != pid)
			bench_fail("waitpid");
		check_status(status);
	}
	return bench_now_ns() - t0;
}

int main(void)
{
	static const struct bench b = {
		.name = "exec", .unit = "ns/exec", .run = run,
	};

	return bench_main(&b);
}
