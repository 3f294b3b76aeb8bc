/*
 * TSC calibration: how long a TSC cycle lasts, measured at boot against
 * a counter of known rate, the HPET's or, without one, PIT channel 2's.
 *
 * Under QEMU without KVM the virtual CPU is a host thread, which a
 * loaded host stops for milliseconds at any moment, and every read of
 * a device waits for QEMU's device lock. The single 10 ms busy-wait
 * this replaced counted such stops into its result and set the clock up
 * to 19% (in the issue; 70% in our own tries on a loaded host) slow.
 * Here each measurement pins both of its ends: it reads the reference
 * counter between two TSC reads, a few times, and keeps the tightest
 * triple. A measurement whose ends are not known to MAX_ERR_PPM is
 * thrown away; a stop between the two ends does no harm, since both
 * counters run on through it. The median of WANT good measurements is
 * kept. This is Linux's way too: tsc_read_refs() brackets its reads of
 * the HPET or PM timer by the TSC and retries until they are tight.
 */
#include <types.h>
#include <arch/cpu.h>
#include <lib/printk.h>
#include "clock.h"

#define WINDOW_NS	25000000ULL	/* one measurement: 25 ms */
#define WANT		3		/* good measurements to take the median of */
#define TRIES		9		/* measurements at most */
#define MAX_ERR_PPM	1000		/* a good one is known to 0.1% */
#define SAMPLES		5		/* reads per end, the tightest kept */

/* A counter of known rate that counts up, and wraps at mask + 1. */
struct reference {
	const char *name;
	uint64_t (*read)(void);
	uint64_t mask;
	uint64_t fs_per_count;		/* femtoseconds */
	void (*start)(void);		/* before a measurement, or NULL */
	bool (*wrapped)(void);		/* after one: was it too long? or NULL */
};

/* cycles of TSC over ref_ns nanoseconds, the ends known to within err. */
struct measurement {
	uint64_t cycles, ref_ns, err;
};

static uint64_t hpet_low(void)
{
	return hpet_read_low();
}

static const struct reference hpet_ref = {
	"HPET", hpet_low, 0xffffffff, 0, NULL, NULL	/* period at run time */
};

/*
 * PIT channel 2 counts down once from 0xffff (mode 0); its output, read
 * at port 0x61, rises at zero, after 55 ms. Read through a latch, and
 * turned around so that it counts up.
 */
static void pit_start(void)
{
	outb(PIT_GATE, (inb(PIT_GATE) & ~0x02) | 0x01);	/* gate on, speaker off */
	outb(PIT_CMD, 0xb0);			/* channel 2, lo/hi, mode 0 */
	outb(PIT_CH2, 0xff);
	outb(PIT_CH2, 0xff);
}

static uint64_t pit_read(void)
{
	outb(PIT_CMD, 0x80);			/* latch channel 2 */
	uint8_t lo = inb(PIT_CH2);
	uint8_t hi = inb(PIT_CH2);

	return 0xffff - (uint64_t)(lo | hi << 8);
}

static bool pit_wrapped(void)
{
	return inb(PIT_GATE) & 0x20;
}

static const struct reference pit_ref = {
	"PIT", pit_read, 0xffff, 1000000000000000ULL / PIT_FREQ, pit_start,
	pit_wrapped
};

/* One end: the tightest of a few (TSC, reference, TSC) triples. */
static void sample_end(const struct reference *ref, uint64_t *tsc,
		       uint64_t *count, uint64_t *width)
{
	*width = UINT64_MAX;
	for (int i = 0; i < SAMPLES; i++) {
		uint64_t a = rdtsc();
		uint64_t c = ref->read();
		uint64_t b = rdtsc();

		if (b - a < *width) {
			*width = b - a;
			*tsc = a + (b - a) / 2;
			*count = c;
		}
	}
}

/* False when the reference may have wrapped: the measurement is void. */
static bool measure(const struct reference *ref, uint64_t fs_per_count,
		    struct measurement *m)
{
	uint64_t window = WINDOW_NS * 1000000 / fs_per_count;
	uint64_t t0, t1, c0, c1, w0, w1;

	if (ref->start)
		ref->start();
	sample_end(ref, &t0, &c0, &w0);
	while (((ref->read() - c0) & ref->mask) < window)
		cpu_relax();
	sample_end(ref, &t1, &c1, &w1);
	if (ref->wrapped && ref->wrapped())
		return false;
	m->cycles = t1 - t0;
	m->ref_ns = ((c1 - c0) & ref->mask) * fs_per_count / 1000000;
	m->err = (w0 + w1) / 2;
	return m->cycles > 0;
}

/*
 * ns per cycle, times 2^32, as vdso_cycles_to_ns() wants it. A 64-bit
 * division (the kernel has no 128-bit one): ns fits in 31 bits for any
 * measurement but one stretched by a stop of seconds, which is scaled.
 */
static uint64_t mult_of(const struct measurement *m)
{
	uint64_t ns = m->ref_ns, cycles = m->cycles;

	while (ns >= (1ULL << 31)) {
		ns >>= 1;
		cycles >>= 1;
	}
	return (ns << 32) / cycles;
}

static void sort(uint64_t *v, unsigned int n)
{
	for (unsigned int i = 1; i < n; i++)
		for (unsigned int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint64_t x = v[j];
			v[j] = v[j - 1];
			v[j - 1] = x;
		}
}

/* Is m known more precisely than best (the relative error is smaller)? */
static bool tighter(const struct measurement *m, const struct measurement *best)
{
	return !best->cycles || m->err * best->cycles < best->err * m->cycles;
}

bool tsc_calibrate(struct tsc_calibration *c, bool hpet)
{
	const struct reference *ref = hpet ? &hpet_ref : &pit_ref;
	uint64_t fs = hpet ? hpet_period_fs() : ref->fs_per_count;
	uint64_t mults[WANT];
	struct measurement m, best = { 0, 0, 0 };
	unsigned int kept = 0, tries = 0;

	while (tries < TRIES && kept < WANT) {
		tries++;
		if (!measure(ref, fs, &m))
			continue;
		if (m.err * 1000000 <= m.cycles * MAX_ERR_PPM)
			mults[kept++] = mult_of(&m);
		else if (tighter(&m, &best))
			best = m;
	}
	c->tries = tries;
	c->kept = kept;
	c->reference = ref->name;
	c->spread_ppm = 0;
	if (kept) {
		sort(mults, kept);
		c->mult = mults[kept / 2];
		c->spread_ppm = (mults[kept - 1] - mults[0]) * 1000000 / c->mult;
	} else {
		c->mult = best.cycles ? mult_of(&best) : 0;
	}
	c->khz = c->mult ? (1000000ULL << 32) / c->mult : 0;
	return kept > 0;
}

bool tsc_invariant(void)
{
	uint32_t a, b, c, d;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
			 : "a"(0x80000000), "c"(0));
	if (a < 0x80000007)
		return false;
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
			 : "a"(0x80000007), "c"(0));
	return d & (1 << 8);
}
