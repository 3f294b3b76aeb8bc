/*
 * A small vsnprintf for the kernel: %d %i %u %x %X %o %p %s %c %%, with
 * the flags '-', '0', '#' (0x/0X before hex, a leading 0 for octal), '+'
 * and ' ', a width, a precision for strings, and the length modifiers
 * hh, h, l, ll, z. Each conversion prints what C's printf prints for it
 * (tests/unit/test_vsnprintf.c compares the two). Output is always
 * NUL-terminated when size > 0; the return value is the length the full
 * output would have had.
 */
#include <lib/printk.h>
#include <lib/string.h>

struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_str(struct out *o, const char *s, size_t n)
{
	while (n--)
		put(o, *s++);
}

static void put_fill(struct out *o, int n, char c)
{
	while (n-- > 0)
		put(o, c);
}

/* A conversion's flags, width, precision and length modifier. */
struct spec {
	bool left;		/* '-' */
	bool zero;		/* '0' (ignored with '-') */
	bool alt;		/* '#' */
	char sign;		/* '+', ' ' or 0: what a non-negative number gets */
	int width, prec;	/* prec -1: none */
	int lmod;		/* -2 hh, -1 h, 0 int, 1 l or z, 2 ll */
};

static void put_padded(struct out *o, const char *s, size_t n,
		       const struct spec *sp)
{
	int fill = sp->width > (int)n ? sp->width - (int)n : 0;

	if (!sp->left)
		put_fill(o, fill, ' ');
	put_str(o, s, n);
	if (sp->left)
		put_fill(o, fill, ' ');
}

/*
 * A number: its prefix (sign, "0x"), then zeros or spaces up to the
 * width, as printf does: "%#08x" of 31 is "0x00001f", "%-#6x" "0x1f  ".
 */
static void put_number(struct out *o, uint64_t v, bool neg, unsigned base,
		       bool upper, const struct spec *sp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24], prefix[3];
	int i = sizeof(tmp), np = 0, fill;

	do {
		tmp[--i] = digits[v % base];
		v /= base;
	} while (v);
	if (neg)
		prefix[np++] = '-';
	else if (sp->sign)
		prefix[np++] = sp->sign;
	if (sp->alt && base == 16 && !(i == sizeof(tmp) - 1 && tmp[i] == '0')) {
		prefix[np++] = '0';
		prefix[np++] = upper ? 'X' : 'x';
	} else if (sp->alt && base == 8 && tmp[i] != '0') {
		tmp[--i] = '0';
	}
	fill = sp->width - np - ((int)sizeof(tmp) - i);
	if (!sp->left && !sp->zero)
		put_fill(o, fill, ' ');
	put_str(o, prefix, (size_t)np);
	if (!sp->left && sp->zero)
		put_fill(o, fill, '0');
	put_str(o, tmp + i, sizeof(tmp) - (size_t)i);
	if (sp->left)
		put_fill(o, fill, ' ');
}

/* Fetch an integer argument and narrow it as its length modifier says. */
static uint64_t arg_unsigned(va_list *ap, int lmod)
{
	if (lmod >= 1)
		return va_arg(*ap, unsigned long);
	unsigned int v = va_arg(*ap, unsigned int);
	return lmod == -2 ? (unsigned char)v : lmod == -1 ? (unsigned short)v
							   : v;
}

static int64_t arg_signed(va_list *ap, int lmod)
{
	if (lmod >= 1)
		return va_arg(*ap, long);
	int v = va_arg(*ap, int);
	return lmod == -2 ? (signed char)v : lmod == -1 ? (short)v : v;
}

/* Parse what follows '%' up to the conversion character; return it. */
static const char *parse_spec(const char *fmt, struct spec *sp)
{
	*sp = (struct spec){ .prec = -1 };
	for (;; fmt++) {
		if (*fmt == '-')
			sp->left = true;
		else if (*fmt == '0')
			sp->zero = true;
		else if (*fmt == '#')
			sp->alt = true;
		else if (*fmt == '+')
			sp->sign = '+';
		else if (*fmt == ' ')
			sp->sign = sp->sign ? sp->sign : ' ';
		else
			break;
	}
	for (; *fmt >= '0' && *fmt <= '9'; fmt++)
		sp->width = sp->width * 10 + (*fmt - '0');
	if (*fmt == '.') {
		sp->prec = 0;
		for (fmt++; *fmt >= '0' && *fmt <= '9'; fmt++)
			sp->prec = sp->prec * 10 + (*fmt - '0');
	}
	for (; *fmt == 'l' || *fmt == 'z' || *fmt == 'h'; fmt++)
		sp->lmod += *fmt == 'h' ? -1 : 1;
	return fmt;
}

static void convert(struct out *o, char conv, const struct spec *sp,
		    va_list *ap)
{
	switch (conv) {
	case 'd':
	case 'i': {
		int64_t v = arg_signed(ap, sp->lmod);
		put_number(o, v < 0 ? -(uint64_t)v : (uint64_t)v, v < 0, 10,
			   false, sp);
		break;
	}
	case 'u':
	case 'x':
	case 'X':
	case 'o': {
		struct spec u = *sp;

		u.sign = 0;		/* '+' and ' ' are for signed numbers */
		put_number(o, arg_unsigned(ap, sp->lmod), false,
			   conv == 'u' ? 10 : conv == 'o' ? 8 : 16, conv == 'X',
			   &u);
		break;
	}
	case 'p': {
		/* Always 0x and 16 digits, NULL too: addresses line up. */
		struct spec p = { .zero = true, .width = 16 };

		put(o, '0');
		put(o, 'x');
		put_number(o, (uint64_t)va_arg(*ap, void *), false, 16, false,
			   &p);
		break;
	}
	case 's': {
		const char *str = va_arg(*ap, const char *);
		if (!str)
			str = "(null)";
		size_t n = sp->prec >= 0 ? strnlen(str, sp->prec) : strlen(str);
		put_padded(o, str, n, sp);
		break;
	}
	case 'c': {
		char c = (char)va_arg(*ap, int);
		put_padded(o, &c, 1, sp);
		break;
	}
	default:		/* '%' and unknown conversions print themselves */
		put(o, conv);
		break;
	}
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap_in)
{
	struct out o = { buf, size, 0 };
	struct spec sp;
	va_list ap;

	va_copy(ap, ap_in);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		fmt = parse_spec(fmt + 1, &sp);
		if (!*fmt)
			break;
		convert(&o, *fmt, &sp, &ap);
	}
	va_end(ap);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
