/* assert.c - what a failed assert() prints before it aborts. */
#include <assert.h>
#include <stdlib.h>
#include "../internal/libc.h"

void __assert_fail(const char *expr, const char *file, unsigned line,
		   const char *func)
{
	char num[12];
	int i = sizeof(num) - 1;

	num[i] = '\0';
	do
		num[--i] = (char)('0' + line % 10);
	while ((line /= 10) && i > 0);
	const char *parts[] = { file, ":", num + i, ": ", func,
				": Assertion `", expr, "' failed.\n", NULL };
	__basalt_say(parts);
	abort();
}
