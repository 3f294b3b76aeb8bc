/*
 * malloc_trim.c - malloc_trim (as in glibc): gives the free top of the brk
 * heap back to the kernel, all of it (pad is ignored: nothing is kept).
 * Returns 1 if memory went back, else 0. Wholly free mmapped pools and
 * large blocks never wait for this: they go back when freed.
 */
#include <malloc.h>
#include "../heap.h"

int malloc_trim(size_t pad)
{
	(void)pad;
	return heap_trim();
}
