/* getauxval.c - a value from the auxiliary vector saved at start. */
#include <errno.h>
#include <sys/auxv.h>
#include "../internal/libc.h"

unsigned long getauxval(unsigned long type)
{
	for (unsigned long *a = __basalt_auxv; a && a[0] != AT_NULL; a += 2)
		if (a[0] == type)
			return a[1];
	errno = ENOENT;
	return 0;
}
