/*
 * fmt_float.c - printf's floating conversions: %f %e %g (and upper-case
 * forms) and %a, with glibc's results.
 *
 * A finite double is m * 2^e exactly, so its decimal expansion is finite:
 * m << e when e >= 0, and m * 5^-e with the point -e digits from the
 * right when e < 0. That integer is built in a small bignum and turned
 * into digits, so every output is the exact value rounded once, ties to
 * even, as glibc does in the default rounding mode (printf("%.2f",
 * 2.675) is 2.67 because the double is 2.67499999...). long double
 * arguments are narrowed to double first.
 */
#include <stdint.h>
#include <string.h>
#include "format.h"

#define LIMBS		84	/* 2688 bits: m * 5^1074 needs 2547 */
#define MAX_DIGITS	800	/* 5^1074 * 2^53 has 767 digits */

struct big {
	uint32_t limb[LIMBS];	/* least significant first */
	int n;
};

static void big_mul(struct big *b, uint32_t m)
{
	uint64_t carry = 0;

	for (int i = 0; i < b->n; i++) {
		carry += (uint64_t)b->limb[i] * m;
		b->limb[i] = (uint32_t)carry;
		carry >>= 32;
	}
	if (carry)
		b->limb[b->n++] = (uint32_t)carry;
}

/* Divides b by 10^9 in place; returns the remainder. */
static uint32_t big_div1e9(struct big *b)
{
	uint64_t rem = 0;

	for (int i = b->n - 1; i >= 0; i--) {
		uint64_t cur = rem << 32 | b->limb[i];

		b->limb[i] = (uint32_t)(cur / 1000000000);
		rem = cur % 1000000000;
	}
	while (b->n > 0 && b->limb[b->n - 1] == 0)
		b->n--;
	return (uint32_t)rem;
}

static uint32_t pow5(int k)
{
	uint32_t p = 1;

	while (k--)
		p *= 5;
	return p;
}

/* The exact value of |v| (finite): digits d[0..*nd), value 0.d * 10^point. */
struct decimal {
	char d[MAX_DIGITS];
	int nd;
	int point;
};

static void to_decimal(double v, struct decimal *dec)
{
	uint64_t bits;

	memcpy(&bits, &v, sizeof(bits));
	int biased = (int)(bits >> 52 & 0x7ff);
	uint64_t m = bits & ((1ULL << 52) - 1);
	int e = biased ? biased - 1075 : -1074;

	if (biased)
		m |= 1ULL << 52;
	if (m == 0) {
		dec->d[0] = '0';
		dec->nd = 1;
		dec->point = 1;
		return;
	}
	while (!(m & 1) && e < 0)
		m >>= 1, e++;

	struct big b = { { (uint32_t)m, (uint32_t)(m >> 32) }, m >> 32 ? 2 : 1 };
	for (int k = e; k > 0; k -= 31)
		big_mul(&b, 1U << (k < 31 ? k : 31));
	for (int k = -e; k > 0; k -= 13)	/* 5^13 < 2^32 */
		big_mul(&b, k < 13 ? pow5(k) : 1220703125);
	char rev[MAX_DIGITS + 9];
	int n = 0;
	while (b.n > 0) {
		uint32_t chunk = big_div1e9(&b);

		for (int i = 0; i < 9; i++, chunk /= 10)
			rev[n++] = (char)('0' + chunk % 10);
	}
	while (n > 1 && rev[n - 1] == '0')	/* zeros of the last chunk */
		n--;
	int n_all = n;
	int trailing = 0;
	while (trailing < n - 1 && rev[trailing] == '0')	/* trailing zeros */
		trailing++;
	n -= trailing;
	for (int i = 0; i < n; i++)
		dec->d[i] = rev[n_all - 1 - i];
	dec->nd = n;
	dec->point = e < 0 ? n_all + e : n_all;
}

