/*
 * Time. The PIT interrupts HZ times a second to drive the scheduler;
 * clock_monotonic_ns() reads the TSC, calibrated against the PIT once at
 * boot, for nanosecond resolution without an interrupt per nanosecond.
 */
#include <types.h>
#include <arch/cpu.h>
#include <arch/trapframe.h>
#include <arch/vdso_data.h>
#include <arch/x86_64/desc.h>
#include <lib/printk.h>
#include <proc/sched.h>
#include <proc/task.h>

#define HZ 250
#define PIT_FREQ 1193182
#define PIT_CH0 0x40
#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PIT_GATE 0x61

static uint64_t tsc_at_boot;
static uint64_t tsc_khz;		/* 0 until calibrated */
static uint64_t tsc_mult;		/* vdso_tsc_mult(tsc_khz) */
static uint64_t realtime_at_boot_ns;	/* from the RTC */

/* Busy-wait ~10 ms on PIT channel 2 and count TSC cycles meanwhile. */
static void tsc_calibrate(void)
{
	const uint32_t count = PIT_FREQ / 100;

	outb(PIT_GATE, (inb(PIT_GATE) & ~0x02) | 0x01);
	outb(PIT_CMD, 0xb0);	/* channel 2, lo/hi, mode 0 */
	outb(PIT_CH2, count & 0xff);
	outb(PIT_CH2, count >> 8);
	uint64_t start = rdtsc();
	while (!(inb(PIT_GATE) & 0x20))
		cpu_relax();
	uint64_t cycles = rdtsc() - start;
	tsc_khz = cycles / 10;
	if (tsc_khz == 0)
		tsc_khz = 1;
	tsc_mult = vdso_tsc_mult(tsc_khz);
}

uint64_t clock_monotonic_ns(void)
{
	if (!tsc_khz)
		return 0;
	return vdso_cycles_to_ns(rdtsc() - tsc_at_boot, tsc_mult);
}

/* What the vDSO needs to read the same clocks in user mode. */
void timer_fill_vdso_data(struct vdso_data *d)
{
	d->tsc_at_boot = tsc_at_boot;
	d->tsc_mult = tsc_mult;
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

void timer_init(void)
{
	tsc_at_boot = rdtsc();
	tsc_calibrate();
	uint32_t div = PIT_FREQ / HZ;
	outb(PIT_CMD, 0x34);	/* channel 0, lo/hi, rate generator */
	outb(PIT_CH0, div & 0xff);
	outb(PIT_CH0, div >> 8);
	pic_unmask(0);
	pr_info("timer: TSC %lu.%03lu MHz, tick %d Hz",
		(unsigned long)(tsc_khz / 1000), (unsigned long)(tsc_khz % 1000),
		HZ);
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
