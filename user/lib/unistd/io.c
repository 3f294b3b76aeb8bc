/*
 * io.c - file-descriptor I/O wrappers: read, write, pread, pwrite, close,
 * lseek, pipe, pipe2, dup, dup2, dup3, ftruncate, fsync. dup2 and pipe go
 * through dup3 and pipe2, as x86-64 Linux programs usually do.
 */
#include <fcntl.h>
#include <unistd.h>
#include "../internal/syscall.h"

ssize_t read(int fd, void *buf, size_t n)
{
	return __syscall_ret(sys_call3(SYS_read, fd, (long)buf, (long)n));
}

ssize_t write(int fd, const void *buf, size_t n)
{
	return __syscall_ret(sys_call3(SYS_write, fd, (long)buf, (long)n));
}

ssize_t pread(int fd, void *buf, size_t n, off_t off)
{
	return __syscall_ret(sys_call4(SYS_pread64, fd, (long)buf, (long)n,
				       off));
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	return __syscall_ret(sys_call4(SYS_pwrite64, fd, (long)buf, (long)n,
				       off));
}

int close(int fd)
{
	return (int)__syscall_ret(sys_call1(SYS_close, fd));
}

off_t lseek(int fd, off_t off, int whence)
{
	return __syscall_ret(sys_call3(SYS_lseek, fd, off, whence));
}

int pipe2(int fds[2], int flags)
{
	return (int)__syscall_ret(sys_call2(SYS_pipe2, (long)fds, flags));
}

int pipe(int fds[2])
{
	return pipe2(fds, 0);
}

int dup(int fd)
{
	return (int)__syscall_ret(sys_call1(SYS_dup, fd));
}

int dup3(int fd, int to, int flags)
{
	return (int)__syscall_ret(sys_call3(SYS_dup3, fd, to, flags));
}

int dup2(int fd, int to)
{
	/* dup3 refuses fd == to; dup2 must check fd and return it. */
	if (fd == to) {
		long r = sys_call2(SYS_fcntl, fd, F_GETFD);
		return r < 0 ? (int)__syscall_ret(r) : fd;
	}
	return dup3(fd, to, 0);
}

int ftruncate(int fd, off_t len)
{
	return (int)__syscall_ret(sys_call2(SYS_ftruncate, fd, len));
}

int fsync(int fd)
{
	return (int)__syscall_ret(sys_call1(SYS_fsync, fd));
}
