/*
 * The legacy 8259 interrupt controllers, remapped to vectors 32-47 with
 * every line masked until a driver unmasks it. On a machine with APICs
 * (apic.c) they are then masked for good: the I/O APIC carries device
 * interrupts instead, and the remapping only keeps a spurious 8259
 * interrupt off the exception vectors.
 */
#include <types.h>
#include <arch/cpu.h>
#include <arch/x86_64/desc.h>

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xa0
#define PIC2_DATA 0xa1

static uint16_t pic_mask = 0xfffb;	/* all masked but the cascade line */

static void pic_write_mask(void)
{
	outb(PIC1_DATA, pic_mask & 0xff);
	outb(PIC2_DATA, pic_mask >> 8);
}

void pic_init(void)
{
	outb(PIC1_CMD, 0x11);	/* ICW1: init, expect ICW4 */
	outb(PIC2_CMD, 0x11);
	outb(PIC1_DATA, 32);	/* ICW2: vector offsets */
	outb(PIC2_DATA, 40);
	outb(PIC1_DATA, 4);	/* ICW3: slave on line 2 */
	outb(PIC2_DATA, 2);
	outb(PIC1_DATA, 1);	/* ICW4: 8086 mode */
	outb(PIC2_DATA, 1);
	pic_write_mask();
}

void pic_unmask(int irq)
{
	pic_mask &= ~(1 << irq);
	pic_write_mask();
}

void pic_eoi(int irq)
{
	if (irq >= 8)
		outb(PIC2_CMD, 0x20);
	outb(PIC1_CMD, 0x20);
}

void pic_mask_all(void)
{
	pic_mask = 0xffff;
	pic_write_mask();
}
