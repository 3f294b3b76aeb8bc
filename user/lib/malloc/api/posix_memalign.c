/*
 * posix_memalign.c - posix_memalign: align must be a power of two and a
 * multiple of sizeof(void *). Returns the error instead of setting errno,
 * and leaves *out untouched on failure, as POSIX says.
 */
#include <errno.h>
#include <stdlib.h>
#include "../heap.h"

int posix_memalign(void **out, size_t align, size_t n)
{
	if (align < sizeof(void *) || (align & (align - 1)))
		return EINVAL;
	void *p = heap_memalign(align, n);
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}
