/*
 * Starting a program: fork(), the child execve()s /bench/exit0 (a static
 * glibc program whose main returns 0), the parent waits for it. Beyond
 * fork+exit+wait it exercises the ELF loader, building the new stack,
 * throwing the old address space away, and the page faults and system
 * calls of glibc's start-up in the new program.
 */
#include "bench_exec.h"

static int64_t run(long n)
{
	char *argv[] = { "exit0", NULL };

	return exec_loop(n, "/bench/exit0", argv);
}

int main(void)
{
	static const struct bench b = {
		.name = "exec", .unit = "ns/exec", .run = run,
	};

	return bench_main(&b);
}
