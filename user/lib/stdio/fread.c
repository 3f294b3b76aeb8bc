/*
 * fread.c - the input functions: fgetc, getc, getchar, ungetc, fgets,
 * fread. Input is read ahead into the buffer; before a stream has to
 * wait for input, a line-buffered stdout is flushed, so a prompt shows
 * before the program waits for the answer. Each call holds the stream's
 * lock throughout (and stdout's while flushing it).
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
	if (f != stdout) {
		bool locked = stdio_lock(&stdout->lock);

		if (stdout->mode == _IOLBF && stdout->wpos)
			__stdio_flush(stdout);
		stdio_unlock(&stdout->lock, locked);
	}
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

/* fgetc for a caller that holds f's lock. */
static int getc_unlocked(FILE *f)
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

int fgetc(FILE *f)
{
	bool locked = stdio_lock(&f->lock);
	int c = getc_unlocked(f);

	stdio_unlock(&f->lock, locked);
	return c;
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
	bool locked = stdio_lock(&f->lock);
	int r = EOF;

	if (c != EOF && f->pushback == EOF) {
		f->pushback = (unsigned char)c;
		f->flags &= ~F_EOF;
		r = (unsigned char)c;
	}
	stdio_unlock(&f->lock, locked);
	return r;
}

char *fgets(char *buf, int size, FILE *f)
{
	int n = 0;

	if (size <= 0)
		return NULL;
	bool locked = stdio_lock(&f->lock);
	while (n < size - 1) {
		int c = getc_unlocked(f);

		if (c == EOF)
			break;
		buf[n++] = (char)c;
		if (c == '\n')
			break;
	}
	stdio_unlock(&f->lock, locked);
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
	bool locked = stdio_lock(&f->lock);
	while (got < total) {
		int c = getc_unlocked(f);

		if (c == EOF)
			break;
		d[got++] = (unsigned char)c;
	}
	stdio_unlock(&f->lock, locked);
	return got / size;
}
