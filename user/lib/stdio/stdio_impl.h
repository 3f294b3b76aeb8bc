/*
 * stdio_impl.h - the inside of a FILE, shared by the files of stdio/.
 *
 * A stream is a file descriptor and a buffer used in one direction at a
 * time: bytes waiting to be written are buf[0, wpos); bytes read ahead
 * and not yet consumed are buf[rpos, rend). The buffering mode is
 * _IOFBF, _IOLBF or _IONBF; MODE_UNDECIDED (stdout before its first
 * use) becomes line buffering on a terminal and full buffering
 * otherwise. Every open stream is on one list, for fflush(NULL) and
 * exit.
 *
 * Threads: each stream has a lock, held for the whole of every public
 * call, so one printf's text never mixes with another thread's; the
 * list of streams has one too. Both are taken only while other threads
 * may run (stdio_lock). Lock order: the list's, then a stream's, then
 * stdout's (an input stream flushing stdout before it reads), then the
 * allocator's. The functions below with two underscores expect the
 * caller to hold the stream's lock.
 */
#ifndef BASALT_LIB_STDIO_IMPL_H
#define BASALT_LIB_STDIO_IMPL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <basalt/lock.h>
#include "../internal/thread.h"

#define MODE_UNDECIDED	(-1)

#define F_EOF		1u	/* end of file seen */
#define F_ERR		2u	/* an I/O error happened */
#define F_READ		4u	/* opened for reading */
#define F_WRITE		8u	/* opened for writing */
#define F_FREE_BUF	16u	/* buf came from malloc */
#define F_FREE_FILE	32u	/* the FILE came from malloc (fopen) */

struct basalt_file {
	int fd;
	int mode;
	unsigned flags;
	unsigned char *buf;
	size_t size;
	size_t wpos;
	size_t rpos, rend;
	int pushback;			/* from ungetc, or EOF */
	struct basalt_lock lock;	/* guards the fields above */
	struct basalt_file *next;	/* every open stream (list lock) */
};

/* Every open stream, newest first; guarded by __stdio_list_lock. */
extern struct basalt_file *__stdio_files;
extern struct basalt_lock __stdio_list_lock;

/*
 * Takes lock l if other threads may run; returns whether it did, for
 * stdio_unlock (the answer may change before then: see malloc's
 * heap_lock).
 */
static inline bool stdio_lock(struct basalt_lock *l)
{
	if (!__basalt_threaded())
		return false;
	basalt_lock(l);
	return true;
}

static inline void stdio_unlock(struct basalt_lock *l, bool locked)
{
	if (locked)
		basalt_unlock(l);
}

/* Writes n bytes through f's buffer; returns 0, or EOF on error. */
int __stdio_write(FILE *f, const void *p, size_t n);
/* Writes out f's pending bytes; returns 0, or EOF on error. */
int __stdio_flush(FILE *f);
/* Makes sure f has a buffer and a decided mode. */
void __stdio_setup(FILE *f);

/*
 * The printf engine: formats into out, which receives the text in
 * pieces. Returns the number of characters produced, or -1 (errno
 * EOVERFLOW) if that does not fit in an int.
 */
struct sink {
	void (*put)(struct sink *s, const char *p, size_t n);
};
int __format(struct sink *out, const char *fmt, va_list ap);

#endif
