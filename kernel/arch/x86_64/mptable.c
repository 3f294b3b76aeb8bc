/*
 * The MultiProcessor Specification's table (Intel, version 1.4): what
 * machines without ACPI, and the firmware of machines with it, describe
 * the CPUs and I/O APICs with. Used only when there is no MADT. Its
 * floating pointer ("_MP_") lies on a 16-byte boundary in the first KiB
 * of the EBDA, the last KiB of base memory, or 0xf0000-0xfffff; it
 * points at the configuration table ("PCMP"), a list of entries: CPUs,
 * buses, I/O APICs, and I/O interrupt assignments, from which the ISA
 * lines that do not arrive on the pin of their number (the PIT's IRQ 0
 * on pin 2) are taken. The "default configurations" (no table, feature
 * byte 1 set) of old two-CPU boards are not supported.
 */
#include <types.h>
#include <lib/printk.h>
#include <lib/string.h>
#include <mm/page.h>
#include "apic.h"

struct mp_floating {
	char signature[4];		/* "_MP_" */
	uint32_t config;		/* physical address of the table */
	uint8_t length;			/* in 16-byte units */
	uint8_t revision;
	uint8_t checksum;
	uint8_t feature[5];
} __packed;

struct mp_config {
	char signature[4];		/* "PCMP" */
	uint16_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem[8], product[12];
	uint32_t oem_table;
	uint16_t oem_table_size;
	uint16_t entries;
	uint32_t lapic;
	uint16_t ext_length;
	uint8_t ext_checksum;
	uint8_t reserved;
} __packed;

enum { MP_CPU = 0, MP_BUS = 1, MP_IOAPIC = 2, MP_IOINT = 3, MP_LINT = 4 };
#define MP_CPU_SIZE	20		/* the other entries are 8 bytes */
#define MP_ENABLED	1
#define MP_MAX_BUSES	256

static const struct mp_floating *scan(uint64_t start, uint64_t len)
{
	for (uint64_t p = start; p + 16 <= start + len; p += 16) {
		const struct mp_floating *f = phys_to_virt(p);

		if (!memcmp(f->signature, "_MP_", 4) && f->length == 1 &&
		    firmware_sum_ok(f, 16))
			return f;
	}
	return NULL;
}

static const struct mp_floating *floating_find(void)
{
	uint64_t ebda = (uint64_t)*(const uint16_t *)phys_to_virt(0x40e) << 4;
	uint64_t base_kib = *(const uint16_t *)phys_to_virt(0x413);
	const struct mp_floating *f = NULL;

	if (ebda >= 0x80000 && ebda < 0xa0000)
		f = scan(ebda, 1024);
	if (!f && base_kib >= 512 && base_kib <= 640)
		f = scan(base_kib * 1024 - 1024, 1024);
	return f ? f : scan(0xf0000, 0x10000);
}

/* An I/O interrupt entry: type, interrupt type, flags (2), source bus,
 * source IRQ, destination I/O APIC ID, its pin. Flags as the MADT's. */
static void ioint(struct madt_info *m, const uint8_t *e, const bool *isa)
{
	uint16_t flags;
	uint32_t base = 0;

	memcpy(&flags, e + 2, 2);
	if (e[1] != 0 || !isa[e[4]] || e[5] >= 16)	/* vectored ISA only */
		return;
	for (unsigned int i = 0; i < m->nioapics; i++)
		if (m->ioapic[i].id == e[6])
			base = m->ioapic[i].gsi_base;
	m->isa_gsi[e[5]] = base + e[7];
	m->isa_active_low[e[5]] = (flags & 3) == 3;
	m->isa_level[e[5]] = ((flags >> 2) & 3) == 3;
}

static void entry(struct madt_info *m, const uint8_t *e, bool *isa)
{
	uint32_t u32;

	switch (e[0]) {
	case MP_CPU:
		if ((e[3] & MP_ENABLED) && m->ncpus < MADT_MAX_CPUS)
			m->cpu_apic_id[m->ncpus++] = e[1];
		break;
	case MP_BUS:
		isa[e[1]] = !memcmp(e + 2, "ISA", 3);
		break;
	case MP_IOAPIC:
		if (!(e[3] & MP_ENABLED) || m->nioapics == MADT_MAX_IOAPICS)
			break;
		memcpy(&u32, e + 4, 4);
		m->ioapic[m->nioapics].id = e[1];
		m->ioapic[m->nioapics].phys = u32;
		/* Pins numbered on from the previous I/O APIC's 24. */
		m->ioapic[m->nioapics].gsi_base = 24 * m->nioapics;
		m->nioapics++;
		break;
	case MP_IOINT:
		ioint(m, e, isa);
		break;
	}
}

bool mptable_find(struct madt_info *m)
{
	const struct mp_floating *f = floating_find();
	static bool isa[MP_MAX_BUSES];	/* boot, CPU 0 alone */

	if (!f || !f->config || f->feature[0])
		return false;
	const struct mp_config *c = phys_to_virt(f->config);
	if (memcmp(c->signature, "PCMP", 4) || !firmware_sum_ok(c, c->length))
		return false;
	m->lapic_phys = c->lapic;
	const uint8_t *e = (const uint8_t *)(c + 1);
	const uint8_t *end = (const uint8_t *)c + c->length;
	/* Buses and I/O APICs come before the interrupts that name them. */
	for (unsigned int i = 0; i < c->entries && e < end; i++) {
		entry(m, e, isa);
		e += e[0] == MP_CPU ? MP_CPU_SIZE : 8;
	}
	m->source = "MP table";
	return m->ncpus > 0;
}
