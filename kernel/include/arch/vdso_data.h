/*
 * The page of clock data the kernel shares, read-only, with every process
 * for its vDSO (kernel/vdso/). The kernel's clock_monotonic_ns() and the
 * vDSO's clock_gettime() convert TSC cycles with the same function, so
 * times read either way agree to the nanosecond and never go backwards.
 */
#ifndef BASALT_ARCH_VDSO_DATA_H
#define BASALT_ARCH_VDSO_DATA_H

#include <stdint.h>

struct vdso_data {
	uint64_t tsc_at_boot;		/* TSC when monotonic time was 0 */
	uint64_t tsc_khz;		/* TSC cycles per millisecond */
	uint64_t realtime_at_boot_ns;	/* wall clock at monotonic 0 */
};

static inline uint64_t vdso_cycles_to_ns(uint64_t cycles, uint64_t khz)
{
	/* cycles * 1e6 / khz, without overflowing for centuries of uptime. */
	return (cycles / khz) * 1000000 + (cycles % khz) * 1000000 / khz;
}

static inline uint64_t vdso_rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

#endif
