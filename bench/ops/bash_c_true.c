/*
 * A shell command: fork(), the child execve()s Debian's /usr/bin/bash
 * with "-c true" (true is a builtin, so no second exec), the parent
 * waits. Measures a large dynamic program's start (libtinfo and libc
 * through ld.so), bash's initialisation (locale, signals, the
 * environment) and its exit. Files as exec_dynamic's.
 */
#include "bench_exec.h"

static int64_t run(long n)
{
	char *argv[] = { "bash", "-c", "true", NULL };

	return exec_loop(n, "/usr/bin/bash", argv);
}

int main(void)
{
	static const struct bench b = {
		.name = "bash_c_true", .unit = "ns/run", .run = run,
	};

	return bench_main(&b);
}
