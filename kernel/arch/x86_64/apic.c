/*
 * The local APIC: every CPU's own interrupt controller. It takes the
 * end-of-interrupt for every vector it delivered, sends and receives
 * inter-processor interrupts, and has a timer, which is each CPU's tick
 * (timer.c). In x2APIC mode (when CPUID offers it) its registers are
 * MSRs 0x800 + offset/16; otherwise (xAPIC) they are memory at the
 * address the MADT gives, reached through the direct map made uncached.
 *
 * apic_init runs on CPU 0 and decides for the machine: with an APIC and
 * an I/O APIC described by the firmware, the 8259s are masked for good
 * and device interrupts go through the I/O APIC (ioapic.c); without,
 * Basalt stays on one CPU with the 8259s and the PIT tick (pic.c,
 * timer.c), as before SMP.
 */
#include <types.h>
#include <arch/cpu.h>
#include <arch/x86_64/desc.h>
#include <lib/printk.h>
#include <lib/string.h>
#include <proc/sched.h>
#include <mm/page.h>
#include "apic.h"

#define MSR_APIC_BASE		0x1b
#define APIC_BASE_ENABLE	(1UL << 11)
#define APIC_BASE_X2APIC	(1UL << 10)

/* Register offsets (xAPIC memory; x2APIC MSR 0x800 + offset / 16). */
#define APIC_ID			0x020
#define APIC_TPR		0x080
#define APIC_EOI		0x0b0
#define APIC_SVR		0x0f0
#define APIC_ICR_LOW		0x300
#define APIC_ICR_HIGH		0x310	/* xAPIC only */
#define APIC_LVT_TIMER		0x320
#define APIC_LVT_LINT0		0x350
#define APIC_LVT_ERROR		0x370
#define APIC_TIMER_INITIAL	0x380
#define APIC_TIMER_CURRENT	0x390
#define APIC_TIMER_DIVIDE	0x3e0

#define SVR_ENABLE		(1U << 8)
#define LVT_MASKED		(1U << 16)
#define LVT_PERIODIC		(1U << 17)
#define TIMER_DIVIDE_16		0x3
#define ICR_NMI			(4U << 8)
#define ICR_INIT		(5U << 8)
#define ICR_STARTUP		(6U << 8)
#define ICR_ASSERT		(1U << 14)
#define ICR_PENDING		(1U << 12)	/* xAPIC: not yet accepted */

#define CALIBRATE_NS		10000000ULL	/* 10 ms per run */

struct madt_info madt;
bool apic_present;
static bool x2apic;
static volatile uint32_t *lapic_mmio;	/* xAPIC registers */
static uint64_t timer_hz;		/* APIC timer counts per second */

static uint32_t apic_read(unsigned int off)
{
	if (x2apic)
		return (uint32_t)rdmsr(0x800 + off / 16);
	return lapic_mmio[off / 4];
}

static void apic_write(unsigned int off, uint32_t v)
{
	if (x2apic)
		wrmsr(0x800 + off / 16, v);
	else
		lapic_mmio[off / 4] = v;
}

uint32_t apic_id(void)
{
	return x2apic ? apic_read(APIC_ID) : apic_read(APIC_ID) >> 24;
}

void apic_eoi(void)
{
	apic_write(APIC_EOI, 0);
}

/*
 * Write the interrupt command register. x2APIC: one MSR write, which is
 * not serializing, so a fence first makes the sender's earlier stores
 * (a call request, a trampoline's data) visible before the IPI lands.
 * xAPIC: destination first, then the low half sends; wait until the
 * APIC accepted it. Interrupts stay off so that no handler's IPI comes
 * between the two halves.
 */
static void apic_send(uint32_t dest, uint32_t low)
{
	uint64_t flags = read_rflags();

	irq_disable();
	__asm__ volatile("mfence" ::: "memory");
	if (x2apic) {
		wrmsr(0x800 + APIC_ICR_LOW / 16, ((uint64_t)dest << 32) | low);
	} else {
		apic_write(APIC_ICR_HIGH, dest << 24);
		apic_write(APIC_ICR_LOW, low);
		while (apic_read(APIC_ICR_LOW) & ICR_PENDING)
			cpu_relax();
	}
	if (flags & RFLAGS_IF)
		irq_enable();
}

void apic_send_ipi(uint32_t dest, uint8_t vector)
{
	apic_send(dest, vector);
}

void apic_send_nmi(uint32_t dest)
{
	apic_send(dest, ICR_NMI);
}

void apic_send_init(uint32_t dest)
{
	apic_send(dest, ICR_INIT | ICR_ASSERT);
}

void apic_send_sipi(uint32_t dest, uint8_t page)
{
	apic_send(dest, ICR_STARTUP | ICR_ASSERT | page);
}

