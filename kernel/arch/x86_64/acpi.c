/*
 * The CPUs and interrupt controllers, as ACPI describes them. The Root
 * System Description Pointer lies on a 16-byte boundary in the first KiB
 * of the Extended BIOS Data Area or in the BIOS area 0xe0000-0xfffff; it
 * points at the RSDT (32-bit table addresses) and, from ACPI 2.0 on, the
 * XSDT (64-bit ones, preferred). Of the tables listed there Basalt reads
 * only the MADT ("APIC"): the local APIC address, one entry per CPU
 * (enabled ones are started), the I/O APICs, and the interrupt source
 * overrides that say where an ISA IRQ really arrives (on PCs, the PIT's
 * IRQ 0 comes in on GSI 2).
 *
 * Tables are read through the direct map, so only those below 4 GiB are
 * reachable; every table's checksum must hold.
 */
#include <types.h>
#include <lib/printk.h>
#include <lib/string.h>
#include <mm/page.h>
#include "apic.h"

#define DIRECT_MAP_LIMIT	(4UL << 30)

struct rsdp {
	char signature[8];		/* "RSD PTR " */
	uint8_t checksum;		/* of the first 20 bytes */
	char oem[6];
	uint8_t revision;		/* 0: ACPI 1.0, 2: 2.0 and later */
	uint32_t rsdt;
	uint32_t length;		/* revision >= 2 from here on */
	uint64_t xsdt;
	uint8_t ext_checksum;
	uint8_t reserved[3];
} __packed;

struct sdt_header {
	char signature[4];
	uint32_t length;		/* with the header */
	uint8_t revision;
	uint8_t checksum;
	char oem[6];
	char oem_table[8];
	uint32_t oem_revision;
	uint32_t creator, creator_revision;
} __packed;

struct madt_header {
	struct sdt_header h;
	uint32_t lapic;
	uint32_t flags;
} __packed;

enum {
	MADT_LAPIC = 0, MADT_IOAPIC = 1, MADT_OVERRIDE = 2,
	MADT_LAPIC_ADDRESS = 5, MADT_X2APIC = 9,
};

#define MADT_CPU_ENABLED	1

/* Firmware tables' rule (ACPI and MP alike): the bytes sum to 0. */
bool firmware_sum_ok(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum += b[i];
	return sum == 0;
}

static const struct rsdp *rsdp_scan(uint64_t start, uint64_t len)
{
	for (uint64_t p = start; p + 20 <= start + len; p += 16) {
		const struct rsdp *r = phys_to_virt(p);

		if (!memcmp(r->signature, "RSD PTR ", 8) &&
		    firmware_sum_ok(r, 20))
			return r;
	}
	return NULL;
}

static const struct rsdp *rsdp_find(void)
{
	uint64_t ebda = (uint64_t)*(const uint16_t *)phys_to_virt(0x40e) << 4;
	const struct rsdp *r = NULL;

	if (ebda >= 0x80000 && ebda < 0xa0000)
		r = rsdp_scan(ebda, 1024);
	return r ? r : rsdp_scan(0xe0000, 0x20000);
}

/* The table at phys if it is whole, below 4 GiB and sums to zero. */
static const struct sdt_header *sdt_at(uint64_t phys)
{
	if (!phys || phys + sizeof(struct sdt_header) > DIRECT_MAP_LIMIT)
		return NULL;
	const struct sdt_header *h = phys_to_virt(phys);
	if (h->length < sizeof(*h) || phys + h->length > DIRECT_MAP_LIMIT ||
	    !firmware_sum_ok(h, h->length))
		return NULL;
	return h;
}

/* The table with this signature listed in the RSDT or XSDT. */
static const struct sdt_header *sdt_find(const struct rsdp *r,
					 const char *sig)
{
	bool x = r->revision >= 2 && r->xsdt &&
		 firmware_sum_ok(r, r->length);
	const struct sdt_header *root = sdt_at(x ? r->xsdt : r->rsdt);
	size_t width = x ? 8 : 4;

	if (!root)
		return NULL;
	size_t n = (root->length - sizeof(*root)) / width;
	const uint8_t *entries = (const uint8_t *)(root + 1);
	for (size_t i = 0; i < n; i++) {
		uint64_t phys = 0;

		memcpy(&phys, entries + i * width, width);
		const struct sdt_header *h = sdt_at(phys);
		if (h && !memcmp(h->signature, sig, 4))
			return h;
	}
	return NULL;
}

/* A CPU listed twice (as a local APIC and as an x2APIC) counts once:
 * starting it twice would reset it. */
static void add_cpu(struct madt_info *m, uint32_t apic_id, uint32_t flags)
{
	if (!(flags & MADT_CPU_ENABLED) || m->ncpus == MADT_MAX_CPUS)
		return;
	for (unsigned int i = 0; i < m->ncpus; i++)
		if (m->cpu_apic_id[i] == apic_id)
			return;
	m->cpu_apic_id[m->ncpus++] = apic_id;
}

/* Interrupt source override flags: polarity bits 0-1 (3 = active low),
 * trigger mode bits 2-3 (3 = level); 0 means the bus's default, which
 * for ISA is edge-triggered, active high. */
static void add_override(struct madt_info *m, const uint8_t *e)
{
	uint8_t irq = e[3];
	uint32_t gsi;
	uint16_t flags;

	memcpy(&gsi, e + 4, 4);
	memcpy(&flags, e + 8, 2);
	if (e[2] != 0 || irq >= 16)	/* bus 0 is ISA */
		return;
	m->isa_gsi[irq] = gsi;
	m->isa_active_low[irq] = (flags & 3) == 3;
	m->isa_level[irq] = ((flags >> 2) & 3) == 3;
}

static void madt_entry(struct madt_info *m, const uint8_t *e)
{
	uint32_t u32;
	uint64_t u64;

	switch (e[0]) {
	case MADT_LAPIC:
		memcpy(&u32, e + 4, 4);
		add_cpu(m, e[3], u32);
		break;
	case MADT_X2APIC:
		memcpy(&u64, e + 4, 8);		/* x2APIC ID, flags */
		add_cpu(m, (uint32_t)u64, (uint32_t)(u64 >> 32));
		break;
	case MADT_IOAPIC:
		if (m->nioapics == MADT_MAX_IOAPICS)
			break;
		m->ioapic[m->nioapics].id = e[2];
		memcpy(&m->ioapic[m->nioapics].phys, e + 4, 4);
		memcpy(&m->ioapic[m->nioapics].gsi_base, e + 8, 4);
		m->nioapics++;
		break;
	case MADT_OVERRIDE:
		add_override(m, e);
		break;
	case MADT_LAPIC_ADDRESS:
		memcpy(&m->lapic_phys, e + 4, 8);
		break;
	}
}

bool acpi_find_madt(struct madt_info *m)
{
	const struct rsdp *r = rsdp_find();
	const struct madt_header *madt_table;

	if (!r)
		return false;
	madt_table = (const void *)sdt_find(r, "APIC");
	if (!madt_table || madt_table->h.length < sizeof(*madt_table))
		return false;
	m->lapic_phys = madt_table->lapic;
	const uint8_t *e = (const uint8_t *)(madt_table + 1);
	const uint8_t *end = (const uint8_t *)madt_table + madt_table->h.length;
	while (e + 2 <= end && e[1] >= 2 && e + e[1] <= end) {
		madt_entry(m, e);
		e += e[1];
	}
	m->source = "ACPI";
	return m->ncpus > 0;
}
