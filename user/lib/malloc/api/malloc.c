/* malloc.c - malloc: n bytes, 16-byte aligned, or NULL with ENOMEM. */
#include <errno.h>
#include <stdlib.h>
#include "../heap.h"

void *malloc(size_t n)
{
	void *p = heap_malloc(n);

	if (!p)
		errno = ENOMEM;
	return p;
}
