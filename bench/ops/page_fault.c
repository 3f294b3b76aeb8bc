/*
 * Anonymous page fault: the first write to each page of a fresh private
 * anonymous mapping, which makes the kernel find a free frame, zero it
 * and map it. Only the touching is timed, not mmap or munmap.
 *
 * Debian's Linux has transparent huge pages on ("always"): touching a
 * large aligned region would take one fault per 2 MiB and measure
 * something else. MADV_NOHUGEPAGE asks for 4 KiB pages, the same work
 * Basalt does; a kernel without huge pages accepts the hint and ignores
 * it.
 */
#include "bench.h"

#include <stddef.h>
#include <sys/mman.h>

#define PAGE 4096
#define MAX_PAGES (64L * 1024 * 1024 / PAGE)	/* 64 MiB of a 512 MiB VM */

static int64_t run(long n)
{
	size_t len = (size_t)n * PAGE;
	volatile char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int64_t t0, t;

	if (p == MAP_FAILED)
		bench_fail("mmap");
	if (madvise((void *)p, len, MADV_NOHUGEPAGE) < 0)
		bench_fail("madvise MADV_NOHUGEPAGE");
	t0 = bench_now_ns();
	for (long i = 0; i < n; i++)
		p[i * PAGE] = 1;
	t = bench_now_ns() - t0;
	if (munmap((void *)p, len) < 0)
		bench_fail("munmap");
	return t;
}

int main(void)
{
	static const struct bench b = {
		.name = "page_fault", .unit = "ns/page", .run = run,
		.max_n = MAX_PAGES,
	};

	return bench_main(&b);
}
