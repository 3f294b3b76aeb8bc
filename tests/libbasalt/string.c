/*
 * string.c - libbasalt's string.h, ctype.h and stdlib.h basics, with the
 * results C (and glibc) give: memory functions on overlapping and
 * unaligned ranges, comparisons as unsigned char, copies that terminate
 * or pad, searches, tokens, strto* bases, signs, overflow and end
 * pointers, qsort and bsearch, the environment, strerror.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "t.h"

static void case_memory(void)
{
	char buf[64];

	for (int i = 0; i < 64; i++)
		buf[i] = (char)i;
	memmove(buf + 3, buf + 1, 40);		/* overlap, forwards */
	CHECK_EQ(buf[3], 1);
	CHECK_EQ(buf[42], 40);
	memmove(buf + 1, buf + 3, 40);		/* overlap, backwards */
	CHECK_EQ(buf[1], 1);
	CHECK_EQ(buf[40], 40);
	memset(buf + 1, 0x5a, 37);		/* unaligned */
	CHECK_EQ(buf[0], 0);
	CHECK_EQ(buf[37], 0x5a);
	CHECK_EQ(buf[38], 38);
	memcpy(buf + 5, "abcdefghijklmnop", 16);
	CHECK(memcmp(buf + 5, "abcdefghijklmnop", 16) == 0);
	CHECK(memcmp("\x80", "\x01", 1) > 0);	/* unsigned */
	CHECK(memchr(buf, 'e', 64) == buf + 9);
	CHECK(memchr(buf, 'z', 20) == NULL);
	const char *abc = "abcabc";
	CHECK(memrchr(abc, 'b', 6) == abc + 4);
}

static void case_strings(void)
{
	char buf[32];

	CHECK_EQ(strlen(""), 0);
	CHECK_EQ(strlen("hello"), 5);
	CHECK_EQ(strnlen("hello", 3), 3);
	CHECK(strcmp("abc", "abd") < 0);
	CHECK(strcmp("abc", "ab") > 0);
	CHECK(strcmp("\xff", "a") > 0);		/* unsigned */
	CHECK_EQ(strncmp("abcX", "abcY", 3), 0);
	CHECK_EQ(strcasecmp("HeLLo", "hello"), 0);
	CHECK(strncasecmp("ABx", "aby", 3) < 0);
	CHECK(strcmp(strcpy(buf, "one"), "one") == 0);
	CHECK(stpcpy(buf, "two") == buf + 3);
	CHECK(strcmp(strcat(buf, "+three"), "two+three") == 0);
	CHECK(strcmp(strncat(buf, "45678", 2), "two+three45") == 0);
	memset(buf, 'x', sizeof(buf));
	strncpy(buf, "ab", 5);
	CHECK(memcmp(buf, "ab\0\0\0x", 6) == 0);	/* padded */
	CHECK_EQ(strlcpy(buf, "truncate me", 5), 11);
	CHECK(strcmp(buf, "trun") == 0);
	CHECK_EQ(strlcat(buf, "cated", 8), 9);
	CHECK(strcmp(buf, "truncat") == 0);
	const char *s = "hello";
	CHECK(strchr(s, 'l') == s + 2);
	CHECK(strrchr(s, 'l') == s + 3);
	CHECK(strchr(s, '\0') == s + 5);
	CHECK(strchr(s, 'z') == NULL);
	CHECK(strstr(s, "llo") == s + 2);
	CHECK(strstr(s, "") == s);
	CHECK(strstr(s, "lol") == NULL);
	CHECK_EQ(strspn("aabbc", "ab"), 4);
	CHECK_EQ(strcspn("hello, world", ", "), 5);
	CHECK(strpbrk(s, "xyo") == s + 4);
	char *d = strdup("copy");
	CHECK(strcmp(d, "copy") == 0);
	free(d);
	d = strndup("copy", 2);
	CHECK(strcmp(d, "co") == 0);
	free(d);
}

static void case_strtok(void)
{
	char text[] = "  one,two,,three  ";
	char *save;

	CHECK(strcmp(strtok_r(text, " ,", &save), "one") == 0);
	CHECK(strcmp(strtok_r(NULL, " ,", &save), "two") == 0);
	CHECK(strcmp(strtok_r(NULL, " ,", &save), "three") == 0);
	CHECK(strtok_r(NULL, " ,", &save) == NULL);
}

static void case_ctype(void)
{
	CHECK(isalpha('a') && isalpha('Z') && !isalpha('1'));
	CHECK(isdigit('7') && !isdigit('a'));
	CHECK(isxdigit('f') && isxdigit('F') && !isxdigit('g'));
	CHECK(isspace(' ') && isspace('\n') && isspace('\v') && !isspace('x'));
	CHECK(ispunct('!') && !ispunct('a') && !ispunct(' '));
	CHECK(isprint(' ') && !isprint('\t') && isgraph('~') && !isgraph(' '));
	CHECK(iscntrl(127) && !iscntrl('a'));
	CHECK(!isalpha(EOF) && !isalpha(200));
	CHECK_EQ(toupper('q'), 'Q');
	CHECK_EQ(tolower('Q'), 'q');
	CHECK_EQ(toupper('1'), '1');
}

