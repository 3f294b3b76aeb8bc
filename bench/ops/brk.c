/*
 * brk grow and shrink: move the program break up by 1 MiB and back down,
 * with the raw system call (glibc's sbrk keeps state of its own), without
 * touching the memory. It exercises growing and shrinking the heap's
 * mapping, the brk path's checks, and on shrink the unmapping of a range
 * that has no pages.
 */
#include "bench.h"

#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

#define STEP (1024 * 1024)

static unsigned long base;

static unsigned long raw_brk(unsigned long addr)
{
	return (unsigned long)syscall(SYS_brk, addr);
}

static void setup(void)
{
	base = raw_brk(0);
}

static int64_t run(long n)
{
	int64_t t0 = bench_now_ns();

	for (long i = 0; i < n; i++) {
		/* brk returns the new break, or the old one on failure. */
		if (raw_brk(base + STEP) != base + STEP) {
			errno = ENOMEM;
			bench_fail("brk grow by 1 MiB");
		}
		if (raw_brk(base) != base) {
			errno = 0;
			bench_fail("brk shrink did not return to the start");
		}
	}
	return bench_now_ns() - t0;
}

int main(void)
{
	static const struct bench b = {
		.name = "brk", .unit = "ns/op", .run = run, .setup = setup,
	};

	return bench_main(&b);
}
