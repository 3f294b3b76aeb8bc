/*
 * The system console: output goes to the serial port (and the VGA text
 * screen when present); input arrives from the serial receive interrupt
 * and is handed to the tty line discipline (kernel/drivers/tty.c).
 */
#ifndef BASALT_DRIVERS_CONSOLE_H
#define BASALT_DRIVERS_CONSOLE_H

#include <types.h>

void console_write(const char *buf, size_t n);	/* raw, no translation */

/* Serial port (kernel/drivers/uart16550.c). */
void uart_init(void);
void uart_putc(char c);
/* Called by the UART interrupt for every received byte. */
void tty_receive_char(char c);

#endif
