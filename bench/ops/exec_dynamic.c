/*
 * Starting a dynamically linked program: fork(), the child execve()s
 * Debian's /usr/bin/true (coreutils, linked against libc.so.6), the
 * parent waits. On top of the static exec: loading the interpreter
 * (ld-linux-x86-64.so.2) beside it, ld.so mapping libc.so.6 from the
 * file (file-backed mmap, mprotect), relocating, and glibc's dynamic
 * start-up. The bench image carries the program, its libraries and the
 * loader at their Debian paths (bench/bench.mk, scripts/bench-dynamic.sh).
 */
#include "bench_exec.h"

static int64_t run(long n)
{
	char *argv[] = { "true", NULL };

	return exec_loop(n, "/usr/bin/true", argv);
}

int main(void)
{
	static const struct bench b = {
		.name = "exec_dynamic", .unit = "ns/exec", .run = run,
	};

	return bench_main(&b);
}