/*
 * Rounds dec to its first keep digits (keep may be <= 0 or past the
 * end), ties to even. A carry out of the first digit moves the point.
 */
static void round_to(struct decimal *dec, int keep)
{
	if (keep >= dec->nd)
		return;
	bool up = false;

	if (keep >= 0) {
		char first = dec->d[keep];
		bool rest = false;

		for (int i = keep + 1; i < dec->nd; i++)
			rest |= dec->d[i] != '0';
		bool odd = keep > 0 && (dec->d[keep - 1] - '0') % 2;
		up = first > '5' || (first == '5' && (rest || odd));
	}
	if (keep < 0)
		keep = 0;
	dec->nd = keep;
	if (!up) {
		if (dec->nd == 0) {	/* rounded to zero */
			dec->d[0] = '0';
			dec->nd = 1;
			dec->point = 1;
		}
		return;
	}
	int i = keep - 1;
	while (i >= 0 && dec->d[i] == '9')
		dec->d[i--] = '0';
	if (i >= 0) {
		dec->d[i]++;
	} else {
		/* 99.9 -> 100: one more digit before the point. */
		dec->d[0] = '1';
		if (dec->nd == 0)
			dec->nd = 1;
		for (int j = 1; j < dec->nd; j++)
			dec->d[j] = '0';
		dec->point++;
	}
}

static bool dec_is_zero(const struct decimal *dec)
{
	return dec->nd == 1 && dec->d[0] == '0';
}

/* Digit i of dec counting from its first (implicit zeros around it). */
static char digit_at(const struct decimal *dec, int i)
{
	return i >= 0 && i < dec->nd ? dec->d[i] : '0';
}

/* The text of %f with prec decimals; trims zeros for %g. */
static size_t render_fixed(char *buf, const struct decimal *dec, int prec,
			   bool point, bool trim)
{
	size_t n = 0;
	int intdigits = dec->point <= 0 ? 1 : dec->point;

	for (int i = 0; i < intdigits; i++)
		buf[n++] = dec->point <= 0 ? '0' : digit_at(dec, i);
	if (prec > 0 || point)
		buf[n++] = '.';
	for (int i = 0; i < prec; i++)
		buf[n++] = digit_at(dec, dec->point + i);
	if (trim && !point) {
		while (prec > 0 && buf[n - 1] == '0')
			n--, prec--;
		if (buf[n - 1] == '.')
			n--;
	}
	return n;
}

/* The text of %e with prec decimals; trims zeros for %g. */
static size_t render_exp(char *buf, const struct decimal *dec, int prec,
			 bool point, bool trim, char e)
{
	size_t n = 0;
	int x = dec_is_zero(dec) ? 0 : dec->point - 1;

	buf[n++] = dec->d[0];
	if (prec > 0 || point)
		buf[n++] = '.';
	for (int i = 1; i <= prec; i++)
		buf[n++] = digit_at(dec, i);
	if (trim && !point) {
		while (prec > 0 && buf[n - 1] == '0')
			n--, prec--;
		if (buf[n - 1] == '.')
			n--;
	}
	buf[n++] = e;
	buf[n++] = x < 0 ? '-' : '+';
	unsigned ux = x < 0 ? (unsigned)-x : (unsigned)x;
	char num[8];
	int k = 0;
	do
		num[k++] = (char)('0' + ux % 10);
	while ((ux /= 10));
	if (k < 2)
		num[k++] = '0';
	while (k)
		buf[n++] = num[--k];
	return n;
}

