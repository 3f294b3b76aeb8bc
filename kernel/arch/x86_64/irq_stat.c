/*
 * Counting interrupts, per CPU, for /proc/interrupts and the "intr" line
 * of /proc/stat, in Linux's shape: the ISA lines that have a user (the
 * PIT's timer, the serial port), then one row per kind of local
 * interrupt. The counters live in each CPU's struct cpu and only that
 * CPU writes them, with interrupts off, so counting costs no atomic
 * read-modify-write and no shared cache line.
 */
#include <types.h>
#include <arch/cpu.h>
#include <arch/smp.h>
#include <lib/printk.h>
#include "apic.h"

static const char *line_names[16];	/* set once, at irq_unmask */

static const struct {
	const char *sym, *what;
} stat_rows[IRQ_STAT_NR] = {
	[IRQ_STAT_NMI] = { "NMI", "Non-maskable interrupts" },
	[IRQ_STAT_LOC] = { "LOC", "Local timer interrupts" },
	[IRQ_STAT_SPU] = { "SPU", "Spurious interrupts" },
	[IRQ_STAT_RES] = { "RES", "Rescheduling interrupts" },
	[IRQ_STAT_CAL] = { "CAL", "Function call interrupts" },
	[IRQ_STAT_TLB] = { "TLB", "TLB shootdowns" },
};

static void bump(uint64_t *counter)
{
	__atomic_store_n(counter, *counter + 1, __ATOMIC_RELAXED);
}

static uint64_t peek(const uint64_t *counter)
{
	return __atomic_load_n(counter, __ATOMIC_RELAXED);
}

void irq_stat_inc(enum irq_stat s)
{
	bump(&this_cpu()->irq_stats[s]);
}

void irq_line_inc(int irq)
{
	bump(&this_cpu()->irq_lines[irq]);
}

void irq_line_name(int irq, const char *name)
{
	line_names[irq] = name;
}

void arch_irq_counts(uint64_t out[16])
{
	for (int i = 0; i < 16; i++) {
		out[i] = 0;
		for_each_online_cpu(n)
			out[i] += peek(&cpu_area(n)->irq_lines[i]);
	}
}

uint64_t arch_irq_total(void)
{
	uint64_t lines[16], total = 0;

	arch_irq_counts(lines);
	for (int i = 0; i < 16; i++)
		total += lines[i];
	/* Not TLB: a shoot-down is served by a CAL interrupt (or by a CPU
	 * polling while it waits), so Linux leaves it out of the total. */
	for_each_online_cpu(n)
		for (int s = 0; s < IRQ_STAT_NR; s++)
			if (s != IRQ_STAT_TLB)
				total += peek(&cpu_area(n)->irq_stats[s]);
	return total;
}

/* snprintf onto the end of what buf already holds (len of it). */
#define APPEND(...)							\
	(len += snprintf(buf + MIN((size_t)len, size),			\
			 size - MIN((size_t)len, size), __VA_ARGS__))

/* How an ISA line reaches the CPUs, as Linux prints its chip, pin and
 * trigger ("IO-APIC   2-edge"). */
static void line_chip(char *buf, size_t size, int irq)
{
	bool level;
	uint32_t gsi;

	if (!apic_present) {
		snprintf(buf, size, " %8s", "XT-PIC");
		return;
	}
	gsi = ioapic_isa_gsi(irq, &level);
	snprintf(buf, size, " %8s %3u-%-8s", "IO-APIC", gsi,
		 level ? "fasteoi" : "edge");
}

int arch_interrupts(char *buf, size_t size)
{
	char chip[32];
	int len = 0;

	APPEND("%11s", "");
	for_each_online_cpu(n)
		APPEND("CPU%-8u", n);
	APPEND("\n");
	for (int irq = 0; irq < 16; irq++) {
		if (!line_names[irq])
			continue;
		APPEND("%3d: ", irq);
		for_each_online_cpu(n)
			APPEND("%10lu ",
			       (unsigned long)peek(&cpu_area(n)->irq_lines[irq]));
		line_chip(chip, sizeof(chip), irq);
		APPEND("%s  %s\n", chip, line_names[irq]);
	}
	for (int s = 0; s < IRQ_STAT_NR; s++) {
		APPEND("%3s: ", stat_rows[s].sym);
		for_each_online_cpu(n)
			APPEND("%10lu ",
			       (unsigned long)peek(&cpu_area(n)->irq_stats[s]));
		APPEND("  %s\n", stat_rows[s].what);
	}
	/* Linux's ERR and MIS rows are left out: nothing counts them. */
	return len;
}
