/*
 * memalign.c - the old memalign, and valloc (page alignment). As glibc
 * does, memalign rounds an alignment that is not a power of two up to one.
 */
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include "../heap.h"

void *memalign(size_t align, size_t n)
{
	size_t a = 1;

	while (a < align && a)
		a <<= 1;
	void *p = a ? heap_memalign(a, n) : NULL;
	if (!p)
		errno = ENOMEM;
	return p;
}

void *valloc(size_t n)
{
	return memalign(GLUE_PAGE, n);
}
