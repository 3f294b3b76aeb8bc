/*
 * file.c - the three standard streams, the list of open streams, and
 * the write side of buffering that every output function goes through.
 *
 * stdout is line-buffered on a terminal and fully buffered otherwise
 * (decided at its first use); stderr is unbuffered; exit() flushes every
 * stream through __basalt_stdio_flush_all. Also fflush, and the streams'
 * part of fork (internal/libc.h).
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
struct basalt_lock __stdio_list_lock = BASALT_LOCK_INIT;

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

static int flush_one(FILE *f)
{
	bool locked = stdio_lock(&f->lock);
	int r = f->wpos ? __stdio_flush(f) : 0;

	stdio_unlock(&f->lock, locked);
	return r;
}

int fflush(FILE *f)
{
	int r = 0;

	if (f)
		return flush_one(f);
	/*
	 * A stream with nothing to write is passed over without taking its
	 * lock (a peek), so a thread blocked in a read, holding its input
	 * stream's lock, cannot stall exit().
	 */
	bool locked = stdio_lock(&__stdio_list_lock);
	for (f = __stdio_files; f; f = f->next)
		if (__atomic_load_n(&f->wpos, __ATOMIC_RELAXED) && flush_one(f))
			r = EOF;
	stdio_unlock(&__stdio_list_lock, locked);
	return r;
}

void __basalt_stdio_flush_all(void)
{
	fflush(NULL);
}

/*
 * Before a fork with threads, the list lock is taken so no stream is
 * being opened or closed; the child, alone, frees every lock (a stream
 * another thread was writing may hold a partial line: its buffer is as
 * that thread left it).
 */
void __basalt_stdio_fork(enum fork_phase phase)
{
	switch (phase) {
	case FORK_PREPARE:
		basalt_lock(&__stdio_list_lock);
		break;
	case FORK_PARENT:
		basalt_unlock(&__stdio_list_lock);
		break;
	case FORK_CHILD:
		for (FILE *f = __stdio_files; f; f = f->next)
			f->lock = (struct basalt_lock)BASALT_LOCK_INIT;
		__stdio_list_lock = (struct basalt_lock)BASALT_LOCK_INIT;
		break;
	}
}
