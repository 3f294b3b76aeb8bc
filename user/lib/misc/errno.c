/*
 * errno.c - where errno lives, and the conversion every system-call
 * wrapper ends with. errno is a __thread variable: each thread has its
 * own, in its TLS block (thread/tls.c), so one thread's failing call
 * never changes what another reads.
 */
#include <errno.h>
#include "../internal/syscall.h"

static __thread int errno_value;

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
