/*
 * The console fan-out: every byte written to the console goes to the
 * serial port and the VGA screen.
 */
#include <drivers/console.h>
#include <drivers/vga.h>

void console_write(const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uart_putc(buf[i]);
		vga_putc(buf[i]);
	}
}
