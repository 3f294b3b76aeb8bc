// UNIT_SOURCES:
/*
 * The kernel's vsnprintf (kernel/lib/vsnprintf.c) against the host C
 * library's: every conversion it supports must print what printf prints.
 * The kernel file is included here under other names, so the host's
 * snprintf stays the oracle.
 *
 * Regression: the '#' flag was not parsed, so panic messages such as
 * free_pages's "frame %#lx" printed "#lx" instead of the frame number.
 */
#define vsnprintf kernel_vsnprintf
#define snprintf kernel_snprintf
#include "../../kernel/lib/vsnprintf.c"
#undef vsnprintf
#undef snprintf

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include "unit.h"

/* Some cases use flags gcc calls pointless ('+' on %u); printf defines
 * them all the same. */
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"

/* Both printers, the same format and arguments: same text, same length. */
#define SAME(...)							\
	do {								\
		char k_[128], h_[128];					\
		int kn_ = kernel_snprintf(k_, sizeof(k_), __VA_ARGS__);	\
		int hn_ = snprintf(h_, sizeof(h_), __VA_ARGS__);	\
		if (kn_ != hn_ || strcmp(k_, h_) != 0)			\
			unit_fail(__FILE__, __LINE__,			\
				  "%s: kernel \"%s\" (%d), libc \"%s\" (%d)", \
				  #__VA_ARGS__, k_, kn_, h_, hn_);	\
	} while (0)

static void test_hash_flag_printed_not_literal(void)
{
	char buf[96];

	kernel_snprintf(buf, sizeof(buf),
			"free_pages: frame %#lx is not allocated",
			0x1234UL);
	UT_ASSERT(strcmp(buf, "free_pages: frame 0x1234 is not allocated") ==
		  0);
	SAME("%#lx", 0xdeadbeefUL);
	SAME("%#x", 0u);
	SAME("%#X", 255u);
	SAME("%#o", 8u);
	SAME("%#o", 0u);
	SAME("%#08x", 31u);
	SAME("%#-8x|", 31u);
	SAME("%#8x|", 31u);
	SAME("%#10lo|", 0777UL);
}

static void test_integers(void)
{
	SAME("%d %i %u", -5, 7, 3000000000u);
	SAME("%ld %lu", LONG_MIN, ULONG_MAX);
	SAME("%lld %llx", LLONG_MIN, ULLONG_MAX);
	SAME("%zu %zd", (size_t)SIZE_MAX, (ssize_t)-1);
	SAME("%x %X %o", 0xabcu, 0xabcu, 0777u);
	SAME("%x", 0u);
	SAME("%08d|%-8d|%8d", -5, -5, -5);
	SAME("%-08d|", 42);
	SAME("%+d %+d % d % d", 5, -5, 5, -5);
	SAME("%+ d % +d", 5, 5);
	SAME("%+u % u %+x", 5u, 5u, 5u);
	SAME("%+05d|% 05d", 42, 42);
}

static void test_length_modifiers_narrow(void)
{
	SAME("%hhx %hhu %hhd", 0x1ff, 0x1ff, 255);
	SAME("%hx %hu %hd", 0x12345, 0x12345, 65535);
	SAME("%hhd %hd", -129, -32769);
}

static void test_strings_and_chars(void)
{
	SAME("%s|%5s|%-5s|%.2s|%5.1s|", "abc", "ab", "ab", "abc", "xyz");
	SAME("%c%c|%3c|%-3c|", 'a', 'b', 'c', 'd');
	SAME("100%%");
	SAME("%s", "");
}

static void test_pointer_and_null(void)
{
	char buf[64];

	/* Not printf's: always 0x and 16 digits, so addresses line up. */
	kernel_snprintf(buf, sizeof(buf), "%p %p", (void *)0x1234, NULL);
	UT_ASSERT(strcmp(buf, "0x0000000000001234 0x0000000000000000") == 0);
	kernel_snprintf(buf, sizeof(buf), "%s", (char *)NULL);
	UT_ASSERT(strcmp(buf, "(null)") == 0);
}

static void test_truncation(void)
{
	char buf[4] = "zzz";

	UT_ASSERT_EQ(kernel_snprintf(buf, sizeof(buf), "%#lx", 0x12345UL), 7);
	UT_ASSERT(strcmp(buf, "0x1") == 0);
	UT_ASSERT_EQ(kernel_snprintf(buf, 0, "%d", 12345), 5);
	UT_ASSERT(strcmp(buf, "0x1") == 0);	/* size 0: untouched */
	UT_ASSERT_EQ(kernel_snprintf(buf, 1, "%d", 12345), 5);
	UT_ASSERT(buf[0] == '\0');
}

UNIT_MAIN(UNIT_CASE(test_hash_flag_printed_not_literal),
	  UNIT_CASE(test_integers),
	  UNIT_CASE(test_length_modifiers_narrow),
	  UNIT_CASE(test_strings_and_chars),
	  UNIT_CASE(test_pointer_and_null),
	  UNIT_CASE(test_truncation))
