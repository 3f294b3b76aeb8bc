/*
 * free.c - free: gives a block back. A pointer the allocator never gave
 * out, a second free, or a damaged header ends the process with a message
 * on standard error (see chunk_checked).
 */
#include <stdlib.h>
#include "../heap.h"

void free(void *p)
{
	heap_free(p);
}
