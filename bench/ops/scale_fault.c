/*
 * Scaling, anonymous page faults: two processes each map 1 MiB of fresh
 * private anonymous memory, write to each of its 256 pages, unmap it, and
 * again. Each has its own address space, so what they share is the
 * kernel's frame allocator and whatever locks the fault path takes. As
 * in page_fault, MADV_NOHUGEPAGE keeps Linux to 4 KiB pages.
 */
#include "bench_scale.h"

#include <stddef.h>
#include <sys/mman.h>

#define PAGE		4096
#define CHUNK_PAGES	256
#define PAGES		8192	/* per worker, per repetition: 32 MiB */

static int fault_chunk(long pages)
{
	size_t len = (size_t)pages * PAGE;
	volatile char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return -1;
	if (madvise((void *)p, len, MADV_NOHUGEPAGE) < 0)
		return -1;
	for (long i = 0; i < pages; i++)
		p[i * PAGE] = 1;
	return munmap((void *)p, len);
}

static int work(long n)
{
	for (long done = 0; done < n; done += CHUNK_PAGES)
		if (fault_chunk(n - done < CHUNK_PAGES ? n - done
						       : CHUNK_PAGES) < 0)
			return -1;
	return 0;
}

static int64_t run(long n)
{
	return scale_run(n, NULL, work);
}

int main(void)
{
	static const struct bench b = {
		.name = "scale_fault", .unit = "ns/page", .run = run,
		.fixed_n = PAGES, .per_n = SCALE_WORKERS,
	};

	return bench_main(&b);
}
