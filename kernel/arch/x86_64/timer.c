/*
 * Time. Every CPU's local APIC timer interrupts HZ times a second to
 * drive the scheduler on that CPU (timer_tick); the PIT, on CPU 0,
 * interrupts at kernel timers' deadlines (timer_irq). Without APICs
 * the PIT does both, as on one CPU before SMP. No clock counts those
 * interrupts: a tick can come late or be lost
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
#include <proc/cputime.h>
#include <time/ktimer.h>
#include "apic.h"
#include "clock.h"

#define NSEC_PER_TICK (1000000000ULL / HZ)
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
static uint64_t tsc_khz;		/* measured at boot, for /proc/cpuinfo */

uint64_t arch_tsc_khz(void)
{
	return tsc_khz;
}

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

uint64_t timer_set_realtime_base(uint64_t epoch_ns)
{
	uint64_t base = epoch_ns - clock_monotonic_ns();

	__atomic_store_n(&realtime_at_boot_ns, base, __ATOMIC_RELAXED);
	/* A CLOCK_REALTIME timer may be due sooner now. */
	timer_kick(ktimer_next_deadline());
	return base;
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

	tsc_khz = cal.khz;

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


/*
 * The PIT interrupt. The PIT counts down once (mode 0) to the next
 * kernel timer's deadline, so that alarms, POSIX timers and timerfds
 * fire when due rather than at the next tick, as Linux's
 * high-resolution timers do; each interrupt programs the next. It goes
 * to CPU 0 only. On a machine without APICs it is the tick as well: it
 * then counts down to whichever comes first, the next tick or the next
 * deadline.
 */
static struct spinlock pit_lock = SPINLOCK_INIT("pit");
static bool pit_ticks;			/* no APIC timer: the PIT ticks */
static uint64_t next_tick_ns;		/* pit_ticks only; pit_lock */
static uint64_t programmed_ns = UINT64_MAX; /* the pending interrupt; pit_lock */

/*
 * At least ~50 us ahead: a timer already due (or a periodic one with a
 * tiny interval) then costs at most 20000 interrupts a second, so no
 * user program can keep the CPU in the timer interrupt.
 */
#define PIT_MIN_COUNT	60

/* Interrupt at monotonic time at (or as soon as possible); nothing for
 * UINT64_MAX (no deadline). pit_lock. */
static void pit_program_locked(uint64_t at)
{
	uint64_t now = clock_monotonic_ns();
	uint64_t delta = at > now ? at - now : 0;
	uint64_t count = delta * PIT_FREQ / 1000000000ULL;

	spin_assert_held(&pit_lock);
	if (at == UINT64_MAX)
		return;
	count = MAX(MIN(count, 0xffffULL), (uint64_t)PIT_MIN_COUNT);
	outb(PIT_CMD, 0x30);	/* channel 0, lo/hi, interrupt on count 0 */
	outb(PIT_CH0, count & 0xff);
	outb(PIT_CH0, (count >> 8) & 0xff);
	programmed_ns = now + count * 1000000000ULL / PIT_FREQ;
}

void timer_kick(uint64_t deadline_ns)
{
	spin_lock(&pit_lock);
	if (deadline_ns < programmed_ns)
		pit_program_locked(deadline_ns);
	spin_unlock(&pit_lock);
}

/* Whether this PIT interrupt is a tick (pit_ticks), and the next one's
 * time. Also notes that the programmed interrupt came. */
static bool pit_tick_due(void)
{
	uint64_t now = clock_monotonic_ns();
	bool due;

	spin_lock(&pit_lock);
	programmed_ns = UINT64_MAX;		/* this one came */
	due = pit_ticks && now >= next_tick_ns;
	if (due) {
		next_tick_ns += NSEC_PER_TICK;
		if (next_tick_ns <= now)	/* ticks were lost: no burst */
			next_tick_ns = now + NSEC_PER_TICK;
	}
	spin_unlock(&pit_lock);
	return due;
}

/*
 * The tick of this CPU: the scheduler's time slice and sleeps, and a
 * sample of CPU time for the task it interrupted. When the scheduler
 * reports that the interrupted task has stayed in the kernel for many
 * ticks past the end of its slice while others waited, say where: a
 * loop there lacks a preemption point (docs/locking.md).
 */
void timer_tick(const struct trapframe *tf)
{
	unsigned int ticks = sched_tick();

	if (current != this_cpu()->idle)
		cputime_tick(current, trapframe_from_user(tf), NSEC_PER_TICK);
	if (ticks)
		warn_trap(tf, "%s (pid %d) kept the CPU for %u ticks in the "
			  "kernel past its time slice, others waiting",
			  current->comm, current->tid, ticks);
}

/*
 * Another CPU may arm a timer (timer_kick) between ktimer_next_deadline
 * and the reprogramming: only an earlier interrupt than the one it
 * programmed replaces it.
 */
void timer_irq(const struct trapframe *tf)
{
	bool tick = pit_tick_due();

	ktimer_run();
	uint64_t next = ktimer_next_deadline();
	spin_lock(&pit_lock);
	if (pit_ticks)
		next = MIN(next, next_tick_ns);
	if (next < programmed_ns)
		pit_program_locked(next);
	spin_unlock(&pit_lock);
	if (tick)
		timer_tick(tf);
}

void timer_init(void)
{
	uint64_t tsc0 = rdtsc();
	bool hpet = hpet_init();
	uint64_t hpet0 = hpet ? hpet_read() : 0;

	clock_choose(tsc0, hpet0, hpet);
	if (apic_present) {
		apic_timer_calibrate();
		apic_timer_start(HZ);
	}
	spin_lock(&pit_lock);
	pit_ticks = !apic_present;
	next_tick_ns = clock_monotonic_ns() + NSEC_PER_TICK;
	/* Once at least: the firmware left the PIT periodic (mode 2 or 3). */
	pit_program_locked(pit_ticks ? next_tick_ns :
			   MIN(next_tick_ns, ktimer_next_deadline()));
	spin_unlock(&pit_lock);
	irq_unmask(0, "timer");
	pr_info("timer: clock source %s, tick %d Hz from the %s", clock.name,
		HZ, apic_present ? "local APIC timer" : "PIT");
}
