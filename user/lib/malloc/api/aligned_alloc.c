/*
 * aligned_alloc.c - aligned_alloc (C11): align must be a power of two
 * (EINVAL otherwise); the size need not be a multiple of it (C17).
 */
#include <errno.h>
#include <stdlib.h>
#include "../heap.h"

void *aligned_alloc(size_t align, size_t n)
{
	if (align == 0 || (align & (align - 1))) {
		errno = EINVAL;
		return NULL;
	}
	void *p = heap_memalign(align, n);
	if (!p)
		errno = ENOMEM;
	return p;
}
