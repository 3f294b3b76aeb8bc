/*
 * mmap and munmap of 1 MiB of private anonymous memory, never touched:
 * the cost of creating and removing a mapping (finding a free range,
 * the VMA structures) with no page-table or frame work.
 */
#include "bench.h"

#include <stddef.h>
#include <sys/mman.h>

#define LEN (1024 * 1024)

static int64_t run(long n)
{
	int64_t t0 = bench_now_ns();

	for (long i = 0; i < n; i++) {
		void *p = mmap(NULL, LEN, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			bench_fail("mmap");
		if (munmap(p, LEN) < 0)
			bench_fail("munmap");
	}
	return bench_now_ns() - t0;
}

int main(void)
{
	static const struct bench b = {
		.name = "mmap_1m", .unit = "ns/op", .run = run,
	};

	return bench_main(&b);
}
