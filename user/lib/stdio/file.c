/*
 * file.c - the three standard streams, the list of open streams, and
 * the write side of buffering that every output function goes through.
 *
 * stdout is line-buffered on a terminal and fully buffered otherwise
 * (decided at its first use); stderr is unbuffered; exit() flushes every
 * stream through __basalt_stdio_flush_all.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "stdio_impl.h"
#include "../internal/libc.h"

static unsigned char stdin_buf[BUFSIZ], stdout_buf[BUFSIZ];

static struct basalt_file std_err = {
	.fd = 2, .mode = _IONBF, .flags = F_WRITE, .pushback = EOF,
};
static struct basalt_file std_out = {
	.fd = 1, .mode = MODE_UNDECIDED, .flags = F_WRITE,
	.buf = stdout_buf, .size = sizeof(stdout_buf), .pushback = EOF,
	.next = &std_err,
};
static struct basalt_file std_in = {
	.fd = 0, .mode = _IOFBF, .flags = F_READ,
	.buf = stdin_buf, .size = sizeof(stdin_buf), .pushback = EOF,
	.next = &std_out,
};

FILE *stdin = &std_in;
FILE *stdout = &std_out;
FILE *stderr = &std_err;
struct basalt_file *__stdio_files = &std_in;

void __stdio_setup(FILE *f)
{
	if (f->mode == MODE_UNDECIDED)
		f->mode = isatty(f->fd) ? _IOLBF : _IOFBF;
	if (!f->buf && f->mode != _IONBF) {
		f->buf = malloc(BUFSIZ);
		if (f->buf) {
			f->size = BUFSIZ;
			f->flags |= F_FREE_BUF;
		} else {
			f->mode = _IONBF;
		}
	}
}

/* write(2) until everything is out; -1 on error. */
static int write_all(int fd, const unsigned char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int __stdio_flush(FILE *f)
{
	size_t n = f->wpos;

	f->wpos = 0;
	if (n && write_all(f->fd, f->buf, n) < 0) {
		f->flags |= F_ERR;
		return EOF;
	}
	return 0;
}

int __stdio_write(FILE *f, const void *p, size_t n)
{
	const unsigned char *s = p;

	__stdio_setup(f);
	if (f->rend > f->rpos)	/* drop read-ahead: now we write */
		f->rpos = f->rend = 0;
	if (f->mode == _IONBF || n >= f->size) {
		if (__stdio_flush(f) || write_all(f->fd, s, n) < 0) {
			f->flags |= F_ERR;
			return EOF;
		}
		return 0;
	}
	if (n > f->size - f->wpos && __stdio_flush(f))
		return EOF;
	memcpy(f->buf + f->wpos, s, n);
	f->wpos += n;
	if (f->wpos == f->size ||
	    (f->mode == _IOLBF && memchr(s, '\n', n)))
		return __stdio_flush(f);
	return 0;
}

int fflush(FILE *f)
{
	int r = 0;

	if (f)
		return f->wpos ? __stdio_flush(f) : 0;
	for (f = __stdio_files; f; f = f->next)
		if (f->wpos && __stdio_flush(f))
			r = EOF;
	return r;
}

void __basalt_stdio_flush_all(void)
{
	fflush(NULL);
}
