/* Kernel symbol lookup (kernel/lib/ksyms.c). */
#ifndef BASALT_LIB_KSYMS_H
#define BASALT_LIB_KSYMS_H

#include <types.h>

/* The function containing addr and the offset into it; NULL if unknown. */
const char *ksyms_lookup(uint64_t addr, uint64_t *offset);

#endif
