/* Parsing numbers written by user space (kernel/lib/parse.c). */
#ifndef BASALT_LIB_PARSE_H
#define BASALT_LIB_PARSE_H

#include <types.h>

/*
 * One decimal integer as a /proc/sys file takes it (Linux's
 * proc_dointvec): blanks, an optional '-', digits, then only blanks and
 * newlines up to len. 0 with *out set, or -EINVAL (no digits, anything
 * else, or beyond the range of long).
 */
int parse_long(const char *s, size_t len, long *out);

#endif
