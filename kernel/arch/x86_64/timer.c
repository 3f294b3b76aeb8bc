/*
 * Time. The PIT interrupts HZ times a second to drive the scheduler, but
 * no clock counts those interrupts: a tick can come late or be lost
 * when the host is busy. Time is read from a free-running counter, the
 * clock source, converted to nanoseconds by one multiplication:
 *
 * - the TSC, calibrated at boot against the HPET or the PIT (tsc.c).
 *   The vDSO reads it too, so user programs read the clock without a
 *   system call. Linux uses the TSC in the same virtual machine, where
 *   CPUID does not promise an invariant TSC either; that promise is
 *   only reported here.
 * - the HPET's counter (hpet.c), when the TSC's calibration runs do not
 *   agree (its rate is unstable), when no calibration run was clean, or
 *   when the kernel command line says clocksource=hpet. The vDSO then
 *   makes the system call.
 *
 * CLOCK_MONOTONIC, CLOCK_REALTIME (the RTC at boot plus monotonic time),
 * the vDSO, sleeps and timeouts (deadlines on clock_monotonic_ns(),
 * checked at each tick) all follow the one clock source.
 */
#include <types.h>
#include <arch/cpu.h>
#include <arch/trapframe.h>
#include <arch/vdso_data.h>
#include <arch/x86_64/desc.h>
#include <lib/printk.h>
#include <lib/string.h>
#include <proc/sched.h>
#include <proc/task.h>
#include "clock.h"

#define HZ 250
#define TSC_MAX_SPREAD_PPM 10000	/* runs 1% apart: the TSC rate moves */

struct clock_source {
	const char *name;
	uint64_t (*read)(void);
	uint64_t base;			/* counter at monotonic time 0 */
	uint64_t mult;			/* ns per count, times 2^32; 0 until set */
};

static struct clock_source clock;	/* set once by timer_init */
static uint64_t realtime_at_boot_ns;	/* from the RTC */
static const char *clocksource_wanted;	/* clocksource= on the command line */

static uint64_t read_tsc(void)
{
	return rdtsc();
}

uint64_t clock_monotonic_ns(void)
{
	if (!clock.mult)
		return 0;
	return vdso_cycles_to_ns(clock.read() - clock.base, clock.mult);
}

/* What the vDSO needs to read the same clocks in user mode. */
void timer_fill_vdso_data(struct vdso_data *d)
{
	d->clock_mode = clock.read == read_tsc ? VDSO_CLOCK_TSC
					       : VDSO_CLOCK_SYSCALL;
	d->tsc_at_boot = clock.base;
	d->tsc_mult = clock.mult;
	d->realtime_at_boot_ns = realtime_at_boot_ns;
}

uint64_t clock_realtime_ns(void)
{
	return realtime_at_boot_ns + clock_monotonic_ns();
}

void timer_set_realtime_base(uint64_t epoch_ns)
{
	realtime_at_boot_ns = epoch_ns - clock_monotonic_ns();
}

void timer_set_clocksource(const char *name)
{
	clocksource_wanted = name;
}

static bool wanted(const char *name)
{
	return clocksource_wanted && !strcmp(clocksource_wanted, name);
}

/*
 * The TSC unless it cannot be trusted (or clocksource=hpet) and the HPET
 * can stand in. Returns why the HPET was chosen instead, or NULL.
 */
static const char *hpet_reason(const struct tsc_calibration *cal, bool clean,
			       bool hpet)
{
	if (!hpet)
		return NULL;
	if (wanted("hpet"))
		return "clocksource=hpet";
	if (wanted("tsc") && cal->mult)
		return NULL;
	if (!clean)
		return "no clean TSC measurement";
	if (cal->spread_ppm > TSC_MAX_SPREAD_PPM)
		return "the TSC rate is unstable";
	return NULL;
}

static void clock_choose(uint64_t tsc0, uint64_t hpet0, bool hpet)
{
	struct tsc_calibration cal;
	bool clean = tsc_calibrate(&cal, hpet);
	const char *why = hpet_reason(&cal, clean, hpet);

	if (clocksource_wanted && !wanted("hpet") && !wanted("tsc"))
		pr_warn("timer: unknown clocksource=%s ignored",
			clocksource_wanted);
	if (wanted("hpet") && !hpet)
		pr_warn("timer: clocksource=hpet, but there is no HPET");
	if (!cal.mult && !why)
		panic("timer: no TSC measurement and no HPET");
	if (why)
		clock = (struct clock_source){ "hpet", hpet_read, hpet0,
			(hpet_period_fs() << 32) / 1000000 };
	else
		clock = (struct clock_source){ "tsc", read_tsc, tsc0, cal.mult };
	pr_info("timer: TSC %lu.%03lu MHz against the %s (%u of %u runs kept, "
		"spread %lu ppm), invariant: %s", (unsigned long)(cal.khz / 1000),
		(unsigned long)(cal.khz % 1000), cal.reference, cal.kept,
		cal.tries, (unsigned long)cal.spread_ppm,
		tsc_invariant() ? "yes" : "no (CPUID)");
	if (why)
		pr_warn("timer: clock source HPET: %s", why);
	else if (!clean)
		pr_warn("timer: TSC calibration disturbed, clock may drift");
}

void timer_init(void)
{
	uint64_t tsc0 = rdtsc();
	bool hpet = hpet_init();
	uint64_t hpet0 = hpet ? hpet_read() : 0;

	clock_choose(tsc0, hpet0, hpet);
	uint32_t div = PIT_FREQ / HZ;
	outb(PIT_CMD, 0x34);	/* channel 0, lo/hi, rate generator */
	outb(PIT_CH0, div & 0xff);
	outb(PIT_CH0, div >> 8);
	pic_unmask(0);
	pr_info("timer: clock source %s, tick %d Hz", clock.name, HZ);
}

/*
 * The tick. When the scheduler reports that the interrupted task has
 * stayed in the kernel for many ticks past the end of its slice while
 * others waited, say where: a loop there lacks a preemption point
 * (docs/locking.md).
 */
void timer_irq(const struct trapframe *tf)
{
	unsigned int ticks = sched_tick();

	if (ticks)
		warn_trap(tf, "%s (pid %d) kept the CPU for %u ticks in the "
			  "kernel past its time slice, others waiting",
			  current->comm, current->tid, ticks);
}
