/*
 * mremap growth: a 1 MiB private anonymous mapping, every page touched,
 * grown to 64 MiB with MREMAP_MAYMOVE, then unmapped. Growing in place
 * is usually impossible (the next mapping is just above), so the kernel
 * moves the area: it must move the 256 page-table entries, not copy the
 * data.
 */
#define _GNU_SOURCE
#include "bench.h"

#include <stddef.h>
#include <sys/mman.h>

#define OLD_LEN	(1024 * 1024)
#define NEW_LEN	(64L * 1024 * 1024)
#define PAGE	4096

static int64_t run(long n)
{
	int64_t t0 = bench_now_ns();

	for (long i = 0; i < n; i++) {
		char *p = mmap(NULL, OLD_LEN, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		volatile char *q;

		if (p == MAP_FAILED)
			bench_fail("mmap");
		for (long off = 0; off < OLD_LEN; off += PAGE)
			p[off] = 1;
		q = mremap(p, OLD_LEN, NEW_LEN, MREMAP_MAYMOVE);
		if (q == MAP_FAILED)
			bench_fail("mremap");
		if (q[OLD_LEN - PAGE] != 1)
			bench_fail("mremap lost the data");
		if (munmap((void *)q, NEW_LEN) < 0)
			bench_fail("munmap");
	}
	return bench_now_ns() - t0;
}

int main(void)
{
	static const struct bench b = {
		.name = "mremap_grow", .unit = "ns/op", .run = run,
	};

	return bench_main(&b);
}
