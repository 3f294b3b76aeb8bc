/*
 * A private mapping of a 1 MiB tmpfs file, a write to each of its 256
 * pages, munmap: each write fault finds the file's page and copies it
 * (copy-on-write from the page cache), and munmap frees the copies. The
 * file is written once, before the clock starts.
 */
#include "bench_file.h"

static int64_t run(long n)
{
	return bench_file_map_cycles(n, MAP_PRIVATE);
}

int main(void)
{
	static const struct bench b = {
		.name = "file_map_private", .unit = "ns/op", .run = run,
		.setup = bench_file_setup, .teardown = bench_file_teardown,
	};

	return bench_main(&b);
}
