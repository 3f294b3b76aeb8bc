/* syscall.c - syscall(nr, ...): any system call, by number. */
#include <stdarg.h>
#include <unistd.h>
#include "../internal/syscall.h"

long syscall(long nr, ...)
{
	va_list ap;
	long a[6];

	va_start(ap, nr);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	return __syscall_ret(sys_call6(nr, a[0], a[1], a[2], a[3], a[4],
				       a[5]));
}
