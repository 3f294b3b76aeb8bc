/* sysconf.c - sysconf (the few names programs ask for) and getpagesize. */
#include <errno.h>
#include <sys/auxv.h>
#include <unistd.h>

long sysconf(int name)
{
	switch (name) {
	case _SC_PAGESIZE: return getpagesize();
	case _SC_CLK_TCK: return 100;
	case _SC_OPEN_MAX: return 1024;
	default:
		errno = EINVAL;
		return -1;
	}
}

int getpagesize(void)
{
	unsigned long p = getauxval(AT_PAGESZ);

	return p ? (int)p : 4096;
}
