/*
 * say.c - __basalt_say: a message to standard error built from pieces,
 * in one write(2) when it fits, with no stdio and no malloc, for the
 * paths (assert, C++ runtime errors) that must not depend on either.
 */
#include <string.h>
#include "../internal/libc.h"
#include "../internal/syscall.h"

void __basalt_say(const char *const *parts)
{
	char buf[512];
	size_t n = 0;

	for (; *parts; parts++)
		for (const char *s = *parts; *s && n < sizeof(buf); s++)
			buf[n++] = *s;
	sys_call3(SYS_write, 2, (long)buf, (long)n);
}
