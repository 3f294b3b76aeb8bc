/*
 * format.c - the printf engine behind every function of the family.
 *
 * It walks the format, copies plain text through, and for each
 * conversion parses flags (- + space # 0), width and precision (digits
 * or *), a length (hh h l ll j z t L), and the conversion: d i u o x X c
 * s p n m %, and the floating ones, which fmt_float.c formats. The output
 * matches glibc's for every combination the C standard defines, plus
 * glibc's "(nil)" for a null %p, "(null)" for a null %s, and %m.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include "format.h"

void __format_emit(struct out *o, const char *p, size_t n)
{
	if (n) {
		o->sink->put(o->sink, p, n);
		o->count += n;
	}
}

void __format_repeat(struct out *o, char c, size_t n)
{
	char chunk[32];

	memset(chunk, c, sizeof(chunk));
	while (n > 0) {
		size_t k = n < sizeof(chunk) ? n : sizeof(chunk);

		__format_emit(o, chunk, k);
		n -= k;
	}
}

void __format_field(struct out *o, const struct spec *sp, const char *prefix,
		    size_t zeros, const char *body, size_t len, bool zero_pad)
{
	size_t plen = strlen(prefix);
	size_t total = plen + zeros + len;
	size_t pad = (size_t)sp->width > total ? sp->width - total : 0;

	if (!sp->left && !zero_pad)
		__format_repeat(o, ' ', pad);
	__format_emit(o, prefix, plen);
	if (!sp->left && zero_pad)
		__format_repeat(o, '0', pad);
	__format_repeat(o, '0', zeros);
	__format_emit(o, body, len);
	if (sp->left)
		__format_repeat(o, ' ', pad);
}

/* An integer conversion of magnitude v (negative when neg). */
static void format_int(struct out *o, const struct spec *sp, uintmax_t v,
		       bool neg)
{
	char digits[24], prefix[3] = "";
	unsigned base = sp->conv == 'o' ? 8 : strchr("xXp", sp->conv) ? 16 : 10;
	const char *set = sp->conv == 'X' ? "0123456789ABCDEF"
					  : "0123456789abcdef";
	size_t n = 0;
	bool was_zero = v == 0;

	for (; v; v /= base)
		digits[sizeof(digits) - ++n] = set[v % base];
	size_t prec = sp->prec < 0 ? 1 : (size_t)sp->prec;
	size_t zeros = prec > n ? prec - n : 0;

	if (neg)
		prefix[0] = '-';
	else if (strchr("di", sp->conv) && (sp->plus || sp->space))
		prefix[0] = sp->plus ? '+' : ' ';
	if (sp->alt && base == 8 && zeros == 0)
		zeros = 1;		/* '#' makes octal start with 0 */
	if ((sp->alt && base == 16 && !was_zero) || sp->conv == 'p') {
		prefix[0] = '0';
		prefix[1] = sp->conv == 'X' ? 'X' : 'x';
	}
	__format_field(o, sp, prefix, zeros, digits + sizeof(digits) - n, n,
		       sp->zero && sp->prec < 0);
}

static void format_str(struct out *o, const struct spec *sp, const char *s)
{
	if (!s)
		s = sp->prec < 0 || sp->prec >= 6 ? "(null)" : "";
	size_t len = sp->prec < 0 ? strlen(s) : strnlen(s, (size_t)sp->prec);

	__format_field(o, sp, "", 0, s, len, false);
}

/* Parses "flags width .prec" at *fmt into sp, taking '*' values from ap. */
static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	*sp = (struct spec){ .prec = -1 };
	for (;; f++) {
		if (*f == '-') sp->left = true;
		else if (*f == '+') sp->plus = true;
		else if (*f == ' ') sp->space = true;
		else if (*f == '#') sp->alt = true;
		else if (*f == '0') sp->zero = true;
		else if (*f != '\'') break;
	}
	if (*f == '*') {
		int w = va_arg(*ap, int);

		if (w < 0) {
			sp->left = true;
			w = w == INT_MIN ? INT_MAX : -w;
		}
		sp->width = w;
		f++;
	} else {
		for (; *f >= '0' && *f <= '9'; f++)
			sp->width = sp->width * 10 + (*f - '0');
	}
	if (*f == '.') {
		f++;
		sp->prec = 0;
		if (*f == '*') {
			int p = va_arg(*ap, int);

			sp->prec = p < 0 ? -1 : p;
			f++;
		} else {
			for (; *f >= '0' && *f <= '9'; f++)
				sp->prec = sp->prec * 10 + (*f - '0');
		}
	}
	return f;
}

enum length { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_J, LEN_Z, LEN_T,
	      LEN_BIG_L };

