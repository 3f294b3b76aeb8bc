// UNIT_SOURCES: kernel/ipc/msgutil.c
/*
 * System V message buffers and message selection (kernel/ipc/msgutil.c):
 * text split into page-sized pieces survives a round trip at every piece
 * boundary, a fault in any piece frees everything (LeakSanitizer watches),
 * MSG_COPY's copy, and msgrcv's choice of message for every msgtyp and
 * flag, as Linux's convert_mode and find_msg make it.
 */
#include <stdlib.h>
#include <string.h>

#include <uapi/errno.h>
#include <uapi/ipc.h>
#include <mm/layout.h>
#include "../../kernel/ipc/msg.h"
#include "unit.h"

/* ---- User memory: plain host memory, with one range that faults ------ */

static const char *fault_lo, *fault_hi;

static bool faults(const void *p, size_t n)
{
	const char *a = p;

	return n && a < fault_hi && a + n > fault_lo;
}

int copy_from_user(void *dst, const void __user *src, size_t n)
{
	if (faults(src, n))
		return -EFAULT;
	memcpy(dst, src, n);
	return 0;
}

int copy_to_user(void __user *dst, const void *src, size_t n)
{
	if (faults(dst, n))
		return -EFAULT;
	memcpy(dst, src, n);
	return 0;
}

/* The text capacity of the first piece and of the others. */
#define FIRST	(PAGE_SIZE - sizeof(struct msg_msg))
#define OTHER	(PAGE_SIZE - sizeof(void *))

static char *pattern(size_t len, unsigned int seed)
{
	char *p = malloc(len + 1);

	for (size_t i = 0; i < len; i++)
		p[i] = (char)(i * 131 + i / 977 + seed);
	return p;
}

static void test_round_trip(void)
{
	static const size_t sizes[] = {
		0, 1, FIRST - 1, FIRST, FIRST + 1, FIRST + OTHER - 1,
		FIRST + OTHER, FIRST + OTHER + 1, FIRST + 3 * OTHER + 5, 100000,
	};

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		size_t len = sizes[i];
		char *src = pattern(len, (unsigned int)i);
		char *dst = malloc(len + 16);
		struct msg_msg *msg = msg_load(src, len);

		UT_ASSERT(!IS_ERR(msg));
		UT_ASSERT_EQ(msg->size, len);
		memset(dst, 0x5c, len + 16);
		UT_ASSERT_EQ(msg_store(dst, msg, len), 0);
		UT_ASSERT(memcmp(dst, src, len) == 0);
		UT_ASSERT_EQ(dst[len], 0x5c);
		/* A shorter store (MSG_NOERROR) writes nothing past its end. */
		if (len > 2) {
			memset(dst, 0x5c, len + 16);
			UT_ASSERT_EQ(msg_store(dst, msg, len - 2), 0);
			UT_ASSERT(memcmp(dst, src, len - 2) == 0);
			UT_ASSERT_EQ(dst[len - 2], 0x5c);
		}
		msg_free(msg);
		free(dst);
		free(src);
	}
}

static void test_load_fault_frees(void)
{
	size_t len = FIRST + 2 * OTHER + 100;
	char *src = pattern(len, 1);
	size_t at[] = { 0, FIRST - 1, FIRST, FIRST + OTHER + 3, len - 1 };

	for (size_t i = 0; i < ARRAY_SIZE(at); i++) {
		fault_lo = src + at[i];
		fault_hi = fault_lo + 1;
		UT_ASSERT(msg_load(src, len) == ERR_PTR(-EFAULT));
	}
	/* A fault just past the text is not touched. */
	fault_lo = src + len;
	fault_hi = fault_lo + 1;
	msg_free(msg_load(src, len));
	fault_lo = fault_hi = NULL;
	free(src);
}

static void test_store_fault(void)
{
	size_t len = FIRST + OTHER + 10;
	char *src = pattern(len, 2), *dst = malloc(len);
	struct msg_msg *msg = msg_load(src, len);

	fault_lo = dst + FIRST + OTHER;
	fault_hi = fault_lo + 1;
	UT_ASSERT_EQ(msg_store(dst, msg, len), -EFAULT);
	/* Truncated before the bad byte: fine. */
	UT_ASSERT_EQ(msg_store(dst, msg, FIRST + OTHER), 0);
	fault_lo = fault_hi = NULL;
	msg_free(msg);
	free(dst);
	free(src);
}

static void test_copy(void)
{
	size_t len = FIRST + OTHER + 77;
	char *src_text = pattern(len + OTHER, 3), *out = malloc(len);
	struct msg_msg *src = msg_load(src_text, len);
	struct msg_msg *big = msg_load(src_text, len + OTHER);
	struct msg_msg *small = msg_load(src_text, len - 1);

	src->type = 42;
	UT_ASSERT_EQ(msg_copy(src, small), -EINVAL);
	UT_ASSERT_EQ(msg_copy(src, big), 0);
	UT_ASSERT_EQ(big->type, 42);
	UT_ASSERT_EQ(big->size, len);
	UT_ASSERT_EQ(msg_store(out, big, len), 0);
	UT_ASSERT(memcmp(out, src_text, len) == 0);
	msg_free(src);
	msg_free(big);
	msg_free(small);
	msg_free(NULL);
	free(out);
	free(src_text);
}

