/* calloc.c - calloc: a zeroed array; ENOMEM when count * size overflows. */
#include <errno.h>
#include <stdlib.h>
#include "../heap.h"

void *calloc(size_t count, size_t size)
{
	size_t n;
	void *p = NULL;

	if (!__builtin_mul_overflow(count, size, &n))
		p = heap_calloc(n);
	if (!p)
		errno = ENOMEM;
	return p;
}
