/*
 * The HPET (High Precision Event Timer): a free-running counter of known
 * period, read through memory-mapped registers. Basalt uses only its
 * main counter, as the reference the TSC is calibrated against and as
 * the clock source when the TSC cannot be trusted (timer.c); its
 * comparators stay off (the local APIC timers tick, the PIT serves
 * kernel timers).
 *
 * Of the ACPI tables Basalt reads only the MADT, so the HPET is looked
 * for where PC chipsets, and QEMU's pc and q35 machines, put it:
 * 0xfed00000, reached through the direct map (which covers the first
 * 4 GiB; its page is uncached once the I/O APIC's is). What answers
 * there must describe itself as an HPET (a non-zero revision, a period
 * within the specification's 100 ns) and its counter must move.
 */
#include <types.h>
#include <arch/cpu.h>
#include <lib/printk.h>
#include <mm/page.h>
#include "clock.h"

#define HPET_PHYS	0xfed00000UL
#define HPET_CAP_ID	0x000		/* capabilities (low) and period (high) */
#define HPET_PERIOD	0x004
#define HPET_CONFIG	0x010
#define HPET_COUNTER	0x0f0		/* main counter, low half */
#define HPET_COUNTER_HI	0x0f4

#define CAP_REV_MASK	0xff
#define CAP_COUNT_64	(1U << 13)
#define CONFIG_ENABLE	(1U << 0)	/* the main counter runs */
#define PERIOD_MAX_FS	100000000U	/* 100 ns, the specification's bound */

static volatile uint32_t *hpet_regs;	/* set once by hpet_init */
static uint64_t period_fs;

static uint32_t reg_read(unsigned int off)
{
	return hpet_regs[off / 4];
}

static void reg_write(unsigned int off, uint32_t v)
{
	hpet_regs[off / 4] = v;
}

bool hpet_init(void)
{
	hpet_regs = phys_to_virt(HPET_PHYS);
	uint32_t cap = reg_read(HPET_CAP_ID);
	uint32_t period = reg_read(HPET_PERIOD);

	if (cap == 0xffffffff || (cap & CAP_REV_MASK) == 0 || period == 0 ||
	    period > PERIOD_MAX_FS)
		return false;
	/* A 32-bit counter wraps in seconds: not worth the care it needs. */
	if (!(cap & CAP_COUNT_64))
		return false;
	period_fs = period;
	reg_write(HPET_CONFIG, reg_read(HPET_CONFIG) | CONFIG_ENABLE);
	uint32_t first = hpet_read_low();
	for (int i = 0; i < 1000 && hpet_read_low() == first; i++)
		cpu_relax();
	if (hpet_read_low() == first) {
		pr_warn("hpet: the counter at 0x%lx does not move",
			(unsigned long)HPET_PHYS);
		return false;
	}
	return true;
}

uint32_t hpet_read_low(void)
{
	return reg_read(HPET_COUNTER);
}

/* Two 32-bit halves: read high, low, high again until high held still. */
uint64_t hpet_read(void)
{
	uint32_t hi, lo;

	do {
		hi = reg_read(HPET_COUNTER_HI);
		lo = reg_read(HPET_COUNTER);
	} while (hi != reg_read(HPET_COUNTER_HI));
	return ((uint64_t)hi << 32) | lo;
}

uint64_t hpet_period_fs(void)
{
	return period_fs;
}
