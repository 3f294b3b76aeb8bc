// UNIT_SOURCES: kernel/fs/cpio.c
/*
 * The newc cpio reader (kernel/fs/cpio.c) on good archives and on every
 * kind of damage: truncation anywhere, bad magic and hex digits, names
 * without their NUL or running past the end, sizes past the end, bad
 * checksums. Archives are built in exactly-sized heap buffers, so ASan
 * catches any read past the end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <types.h>
#include <uapi/errno.h>
#include "../../kernel/fs/cpio.h"
#include "unit.h"

struct arch {
	char buf[8192];
	size_t len;
};

static void pad4(struct arch *a)
{
	while (a->len % 4)
		a->buf[a->len++] = '\0';
}

/* Append one entry; namesize/filesize override the true ones if >= 0. */
static void add_raw(struct arch *a, const char *magic, const char *name,
		    unsigned int mode, const char *data, size_t size,
		    long namesize, long filesize, unsigned int check)
{
	size_t nlen = strlen(name) + 1;

	a->len += (size_t)sprintf(a->buf + a->len,
		"%s%08X%08X%08X%08X%08X%08X%08lX%08X%08X%08X%08X%08lX%08X",
		magic, 7, mode, 0, 0, 1, 1234,
		filesize >= 0 ? (unsigned long)filesize : (unsigned long)size,
		0, 0, 1, 3,
		namesize >= 0 ? (unsigned long)namesize : (unsigned long)nlen,
		check);
	memcpy(a->buf + a->len, name, nlen);
	a->len += nlen;
	pad4(a);
	memcpy(a->buf + a->len, data, size);
	a->len += size;
	pad4(a);
}

static void add(struct arch *a, const char *name, unsigned int mode,
		const char *data)
{
	add_raw(a, "070701", name, mode, data, strlen(data), -1, -1, 0);
}

static void add_trailer(struct arch *a)
{
	add(a, "TRAILER!!!", 0, "");
}

/* Run the reader over an exact-size copy of a's first len bytes;
 * returns the final status and counts entries. */
static int run(const struct arch *a, size_t len, int *entries,
	       struct cpio_entry *last)
{
	char *copy = malloc(len ? len : 1);
	struct cpio_reader r;
	struct cpio_entry e;
	int n;

	memcpy(copy, a->buf, len);
	cpio_reader_init(&r, copy, len);
	*entries = 0;
	while ((n = cpio_next(&r, &e)) > 0) {
		(*entries)++;
		UT_ASSERT(e.name >= copy && e.name + e.name_len < copy + len);
		UT_ASSERT(e.size == 0 || ((const char *)e.data >= copy &&
			  (const char *)e.data + e.size <= copy + len));
		if (last)
			*last = e;
	}
	free(copy);
	return n;
}

static void test_good_archive(void)
{
	struct arch a = { .len = 0 };
	struct cpio_reader r;
	struct cpio_entry e;

	add(&a, "./bin", 040755, "");
	add(&a, "bin/hello", 0100755, "hello world\n");
	add(&a, "bin/sh", 0120777, "busybox");
	add_trailer(&a);
	cpio_reader_init(&r, a.buf, a.len);
	UT_ASSERT_EQ(cpio_next(&r, &e), 1);
	UT_ASSERT(strcmp(e.name, "./bin") == 0 && e.mode == 040755);
	UT_ASSERT_EQ(cpio_next(&r, &e), 1);
	UT_ASSERT(strcmp(e.name, "bin/hello") == 0);
	UT_ASSERT_EQ(e.size, 12);
	UT_ASSERT(memcmp(e.data, "hello world\n", 12) == 0);
	UT_ASSERT_EQ(e.mtime, 1234);
	UT_ASSERT_EQ(e.rdevmajor, 1);
	UT_ASSERT_EQ(e.rdevminor, 3);
	UT_ASSERT_EQ(cpio_next(&r, &e), 1);
	UT_ASSERT(e.size == 7 && memcmp(e.data, "busybox", 7) == 0);
	UT_ASSERT_EQ(cpio_next(&r, &e), 0);
	UT_ASSERT_EQ(cpio_next(&r, &e), 0);	/* stays at the end */
}

static void test_empty_and_padding(void)
{
	struct arch a = { .len = 0 };
	int n;

	UT_ASSERT_EQ(run(&a, 0, &n, NULL), 0);
	UT_ASSERT_EQ(n, 0);
	/* A lone trailer, then zero padding, then a second archive. */
	add_trailer(&a);
	memset(a.buf + a.len, 0, 512);
	a.len += 512;
	add(&a, "x", 0100644, "abc");
	add_trailer(&a);
	memset(a.buf + a.len, 0, 3);
	a.len += 3;
	UT_ASSERT_EQ(run(&a, a.len, &n, NULL), 0);
	UT_ASSERT_EQ(n, 1);
}

/* Every prefix of a good archive parses or fails cleanly. */
static void test_truncation_everywhere(void)
{
	struct arch a = { .len = 0 };
	int n, full;

	add(&a, "dir", 040755, "");
	add(&a, "dir/file", 0100644, "some file contents");
	add_trailer(&a);
	UT_ASSERT_EQ(run(&a, a.len, &full, NULL), 0);
	UT_ASSERT_EQ(full, 2);
	for (size_t len = 0; len < a.len; len++) {
		int r = run(&a, len, &n, NULL);

		UT_ASSERT(r == 0 || r == -EINVAL);
		UT_ASSERT(n <= full);
	}
}

