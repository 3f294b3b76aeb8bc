/*
 * The interrupt hardware of a multiprocessor PC, private to arch/x86_64:
 * what the firmware's tables say (acpi.c, mptable.c), the local APIC of
 * each CPU (apic.c), the I/O APIC that carries device interrupts
 * (ioapic.c) and the vectors Basalt gives them.
 */
#ifndef BASALT_ARCH_X86_64_APIC_H
#define BASALT_ARCH_X86_64_APIC_H

#include <types.h>
#include <arch/smp.h>
#include "clock.h"

struct trapframe;

/* Vectors. 32-47 stay the legacy lines (ISA IRQ n on vector 32 + n,
 * through the 8259s or the I/O APIC); the local APIC's own are on top. */
#define IRQ_BASE		32
#define VECTOR_APIC_TIMER	0xf0
#define VECTOR_RESCHEDULE	0xf1
#define VECTOR_CALL_FUNCTION	0xf2
#define VECTOR_SPURIOUS		0xff

#define MADT_MAX_CPUS		64	/* found; at most MAX_CPUS started */
#define MADT_MAX_IOAPICS	4

/* What the firmware reported (ACPI MADT, else the MP table). */
struct madt_info {
	uint64_t lapic_phys;
	unsigned int ncpus;
	uint32_t cpu_apic_id[MADT_MAX_CPUS];	/* enabled CPUs */
	unsigned int nioapics;
	struct {
		uint8_t id;
		uint32_t phys;
		uint32_t gsi_base;
	} ioapic[MADT_MAX_IOAPICS];
	/* ISA IRQ n arrives on GSI isa_gsi[n], with these flags: */
	uint32_t isa_gsi[16];
	bool isa_active_low[16];
	bool isa_level[16];
	const char *source;			/* "ACPI" or "MP table" */
};

extern struct madt_info madt;

/* Fill madt from the ACPI tables (true) or leave ncpus 0 (false). */
bool acpi_find_madt(struct madt_info *m);
/* A firmware table's checksum: its len bytes sum to 0 (acpi.c). */
bool firmware_sum_ok(const void *p, size_t len);
/* The same from the MultiProcessor Specification's table. */
bool mptable_find(struct madt_info *m);

/* Set the caching of the 2 MiB direct-map page holding phys to
 * uncached, for memory-mapped registers (mmu.c). */
void mmio_map_uncached(uint64_t phys);

/* The local APIC. */
extern bool apic_present;		/* set by apic_init on CPU 0 */
void apic_init(void);			/* CPU 0: find, enable, route IRQs */
void apic_init_ap(void);		/* each AP: enable, tick */
uint32_t apic_id(void);			/* this CPU's APIC ID */
void apic_eoi(void);
/* Fixed IPI with vector to the CPU of APIC ID dest. */
void apic_send_ipi(uint32_t dest, uint8_t vector);
void apic_send_nmi(uint32_t dest);
void apic_send_init(uint32_t dest);
void apic_send_sipi(uint32_t dest, uint8_t page);
/* Measure the APIC timer against the clock, then tick HZ times a second
 * on this CPU. */
void apic_timer_calibrate(void);
void apic_timer_start(unsigned int hz);

/* The I/O APIC: ISA IRQ irq to vector IRQ_BASE + irq on CPU 0. */
void ioapic_init(void);
void ioapic_unmask_isa(int irq);
/* The I/O APIC input (GSI) an ISA line arrives on, and whether it is
 * level-triggered. */
uint32_t ioapic_isa_gsi(int irq, bool *level);
/* idt.c's counting, kept in irq_stat.c. */
void irq_line_name(int irq, const char *name);
void irq_line_inc(int irq);

/* Busy-wait (the clock must run: after timer_init). */
void udelay(uint64_t us);

/* smp.c: the handlers of the APIC's vectors and of the NMI. */
void smp_call_function_interrupt(void);
/* An NMI: true if it was smp_stop_others' (the CPU then never returns). */
bool smp_nmi(const struct trapframe *tf);
/* One call-function round to every other CPU; panics unless each ran. */
void smp_self_test(void);
/* Where smp_stop_others found CPU n: -1 if it did not stop, else 1 if
 * in user mode, 0 in the kernel (then rip and rbp start a backtrace). */
int smp_stopped_at(unsigned int n, uint64_t *rip, uint64_t *rbp);
/* cpu number -> APIC ID, filled by smp_init. */
extern uint32_t cpu_apic_ids[MAX_CPUS];

#endif
