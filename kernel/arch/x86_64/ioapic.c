/*
 * The I/O APIC: device interrupts for an APIC machine. Each of its
 * redirection entries turns one input pin (a global system interrupt,
 * GSI) into a vector sent to a CPU. Basalt routes the ISA lines its
 * drivers use, each to vector IRQ_BASE + irq on CPU 0, so the rest of
 * the kernel still sees ISA IRQ numbers (idt.c counts them for
 * /proc/stat). The MADT says on which GSI an ISA line arrives and with
 * which polarity and trigger (acpi.c); every other entry stays masked.
 */
#include <types.h>
#include <lib/printk.h>
#include <mm/page.h>
#include "apic.h"

#define IOREGSEL		0x00
#define IOWIN			0x10
#define IOAPIC_VERSION		0x01	/* bits 16-23: last entry's index */
#define IOAPIC_REDIR(n)		(0x10 + 2 * (n))

#define REDIR_ACTIVE_LOW	(1U << 13)
#define REDIR_LEVEL		(1U << 15)
#define REDIR_MASKED		(1U << 16)

static unsigned int ioapic_entries[MADT_MAX_IOAPICS];
static uint32_t route_dest;		/* CPU 0's APIC ID */

static volatile uint32_t *regs(unsigned int i)
{
	return phys_to_virt(madt.ioapic[i].phys);
}

static uint32_t ioapic_read(unsigned int i, uint32_t reg)
{
	regs(i)[IOREGSEL / 4] = reg;
	return regs(i)[IOWIN / 4];
}

static void ioapic_write(unsigned int i, uint32_t reg, uint32_t v)
{
	regs(i)[IOREGSEL / 4] = reg;
	regs(i)[IOWIN / 4] = v;
}

void ioapic_init(void)
{
	route_dest = apic_id();
	for (unsigned int i = 0; i < madt.nioapics; i++) {
		mmio_map_uncached(madt.ioapic[i].phys);
		ioapic_entries[i] = ((ioapic_read(i, IOAPIC_VERSION) >> 16) &
				     0xff) + 1;
		for (unsigned int n = 0; n < ioapic_entries[i]; n++)
			ioapic_write(i, IOAPIC_REDIR(n), REDIR_MASKED);
	}
}

/*
 * The index register and the window are one pair per I/O APIC: the
 * callers are drivers' initialisation on CPU 0, one at a time (no lock).
 */
uint32_t ioapic_isa_gsi(int irq, bool *level)
{
	*level = madt.isa_level[irq];
	return madt.isa_gsi[irq];
}

void ioapic_unmask_isa(int irq)
{
	uint32_t gsi = madt.isa_gsi[irq];
	uint32_t low = (IRQ_BASE + irq) |
		       (madt.isa_active_low[irq] ? REDIR_ACTIVE_LOW : 0) |
		       (madt.isa_level[irq] ? REDIR_LEVEL : 0);

	for (unsigned int i = 0; i < madt.nioapics; i++) {
		uint32_t base = madt.ioapic[i].gsi_base;

		if (gsi < base || gsi >= base + ioapic_entries[i])
			continue;
		ioapic_write(i, IOAPIC_REDIR(gsi - base) + 1, route_dest << 24);
		ioapic_write(i, IOAPIC_REDIR(gsi - base), low);
		return;
	}
	pr_warn("ioapic: no I/O APIC has GSI %u (IRQ %d)", gsi, irq);
}
