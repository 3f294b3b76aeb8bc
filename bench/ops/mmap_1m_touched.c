/*
 * mmap of 1 MiB of private anonymous memory, a write to each of its 256
 * pages, munmap: a mapping's whole life when it is used. Beyond mmap_1m
 * it exercises 256 page faults (frame allocation and zeroing), and
 * munmap's freeing of the frames, page-table pages and TLB entries.
 * (1 MiB is too small for a transparent huge page, so Linux uses 4 KiB
 * pages here too.)
 */
#include "bench.h"

#include <stddef.h>
#include <sys/mman.h>

#define LEN (1024 * 1024)
#define PAGE 4096

static int64_t run(long n)
{
	int64_t t0 = bench_now_ns();

	for (long i = 0; i < n; i++) {
		volatile char *p = mmap(NULL, LEN, PROT_READ | PROT_WRITE,
					MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			bench_fail("mmap");
		for (long off = 0; off < LEN; off += PAGE)
			p[off] = 1;
		if (munmap((void *)p, LEN) < 0)
			bench_fail("munmap");
	}
	return bench_now_ns() - t0;
}

int main(void)
{
	static const struct bench b = {
		.name = "mmap_1m_touched", .unit = "ns/op", .run = run,
	};

	return bench_main(&b);
}
