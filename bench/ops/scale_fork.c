/*
 * Scaling, process creation: two processes each fork children that _exit
 * at once and wait for them, one after another (the fork benchmark's
 * loop). The two share nothing but the kernel: its frame allocator, its
 * process table, its scheduler.
 */
#include "bench_scale.h"

#define FORKS	128	/* per worker, per repetition */

static int work(long n)
{
	for (long i = 0; i < n; i++) {
		int status;
		pid_t pid = fork();

		if (pid < 0)
			return -1;
		if (pid == 0)
			_exit(0);
		if (waitpid(pid, &status, 0) != pid)
			return -1;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			return -1;
	}
	return 0;
}

static int64_t run(long n)
{
	return scale_run(n, NULL, work);
}

int main(void)
{
	static const struct bench b = {
		.name = "scale_fork", .unit = "ns/fork", .run = run,
		.fixed_n = FORKS, .per_n = SCALE_WORKERS,
	};

	return bench_main(&b);
}
