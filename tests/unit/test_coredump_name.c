// UNIT_SOURCES: kernel/proc/coredump_name.c
/*
 * kernel.core_pattern expansion (kernel/proc/coredump_name.c), against
 * what Linux's format_corename makes of the same patterns.
 */
#include <string.h>
#include <types.h>
#include <uapi/errno.h>
#include "../../kernel/proc/coredump_name.h"
#include "unit.h"

static const struct core_name_info base = {
	.pid = 42, .tid = 43, .uid = 1000, .gid = 100, .sig = 11,
	.dumpable = 1, .time = 1700000000, .limit = 4096,
	.host = "basalt", .comm = "prog", .exe = "/bin/prog",
};

static const char *expand(const char *pattern, bool uses_pid)
{
	static char out[256];
	struct core_name_info ci = base;

	ci.pattern = pattern;
	ci.uses_pid = uses_pid;
	UT_ASSERT_EQ(core_name_format(out, sizeof(out), &ci), 0);
	return out;
}

static void test_plain_and_specifiers(void)
{
	UT_ASSERT(strcmp(expand("core", false), "core") == 0);
	UT_ASSERT(strcmp(expand("c.%p.%P.%i.%I", false), "c.42.42.43.43") == 0);
	UT_ASSERT(strcmp(expand("%u:%g:%s:%d:%c", false),
			 "1000:100:11:1:4096") == 0);
	UT_ASSERT(strcmp(expand("%t-%h-%e", false),
			 "1700000000-basalt-prog") == 0);
	UT_ASSERT(strcmp(expand("%E|%f", false), "!bin!prog|prog") == 0);
}

static void test_percent_unknown_trailing(void)
{
	UT_ASSERT(strcmp(expand("a%%b", false), "a%b") == 0);
	UT_ASSERT(strcmp(expand("a%yb", false), "ab") == 0);
	UT_ASSERT(strcmp(expand("ab%", false), "ab") == 0);
}

static void test_uses_pid(void)
{
	UT_ASSERT(strcmp(expand("core", true), "core.42") == 0);
	UT_ASSERT(strcmp(expand("core.%p", true), "core.42") == 0);
	/* Only %p counts as naming the pid. */
	UT_ASSERT(strcmp(expand("core.%P", true), "core.42.42") == 0);
}

static void test_escaping(void)
{
	struct core_name_info ci = base;
	char out[64];

	ci.pattern = "x/%e/%h";
	ci.comm = "a/b";
	ci.host = "..";
	UT_ASSERT_EQ(core_name_format(out, sizeof(out), &ci), 0);
	UT_ASSERT(strcmp(out, "x/a!b/!.") == 0);	/* literal '/' stays */
	ci.pattern = "%e";
	ci.comm = "";
	UT_ASSERT_EQ(core_name_format(out, sizeof(out), &ci), 0);
	UT_ASSERT(strcmp(out, "!") == 0);
	ci.comm = ".";
	UT_ASSERT_EQ(core_name_format(out, sizeof(out), &ci), 0);
	UT_ASSERT(strcmp(out, "!") == 0);
}

static void test_too_long(void)
{
	struct core_name_info ci = base;
	char out[8];

	ci.pattern = "core.%p";
	UT_ASSERT_EQ(core_name_format(out, sizeof(out), &ci), 0);
	ci.pattern = "core.%p%p";
	UT_ASSERT_EQ(core_name_format(out, sizeof(out), &ci), -ENAMETOOLONG);
	ci.pattern = "12345678";
	UT_ASSERT_EQ(core_name_format(out, sizeof(out), &ci), -ENAMETOOLONG);
}

UNIT_MAIN(UNIT_CASE(test_plain_and_specifiers),
	  UNIT_CASE(test_percent_unknown_trailing), UNIT_CASE(test_uses_pid),
	  UNIT_CASE(test_escaping), UNIT_CASE(test_too_long))
