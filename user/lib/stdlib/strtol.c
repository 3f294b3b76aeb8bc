/*
 * strtol.c - strtol, strtoul, strtoll, strtoull and the ato* shorthands,
 * all over one parser: leading space, a sign, a base prefix (0x for 16,
 * 0 for 8 when base is 0), then digits. Out-of-range values clamp with
 * ERANGE; the unsigned forms negate a leading '-', as C says; with no
 * digits, *end is the start of the string and the result 0.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>

static int digit_value(int c)
{
	if (isdigit(c))
		return c - '0';
	if (isalpha(c))
		return (c | 32) - 'a' + 10;
	return 99;
}

/*
 * Parses s; returns the magnitude (clamped to limit, *overflow set when
 * it was more) and sets *neg for a leading minus.
 */
static unsigned long long parse(const char *s, char **end, int base,
				unsigned long long limit, bool *neg,
				bool *overflow)
{
	const char *p = s;
	unsigned long long v = 0;
	bool any = false;

	*neg = *overflow = false;
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '+' || *p == '-')
		*neg = *p++ == '-';
	if ((base == 0 || base == 16) && p[0] == '0' && (p[1] | 32) == 'x' &&
	    digit_value((unsigned char)p[2]) < 16) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = p[0] == '0' ? 8 : 10;
	}
	if (base < 2 || base > 36) {
		errno = EINVAL;
		p = s;
	} else {
		for (int d; (d = digit_value((unsigned char)*p)) < base; p++) {
			any = true;
			if (v > (limit - d) / base) {
				*overflow = true;
				v = limit;
			} else if (!*overflow) {
				v = v * base + d;
			}
		}
	}
	if (end)
		*end = (char *)(any ? p : s);
	if (*overflow)
		errno = ERANGE;
	return any ? v : 0;
}

long long strtoll(const char *s, char **end, int base)
{
	bool neg, over;
	unsigned long long v = parse(s, end, base, (unsigned long long)LLONG_MAX + 1,
				     &neg, &over);

	if (!neg && v > LLONG_MAX) {
		errno = ERANGE;
		return LLONG_MAX;
	}
	return neg ? (long long)-v : (long long)v;
}

unsigned long long strtoull(const char *s, char **end, int base)
{
	bool neg, over;
	unsigned long long v = parse(s, end, base, ULLONG_MAX, &neg, &over);

	return over ? ULLONG_MAX : neg ? -v : v;
}

long strtol(const char *s, char **end, int base)
{
	return strtoll(s, end, base);
}

unsigned long strtoul(const char *s, char **end, int base)
{
	return strtoull(s, end, base);
}

int atoi(const char *s)
{
	return (int)strtol(s, NULL, 10);
}

long atol(const char *s)
{
	return strtol(s, NULL, 10);
}

long long atoll(const char *s)
{
	return strtoll(s, NULL, 10);
}
