// UNIT_SOURCES: kernel/proc/exec_script_line.c
/*
 * The "#!" line parser of execve against Linux's binfmt_script rules:
 * name and one argument, blanks trimmed around both and kept inside the
 * argument, the line ending at a newline (looked for up to a NUL), the
 * 256-byte head without a newline, and the lines that name nothing.
 */
#include <stdio.h>
#include <string.h>
#include <uapi/errno.h>
#include <proc/script.h>
#include "unit.h"

static char buf[SCRIPT_HEAD_SIZE];
static char *name, *arg;

static int parse(const char *text, size_t len)
{
	memset(buf, 0, sizeof(buf));
	memcpy(buf, text, MIN(len, sizeof(buf)));
	return script_parse_line(buf, &name, &arg);
}

#define PARSE(text) parse(text, sizeof(text) - 1)

static void expect(const char *text, size_t len, const char *want_name,
		   const char *want_arg)
{
	UT_ASSERT_EQ(parse(text, len), 0);
	UT_ASSERT(strcmp(name, want_name) == 0);
	if (want_arg)
		UT_ASSERT(arg && strcmp(arg, want_arg) == 0);
	else
		UT_ASSERT(arg == NULL);
}

#define EXPECT(text, n, a) expect(text, sizeof(text) - 1, n, a)

static void test_name_and_argument(void)
{
	EXPECT("#!/bin/sh\n", "/bin/sh", NULL);
	EXPECT("#!/bin/sh -e\necho\n", "/bin/sh", "-e");
	EXPECT("#! \t/bin/sh \t -x  y \t\n", "/bin/sh", "-x  y");
	EXPECT("#!/usr/bin/env python3 -u\n", "/usr/bin/env", "python3 -u");
	EXPECT("#!/bin/sh\t\n", "/bin/sh", NULL);
}

static void test_no_newline(void)
{
	EXPECT("#!/bin/sh", "/bin/sh", NULL);		/* a short file */
	EXPECT("#!/bin/sh -e", "/bin/sh", "-e");
	/* A NUL ends the search for the newline: this line is cut there. */
	expect("#!/bin/sh\0-e\n", 13, "/bin/sh", NULL);
}

static void test_names_nothing(void)
{
	UT_ASSERT_EQ(PARSE("#!\n"), -ENOEXEC);
	UT_ASSERT_EQ(PARSE("#!   \t\n/bin/sh\n"), -ENOEXEC);
	/* A file of just "#!": the NUL after it is taken for the name, as
	 * by Linux, whose open of "" then fails with ENOENT. */
	EXPECT("#!", "", NULL);
}

/* 256 bytes without a newline: fine if the name ends inside them (the
 * argument is cut), -ENOEXEC if the name runs to the end. */
static void test_full_head(void)
{
	char text[300];

	memset(text, 'a', sizeof(text));
	memcpy(text, "#!/", 3);
	UT_ASSERT_EQ(parse(text, sizeof(text)), -ENOEXEC);
	memcpy(text, "#!/bin/sh ", 10);
	UT_ASSERT_EQ(parse(text, sizeof(text)), 0);
	UT_ASSERT(strcmp(name, "/bin/sh") == 0);
	UT_ASSERT_EQ(strlen(arg), SCRIPT_HEAD_SIZE - 10 - 1);
}

UNIT_MAIN(UNIT_CASE(test_name_and_argument), UNIT_CASE(test_no_newline),
	  UNIT_CASE(test_names_nothing), UNIT_CASE(test_full_head))
