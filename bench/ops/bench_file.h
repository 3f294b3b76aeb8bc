/*
 * What the file-mapping benchmarks share: a tmpfs file of BENCH_FILE_LEN
 * bytes, written in full before any measurement (so its pages exist in
 * the page cache on both kernels), and the map/touch/unmap cycle.
 */
#ifndef BASALT_BENCH_FILE_H
#define BASALT_BENCH_FILE_H

#include "bench.h"

#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define BENCH_FILE_LEN	(1024 * 1024)
#define BENCH_PAGE	4096
#define BENCH_FILE	"/bench-file"

static int bench_file_fd = -1;

/* Creates the file and fills it with bytes (its pages then exist). */
static inline void bench_file_make(size_t len)
{
	static char chunk[64 * 1024];

	memset(chunk, 'b', sizeof(chunk));
	bench_file_fd = open(BENCH_FILE, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (bench_file_fd < 0)
		bench_fail("open " BENCH_FILE);
	for (size_t done = 0; done < len; done += sizeof(chunk))
		if (write(bench_file_fd, chunk, sizeof(chunk)) !=
		    (ssize_t)sizeof(chunk))
			bench_fail("write " BENCH_FILE);
}

static inline void bench_file_setup(void)
{
	bench_file_make(BENCH_FILE_LEN);
}

static inline void bench_file_teardown(void)
{
	close(bench_file_fd);
	unlink(BENCH_FILE);
}

/* n cycles of mmap (type: MAP_PRIVATE or MAP_SHARED), a write to every
 * page, munmap; returns the nanoseconds they took. */
static inline int64_t bench_file_map_cycles(long n, int type)
{
	int64_t t0 = bench_now_ns();

	for (long i = 0; i < n; i++) {
		volatile char *p = mmap(NULL, BENCH_FILE_LEN,
					PROT_READ | PROT_WRITE, type,
					bench_file_fd, 0);

		if (p == MAP_FAILED)
			bench_fail("mmap");
		for (long off = 0; off < BENCH_FILE_LEN; off += BENCH_PAGE)
			p[off] = 1;
		if (munmap((void *)p, BENCH_FILE_LEN) < 0)
			bench_fail("munmap");
	}
	return bench_now_ns() - t0;
}

#endif
