/*
 * Process creation and teardown: fork() (glibc's, a clone system call),
 * the child _exit()s at once, the parent waits for it. It exercises
 * copying the address space (copy-on-write), the file table and the
 * task, one page fault or so in each process, exit and wait.
 */
#include "bench.h"

#include <errno.h>
#include <sys/wait.h>
#include <unistd.h>

static int64_t run(long n)
{
	int64_t t0 = bench_now_ns();

	for (long i = 0; i < n; i++) {
		int status;
		pid_t pid = fork();

		if (pid < 0)
			bench_fail("fork");
		if (pid == 0)
			_exit(0);
		if (waitpid(pid, &status, 0) != pid)
			bench_fail("waitpid");
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			errno = 0;
			bench_fail("child did not exit with status 0");
		}
	}
	return bench_now_ns() - t0;
}

int main(void)
{
	static const struct bench b = {
		.name = "fork", .unit = "ns/fork", .run = run,
	};

	return bench_main(&b);
}
