/*
 * Sets of CPUs as text, as Linux's sysfs shows them
 * (cpumap_print_to_pagebuf): the formats glibc, nproc and lscpu parse.
 * kernel/lib/cpumask.c.
 */
#ifndef BASALT_LIB_CPUMASK_H
#define BASALT_LIB_CPUMASK_H

#include <arch/smp.h>

/*
 * "%*pbl": ranges "a-b" and single numbers in increasing order,
 * separated by commas ("0-1", "0,2-3"), then a newline; the empty set
 * is the newline alone. Like snprintf: writes at most size bytes
 * (NUL-terminated when size > 0) and returns the length it needs.
 */
size_t cpumask_print_list(char *buf, size_t size, cpumask_t m);

/*
 * "%*pb": hexadecimal of nbits bits (Linux's nr_cpu_ids), as many digits
 * as those bits need with leading zeros ("3" for two CPUs of two, "03"
 * for two of eight), a comma between groups of 32 bits, then a newline.
 * Returns as cpumask_print_list. 1 <= nbits <= 64.
 */
size_t cpumask_print_hex(char *buf, size_t size, cpumask_t m,
			 unsigned int nbits);

#endif
