/* VGA text-mode console (kernel/drivers/vga.c). */
#ifndef BASALT_DRIVERS_VGA_H
#define BASALT_DRIVERS_VGA_H

#include <types.h>

#define VGA_WHITE_ON_BLUE 0x1f

void vga_putc(char c);
void vga_clear(uint8_t attr);

#endif
