// UNIT_SOURCES: kernel/lib/cpumask.c
/*
 * Sets of CPUs as Linux's sysfs prints them (kernel/lib/cpumask.c):
 * /sys/devices/system/cpu/online's list ("0-1", what glibc's
 * sysconf(_SC_NPROCESSORS_ONLN) parses) and topology's masks ("3"), with
 * snprintf's contract when the buffer is short.
 */
#include <string.h>
#include <lib/cpumask.h>
#include "unit.h"

static void expect_list(cpumask_t m, const char *want)
{
	char buf[256];
	size_t len = cpumask_print_list(buf, sizeof(buf), m);

	UT_ASSERT(len == strlen(want));
	UT_ASSERT(strcmp(buf, want) == 0);
}

static void expect_hex(cpumask_t m, unsigned int nbits, const char *want)
{
	char buf[256];
	size_t len = cpumask_print_hex(buf, sizeof(buf), m, nbits);

	UT_ASSERT(len == strlen(want));
	UT_ASSERT(strcmp(buf, want) == 0);
}

static void test_list(void)
{
	expect_list(0, "\n");
	expect_list(1, "0\n");
	expect_list(3, "0-1\n");
	expect_list(0xf, "0-3\n");
	expect_list(0xd, "0,2-3\n");
	expect_list(0xa5, "0,2,5,7\n");
	expect_list(0x80, "7\n");
	expect_list(0xff00, "8-15\n");
	expect_list(~(cpumask_t)0, "0-63\n");
	expect_list((cpumask_t)1 << 63 | 1, "0,63\n");
}

static void test_hex(void)
{
	expect_hex(1, 1, "1\n");
	expect_hex(3, 2, "3\n");
	expect_hex(0xf, 4, "f\n");
	expect_hex(2, 8, "02\n");
	expect_hex(0x1f, 5, "1f\n");
	expect_hex(0, 8, "00\n");
	expect_hex(1, 33, "0,00000001\n");
	expect_hex((cpumask_t)1 << 32 | 1, 33, "1,00000001\n");
	expect_hex(~(cpumask_t)0, 64, "ffffffff,ffffffff\n");
}

/* Short buffers: truncated, NUL-terminated, the full length returned. */
static void test_short_buffer(void)
{
	char buf[4];

	memset(buf, 'x', sizeof(buf));
	UT_ASSERT(cpumask_print_list(buf, sizeof(buf), 0xa5) == 8);
	UT_ASSERT(strcmp(buf, "0,2") == 0);
	UT_ASSERT(cpumask_print_list(buf, 0, 0xa5) == 8);
	UT_ASSERT(cpumask_print_hex(buf, sizeof(buf), 0xff, 8) == 3);
	UT_ASSERT(strcmp(buf, "ff\n") == 0);
	UT_ASSERT(cpumask_print_hex(buf, 2, 0xff, 8) == 3);
	UT_ASSERT(strcmp(buf, "f") == 0);
}

UNIT_MAIN(UNIT_CASE(test_list), UNIT_CASE(test_hex),
	  UNIT_CASE(test_short_buffer))
