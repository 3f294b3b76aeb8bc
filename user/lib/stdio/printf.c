/*
 * printf.c - the printf family for streams and file descriptors:
 * printf, fprintf, vprintf, vfprintf, dprintf, vdprintf.
 *
 * On an unbuffered stream (stderr) the text is gathered in a buffer on
 * the stack first, as glibc does, so one printf is one write(2) and
 * never interleaves with other writers mid-line. The stream's lock is
 * held for the whole call, so other threads' text on the same stream
 * never lands inside this one's.
 */
#include <errno.h>
#include <limits.h>
#include "stdio_impl.h"

struct file_sink {
	struct sink base;
	FILE *f;
	int failed;
};

static void file_put(struct sink *s, const char *p, size_t n)
{
	struct file_sink *fs = (struct file_sink *)s;

	if (__stdio_write(fs->f, p, n))
		fs->failed = 1;
}

int vfprintf(FILE *f, const char *fmt, va_list ap)
{
	struct file_sink fs = { { file_put }, f, 0 };
	unsigned char local[1024];
	bool locked = stdio_lock(&f->lock);
	int r;

	__stdio_setup(f);
	if (f->mode == _IONBF) {
		/* Borrow a buffer for the length of this call. */
		f->buf = local;
		f->size = sizeof(local);
		f->mode = _IOFBF;
		r = __format(&fs.base, fmt, ap);
		if (__stdio_flush(f))
			fs.failed = 1;
		f->buf = NULL;
		f->size = 0;
		f->mode = _IONBF;
	} else {
		r = __format(&fs.base, fmt, ap);
	}
	stdio_unlock(&f->lock, locked);
	return fs.failed ? -1 : r;
}

int fprintf(FILE *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int r = vfprintf(f, fmt, ap);
	va_end(ap);
	return r;
}

int vprintf(const char *fmt, va_list ap)
{
	return vfprintf(stdout, fmt, ap);
}

int printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int r = vfprintf(stdout, fmt, ap);
	va_end(ap);
	return r;
}

int vdprintf(int fd, const char *fmt, va_list ap)
{
	struct basalt_file f = { .fd = fd, .mode = _IONBF, .flags = F_WRITE,
				 .pushback = EOF };

	return vfprintf(&f, fmt, ap);
}

int dprintf(int fd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int r = vdprintf(fd, fmt, ap);
	va_end(ap);
	return r;
}
