/*
 * <malloc.h> - allocator extras beyond <stdlib.h>, as in glibc, and
 * libbasalt's own checks (<basalt/heap.h>).
 */
#ifndef BASALT_MALLOC_H
#define BASALT_MALLOC_H

#include <stdlib.h>
#include <basalt/heap.h>

#ifdef __cplusplus
extern "C" {
#endif

void *memalign(size_t align, size_t n);
size_t malloc_usable_size(void *p);
int malloc_trim(size_t pad);

#ifdef __cplusplus
}
#endif

#endif
