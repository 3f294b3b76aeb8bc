/*
 * System V message queues, private to kernel/ipc/: the message buffers
 * and the type selection (msgutil.c, host-tested), the queue record, and
 * what msg.c (msgget, msgctl, /proc, lifetime) and msg_queue.c (msgsnd,
 * msgrcv and their sleepers) share.
 *
 * Locking: msg_ids.lock, the id table's mutex, guards the table and every
 * field of every queue, its messages and its lists of sleepers. Nothing
 * here is touched without it, except a sleeper's own wake-up flag (see
 * msg_queue.c). It is never held across a user copy: messages are
 * copied in before it is taken and out after it is dropped.
 */
#ifndef BASALT_IPC_MSG_H
#define BASALT_IPC_MSG_H

#include <types.h>
#include <lib/list.h>
#include "util.h"

/* ---- Messages (msgutil.c) --------------------------------------------- */

struct msg_seg;

/*
 * One message. Its text is stored in pieces of at most a page each, the
 * header's piece first, so that no message of any size (msgmax may be
 * raised to INT_MAX) needs more than one frame of contiguous memory.
 */
struct msg_msg {
	struct list_head list;		/* on its queue's messages */
	long type;			/* > 0 */
	size_t size;			/* bytes of text */
	struct msg_seg *next;		/* the text after the first piece */
	/* the first min(size, MSG_DATALEN) bytes of text follow */
};

/*
 * A message of len bytes with the text at src copied in; ERR_PTR(-ENOMEM)
 * or ERR_PTR(-EFAULT) (nothing is left allocated then).
 */
struct msg_msg *msg_load(const void __user *src, size_t len);
/* Copy the first len (<= msg->size) bytes of text out: 0 or -EFAULT. */
int msg_store(void __user *dst, const struct msg_msg *msg, size_t len);
/*
 * MSG_COPY: src's type and text into dst, a message made by msg_load
 * with room for dst->size bytes; -EINVAL if src is longer than that.
 */
int msg_copy(const struct msg_msg *src, struct msg_msg *dst);
void msg_free(struct msg_msg *msg);		/* NULL is allowed */

/* How msgrcv chooses a message (Linux's SEARCH_*). */
enum msg_search {
	MSG_SEARCH_ANY = 1,		/* msgtyp == 0: the first */
	MSG_SEARCH_EQUAL,		/* the first of type msgtyp */
	MSG_SEARCH_NOTEQUAL,		/* MSG_EXCEPT: the first not of it */
	MSG_SEARCH_LESSEQUAL,		/* msgtyp < 0: lowest type <= -msgtyp */
	MSG_SEARCH_NUMBER,		/* MSG_COPY: the one at index msgtyp */
};

/* The mode for msgtyp and msgflg; *msgtyp becomes what it compares. */
enum msg_search msg_search_mode(long *msgtyp, int msgflg);
/* Whether a receiver waiting with (type, mode) takes msg. */
bool msg_matches(const struct msg_msg *msg, long type, enum msg_search mode);
/* The message msgrcv takes from the list messages, or NULL. */
struct msg_msg *msg_find(struct list_head *messages, long type,
			 enum msg_search mode);

/* ---- Queues ----------------------------------------------------------- */

/*
 * A queue's lifetime: the id table holds one reference and every task
 * asleep in msgsnd or msgrcv holds one. IPC_RMID takes the queue out of
 * the table, frees its messages, wakes every sleeper (each returns EIDRM)
 * and drops the table's reference; the last reference frees the record.
 * A sleeper knows the queue was removed because its id no longer finds it.
 */
struct msg_queue {
	/* Every field is guarded by msg_ids.lock. */
	struct kern_ipc_perm perm;
	int64_t stime, rtime, ctime;	/* last msgsnd, msgrcv, change */
	uint64_t cbytes;		/* bytes of text queued */
	uint64_t qnum;			/* messages queued */
	uint64_t qbytes;		/* most bytes (and messages) queued */
	pid_t lspid, lrpid;		/* last sender, last receiver */
	unsigned int refs;
	struct list_head messages;	/* struct msg_msg, oldest first */
	struct list_head receivers;	/* asleep in msgrcv, oldest first */
	struct list_head senders;	/* asleep in msgsnd, oldest first */
};

extern struct ipc_ids msg_ids;

/* A limit from /proc/sys/kernel (msg_ctlmax, msg_ctlmnb, msg_ctlmni). */
#define MSG_LIMIT(name)	__atomic_load_n(&ipc_limits.name, __ATOMIC_RELAXED)

/* Messages queued in all queues (MSG_INFO's msgmap and msgtql). */
struct msg_totals {
	uint64_t hdrs, bytes;
};
extern struct msg_totals msg_totals;

/* msg.c: the queue with this id, or NULL; whether q still has its id. */
struct msg_queue *msq_obtain(int id);
bool msq_listed(struct msg_queue *q);
/* Drop a reference; the last one frees q (already out of the table). */
void msq_put(struct msg_queue *q);

/*
 * msg_queue.c: wake every task asleep on q. removed: q has left the
 * table, they return EIDRM; else (IPC_SET) they check again, as the
 * permissions or the size may have changed.
 */
void msq_wake_waiters(struct msg_queue *q, bool removed);
/* Free every message of q, a queue that has left the table. */
void msq_free_messages(struct msg_queue *q);

#endif
