/*
 * malloc_check.c - the libbasalt extensions of <basalt/heap.h>:
 * malloc_check and malloc_census (see check.c for what they examine).
 */
#include "../heap.h"

int malloc_check(void)
{
	return heap_check();
}

void malloc_census(struct malloc_census *c)
{
	heap_census(c);
}
