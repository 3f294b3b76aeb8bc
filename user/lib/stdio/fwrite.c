/*
 * fwrite.c - the unformatted output functions: fwrite, fputs, puts,
 * fputc, putc, putchar. Each is one buffered write, under the stream's
 * lock.
 */
#include <string.h>
#include "stdio_impl.h"

/* __stdio_write under f's lock: 0, or EOF on error. */
static int write_locked(FILE *f, const void *p, size_t n)
{
	bool locked = stdio_lock(&f->lock);
	int r = __stdio_write(f, p, n);

	stdio_unlock(&f->lock, locked);
	return r;
}

size_t fwrite(const void *p, size_t size, size_t n, FILE *f)
{
	size_t total;

	if (__builtin_mul_overflow(size, n, &total) || total == 0)
		return 0;
	return write_locked(f, p, total) ? 0 : n;
}

int fputs(const char *s, FILE *f)
{
	return write_locked(f, s, strlen(s)) ? EOF : 1;
}

int puts(const char *s)
{
	bool locked = stdio_lock(&stdout->lock);
	int r = __stdio_write(stdout, s, strlen(s)) ||
		__stdio_write(stdout, "\n", 1) ? EOF : 1;

	stdio_unlock(&stdout->lock, locked);
	return r;
}

int fputc(int c, FILE *f)
{
	unsigned char ch = (unsigned char)c;

	return write_locked(f, &ch, 1) ? EOF : ch;
}

int putc(int c, FILE *f)
{
	return fputc(c, f);
}

int putchar(int c)
{
	return fputc(c, stdout);
}
