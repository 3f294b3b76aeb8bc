/*
 * fread.c - the input functions: fgetc, getc, getchar, ungetc, fgets,
 * fread. Input is read ahead into the buffer; before a stream has to
 * wait for input, a line-buffered stdout is flushed, so a prompt shows
 * before the program waits for the answer.
 */
#include <errno.h>
#include <unistd.h>
#include "stdio_impl.h"

/* Reads more input into f's buffer; returns 0, or EOF at end or error. */
static int refill(FILE *f)
{
	__stdio_setup(f);
	if (f->wpos)
		__stdio_flush(f);
	if (stdout->mode == _IOLBF && stdout->wpos)
		__stdio_flush(stdout);
	if (!f->buf)
		return EOF;
	for (;;) {
		ssize_t n = read(f->fd, f->buf, f->size);

		if (n < 0 && errno == EINTR)
			continue;
		f->rpos = 0;
		f->rend = n > 0 ? (size_t)n : 0;
		if (n > 0)
			return 0;
		f->flags |= n == 0 ? F_EOF : F_ERR;
		return EOF;
	}
}

int fgetc(FILE *f)
{
	if (f->pushback != EOF) {
		int c = f->pushback;

		f->pushback = EOF;
		return c;
	}
	if (f->rpos == f->rend && refill(f))
		return EOF;
	return f->buf[f->rpos++];
}

int getc(FILE *f)
{
	return fgetc(f);
}

int getchar(void)
{
	return fgetc(stdin);
}

int ungetc(int c, FILE *f)
{
	if (c == EOF || f->pushback != EOF)
		return EOF;
	f->pushback = (unsigned char)c;
	f->flags &= ~F_EOF;
	return (unsigned char)c;
}

char *fgets(char *buf, int size, FILE *f)
{
	int n = 0;

	if (size <= 0)
		return NULL;
	while (n < size - 1) {
		int c = fgetc(f);

		if (c == EOF)
			break;
		buf[n++] = (char)c;
		if (c == '\n')
			break;
	}
	if (n == 0)
		return NULL;
	buf[n] = '\0';
	return buf;
}

size_t fread(void *p, size_t size, size_t n, FILE *f)
{
	unsigned char *d = p;
	size_t total, got = 0;

	if (__builtin_mul_overflow(size, n, &total) || total == 0)
		return 0;
	while (got < total) {
		int c = fgetc(f);

		if (c == EOF)
			break;
		d[got++] = (unsigned char)c;
	}
	return got / size;
}