static void case_strtol(void)
{
	char *end;

	CHECK_EQ(strtol("  -42xyz", &end, 10), -42);
	CHECK(strcmp(end, "xyz") == 0);
	CHECK_EQ(strtol("0x1F", NULL, 0), 31);
	CHECK_EQ(strtol("0x1F", NULL, 16), 31);
	CHECK_EQ(strtol("017", NULL, 0), 15);
	CHECK_EQ(strtol("z", NULL, 36), 35);
	CHECK_EQ(strtol("0x", &end, 16), 0);	/* "0", then "x" */
	CHECK(strcmp(end, "x") == 0);
	CHECK_EQ(strtol("abc", &end, 10), 0);	/* no digits */
	CHECK(strcmp(end, "abc") == 0);
	errno = 0;
	CHECK_EQ(strtol("99999999999999999999", NULL, 10), LONG_MAX);
	CHECK_EQ(errno, ERANGE);
	errno = 0;
	CHECK_EQ(strtol("-9223372036854775808", NULL, 10), LONG_MIN);
	CHECK_EQ(errno, 0);
	CHECK_EQ(strtol("-9223372036854775809", NULL, 10), LONG_MIN);
	CHECK_EQ(errno, ERANGE);
	errno = 0;
	CHECK_EQ(strtoul("-1", NULL, 10), ULONG_MAX);	/* negated */
	CHECK_EQ(errno, 0);
	CHECK_EQ(strtoull("18446744073709551615", NULL, 10), ULLONG_MAX);
	CHECK_EQ(strtoull("18446744073709551616", NULL, 10), ULLONG_MAX);
	CHECK_EQ(errno, ERANGE);
	CHECK_EQ(atoi(" +123"), 123);
	CHECK_EQ(atol("-7"), -7);
	CHECK_EQ(atoll("1234567890123"), 1234567890123LL);
	CHECK_EQ(abs(-3) + labs(-4L) + llabs(-5LL), 12);
	div_t q = div(-7, 2);
	CHECK(q.quot == -3 && q.rem == -1);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static void case_qsort_bsearch(void)
{
	int v[200];

	srand(7);
	for (int i = 0; i < 200; i++)
		v[i] = rand() % 1000 - 500;
	qsort(v, 200, sizeof(int), cmp_int);
	for (int i = 1; i < 200; i++)
		CHECK(v[i - 1] <= v[i]);
	for (int i = 0; i < 200; i += 17) {
		int *hit = bsearch(&v[i], v, 200, sizeof(int), cmp_int);
		CHECK(hit && *hit == v[i]);
	}
	int missing = 10000;
	CHECK(bsearch(&missing, v, 200, sizeof(int), cmp_int) == NULL);
	qsort(v, 0, sizeof(int), cmp_int);
	qsort(v, 1, sizeof(int), cmp_int);
}

static void case_environment(void)
{
	CHECK(getenv("NO_SUCH_VARIABLE_HERE") == NULL);
	CHECK_OK(setenv("BASALT_T", "one", 1));
	CHECK(strcmp(getenv("BASALT_T"), "one") == 0);
	CHECK_OK(setenv("BASALT_T", "two", 0));		/* kept */
	CHECK(strcmp(getenv("BASALT_T"), "one") == 0);
	CHECK_OK(setenv("BASALT_T", "three", 1));
	CHECK(strcmp(getenv("BASALT_T"), "three") == 0);
	CHECK_ERR(setenv("A=B", "x", 1), EINVAL);
	CHECK_OK(unsetenv("BASALT_T"));
	CHECK(getenv("BASALT_T") == NULL);
	for (int i = 0; i < 50; i++) {
		char name[16] = "V00";

		name[1] = (char)('0' + i / 10);
		name[2] = (char)('0' + i % 10);
		CHECK_OK(setenv(name, name, 1));
	}
	CHECK(strcmp(getenv("V42"), "V42") == 0);
}

static void case_strerror(void)
{
	CHECK(strcmp(strerror(ENOENT), "No such file or directory") == 0);
	CHECK(strcmp(strerror(0), "Success") == 0);
	CHECK(strcmp(strerror(9999), "Unknown error 9999") == 0);
	CHECK(strcmp(strerror(-3), "Unknown error -3") == 0);
}

static const struct t_case cases[] = {
	{ case_memory, "memory" },
	{ case_strings, "strings" },
	{ case_strtok, "strtok" },
	{ case_ctype, "ctype" },
	{ case_strtol, "strtol" },
	{ case_qsort_bsearch, "qsort_bsearch" },
	{ case_environment, "environment" },
	{ case_strerror, "strerror" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
