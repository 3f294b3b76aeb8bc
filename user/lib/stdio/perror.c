/* perror.c - perror: "msg: strerror(errno)" on stderr. */
#include <errno.h>
#include <string.h>
#include "stdio_impl.h"

void perror(const char *msg)
{
	const char *text = strerror(errno);

	if (msg && *msg)
		fprintf(stderr, "%s: %s\n", msg, text);
	else
		fprintf(stderr, "%s\n", text);
}
