/*
 * realloc.c - realloc: resizes a block, in place when it can; on failure
 * the old block is left as it was. realloc(p, 0) frees p and returns NULL
 * (as glibc does).
 */
#include <errno.h>
#include <stdlib.h>
#include "../heap.h"

void *realloc(void *p, size_t n)
{
	void *q = heap_realloc(p, n);

	if (!q && n)
		errno = ENOMEM;
	return q;
}
