/*
 * The page of clock data the kernel shares, read-only, with every process
 * for its vDSO (kernel/vdso/). The kernel's clock_monotonic_ns() and the
 * vDSO's clock_gettime() convert TSC cycles with the same function, so
 * times read either way agree to the nanosecond and never go backwards.
 */
#ifndef BASALT_ARCH_VDSO_DATA_H
#define BASALT_ARCH_VDSO_DATA_H

#include <stdint.h>

/* How the vDSO reads the clock: the TSC itself, or by system call
 * (the kernel's clock source is one user mode cannot read, the HPET). */
#define VDSO_CLOCK_TSC		0
#define VDSO_CLOCK_SYSCALL	1

/* How the vDSO's getcpu learns the CPU: MSR_TSC_AUX, which the kernel
 * sets on every CPU, read by RDPID or by RDTSCP, or by system call. */
#define VDSO_GETCPU_RDPID	0
#define VDSO_GETCPU_RDTSCP	1
#define VDSO_GETCPU_SYSCALL	2

struct vdso_data {
	uint64_t clock_mode;		/* VDSO_CLOCK_* */
	uint64_t tsc_at_boot;		/* TSC when monotonic time was 0 */
	uint64_t tsc_mult;		/* ns per cycle, times 2^32 */
	uint64_t realtime_at_boot_ns;	/* wall clock at monotonic 0 */
	uint64_t getcpu_mode;		/* VDSO_GETCPU_* */
};

/* ns per TSC cycle in 32.32 fixed point, for a TSC of khz cycles/ms. */
static inline uint64_t vdso_tsc_mult(uint64_t khz)
{
	return (1000000ULL << 32) / khz;
}

/*
 * cycles * mult >> 32, Linux's mult/shift conversion: one 64x64->128-bit
 * multiplication and no division (a division by a variable is the
 * costliest arithmetic instruction, under QEMU's TCG especially). The
 * 128-bit product cannot overflow; the result lasts centuries of uptime.
 */
static inline uint64_t vdso_cycles_to_ns(uint64_t cycles, uint64_t mult)
{
	return (uint64_t)(((unsigned __int128)cycles * mult) >> 32);
}

static inline uint64_t vdso_rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

#endif
