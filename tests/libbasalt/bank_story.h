/*
 * bank_story.h - for the tests that run the bank demonstration
 * (user/bin/bank.c: demos.c, bank_smp.c): check one locked run's output.
 * Header-only (static functions).
 */
#ifndef BASALT_TESTS_BANK_STORY_H
#define BASALT_TESTS_BANK_STORY_H

#include <stdlib.h>
#include <string.h>
#include "t.h"

/* Parses "PREFIX<n>SUFFIX" exactly; 0 on success. */
static inline int parse_amount(const char *line, const char *prefix,
			       const char *suffix, long *n)
{
	size_t len = strlen(prefix);
	char *end;

	if (strncmp(line, prefix, len) != 0)
		return -1;
	*n = strtol(line + len, &end, 10);
	return end == line + len || strcmp(end, suffix) != 0 ? -1 : 0;
}

/*
 * Checks one locked run's output: each line's balance follows from the
 * one before by its own deposit or withdrawal. Fails the case if not.
 */
static inline void check_bank_story(char *out, int run)
{
	long balance = 1000, n;
	int father = 0, child = 0, final = 0;

	for (char *line = out, *nl; (nl = strchr(line, '\n')); line = nl + 1) {
		*nl = '\0';
		if (final)
			T_FAIL("run %d: a line after the final one: \"%s\"",
			       run, line);
		if (!parse_amount(line, "Father: deposited 10$, now ",
				  "$ in bank", &n)) {
			balance += 10;
			father++;
		} else if (!parse_amount(line, "Child: withdrew 20$, now ",
					 "$ in bank", &n)) {
			balance -= 20;
			child++;
		} else if (!parse_amount(line, "Final balance: ", "$", &n)) {
			final = 1;
		} else {
			T_FAIL("run %d: unexpected line \"%s\"", run, line);
		}
		if (n != balance)
			T_FAIL("run %d: \"%s\", but the balance is %ld$", run,
			       line, balance);
	}
	if (father != 100 || child != 50 || !final || balance != 1000)
		T_FAIL("run %d: %d father lines, %d child lines, final %s, "
		       "balance %ld$", run, father, child,
		       final ? "printed" : "missing", balance);
}

#endif
