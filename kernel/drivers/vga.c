/*
 * The VGA text screen (80x25 at physical 0xb8000): a second console, and
 * the surface the panic screen paints blue. Under -display none nobody
 * sees it, which costs nothing.
 */
#include <types.h>
#include <mm/page.h>
#include <drivers/vga.h>

#define COLS 80
#define ROWS 25

static uint16_t *const vga_mem = (uint16_t *)(DIRECT_MAP_BASE + 0xb8000);
static int row, col;
static uint8_t attr = 0x07;	/* light grey on black */

static void vga_scroll(void)
{
	for (int i = 0; i < (ROWS - 1) * COLS; i++)
		vga_mem[i] = vga_mem[i + COLS];
	for (int i = (ROWS - 1) * COLS; i < ROWS * COLS; i++)
		vga_mem[i] = (uint16_t)attr << 8 | ' ';
	row = ROWS - 1;
}

void vga_putc(char c)
{
	if (c == '\n') {
		col = 0;
		row++;
	} else if (c == '\r') {
		col = 0;
	} else if (c == '\b') {
		if (col > 0)
			col--;
	} else {
		vga_mem[row * COLS + col] = (uint16_t)attr << 8 | (uint8_t)c;
		if (++col == COLS) {
			col = 0;
			row++;
		}
	}
	if (row == ROWS)
		vga_scroll();
}

void vga_clear(uint8_t new_attr)
{
	attr = new_attr;
	for (int i = 0; i < ROWS * COLS; i++)
		vga_mem[i] = (uint16_t)attr << 8 | ' ';
	row = col = 0;
}
