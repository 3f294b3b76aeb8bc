/*
 * A small vsnprintf for the kernel: %d %i %u %x %X %o %p %s %c %%, with
 * flags '-', '0', width, precision for strings, and the length modifiers
 * l, ll, z, h, hh. Output is always NUL-terminated when size > 0; the
 * return value is the length the full output would have had.
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

static void put_padded(struct out *o, const char *s, size_t n, int width,
		       bool left, char pad)
{
	int fill = width > (int)n ? width - (int)n : 0;

	if (!left)
		while (fill-- > 0)
			put(o, pad);
	while (n--)
		put(o, *s++);
	if (left)
		while (fill-- > 0)
			put(o, ' ');
}

static void put_number(struct out *o, uint64_t v, bool neg, unsigned base,
		       bool upper, int width, bool left, char pad)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int i = sizeof(tmp);

	do {
		tmp[--i] = digits[v % base];
		v /= base;
	} while (v);
	if (neg) {
		if (pad == '0') {	/* sign goes before the zeros */
			put(o, '-');
			width--;
		} else {
			tmp[--i] = '-';
		}
	}
	put_padded(o, tmp + i, sizeof(tmp) - i, width, left, pad);
}

/* Fetch an integer argument of the given length modifier (0=int,1=l,2=ll). */
static uint64_t arg_unsigned(va_list *ap, int lmod)
{
	if (lmod >= 1)
		return va_arg(*ap, unsigned long);
	return va_arg(*ap, unsigned int);
}

static int64_t arg_signed(va_list *ap, int lmod)
{
	if (lmod >= 1)
		return va_arg(*ap, long);
	return va_arg(*ap, int);
}

/* A conversion's flags, width, precision and length modifier. */
struct spec {
	bool left;		/* '-' */
	char pad;		/* '0' or ' ' */
	int width, prec;	/* prec -1: none */
	int lmod;		/* 0 = int, 1 = l or z, 2 = ll */
};

/* Parse what follows '%' up to the conversion character; return it. */
static const char *parse_spec(const char *fmt, struct spec *sp)
{
	*sp = (struct spec){ .pad = ' ', .prec = -1 };
	for (; *fmt == '-' || *fmt == '0'; fmt++) {
		if (*fmt == '-')
			sp->left = true;
		else
			sp->pad = '0';
	}
	for (; *fmt >= '0' && *fmt <= '9'; fmt++)
		sp->width = sp->width * 10 + (*fmt - '0');
	if (*fmt == '.') {
		sp->prec = 0;
		for (fmt++; *fmt >= '0' && *fmt <= '9'; fmt++)
			sp->prec = sp->prec * 10 + (*fmt - '0');
	}
	for (; *fmt == 'l' || *fmt == 'z' || *fmt == 'h'; fmt++)
		if (*fmt != 'h')
			sp->lmod++;
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
			   false, sp->width, sp->left, sp->pad);
		break;
	}
	case 'u':
	case 'x':
	case 'X':
	case 'o':
		put_number(o, arg_unsigned(ap, sp->lmod), false,
			   conv == 'u' ? 10 : conv == 'o' ? 8 : 16, conv == 'X',
			   sp->width, sp->left, sp->pad);
		break;
	case 'p':
		put(o, '0');
		put(o, 'x');
		put_number(o, (uint64_t)va_arg(*ap, void *), false, 16, false,
			   16, false, '0');
		break;
	case 's': {
		const char *str = va_arg(*ap, const char *);
		if (!str)
			str = "(null)";
		size_t n = sp->prec >= 0 ? strnlen(str, sp->prec) : strlen(str);
		put_padded(o, str, n, sp->width, sp->left, ' ');
		break;
	}
	case 'c': {
		char c = (char)va_arg(*ap, int);
		put_padded(o, &c, 1, sp->width, sp->left, ' ');
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