/* %a: 0x1.<hex>p<exp>, the mantissa rounded to prec hex digits. */
static size_t render_hex(char *buf, double v, int prec, bool point,
			 bool upper)
{
	uint64_t bits;
	const char *hex = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	size_t n = 0;

	memcpy(&bits, &v, sizeof(bits));
	int biased = (int)(bits >> 52 & 0x7ff);
	uint64_t m = bits & ((1ULL << 52) - 1);
	int e = biased ? biased - 1023 : (m ? -1022 : 0);
	unsigned lead = biased ? 1 : 0;

	if (prec >= 0 && prec < 13) {
		int drop = 52 - 4 * prec;
		uint64_t rest = m & ((1ULL << drop) - 1), half = 1ULL << (drop - 1);

		m >>= drop;
		if (rest > half || (rest == half && ((m & 1) || (!prec && lead & 1))))
			m++;
		if (m >> (4 * prec)) {		/* carried into the lead digit */
			lead++;
			m &= (1ULL << (4 * prec)) - 1;
		}
		m <<= drop;
	}
	int digits = prec >= 0 ? prec : 13;
	if (prec < 0)
		while (digits > 0 && !((m >> (52 - 4 * digits)) & 15))
			digits--;
	buf[n++] = '0';
	buf[n++] = upper ? 'X' : 'x';
	buf[n++] = (char)('0' + lead);
	if (digits > 0 || point)
		buf[n++] = '.';
	for (int i = 1; i <= digits; i++)
		buf[n++] = i <= 13 ? hex[(m >> (52 - 4 * i)) & 15] : '0';
	buf[n++] = upper ? 'P' : 'p';
	buf[n++] = e < 0 ? '-' : '+';
	unsigned ue = e < 0 ? (unsigned)-e : (unsigned)e;
	char num[8];
	int k = 0;
	do
		num[k++] = (char)('0' + ue % 10);
	while ((ue /= 10));
	while (k)
		buf[n++] = num[--k];
	return n;
}

void __format_float(struct out *o, const struct spec *sp, double v)
{
	char buf[MAX_DIGITS + 400];	/* DBL_MAX has 309 integer digits */
	struct decimal dec;
	uint64_t bits;
	char conv = sp->conv, lower = (char)(conv | 32);
	bool upper = conv != lower;
	const char *sign = "";
	size_t n;

	memcpy(&bits, &v, sizeof(bits));
	if (bits >> 63)
		sign = "-";
	else if (sp->plus)
		sign = "+";
	else if (sp->space)
		sign = " ";
	if ((bits >> 52 & 0x7ff) == 0x7ff) {
		const char *word = bits << 12 ? (upper ? "NAN" : "nan")
					      : (upper ? "INF" : "inf");
		__format_field(o, sp, sign, 0, word, 3, false);
		return;
	}
	int prec = sp->prec < 0 ? 6 : sp->prec;
	if (prec > MAX_DIGITS)
		prec = MAX_DIGITS;
	if (lower == 'a') {
		n = render_hex(buf, v, sp->prec, sp->alt, upper);
		/* "0x" belongs before any zero padding, like a sign. */
		char prefix[4] = { sign[0], buf[0], buf[1], '\0' };
		const char *pre = sign[0] ? prefix : prefix + 1;
		__format_field(o, sp, pre, 0, buf + 2, n - 2,
			       sp->zero && !sp->left);
		return;
	}
	to_decimal(v, &dec);
	if (lower == 'f') {
		round_to(&dec, dec.point + prec);
		n = render_fixed(buf, &dec, prec, sp->alt, false);
	} else if (lower == 'e') {
		round_to(&dec, prec + 1);
		n = render_exp(buf, &dec, prec, sp->alt, false, upper ? 'E' : 'e');
	} else {
		/* %g: %e's exponent after rounding to prec digits decides. */
		if (prec == 0)
			prec = 1;
		round_to(&dec, prec);
		int x = dec_is_zero(&dec) ? 0 : dec.point - 1;
		if (x < prec && x >= -4)
			n = render_fixed(buf, &dec, prec - 1 - x, sp->alt, true);
		else
			n = render_exp(buf, &dec, prec - 1, sp->alt, true,
				       upper ? 'E' : 'e');
	}
	__format_field(o, sp, sign, 0, buf, n, sp->zero && !sp->left);
}