static void test_bad_magic_and_hex(void)
{
	struct arch a = { .len = 0 };
	int n;

	add_raw(&a, "070707", "x", 0100644, "", 0, -1, -1, 0);	/* odc */
	UT_ASSERT_EQ(run(&a, a.len, &n, NULL), -EINVAL);
	a.len = 0;
	add(&a, "x", 0100644, "data");
	a.buf[6 + 8 + 3] = 'g';				/* in c_mode */
	UT_ASSERT_EQ(run(&a, a.len, &n, NULL), -EINVAL);
	a.len = 0;
	add(&a, "x", 0100644, "data");
	a.buf[10] = 'a';				/* lower case ok */
	UT_ASSERT_EQ(run(&a, a.len, &n, NULL), 0);
	/* Junk after the trailer is not an archive. */
	add_trailer(&a);
	memcpy(a.buf + a.len, "junkjunk", 8);
	a.len += 8;
	UT_ASSERT_EQ(run(&a, a.len, &n, NULL), -EINVAL);
	UT_ASSERT_EQ(n, 1);
}

static void test_name_overflows(void)
{
	struct arch a = { .len = 0 };
	int n;

	/* namesize 0, namesize past the end, a name without its NUL, and
	 * a NUL inside the name. */
	add_raw(&a, "070701", "x", 0100644, "", 0, 0, -1, 0);
	UT_ASSERT_EQ(run(&a, a.len, &n, NULL), -EINVAL);
	a.len = 0;
	add_raw(&a, "070701", "x", 0100644, "", 0, 0x7fffffff, -1, 0);
	UT_ASSERT_EQ(run(&a, a.len, &n, NULL), -EINVAL);
	a.len = 0;
	add_raw(&a, "070701", "abcd", 0100644, "", 0, 0xffffffff, -1, 0);
	UT_ASSERT_EQ(run(&a, a.len, &n, NULL), -EINVAL);
	a.len = 0;
	add_raw(&a, "070701", "abcd", 0100644, "", 0, 3, -1, 0);
	UT_ASSERT_EQ(run(&a, a.len, &n, NULL), -EINVAL);
	a.len = 0;
	add_raw(&a, "070701", "ab", 0100644, "", 0, 5, -1, 0);
	UT_ASSERT_EQ(run(&a, a.len, &n, NULL), -EINVAL);
}

static void test_size_overflows(void)
{
	struct arch a = { .len = 0 };
	int n;

	add_raw(&a, "070701", "f", 0100644, "abc", 3, -1, 0xffffffff, 0);
	UT_ASSERT_EQ(run(&a, a.len, &n, NULL), -EINVAL);
	a.len = 0;
	add_raw(&a, "070701", "f", 0100644, "abc", 3, -1, 5, 0);
	UT_ASSERT_EQ(run(&a, a.len, &n, NULL), -EINVAL);
	/* The last entry may end without its padding. */
	a.len = 0;
	add(&a, "f", 0100644, "abcde");
	UT_ASSERT_EQ(run(&a, a.len - 3, &n, NULL), 0);
	UT_ASSERT_EQ(n, 1);
}

static void test_checksum(void)
{
	struct arch a = { .len = 0 };
	struct cpio_entry e;
	int n;

	add_raw(&a, "070702", "f", 0100644, "AB", 2, -1, -1, 'A' + 'B');
	UT_ASSERT_EQ(run(&a, a.len, &n, &e), 0);
	UT_ASSERT_EQ(n, 1);
	a.len = 0;
	add_raw(&a, "070702", "f", 0100644, "AB", 2, -1, -1, 1);
	UT_ASSERT_EQ(run(&a, a.len, &n, NULL), -EINVAL);
}

/* Random damage never makes the reader step outside the buffer. */
static void test_random_corruption(void)
{
	struct arch a = { .len = 0 };
	struct arch b;
	int n;

	add(&a, "a", 040755, "");
	add(&a, "a/b", 0100644, "0123456789abcdef");
	add(&a, "a/c", 0120777, "b");
	add_trailer(&a);
	for (int i = 0; i < 20000; i++) {
		b = a;
		for (int k = 0; k < 4; k++) {
			size_t at = unit_rand_below(b.len);

			b.buf[at] = unit_rand_below(4) ? "0123456789abcdef"
				[unit_rand_below(16)] : (char)unit_rand();
		}
		int r = run(&b, unit_rand_below(b.len + 1), &n, NULL);
		UT_ASSERT(r == 0 || r == -EINVAL);
	}
}

UNIT_MAIN(UNIT_CASE(test_good_archive), UNIT_CASE(test_empty_and_padding),
	  UNIT_CASE(test_truncation_everywhere),
	  UNIT_CASE(test_bad_magic_and_hex), UNIT_CASE(test_name_overflows),
	  UNIT_CASE(test_size_overflows), UNIT_CASE(test_checksum),
	  UNIT_CASE(test_random_corruption))
