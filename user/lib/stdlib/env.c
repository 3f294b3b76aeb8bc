/*
 * env.c - the environment: getenv, setenv, unsetenv. environ starts as
 * the kernel's array; the first change copies it into malloc'd memory
 * (strings set by setenv are malloc'd too and never freed, since a
 * program may still hold the pointer getenv gave it).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char **owned;	/* environ, once it is our own copy */

/* The index of name's entry in environ, or -1. */
static int find(const char *name, size_t len)
{
	for (int i = 0; environ && environ[i]; i++)
		if (strncmp(environ[i], name, len) == 0 &&
		    environ[i][len] == '=')
			return i;
	return -1;
}

char *getenv(const char *name)
{
	size_t len = strlen(name);
	int i = find(name, len);

	return i < 0 ? NULL : environ[i] + len + 1;
}

/* Makes environ our own array with room for one more entry. */
static int own_with_room(void)
{
	int n = 0;

	while (environ && environ[n])
		n++;
	bool mine = owned && owned == environ;
	char **e = mine ? realloc(owned, (n + 2) * sizeof(char *))
			: malloc((n + 2) * sizeof(char *));
	if (!e)
		return -1;
	if (!mine)
		for (int i = 0; i < n; i++)
			e[i] = environ[i];
	e[n] = NULL;
	owned = environ = e;
	return n;
}

int setenv(const char *name, const char *value, int overwrite)
{
	size_t len = strlen(name);

	if (!len || strchr(name, '=')) {
		errno = EINVAL;
		return -1;
	}
	int i = find(name, len);
	if (i >= 0 && !overwrite)
		return 0;
	char *entry = malloc(len + strlen(value) + 2);
	if (!entry)
		return -1;
	strcpy(stpcpy(stpcpy(entry, name), "="), value);
	if (i < 0) {
		i = own_with_room();
		if (i < 0) {
			free(entry);
			return -1;
		}
		environ[i + 1] = NULL;
	}
	environ[i] = entry;
	return 0;
}

int unsetenv(const char *name)
{
	size_t len = strlen(name);
	int i;

	if (!len || strchr(name, '=')) {
		errno = EINVAL;
		return -1;
	}
	while ((i = find(name, len)) >= 0)
		for (; environ[i]; i++)
			environ[i] = environ[i + 1];
	return 0;
}
