/*
 * The IDT and the first C code every trap reaches. Vectors 0-31 are CPU
 * exceptions, 32-47 the ISA IRQ lines (through the 8259s or the I/O
 * APIC), 0xf0 and up the local APIC's own (apic.h); the rest are unused.
 * One IDT serves every CPU.
 */
#include <types.h>
#include <arch/cpu.h>
#include <arch/trapframe.h>
#include <arch/x86_64/desc.h>
#include <drivers/console.h>
#include <lib/printk.h>
#include "apic.h"
#include <sync/lockdep.h>

#define IRQ_TIMER 0
#define IRQ_COM1 4

struct idt_gate {
	uint16_t off_lo;
	uint16_t sel;
	uint8_t ist;
	uint8_t type;
	uint16_t off_mid;
	uint32_t off_hi;
	uint32_t zero;
} __packed;

static struct idt_gate idt[256] __attribute__((aligned(16)));
extern char trap_vectors[];
void uart_irq(void);

static void idt_set(int v, uint8_t type, uint8_t ist)
{
	uint64_t addr = (uint64_t)trap_vectors + v * 16;

	idt[v] = (struct idt_gate){
		.off_lo = addr & 0xffff,
		.sel = KERNEL_CS,
		.ist = ist,
		.type = type,
		.off_mid = (addr >> 16) & 0xffff,
		.off_hi = addr >> 32,
	};
}

void idt_load(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __packed ptr = { sizeof(idt) - 1, (uint64_t)idt };

	__asm__ volatile("lidt %0" :: "m"(ptr));
}

/*
 * The NMI gets its own stack too: it comes even with interrupts off, so
 * also in syscall_entry before the switch to the kernel stack.
 */
void idt_init(void)
{
	for (int v = 0; v < 256; v++)
		idt_set(v, 0x8e, 0);	/* interrupt gate, DPL 0 */
	idt_set(2, 0x8e, 2);		/* NMI on its own stack */
	idt_set(3, 0xee, 0);		/* int3 allowed from user mode */
	idt_set(8, 0x8e, 1);		/* double fault on its own stack */
	idt_load();
}

void irq_unmask(int irq, const char *name)
{
	irq_line_name(irq, name);
	if (apic_present)
		ioapic_unmask_isa(irq);
	else
		pic_unmask(irq);
}

static void irq_eoi(int irq)
{
	if (apic_present)
		apic_eoi();
	else
		pic_eoi(irq);
}

static void irq_dispatch(int irq, const struct trapframe *tf)
{
	irq_line_inc(irq);
	switch (irq) {
	case IRQ_TIMER:
		irq_eoi(irq);		/* before: the tick may switch tasks */
		timer_irq(tf);
		return;
	case IRQ_COM1:
		uart_irq();
		break;
	}
	irq_eoi(irq);
}

/* The local APIC's vectors. The spurious one takes no EOI. */
static void apic_dispatch(const struct trapframe *tf)
{
	switch (tf->vector) {
	case VECTOR_APIC_TIMER:
		irq_stat_inc(IRQ_STAT_LOC);
		apic_eoi();		/* before: the tick may switch tasks */
		timer_tick(tf);
		return;
	case VECTOR_RESCHEDULE:		/* the way back out looks again */
		irq_stat_inc(IRQ_STAT_RES);
		apic_eoi();
		return;
	case VECTOR_CALL_FUNCTION:
		irq_stat_inc(IRQ_STAT_CAL);
		apic_eoi();
		smp_call_function_interrupt();
		return;
	case VECTOR_SPURIOUS:
		irq_stat_inc(IRQ_STAT_SPU);
		return;
	}
}

/*
 * Any interrupt (vector 32 and up). It runs on the task it came in over;
 * for lockdep its locks start afresh above that task's (docs/locking.md).
 */
static void interrupt_dispatch(struct trapframe *tf)
{
	unsigned int dep = lockdep_on ? lockdep_irq_enter() : 0;

	if (tf->vector < IRQ_BASE + 16)
		irq_dispatch(tf->vector - IRQ_BASE, tf);
	else if (tf->vector >= VECTOR_APIC_TIMER)
		apic_dispatch(tf);
	if (lockdep_on)
		lockdep_irq_exit(dep);
}

/* Called from trap_common with the frame of the interrupted context. */
void trap_dispatch(struct trapframe *tf)
{
	user_access_assert_closed("trap entry");
	if (tf->vector == 2)
		irq_stat_inc(IRQ_STAT_NMI);
	if (tf->vector == 2 && smp_nmi(tf))
		return;
	if (tf->vector == 14)
		handle_page_fault(tf);
	else if (tf->vector < 32)
		handle_exception(tf);
	else
		interrupt_dispatch(tf);
}
