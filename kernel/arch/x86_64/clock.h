/*
 * The counters time is built from, private to arch/x86_64: the HPET's
 * main counter (hpet.c) and the TSC's calibration against it or against
 * the PIT (tsc.c). timer.c picks the clock source from these.
 */
#ifndef BASALT_ARCH_X86_64_CLOCK_H
#define BASALT_ARCH_X86_64_CLOCK_H

#include <types.h>

#define HZ 250				/* ticks a second, on every CPU */
#define PIT_FREQ 1193182		/* Hz, the PIT's input clock */
#define PIT_CH0 0x40
#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PIT_GATE 0x61			/* channel 2 gate (bit 0), output (bit 5) */

/*
 * Find the HPET and start its main counter. False when there is none
 * usable (absent, or only a 32-bit counter); the functions below are
 * then not to be called.
 */
bool hpet_init(void);
uint64_t hpet_read(void);		/* the 64-bit main counter */
uint32_t hpet_read_low(void);		/* its low half: one register read */
uint64_t hpet_period_fs(void);		/* femtoseconds per count */

/* The TSC's rate, as measured at boot by tsc_calibrate(). */
struct tsc_calibration {
	uint64_t mult;			/* ns per cycle, times 2^32 */
	uint64_t khz;			/* cycles per millisecond */
	uint64_t spread_ppm;		/* max - min of the runs kept, per million */
	unsigned int tries, kept;	/* measurements made, and kept */
	const char *reference;		/* "HPET" or "PIT" */
};

/*
 * Measure the TSC against the HPET (when hpet is true) or the PIT. False
 * when every measurement was disturbed; *c then holds the least
 * disturbed one, for want of better.
 */
bool tsc_calibrate(struct tsc_calibration *c, bool hpet);

/* CPUID says the TSC runs at a constant rate in every C- and P-state. */
bool tsc_invariant(void);

#endif
