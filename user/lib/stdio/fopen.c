/*
 * fopen.c - opening and closing streams: fopen, fdopen, fclose, and the
 * small accessors fileno, setvbuf, setbuf, feof, ferror, clearerr.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "stdio_impl.h"

/* open(2) flags for an fopen mode ("r", "w+", "ab", "re"...), or -1. */
static int mode_flags(const char *mode)
{
	int flags;

	switch (mode[0]) {
	case 'r': flags = O_RDONLY; break;
	case 'w': flags = O_WRONLY | O_CREAT | O_TRUNC; break;
	case 'a': flags = O_WRONLY | O_CREAT | O_APPEND; break;
	default: return -1;
	}
	for (const char *m = mode + 1; *m; m++) {
		if (*m == '+')
			flags = (flags & ~O_ACCMODE) | O_RDWR;
		else if (*m == 'e')
			flags |= O_CLOEXEC;
		else if (*m == 'x')
			flags |= O_EXCL;
	}
	return flags;
}

FILE *fdopen(int fd, const char *mode)
{
	int flags = mode_flags(mode);

	if (flags < 0) {
		errno = EINVAL;
		return NULL;
	}
	FILE *f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	int acc = flags & O_ACCMODE;
	f->fd = fd;
	f->mode = MODE_UNDECIDED;
	f->pushback = EOF;
	f->flags = F_FREE_FILE | (acc != O_WRONLY ? F_READ : 0) |
		   (acc != O_RDONLY ? F_WRITE : 0);
	bool locked = stdio_lock(&__stdio_list_lock);
	f->next = __stdio_files;
	__stdio_files = f;
	stdio_unlock(&__stdio_list_lock, locked);
	return f;
}

FILE *fopen(const char *path, const char *mode)
{
	int flags = mode_flags(mode);

	if (flags < 0) {
		errno = EINVAL;
		return NULL;
	}
	int fd = open(path, flags, 0666);
	if (fd < 0)
		return NULL;
	FILE *f = fdopen(fd, mode);
	if (!f)
		close(fd);
	return f;
}

/* Off the list first (list lock before the stream's), then flushed. */
int fclose(FILE *f)
{
	bool locked = stdio_lock(&__stdio_list_lock);
	for (FILE **pp = &__stdio_files; *pp; pp = &(*pp)->next)
		if (*pp == f) {
			*pp = f->next;
			break;
		}
	stdio_unlock(&__stdio_list_lock, locked);

	int r = fflush(f);
	if (close(f->fd) < 0)
		r = EOF;
	if (f->flags & F_FREE_BUF)
		free(f->buf);
	if (f->flags & F_FREE_FILE)
		free(f);
	return r;
}

int fileno(FILE *f)
{
	return f->fd;
}

int setvbuf(FILE *f, char *buf, int mode, size_t size)
{
	if (mode != _IOFBF && mode != _IOLBF && mode != _IONBF)
		return -1;
	bool locked = stdio_lock(&f->lock);
	if (f->wpos)
		__stdio_flush(f);
	if (f->flags & F_FREE_BUF)
		free(f->buf);
	f->flags &= ~F_FREE_BUF;
	f->mode = mode;
	f->buf = mode == _IONBF ? NULL : (unsigned char *)buf;
	f->size = f->buf ? size : 0;
	f->rpos = f->rend = 0;
	stdio_unlock(&f->lock, locked);
	return 0;
}

void setbuf(FILE *f, char *buf)
{
	setvbuf(f, buf, buf ? _IOFBF : _IONBF, BUFSIZ);
}

int feof(FILE *f)
{
	return !!(f->flags & F_EOF);
}

int ferror(FILE *f)
{
	return !!(f->flags & F_ERR);
}

void clearerr(FILE *f)
{
	bool locked = stdio_lock(&f->lock);

	f->flags &= ~(F_EOF | F_ERR);
	stdio_unlock(&f->lock, locked);
}
