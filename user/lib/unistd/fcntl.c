/*
 * fcntl.c - open, openat, creat, fcntl. The mode argument is read only
 * when the flags say one was passed (O_CREAT or O_TMPFILE).
 */
#include <fcntl.h>
#include <stdarg.h>
#include "../internal/syscall.h"

int openat(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;

	if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE) {
		va_list ap;

		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return (int)__syscall_ret(sys_call4(SYS_openat, dirfd, (long)path,
					    flags, mode));
}

int open(const char *path, int flags, ...)
{
	mode_t mode = 0;

	if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE) {
		va_list ap;

		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return openat(AT_FDCWD, path, flags, mode);
}

int creat(const char *path, mode_t mode)
{
	return open(path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

int fcntl(int fd, int cmd, ...)
{
	va_list ap;

	va_start(ap, cmd);
	long arg = va_arg(ap, long);
	va_end(ap);
	return (int)__syscall_ret(sys_call3(SYS_fcntl, fd, cmd, arg));
}