static const char *parse_length(const char *f, enum length *len)
{
	switch (*f) {
	case 'h':
		*len = f[1] == 'h' ? LEN_HH : LEN_H;
		return f + (f[1] == 'h' ? 2 : 1);
	case 'l':
		*len = f[1] == 'l' ? LEN_LL : LEN_L;
		return f + (f[1] == 'l' ? 2 : 1);
	case 'q': *len = LEN_LL; return f + 1;
	case 'j': *len = LEN_J; return f + 1;
	case 'z': *len = LEN_Z; return f + 1;
	case 't': *len = LEN_T; return f + 1;
	case 'L': *len = LEN_BIG_L; return f + 1;
	default: *len = LEN_NONE; return f;
	}
}

static intmax_t signed_arg(enum length len, va_list *ap)
{
	switch (len) {
	case LEN_HH: return (signed char)va_arg(*ap, int);
	case LEN_H: return (short)va_arg(*ap, int);
	case LEN_L: return va_arg(*ap, long);
	case LEN_LL: return va_arg(*ap, long long);
	case LEN_J: return va_arg(*ap, intmax_t);
	case LEN_Z: case LEN_T: return va_arg(*ap, long);
	default: return va_arg(*ap, int);
	}
}

static uintmax_t unsigned_arg(enum length len, va_list *ap)
{
	switch (len) {
	case LEN_HH: return (unsigned char)va_arg(*ap, unsigned);
	case LEN_H: return (unsigned short)va_arg(*ap, unsigned);
	case LEN_L: return va_arg(*ap, unsigned long);
	case LEN_LL: return va_arg(*ap, unsigned long long);
	case LEN_J: return va_arg(*ap, uintmax_t);
	case LEN_Z: case LEN_T: return va_arg(*ap, unsigned long);
	default: return va_arg(*ap, unsigned);
	}
}

static void store_count(enum length len, size_t count, va_list *ap)
{
	switch (len) {
	case LEN_HH: *va_arg(*ap, signed char *) = (signed char)count; break;
	case LEN_H: *va_arg(*ap, short *) = (short)count; break;
	case LEN_L: case LEN_Z: case LEN_T:
		*va_arg(*ap, long *) = (long)count; break;
	case LEN_LL: case LEN_J: *va_arg(*ap, long long *) = (long long)count;
		break;
	default: *va_arg(*ap, int *) = (int)count; break;
	}
}

/* One conversion; returns false for one it does not know. */
static bool convert(struct out *o, struct spec *sp, enum length len,
		    va_list *ap, int saved_errno)
{
	switch (sp->conv) {
	case 'd': case 'i': {
		intmax_t v = signed_arg(len, ap);
		format_int(o, sp, v < 0 ? -(uintmax_t)v : (uintmax_t)v, v < 0);
		return true;
	}
	case 'u': case 'o': case 'x': case 'X':
		format_int(o, sp, unsigned_arg(len, ap), false);
		return true;
	case 'p': {
		void *p = va_arg(*ap, void *);
		if (p) {
			format_int(o, sp, (uintptr_t)p, false);
		} else {
			sp->prec = -1;
			format_str(o, sp, "(nil)");
		}
		return true;
	}
	case 'c': {
		char c = (char)va_arg(*ap, int);
		__format_field(o, sp, "", 0, &c, 1, false);
		return true;
	}
	case 's':
		format_str(o, sp, va_arg(*ap, const char *));
		return true;
	case 'm':
		format_str(o, sp, strerror(saved_errno));
		return true;
	case 'n':
		store_count(len, o->count, ap);
		return true;
	case '%':
		__format_emit(o, "%", 1);
		return true;
	case 'f': case 'F': case 'e': case 'E': case 'g': case 'G':
	case 'a': case 'A':
		__format_float(o, sp, len == LEN_BIG_L ?
			       (double)va_arg(*ap, long double) :
			       va_arg(*ap, double));
		return true;
	default:
		return false;
	}
}

int __format(struct sink *sink, const char *fmt, va_list ap_in)
{
	struct out o = { sink, 0 };
	int saved_errno = errno;
	va_list ap;

	va_copy(ap, ap_in);
	while (*fmt) {
		const char *pct = strchr(fmt, '%');

		if (!pct) {
			__format_emit(&o, fmt, strlen(fmt));
			break;
		}
		__format_emit(&o, fmt, (size_t)(pct - fmt));
		struct spec sp;
		enum length len;
		const char *f = parse_length(parse_spec(pct + 1, &sp, &ap), &len);

		sp.conv = *f;
		if (!*f || !convert(&o, &sp, len, &ap, saved_errno)) {
			/* An unknown conversion is printed as it stands. */
			__format_emit(&o, pct, (size_t)(f - pct) + (*f != 0));
		}
		fmt = *f ? f + 1 : f;
	}
	va_end(ap);
	if (o.count > INT_MAX) {
		errno = EOVERFLOW;
		return -1;
	}
	return (int)o.count;
}
