/*
 * snprintf.c - the printf family into memory: snprintf, vsnprintf,
 * sprintf, vsprintf. snprintf writes at most size - 1 characters and a
 * terminating NUL (nothing when size is 0), and returns the length the
 * whole text would have had.
 */
#include <stdint.h>
#include <string.h>
#include "stdio_impl.h"

struct buf_sink {
	struct sink base;
	char *buf;
	size_t room;	/* characters that still fit, NUL excluded */
};

static void buf_put(struct sink *s, const char *p, size_t n)
{
	struct buf_sink *bs = (struct buf_sink *)s;
	size_t k = n < bs->room ? n : bs->room;

	memcpy(bs->buf, p, k);
	bs->buf += k;
	bs->room -= k;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	char dummy;
	struct buf_sink bs = { { buf_put }, size ? buf : &dummy,
			       size ? size - 1 : 0 };
	int r = __format(&bs.base, fmt, ap);

	if (size)
		*bs.buf = '\0';
	return r;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int r = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return r;
}

int vsprintf(char *buf, const char *fmt, va_list ap)
{
	return vsnprintf(buf, SIZE_MAX, fmt, ap);
}

int sprintf(char *buf, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int r = vsprintf(buf, fmt, ap);
	va_end(ap);
	return r;
}
