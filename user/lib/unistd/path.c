/*
 * path.c - wrappers that take path names: access, unlink, rmdir, chdir,
 * getcwd, link, symlink, readlink (through the *at calls where Linux
 * programs use them).
 */
#include <fcntl.h>
#include <unistd.h>
#include "../internal/syscall.h"

int access(const char *path, int mode)
{
	return (int)__syscall_ret(sys_call3(SYS_faccessat, AT_FDCWD,
					    (long)path, mode));
}

int unlink(const char *path)
{
	return (int)__syscall_ret(sys_call3(SYS_unlinkat, AT_FDCWD,
					    (long)path, 0));
}

int rmdir(const char *path)
{
	return (int)__syscall_ret(sys_call3(SYS_unlinkat, AT_FDCWD,
					    (long)path, AT_REMOVEDIR));
}

int chdir(const char *path)
{
	return (int)__syscall_ret(sys_call1(SYS_chdir, (long)path));
}

char *getcwd(char *buf, size_t size)
{
	long r = __syscall_ret(sys_call2(SYS_getcwd, (long)buf, (long)size));

	return r < 0 ? NULL : buf;
}

int link(const char *from, const char *to)
{
	return (int)__syscall_ret(sys_call5(SYS_linkat, AT_FDCWD, (long)from,
					    AT_FDCWD, (long)to, 0));
}

int symlink(const char *target, const char *path)
{
	return (int)__syscall_ret(sys_call3(SYS_symlinkat, (long)target,
					    AT_FDCWD, (long)path));
}

ssize_t readlink(const char *path, char *buf, size_t size)
{
	return __syscall_ret(sys_call4(SYS_readlinkat, AT_FDCWD, (long)path,
				       (long)buf, (long)size));
}
