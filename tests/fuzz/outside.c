/*
 * outside.c - that a run made nothing outside its sandbox. The workers'
 * names are relative to their working directory or under FZ_SANDBOX
 * (paths.c), so a worker that lost the sandbox would make its files
 * where it stands; those are no leak of the kernel's, but they hold
 * memory after the run, and the leak check would blame the kernel. The
 * directories a lost worker could stand in - the supervisor's "/" and
 * FZ_ROOT's "/tmp" - are listed before the run and compared after it.
 */
#define _GNU_SOURCE
#include "fuzz.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>

#define FZ_OUTSIDE_MAX	128	/* names a watched directory may hold */

static const char *const watched[] = { "/", "/tmp" };
static char names[sizeof(watched) / sizeof(watched[0])][FZ_OUTSIDE_MAX][64];
static int counts[sizeof(watched) / sizeof(watched[0])];

static int known(int w, const char *name)
{
	for (int i = 0; i < counts[w]; i++)
		if (strcmp(names[w][i], name) == 0)
			return 1;
	return 0;
}

void fz_outside_snapshot(void)
{
	for (size_t w = 0; w < sizeof(watched) / sizeof(watched[0]); w++) {
		DIR *d = opendir(watched[w]);
		struct dirent *e;

		counts[w] = 0;
		while (d && (e = readdir(d)) != NULL &&
		       counts[w] < FZ_OUTSIDE_MAX)
			snprintf(names[w][counts[w]++], sizeof(names[w][0]),
				 "%s", e->d_name);
		if (d)
			closedir(d);
	}
}

int fz_outside_check(void)
{
	int found = 0;

	for (size_t w = 0; w < sizeof(watched) / sizeof(watched[0]); w++) {
		DIR *d = opendir(watched[w]);
		struct dirent *e;

		while (d && (e = readdir(d)) != NULL) {
			if (known((int)w, e->d_name))
				continue;
			for (char *c = e->d_name; *c; c++)
				if (*c < ' ' || *c > '~')
					*c = '?';	/* fuzzed names */
			printf("fuzz: FAIL: made outside the sandbox: %s%s%s\n",
			       watched[w], w ? "/" : "", e->d_name);
			found = 1;
		}
		if (d)
			closedir(d);
	}
	return found ? -1 : 0;
}
