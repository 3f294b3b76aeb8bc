// UNIT_SOURCES: kernel/fs/path.c
/*
 * Path strings (kernel/fs/path.c): component splitting as lookup sees it,
 * lexical normalisation as the initramfs unpacker uses it, and the
 * backwards path builder behind getcwd and /proc links.
 */
#include <string.h>
#include <types.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include "../../kernel/fs/path.h"
#include "unit.h"

/* Split p into "name/type" words joined by spaces, e.g. "a:N .:D ..:P". */
static int split(const char *p, char *out, size_t size)
{
	struct path_comp c;
	size_t len = 0;
	int r;

	out[0] = '\0';
	while ((r = path_next_comp(&p, &c)) > 0) {
		char t = c.type == COMP_DOT ? 'D' :
			 c.type == COMP_DOTDOT ? 'P' : 'N';

		UT_ASSERT(len + c.len + 4 < size);
		if (len)
			out[len++] = ' ';
		memcpy(out + len, c.name, c.len);
		len += c.len;
		out[len++] = ':';
		out[len++] = t;
		out[len] = '\0';
	}
	return r;
}

static void test_split_basic(void)
{
	char out[256];

	UT_ASSERT_EQ(split("//a/./b/../c", out, sizeof(out)), 0);
	UT_ASSERT(strcmp(out, "a:N .:D b:N ..:P c:N") == 0);
	UT_ASSERT_EQ(split("a", out, sizeof(out)), 0);
	UT_ASSERT(strcmp(out, "a:N") == 0);
	UT_ASSERT_EQ(split("...", out, sizeof(out)), 0);
	UT_ASSERT(strcmp(out, "...:N") == 0);
	UT_ASSERT_EQ(split(".a/..b", out, sizeof(out)), 0);
	UT_ASSERT(strcmp(out, ".a:N ..b:N") == 0);
}

static void test_split_root_and_empty(void)
{
	char out[16];

	/* "/" and "" have no components; lookup turns "" into ENOENT. */
	UT_ASSERT_EQ(split("/", out, sizeof(out)), 0);
	UT_ASSERT(out[0] == '\0');
	UT_ASSERT_EQ(split("////", out, sizeof(out)), 0);
	UT_ASSERT(out[0] == '\0');
	UT_ASSERT_EQ(split("", out, sizeof(out)), 0);
	UT_ASSERT(out[0] == '\0');
}

static void test_trailing_slash(void)
{
	const char *p = "dir//";
	struct path_comp c;

	UT_ASSERT_EQ(path_next_comp(&p, &c), 1);
	UT_ASSERT_EQ(c.len, 3);
	/* The cursor stops at the slash: lookup sees "last, with slash". */
	UT_ASSERT(*p == '/');
	UT_ASSERT(path_at_end(p));
	UT_ASSERT_EQ(path_next_comp(&p, &c), 0);
	p = "a/b";
	UT_ASSERT_EQ(path_next_comp(&p, &c), 1);
	UT_ASSERT(!path_at_end(p));
}

static void test_name_max(void)
{
	char name[NAME_MAX + 4];
	const char *p = name;
	struct path_comp c;

	memset(name, 'x', NAME_MAX);
	name[NAME_MAX] = '\0';
	UT_ASSERT_EQ(path_next_comp(&p, &c), 1);
	UT_ASSERT_EQ(c.len, NAME_MAX);
	memset(name, 'x', NAME_MAX + 1);
	name[NAME_MAX + 1] = '\0';
	p = name;
	UT_ASSERT_EQ(path_next_comp(&p, &c), -ENAMETOOLONG);
	/* "a/" then 256 bytes: the long component fails when reached. */
	name[0] = 'a';
	name[1] = '/';
	memset(name + 2, 'x', NAME_MAX + 1);
	name[NAME_MAX + 3] = '\0';
	p = name;
	UT_ASSERT_EQ(path_next_comp(&p, &c), 1);
	UT_ASSERT_EQ(c.len, 1);
	UT_ASSERT_EQ(path_next_comp(&p, &c), -ENAMETOOLONG);
}

static void check_norm(const char *in, const char *want)
{
	char out[64];
	long r = path_normalize(in, out, sizeof(out));

	if (r < 0 || strcmp(out, want) != 0)
		unit_fail(__FILE__, __LINE__, "normalize(\"%s\") = %ld \"%s\", "
			  "want \"%s\"", in, r, r < 0 ? "" : out, want);
	UT_ASSERT_EQ(r, (long)strlen(want));
}

static void test_normalize(void)
{
	check_norm("//a/./b/../c", "a/c");
	check_norm("./bin/sh", "bin/sh");
	check_norm("/etc/", "etc");
	check_norm(".", "");
	check_norm("/", "");
	check_norm("", "");
	check_norm("../../x", "x");
	check_norm("a/b/../../..", "");
	check_norm("a//b///c", "a/b/c");
}

static void test_normalize_limits(void)
{
	char big[NAME_MAX + 2], out[8];

	memset(big, 'y', NAME_MAX + 1);
	big[NAME_MAX + 1] = '\0';
	UT_ASSERT_EQ(path_normalize(big, out, sizeof(out)), -ENAMETOOLONG);
	UT_ASSERT_EQ(path_normalize("abcdefgh", out, sizeof(out)),
		     -ENAMETOOLONG);
	UT_ASSERT_EQ(path_normalize("abcdefg", out, sizeof(out)), 7);
	UT_ASSERT_EQ(path_normalize("a/b/c/d", out, sizeof(out)), 7);
	UT_ASSERT_EQ(path_normalize("a/b/c/de", out, sizeof(out)),
		     -ENAMETOOLONG);
}

static void test_pathbuf(void)
{
	char buf[16];
	struct pathbuf pb;

	pathbuf_init(&pb, buf, sizeof(buf));
	UT_ASSERT(strcmp(pathbuf_str(&pb), "/") == 0);
	pathbuf_init(&pb, buf, sizeof(buf));
	pathbuf_prepend_comp(&pb, "c", 1);
	pathbuf_prepend_comp(&pb, "bb", 2);
	pathbuf_prepend_comp(&pb, "a", 1);
	UT_ASSERT(strcmp(pathbuf_str(&pb), "/a/bb/c") == 0);
	/* 15 characters fit in 16 bytes, 16 do not. */
	pathbuf_init(&pb, buf, sizeof(buf));
	pathbuf_prepend_comp(&pb, "12345678901234", 14);
	UT_ASSERT(strcmp(pathbuf_str(&pb), "/12345678901234") == 0);
	pathbuf_init(&pb, buf, sizeof(buf));
	pathbuf_prepend_comp(&pb, "123456789012345", 15);
	UT_ASSERT(pathbuf_str(&pb) == NULL);
}

UNIT_MAIN(UNIT_CASE(test_split_basic), UNIT_CASE(test_split_root_and_empty),
	  UNIT_CASE(test_trailing_slash), UNIT_CASE(test_name_max),
	  UNIT_CASE(test_normalize), UNIT_CASE(test_normalize_limits),
	  UNIT_CASE(test_pathbuf))
