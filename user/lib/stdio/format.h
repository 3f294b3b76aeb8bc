/*
 * format.h - what the printf engine's files share: one parsed
 * conversion, and the helpers that emit text with its padding.
 */
#ifndef BASALT_LIB_FORMAT_H
#define BASALT_LIB_FORMAT_H

#include <stdbool.h>
#include "stdio_impl.h"

/* One conversion, "%-+ #0<width>.<prec><length><conv>", parsed. */
struct spec {
	bool left, plus, space, alt, zero;
	int width;		/* 0: none */
	int prec;		/* -1: none */
	char conv;		/* d i u o x X c s p n f F e E g G a A % m */
};

/* The sink plus the running count of characters produced. */
struct out {
	struct sink *sink;
	size_t count;
};

void __format_emit(struct out *o, const char *p, size_t n);
void __format_repeat(struct out *o, char c, size_t n);
/*
 * Emits prefix (sign, "0x"), zeros extra '0's, then body, padded to the
 * spec's width: on the left with spaces, or after the prefix with zeros
 * when zero_pad, or on the right with spaces for '-'.
 */
void __format_field(struct out *o, const struct spec *sp, const char *prefix,
		    size_t zeros, const char *body, size_t len, bool zero_pad);

/* %f %F %e %E %g %G %a %A of value v. */
void __format_float(struct out *o, const struct spec *sp, double v);

#endif