static void test_search_mode(void)
{
	long t;

	t = 0;
	UT_ASSERT_EQ(msg_search_mode(&t, 0), MSG_SEARCH_ANY);
	UT_ASSERT_EQ(msg_search_mode(&t, MSG_EXCEPT), MSG_SEARCH_ANY);
	t = 5;
	UT_ASSERT_EQ(msg_search_mode(&t, 0), MSG_SEARCH_EQUAL);
	UT_ASSERT_EQ(msg_search_mode(&t, MSG_EXCEPT), MSG_SEARCH_NOTEQUAL);
	UT_ASSERT_EQ(t, 5);
	t = -5;
	UT_ASSERT_EQ(msg_search_mode(&t, MSG_EXCEPT), MSG_SEARCH_LESSEQUAL);
	UT_ASSERT_EQ(t, 5);
	t = INT64_MIN;
	UT_ASSERT_EQ(msg_search_mode(&t, 0), MSG_SEARCH_LESSEQUAL);
	UT_ASSERT_EQ(t, INT64_MAX);
	t = -3;
	UT_ASSERT_EQ(msg_search_mode(&t, MSG_COPY | IPC_NOWAIT),
		     MSG_SEARCH_NUMBER);
	UT_ASSERT_EQ(t, -3);
}

/* A queue of messages of these types; find returns an index or -1. */
static const long types[] = { 3, 1, 4, 1, 5, 9, 2, 6 };
static struct msg_msg msgs[ARRAY_SIZE(types)];
static LIST_HEAD(queue);

static long find(long type, enum msg_search mode)
{
	struct msg_msg *m = msg_find(&queue, type, mode);

	return m ? m - msgs : -1;
}

static void test_find(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
		msgs[i].type = types[i];
		list_add_tail(&msgs[i].list, &queue);
	}
	UT_ASSERT_EQ(find(0, MSG_SEARCH_ANY), 0);
	UT_ASSERT_EQ(find(1, MSG_SEARCH_EQUAL), 1);
	UT_ASSERT_EQ(find(6, MSG_SEARCH_EQUAL), 7);
	UT_ASSERT_EQ(find(7, MSG_SEARCH_EQUAL), -1);
	UT_ASSERT_EQ(find(3, MSG_SEARCH_NOTEQUAL), 1);
	UT_ASSERT_EQ(find(1, MSG_SEARCH_NOTEQUAL), 0);
	/* Lowest type first, the oldest of that type. */
	UT_ASSERT_EQ(find(9, MSG_SEARCH_LESSEQUAL), 1);
	UT_ASSERT_EQ(find(INT64_MAX, MSG_SEARCH_LESSEQUAL), 1);
	UT_ASSERT_EQ(find(0, MSG_SEARCH_LESSEQUAL), -1);
	msgs[1].type = msgs[3].type = 7;
	UT_ASSERT_EQ(find(2, MSG_SEARCH_LESSEQUAL), 6);
	UT_ASSERT_EQ(find(5, MSG_SEARCH_LESSEQUAL), 6);
	UT_ASSERT_EQ(find(3, MSG_SEARCH_LESSEQUAL), 6);
	UT_ASSERT_EQ(find(1, MSG_SEARCH_LESSEQUAL), -1);
	/* MSG_COPY: by position. */
	UT_ASSERT_EQ(find(0, MSG_SEARCH_NUMBER), 0);
	UT_ASSERT_EQ(find(7, MSG_SEARCH_NUMBER), 7);
	UT_ASSERT_EQ(find(8, MSG_SEARCH_NUMBER), -1);
	UT_ASSERT_EQ(find(-1, MSG_SEARCH_NUMBER), -1);
	/* What a waiting receiver takes (pipelined send). */
	UT_ASSERT(msg_matches(&msgs[0], 3, MSG_SEARCH_LESSEQUAL));
	UT_ASSERT(!msg_matches(&msgs[0], 2, MSG_SEARCH_LESSEQUAL));
	UT_ASSERT(msg_matches(&msgs[0], 99, MSG_SEARCH_NUMBER));
	UT_ASSERT(!msg_matches(&msgs[0], 3, MSG_SEARCH_NOTEQUAL));
}

UNIT_MAIN(UNIT_CASE(test_round_trip), UNIT_CASE(test_load_fault_frees),
	  UNIT_CASE(test_store_fault), UNIT_CASE(test_copy),
	  UNIT_CASE(test_search_mode), UNIT_CASE(test_find))
