/*
 * fwrite.c - the unformatted output functions: fwrite, fputs, puts,
 * fputc, putc, putchar. Each is one buffered write.
 */
#include <string.h>
#include "stdio_impl.h"

size_t fwrite(const void *p, size_t size, size_t n, FILE *f)
{
	size_t total;

	if (__builtin_mul_overflow(size, n, &total) || total == 0)
		return 0;
	return __stdio_write(f, p, total) ? 0 : n;
}

int fputs(const char *s, FILE *f)
{
	return __stdio_write(f, s, strlen(s)) ? EOF : 1;
}

int puts(const char *s)
{
	if (__stdio_write(stdout, s, strlen(s)) ||
	    __stdio_write(stdout, "\n", 1))
		return EOF;
	return 1;
}

int fputc(int c, FILE *f)
{
	unsigned char ch = (unsigned char)c;

	return __stdio_write(f, &ch, 1) ? EOF : ch;
}

int putc(int c, FILE *f)
{
	return fputc(c, f);
}

int putchar(int c)
{
	return fputc(c, stdout);
}
