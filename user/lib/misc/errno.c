/*
 * errno.c - where errno lives, and the conversion every system-call
 * wrapper ends with. One errno per process for now: libbasalt has no
 * threads yet; when it does, __errno_location returns the thread's own.
 */
#include <errno.h>
#include "../internal/syscall.h"

static int errno_value;

int *__errno_location(void)
{
	return &errno_value;
}

/* The kernel returns -4095..-1 for errors, anything else is a result. */
long __syscall_ret(unsigned long r)
{
	if (r > -4096UL) {
		errno = (int)-r;
		return -1;
	}
	return (long)r;
}
