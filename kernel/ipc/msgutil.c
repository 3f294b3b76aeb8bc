/*
 * Message buffers and message selection for System V message queues
 * (msg.h), as Linux's ipc/msgutil.c and find_msg: a message's text is
 * kept in page-sized pieces, copied in from user space before any lock is
 * taken and out after the lock is dropped. Nothing here takes a lock, so
 * this file is tested on the host (tests/unit/test_msgutil.c).
 */
#include <types.h>
#include <lib/list.h>
#include <lib/string.h>
#include <mm/kmalloc.h>
#include <mm/layout.h>
#include <mm/uaccess.h>
#include <uapi/errno.h>
#include <uapi/ipc.h>
#include "msg.h"

struct msg_seg {
	struct msg_seg *next;
	/* up to MSG_DATALEN_SEG bytes of text follow */
};

/* Each piece with its header is one page (one frame from kmalloc). */
#define MSG_DATALEN_MSG	(PAGE_SIZE - sizeof(struct msg_msg))
#define MSG_DATALEN_SEG	(PAGE_SIZE - sizeof(struct msg_seg))

static char *msg_text(const struct msg_msg *msg)
{
	return (char *)(msg + 1);
}

static char *seg_text(const struct msg_seg *seg)
{
	return (char *)(seg + 1);
}

void msg_free(struct msg_msg *msg)
{
	struct msg_seg *seg, *next;

	if (!msg)
		return;
	for (seg = msg->next; seg; seg = next) {
		next = seg->next;
		kfree(seg);
	}
	kfree(msg);
}

/* A message with room for len bytes of text, its pieces linked; NULL. */
static struct msg_msg *msg_alloc(size_t len)
{
	size_t alen = MIN(len, MSG_DATALEN_MSG);
	struct msg_msg *msg = kmalloc(sizeof(*msg) + alen);
	struct msg_seg **pseg;

	if (!msg)
		return NULL;
	msg->next = NULL;
	msg->size = len;
	pseg = &msg->next;
	for (len -= alen; len; len -= alen) {
		alen = MIN(len, MSG_DATALEN_SEG);
		*pseg = kmalloc(sizeof(**pseg) + alen);
		if (!*pseg) {
			msg_free(msg);
			return NULL;
		}
		(*pseg)->next = NULL;
		pseg = &(*pseg)->next;
	}
	return msg;
}

struct msg_msg *msg_load(const void __user *src, size_t len)
{
	const char __user *from = src;
	struct msg_msg *msg = msg_alloc(len);
	size_t alen = MIN(len, MSG_DATALEN_MSG);

	if (!msg)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(msg_text(msg), from, alen))
		goto fault;
	for (struct msg_seg *seg = msg->next; seg; seg = seg->next) {
		from += alen;
		len -= alen;
		alen = MIN(len, MSG_DATALEN_SEG);
		if (copy_from_user(seg_text(seg), from, alen))
			goto fault;
	}
	return msg;
fault:
	msg_free(msg);
	return ERR_PTR(-EFAULT);
}

int msg_store(void __user *dst, const struct msg_msg *msg, size_t len)
{
	char __user *to = dst;
	size_t alen = MIN(len, MSG_DATALEN_MSG);

	if (copy_to_user(to, msg_text(msg), alen))
		return -EFAULT;
	for (struct msg_seg *seg = msg->next; seg; seg = seg->next) {
		to += alen;
		len -= alen;
		if (!len)
			break;
		alen = MIN(len, MSG_DATALEN_SEG);
		if (copy_to_user(to, seg_text(seg), alen))
			return -EFAULT;
	}
	return 0;
}

/* The pieces of both messages have the same sizes, dst's at least as many. */
int msg_copy(const struct msg_msg *src, struct msg_msg *dst)
{
	size_t len = src->size, alen = MIN(len, MSG_DATALEN_MSG);
	const struct msg_seg *s = src->next;
	struct msg_seg *d = dst->next;

	if (src->size > dst->size)
		return -EINVAL;
	memcpy(msg_text(dst), msg_text(src), alen);
	for (len -= alen; len; len -= alen, s = s->next, d = d->next) {
		alen = MIN(len, MSG_DATALEN_SEG);
		memcpy(seg_text(d), seg_text(s), alen);
	}
	dst->type = src->type;
	dst->size = src->size;
	return 0;
}

/* ---- Selection (Linux's convert_mode, testmsg, find_msg) -------------- */

enum msg_search msg_search_mode(long *msgtyp, int msgflg)
{
	if (msgflg & MSG_COPY)
		return MSG_SEARCH_NUMBER;
	if (*msgtyp == 0)
		return MSG_SEARCH_ANY;
	if (*msgtyp < 0) {
		/* -LONG_MIN does not exist; every type is <= LONG_MAX. */
		*msgtyp = *msgtyp == INT64_MIN ? INT64_MAX : -*msgtyp;
		return MSG_SEARCH_LESSEQUAL;
	}
	return (msgflg & MSG_EXCEPT) ? MSG_SEARCH_NOTEQUAL : MSG_SEARCH_EQUAL;
}

bool msg_matches(const struct msg_msg *msg, long type, enum msg_search mode)
{
	switch (mode) {
	case MSG_SEARCH_ANY:
	case MSG_SEARCH_NUMBER:
		return true;
	case MSG_SEARCH_EQUAL:
		return msg->type == type;
	case MSG_SEARCH_NOTEQUAL:
		return msg->type != type;
	case MSG_SEARCH_LESSEQUAL:
		return msg->type <= type;
	}
	return false;
}

struct msg_msg *msg_find(struct list_head *messages, long type,
			 enum msg_search mode)
{
	struct msg_msg *msg, *found = NULL;
	long index = 0;

	list_for_each_entry(msg, messages, list) {
		if (!msg_matches(msg, type, mode))
			continue;
		if (mode == MSG_SEARCH_NUMBER) {
			if (index++ == type)
				return msg;
		} else if (mode == MSG_SEARCH_LESSEQUAL) {
			/* The oldest of the lowest type: keep looking. */
			if (!found || msg->type < found->type)
				found = msg;
		} else {
			return msg;
		}
	}
	return found;
}
