/*
 * The 16550 UART on COM1 (I/O port 0x3f8): the serial console. Output is
 * polled (the transmit FIFO drains fast enough under QEMU); input raises
 * IRQ 4 and each received byte goes to the tty line discipline.
 */
#include <types.h>
#include <arch/cpu.h>
#include <arch/x86_64/desc.h>
#include <drivers/console.h>

#define COM1 0x3f8
#define REG_DATA 0
#define REG_IER 1
#define REG_FCR 2
#define REG_LCR 3
#define REG_MCR 4
#define REG_LSR 5
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20

static bool uart_present;

void uart_init(void)
{
	outb(COM1 + REG_IER, 0x00);
	outb(COM1 + REG_LCR, 0x80);	/* DLAB: set the divisor */
	outb(COM1 + REG_DATA, 0x01);	/* 115200 baud */
	outb(COM1 + REG_IER, 0x00);
	outb(COM1 + REG_LCR, 0x03);	/* 8N1 */
	outb(COM1 + REG_FCR, 0xc7);	/* FIFOs on, cleared, 14-byte level */
	outb(COM1 + REG_MCR, 0x0b);	/* DTR, RTS, OUT2 (IRQ enable) */
	uart_present = inb(COM1 + REG_LSR) != 0xff;
}

/* Called once interrupts can be taken: start receiving. */
void uart_enable_rx(void)
{
	if (!uart_present)
		return;
	outb(COM1 + REG_IER, 0x01);
	irq_unmask(4, "ttyS0");
}

void uart_putc(char c)
{
	if (!uart_present)
		return;
	while (!(inb(COM1 + REG_LSR) & LSR_THR_EMPTY))
		cpu_relax();
	outb(COM1 + REG_DATA, c);
}

void uart_irq(void)
{
	while (inb(COM1 + REG_LSR) & LSR_DATA_READY)
		tty_receive_char((char)inb(COM1 + REG_DATA));
}
