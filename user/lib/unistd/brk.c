/*
 * brk.c - brk and sbrk over the raw brk call, which returns the new
 * break, or the old one when it refuses. The break is asked for once and
 * then remembered. Note that malloc's heap lives at the break too: a
 * program that moves the break itself makes malloc use mmapped pools
 * from then on (see user/lib/malloc/pool.c).
 */
#include <errno.h>
#include <stdint.h>
#include <unistd.h>
#include "../internal/syscall.h"

static uintptr_t cur;

int brk(void *addr)
{
	uintptr_t r = (uintptr_t)sys_call1(SYS_brk, (long)addr);

	cur = r;
	if (r != (uintptr_t)addr) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

void *sbrk(long delta)
{
	if (!cur)
		cur = (uintptr_t)sys_call1(SYS_brk, 0);
	uintptr_t old = cur;
	if (delta == 0)
		return (void *)old;
	if (brk((void *)(old + delta)) < 0)
		return (void *)-1;
	return (void *)old;
}
