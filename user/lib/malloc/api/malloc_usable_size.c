/*
 * malloc_usable_size.c - malloc_usable_size: how many bytes the block
 * behind p really has (at least what was asked); 0 for NULL.
 */
#include <malloc.h>
#include "../heap.h"

size_t malloc_usable_size(void *p)
{
	return heap_usable(p);
}
