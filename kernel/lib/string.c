/*
 * Freestanding string and memory routines. The compiler may emit calls to
 * memcpy/memset/memmove/memcmp on its own, so these exact names must exist.
 *
 * memcpy and memset move eight bytes per iteration (rep movsq/stosq) and
 * the tail byte by byte: on real CPUs with fast strings rep movsb would do
 * as well, but under emulation (QEMU's TCG) each iteration costs about the
 * same whatever its width, so quadwords make page copies and clears about
 * eight times cheaper.
 */
#include <lib/string.h>

void *memcpy(void *dst, const void *src, size_t n)
{
	void *ret = dst;
	size_t quads = n / 8, tail = n % 8;

	__asm__ volatile("rep movsq\n\t"
			 "mov %3, %%rcx\n\t"
			 "rep movsb"
			 : "+D"(dst), "+S"(src), "+c"(quads) : "r"(tail)
			 : "memory");
	return ret;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	void *ret = dst;
	uint64_t pattern = 0x0101010101010101ULL * (uint8_t)c;
	size_t quads = n / 8, tail = n % 8;

	__asm__ volatile("rep stosq\n\t"
			 "mov %3, %%rcx\n\t"
			 "rep stosb"
			 : "+D"(dst), "+c"(quads), "+a"(pattern) : "r"(tail)
			 : "memory");
	return ret;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return p - s;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			break;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}
