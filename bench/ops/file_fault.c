/*
 * Page fault on a file mapping: the first read of each page of a shared
 * mapping of a 16 MiB tmpfs file whose pages all exist (written before
 * the clock starts), so each fault only finds the page in the page cache
 * and maps it. Only the reading is timed, not mmap or munmap. Linux maps
 * the neighbouring cached pages of a read fault too ("fault-around", 16
 * pages); Basalt does the same, so both count the same work per page.
 */
#include "bench_file.h"

#define FAULT_FILE_LEN	(16L * 1024 * 1024)

static void setup(void)
{
	bench_file_make(FAULT_FILE_LEN);
}

static int64_t run(long n)
{
	size_t len = (size_t)n * BENCH_PAGE;
	volatile char *p = mmap(NULL, len, PROT_READ, MAP_SHARED,
				bench_file_fd, 0);
	int64_t t0, t;
	char sum = 0;

	if (p == MAP_FAILED)
		bench_fail("mmap");
	t0 = bench_now_ns();
	for (long i = 0; i < n; i++)
		sum += p[i * BENCH_PAGE];
	t = bench_now_ns() - t0;
	if (sum != (char)('b' * n))
		bench_fail("file contents");
	if (munmap((void *)p, len) < 0)
		bench_fail("munmap");
	return t;
}

int main(void)
{
	static const struct bench b = {
		.name = "file_fault", .unit = "ns/page", .run = run,
		.setup = setup, .teardown = bench_file_teardown,
		.max_n = FAULT_FILE_LEN / BENCH_PAGE,
	};

	return bench_main(&b);
}