void udelay(uint64_t us)
{
	uint64_t end = clock_monotonic_ns() + us * 1000;

	while (clock_monotonic_ns() < end)
		cpu_relax();
}

/*
 * Enable this CPU's APIC (in x2APIC mode if chosen), timer stopped.
 * x2APIC mode is entered from xAPIC mode (going there straight from
 * disabled is not a valid transition, SDM vol. 3 10.12.5).
 */
static void apic_enable(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE;

	wrmsr(MSR_APIC_BASE, base);
	if (x2apic)
		wrmsr(MSR_APIC_BASE, base | APIC_BASE_X2APIC);
	apic_write(APIC_TPR, 0);
	apic_write(APIC_LVT_TIMER, LVT_MASKED | VECTOR_APIC_TIMER);
	apic_write(APIC_LVT_LINT0, LVT_MASKED);	/* no 8259 virtual wire */
	apic_write(APIC_LVT_ERROR, LVT_MASKED);
	apic_write(APIC_SVR, SVR_ENABLE | VECTOR_SPURIOUS);
}

static void cpuid1(uint32_t *ecx, uint32_t *edx)
{
	uint32_t a = 1, b, c = 0, d;

	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	*ecx = c;
	*edx = d;
}

/* Whether the firmware described an APIC and an I/O APIC we can use. */
static bool apic_found(void)
{
	uint32_t ecx, edx;

	for (int i = 0; i < 16; i++)
		madt.isa_gsi[i] = i;
	cpuid1(&ecx, &edx);
	if (!(edx & (1U << 9))) {
		pr_warn("apic: the CPU has no local APIC");
		return false;
	}
	if (!acpi_find_madt(&madt)) {
		struct madt_info empty = { 0 };

		madt = empty;
		for (int i = 0; i < 16; i++)
			madt.isa_gsi[i] = i;
		if (!mptable_find(&madt)) {
			pr_warn("apic: no ACPI MADT and no MP table");
			return false;
		}
	}
	if (!madt.nioapics) {
		pr_warn("apic: the firmware lists no I/O APIC");
		return false;
	}
	x2apic = ecx & (1U << 21);
	return true;
}

void apic_init(void)
{
	if (!apic_found()) {
		pr_warn("apic: staying on one CPU with the 8259 PIC");
		return;
	}
	if (!x2apic) {
		mmio_map_uncached(madt.lapic_phys);
		lapic_mmio = phys_to_virt(madt.lapic_phys);
	}
	pic_mask_all();
	apic_enable();
	apic_present = true;
	ioapic_init();
	pr_info("apic: %s mode, %u CPUs and %u I/O APICs in the %s",
		x2apic ? "x2APIC" : "xAPIC", madt.ncpus, madt.nioapics,
		madt.source);
}

void apic_init_ap(void)
{
	apic_enable();
	apic_timer_start(timer_hz ? HZ : 0);
}

static uint64_t calibrate_once(void)
{
	apic_write(APIC_TIMER_INITIAL, 0xffffffff);
	uint64_t t0 = clock_monotonic_ns(), t1;
	uint32_t c0 = apic_read(APIC_TIMER_CURRENT), c1;

	do {
		t1 = clock_monotonic_ns();
	} while (t1 - t0 < CALIBRATE_NS);
	c1 = apic_read(APIC_TIMER_CURRENT);
	return (uint64_t)(c0 - c1) * 1000000000ULL / (t1 - t0);
}

/* The median of three runs: one disturbed by the host does not count. */
void apic_timer_calibrate(void)
{
	uint64_t r[3];

	apic_write(APIC_TIMER_DIVIDE, TIMER_DIVIDE_16);
	apic_write(APIC_LVT_TIMER, LVT_MASKED | VECTOR_APIC_TIMER);
	for (int i = 0; i < 3; i++)
		r[i] = calibrate_once();
	apic_write(APIC_TIMER_INITIAL, 0);
	uint64_t lo = MIN(r[0], MIN(r[1], r[2]));
	uint64_t hi = MAX(r[0], MAX(r[1], r[2]));
	timer_hz = r[0] + r[1] + r[2] - lo - hi;
	pr_info("apic: timer %lu.%03lu MHz (divided by 16)",
		(unsigned long)(timer_hz / 1000000),
		(unsigned long)(timer_hz / 1000 % 1000));
}

void apic_timer_start(unsigned int hz)
{
	if (!hz || !timer_hz)
		return;
	apic_write(APIC_TIMER_DIVIDE, TIMER_DIVIDE_16);
	apic_write(APIC_LVT_TIMER, LVT_PERIODIC | VECTOR_APIC_TIMER);
	apic_write(APIC_TIMER_INITIAL, (uint32_t)MAX(timer_hz / hz, 1ULL));
}
