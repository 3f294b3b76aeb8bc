/*
 * msg.c - System V message queues, the calls that do not block: msgget's
 * keys, flags, permissions and limit; msgsnd and msgrcv with every errno
 * (EINVAL, EFAULT, EACCES, E2BIG, EAGAIN, ENOMSG); which message a msgtyp
 * selects (0, > 0, < 0, MSG_EXCEPT) and FIFO order within a type;
 * MSG_NOERROR; zero-length messages; MSG_COPY. (msgctl and /proc:
 * msg_ctl.c; blocking, wake-ups, signals and leaks: msg_block.c.)
 *
 * Every assertion is what Linux 6.1 does; where Linux surprises, the check
 * says so. Each case removes every queue it makes; the one that lowers
 * msgmni does its checks in a child and restores the limit whatever the
 * child did. The permission cases run children as nobody (65534).
 */
#define _GNU_SOURCE
#include "t.h"
#include "msgtest.h"

#include <limits.h>
#include <sys/mman.h>
#include <time.h>

/* ---- msgget ---- */

static void case_get_private(void)
{
	int a = msq_new(0600);
	/* IPC_PRIVATE always makes a new queue, IPC_CREAT or not. */
	int b = (int)CHECK_OK(msq_get(IPC_PRIVATE, 0640));

	CHECK(a >= 0 && b >= 0 && a != b);
	struct msq_ds ds = msq_stat(b);
	CHECK_EQ(ds.perm.key, IPC_PRIVATE);
	CHECK_EQ(ds.perm.mode, 0640);
	/* Only the nine permission bits of msgflg are kept. */
	int c = (int)CHECK_OK(msq_get(IPC_PRIVATE, IPC_CREAT | IPC_EXCL | 07777));
	CHECK_EQ(msq_stat(c).perm.mode, 0777);
	msq_rm(a);
	msq_rm(b);
	msq_rm(c);
}

static void case_get_key(void)
{
	key_t key = MSQ_KEY(1);

	CHECK_ERR(msq_get(key, 0), ENOENT);
	CHECK_ERR(msq_get(key, IPC_EXCL | 0600), ENOENT);
	int id = (int)CHECK_OK(msq_get(key, IPC_CREAT | 0640));
	CHECK_EQ(msq_get(key, 0), id);
	CHECK_EQ(msq_get(key, IPC_CREAT | 0600), id);
	/* IPC_EXCL means something only with IPC_CREAT. */
	CHECK_EQ(msq_get(key, IPC_EXCL), id);
	CHECK_ERR(msq_get(key, IPC_CREAT | IPC_EXCL | 0600), EEXIST);
	/* An existing queue keeps its mode: msgget's bits are only asked for. */
	CHECK_EQ(msq_stat(id).perm.mode, 0640);
	CHECK_EQ(msq_stat(id).perm.key, key);

	/* Removal frees the key at once; the old id is dead for good. */
	msq_rm(id);
	CHECK_ERR(msq_get(key, 0), ENOENT);
	int again = (int)CHECK_OK(msq_get(key, IPC_CREAT | IPC_EXCL | 0600));
	CHECK(again != id);
	CHECK_ERR(msq_ctl(id, IPC_STAT, &(struct msq_ds){ 0 }), EINVAL);
	msq_rm(again);
}

static void nobody_get(int id)
{
	key_t key = MSQ_KEY(2);

	/* Asking for no access always works; asking for more is checked. */
	CHECK_EQ(msq_get(key, 0), id);
	CHECK_ERR(msq_get(key, 0400), EACCES);
	CHECK_ERR(msq_get(key, 0200), EACCES);
	CHECK_ERR(msq_get(key, 0004), EACCES);
	/* On an existing queue IPC_CREAT's mode bits are asked for too. */
	CHECK_ERR(msq_get(key, IPC_CREAT | 0600), EACCES);
	CHECK_ERR(msq_get(key, IPC_CREAT | IPC_EXCL | 0600), EEXIST);
}

static void nobody_no_access(int id)
{
	struct msq_ds ds = { 0 };

	CHECK_ERR(msq_send(id, 1, 1, 10, IPC_NOWAIT), EACCES);
	CHECK_ERR(msq_rcv(id, &(struct msq_buf){ 0 }, MSQ_BUF, 0, IPC_NOWAIT),
		  EACCES);
	CHECK_ERR(msq_ctl(id, IPC_STAT, &ds), EACCES);
	CHECK_ERR(msq_ctl(id, IPC_SET, &ds), EPERM);
	CHECK_ERR(msq_ctl(id, IPC_RMID, NULL), EPERM);
}

static void nobody_reads(int id)
{
	CHECK_ERR(msq_send(id, 1, 1, 10, IPC_NOWAIT), EACCES);
	MSQ_EXPECT(id, MSQ_BUF, 0, IPC_NOWAIT, 7, 7, 70);
	CHECK_ERR(msq_rcv(id, &(struct msq_buf){ 0 }, MSQ_BUF, 0, IPC_NOWAIT),
		  ENOMSG);
	CHECK_EQ(msq_stat(id).qnum, 0);
}

static void nobody_writes(int id)
{
	CHECK_OK(msq_send(id, 8, 8, 80, IPC_NOWAIT));
	CHECK_ERR(msq_rcv(id, &(struct msq_buf){ 0 }, MSQ_BUF, 0, IPC_NOWAIT),
		  EACCES);
}

static void set_mode(int id, unsigned int mode)
{
	struct msq_ds ds = msq_stat(id);

	ds.perm.mode = mode;
	CHECK_OK(msq_ctl(id, IPC_SET, &ds));
}

/* Another user meets "other" permission bits: none, read, write. */
static void case_get_permissions(void)
{
	int id = (int)CHECK_OK(msq_get(MSQ_KEY(2), IPC_CREAT | 0600));

	msq_as_nobody(nobody_get, id);
	msq_as_nobody(nobody_no_access, id);
	MSQ_SEND(id, 7, 7, 70);
	set_mode(id, 0604);
	msq_as_nobody(nobody_reads, id);
	set_mode(id, 0602);
	msq_as_nobody(nobody_writes, id);
	MSQ_EXPECT(id, MSQ_BUF, 0, IPC_NOWAIT, 8, 8, 80);
	msq_rm(id);
}

static void nobody_owner(int id)
{
	/* The owner class decides alone: group bits do not help the owner. */
	CHECK_ERR(msq_send(id, 1, 1, 1, IPC_NOWAIT), EACCES);
	CHECK_ERR(msq_ctl(id, IPC_STAT, &(struct msq_ds){ 0 }), EACCES);
	/* But the owner controls the queue, without needing to read it. */
	struct msq_ds ds = { .perm = { .uid = NOBODY, .gid = NOBODY,
				       .mode = 0600 }, .qbytes = MSQ_MSGMNB };
	CHECK_OK(msq_ctl(id, IPC_SET, &ds));
	CHECK_OK(msq_send(id, 1, 1, 1, IPC_NOWAIT));
	msq_rm(id);
}

/* Root ignores the mode (CAP_IPC_OWNER); an owner by IPC_SET controls. */
static void case_owner_and_root(void)
{
	int id = msq_new(0);

	MSQ_SEND(id, 1, 1, 1);
	MSQ_EXPECT(id, MSQ_BUF, 0, 0, 1, 1, 1);
	struct msq_ds ds = msq_stat(id);
	ds.perm.uid = NOBODY;
	ds.perm.gid = NOBODY;
	ds.perm.mode = 0060;
	CHECK_OK(msq_ctl(id, IPC_SET, &ds));
	msq_as_nobody(nobody_owner, id);
	CHECK_ERR(msq_ctl(id, IPC_STAT, &ds), EINVAL);
}

static int enospc_key_id;

static void enospc_child(void)
{
	CHECK_ERR(msq_get(IPC_PRIVATE, IPC_CREAT | 0600), ENOSPC);
	CHECK_ERR(msq_get(MSQ_KEY(4), IPC_CREAT | 0600), ENOSPC);
	/* Existing queues are still found. */
	CHECK_EQ(msq_get(MSQ_KEY(3), 0), enospc_key_id);
}

/* msgmni caps the number of queues: lowered to the count in use, ENOSPC. */
static void case_get_enospc(void)
{
	struct msq_info info;

	enospc_key_id = (int)CHECK_OK(msq_get(MSQ_KEY(3), IPC_CREAT | 0600));
	CHECK_OK(msq_ctl(0, MSG_INFO, &info));
	CHECK(info.msgpool >= 1);
	msq_with_sysctl("msgmni", info.msgpool, enospc_child);
	int id = msq_new(0600);
	msq_rm(id);
	msq_rm(enospc_key_id);
}

/* ---- msgsnd and msgrcv ---- */

static void case_snd_rcv_basic(void)
{
	int id = msq_new(0600);

	MSQ_SEND(id, 1, 1, 100);
	MSQ_SEND(id, 2, 2, 0);
	MSQ_SEND(id, 3, 3, MSQ_MSGMAX);
	struct msq_ds ds = msq_stat(id);
	CHECK_EQ(ds.qnum, 3);
	CHECK_EQ(ds.cbytes, 100 + MSQ_MSGMAX);
	/* msgsz may exceed MSGMAX: it is only the buffer's size. */
	MSQ_EXPECT(id, MSQ_BUF, 0, 0, 1, 1, 100);
	MSQ_EXPECT(id, 0, 0, 0, 2, 2, 0);
	MSQ_EXPECT(id, MSQ_MSGMAX, 0, 0, 3, 3, MSQ_MSGMAX);
	ds = msq_stat(id);
	CHECK_EQ(ds.qnum, 0);
	CHECK_EQ(ds.cbytes, 0);
	msq_rm(id);
}

static void case_snd_einval(void)
{
	int id = msq_new(0600);
	int dead = msq_new(0600);

	msq_rm(dead);
	CHECK_ERR(msq_send(id, 0, 1, 1, IPC_NOWAIT), EINVAL);
	CHECK_ERR(msq_send(id, -1, 1, 1, IPC_NOWAIT), EINVAL);
	CHECK_ERR(msq_send(id, LONG_MIN, 1, 1, IPC_NOWAIT), EINVAL);
	CHECK_ERR(msq_send(id, 1, 1, MSQ_MSGMAX + 1, IPC_NOWAIT), EINVAL);
	CHECK_ERR(msq_send(id, 1, 1, (size_t)-1, IPC_NOWAIT), EINVAL);
	CHECK_ERR(msq_send(id, 1, 1, (size_t)LONG_MAX + 1, IPC_NOWAIT), EINVAL);
	CHECK_ERR(msq_send(-1, 1, 1, 1, IPC_NOWAIT), EINVAL);
	CHECK_ERR(msq_send(INT_MIN, 1, 1, 1, IPC_NOWAIT), EINVAL);
	CHECK_ERR(msq_send(dead, 1, 1, 1, IPC_NOWAIT), EINVAL);
	CHECK_EQ(msq_stat(id).qnum, 0);
	CHECK_OK(msq_send(id, LONG_MAX, 1, 1, IPC_NOWAIT));
	MSQ_EXPECT(id, MSQ_BUF, LONG_MAX, IPC_NOWAIT, LONG_MAX, 1, 1);
	msq_rm(id);
}

static void case_rcv_einval(void)
{
	static struct msq_buf buf;
	int id = msq_new(0600);
	int dead = msq_new(0600);

	msq_rm(dead);
	MSQ_SEND(id, 1, 1, 10);
	CHECK_ERR(msq_rcv(-1, &buf, MSQ_BUF, 0, IPC_NOWAIT), EINVAL);
	CHECK_ERR(msq_rcv(dead, &buf, MSQ_BUF, 0, IPC_NOWAIT), EINVAL);
	CHECK_ERR(msq_rcv(id, &buf, (size_t)-1, 0, IPC_NOWAIT), EINVAL);
	CHECK_ERR(msq_rcv(id, &buf, (size_t)LONG_MAX + 1, 0, IPC_NOWAIT), EINVAL);
	CHECK_EQ(msq_stat(id).qnum, 1);
	MSQ_EXPECT(id, MSQ_BUF, 0, IPC_NOWAIT, 1, 1, 10);
	msq_rm(id);
}

static void case_efault(void)
{
	int id = msq_new(0600);
	char *page = t_map(2 * T_PAGE, PROT_READ | PROT_WRITE);

	CHECK_OK(munmap(page + T_PAGE, T_PAGE));
	/* mtype readable at the end of a page, mtext in the hole after it. */
	long *edge = (long *)(page + T_PAGE - sizeof(long));
	*edge = 1;

	CHECK_ERR(msq_snd(id, NULL, 0, IPC_NOWAIT), EFAULT);
	CHECK_ERR(msq_snd(id, T_KERNEL_TEXT, 1, IPC_NOWAIT), EFAULT);
	CHECK_ERR(msq_snd(id, edge, 1, IPC_NOWAIT), EFAULT);
	CHECK_OK(msq_snd(id, edge, 0, IPC_NOWAIT));	/* no mtext to read */
	/* The user's buffer is read before the id is looked up. */
	CHECK_ERR(msq_snd(-1, NULL, 1, IPC_NOWAIT), EFAULT);
	CHECK_EQ(msq_stat(id).qnum, 1);
	MSQ_EXPECT(id, MSQ_BUF, 0, IPC_NOWAIT, 1, 0, 0);

	/* msgrcv touches the buffer only once it has a message... */
	CHECK_ERR(msq_rcv(id, NULL, 10, 0, IPC_NOWAIT), ENOMSG);
	/* ...which Linux has already taken off the queue when the copy fails. */
	MSQ_SEND(id, 1, 1, 10);
	MSQ_SEND(id, 2, 2, 10);
	MSQ_SEND(id, 3, 3, 10);
	CHECK_ERR(msq_rcv(id, NULL, 10, 0, IPC_NOWAIT), EFAULT);
	CHECK_ERR(msq_rcv(id, T_KERNEL_TEXT, 10, 0, IPC_NOWAIT), EFAULT);
	CHECK_ERR(msq_rcv(id, edge, 10, 0, IPC_NOWAIT), EFAULT);
	CHECK_EQ(*edge, 3);		/* mtype was stored before mtext faulted */
	CHECK_EQ(msq_stat(id).qnum, 0);
	CHECK_OK(munmap(page, T_PAGE));
	msq_rm(id);
}

static void case_zero_length(void)
{
	int id = msq_new(0600);

	MSQ_SEND(id, 5, 0, 0);
	MSQ_SEND(id, 6, 6, 1);
	CHECK_EQ(msq_stat(id).qnum, 2);
	CHECK_EQ(msq_stat(id).cbytes, 1);
	MSQ_EXPECT(id, 0, 0, IPC_NOWAIT, 5, 0, 0);
	CHECK_ERR(msq_rcv(id, &(struct msq_buf){ 0 }, 0, 0, IPC_NOWAIT), E2BIG);
	MSQ_EXPECT(id, 1, 0, IPC_NOWAIT, 6, 6, 1);
	msq_rm(id);
}

/* ---- which message msgrcv takes ---- */

static void send_types(int id, const long *types, int n)
{
	for (int i = 0; i < n; i++)
		MSQ_SEND(id, types[i], i, 10 + i);
}

#define TAKE(id, msgtyp, flags, type, tag) \
	MSQ_EXPECT((id), MSQ_BUF, (msgtyp), (flags) | IPC_NOWAIT, (type), \
		   (tag), 10 + (tag))
#define NONE(id, msgtyp, flags)                                             \
	CHECK_ERR(msq_rcv((id), &(struct msq_buf){ 0 }, MSQ_BUF, (msgtyp), \
			  (flags) | IPC_NOWAIT), ENOMSG)

static void case_type_selection(void)
{
	static const long types[] = { 3, 1, 2, 1, 3, 5 };
	int id = msq_new(0600);

	send_types(id, types, 6);
	TAKE(id, 0, 0, 3, 0);			/* the first */
	TAKE(id, -4, 0, 1, 1);			/* lowest type <= 4, first of it */
	TAKE(id, -4, 0, 1, 3);
	TAKE(id, 3, MSG_EXCEPT, 2, 2);		/* the first not of type 3 */
	NONE(id, -2, 0);
	NONE(id, 4, 0);
	TAKE(id, 5, 0, 5, 5);
	NONE(id, 3, MSG_EXCEPT);
	TAKE(id, 0, MSG_EXCEPT, 3, 4);		/* MSG_EXCEPT of 0: any */
	CHECK_EQ(msq_stat(id).qnum, 0);

	/* MSG_EXCEPT means nothing with a negative msgtyp. */
	static const long two[] = { 2, 1 };
	send_types(id, two, 2);
	TAKE(id, -2, MSG_EXCEPT, 1, 1);
	TAKE(id, -2, MSG_EXCEPT, 2, 0);
	/* -LONG_MIN does not exist: Linux reads LONG_MIN as LONG_MAX. */
	static const long big[] = { LONG_MAX, 9 };
	send_types(id, big, 2);
	TAKE(id, LONG_MIN, 0, 9, 1);
	TAKE(id, LONG_MAX, 0, LONG_MAX, 0);
	msq_rm(id);
}

static void case_type_fifo(void)
{
	static const long types[] = { 7, 8, 7, 7, 8, 7, 9, 7 };
	int id = msq_new(0600);

	send_types(id, types, 8);
	TAKE(id, 7, 0, 7, 0);
	TAKE(id, 7, 0, 7, 2);
	TAKE(id, -8, 0, 7, 3);
	TAKE(id, 8, 0, 8, 1);
	TAKE(id, 7, MSG_EXCEPT, 8, 4);
	TAKE(id, 0, 0, 7, 5);
	TAKE(id, 7, MSG_EXCEPT, 9, 6);
	TAKE(id, 7, 0, 7, 7);
	NONE(id, 0, 0);
	msq_rm(id);
}

static void case_noerror_e2big(void)
{
	int id = msq_new(0600);

	MSQ_SEND(id, 1, 1, 100);
	MSQ_SEND(id, 2, 2, 5);
	/* Too long: E2BIG and the message stays (msgrcv does not skip it). */
	CHECK_ERR(msq_rcv(id, &(struct msq_buf){ 0 }, 10, 0, IPC_NOWAIT), E2BIG);
	CHECK_ERR(msq_rcv(id, &(struct msq_buf){ 0 }, 99, 1, IPC_NOWAIT), E2BIG);
	CHECK_EQ(msq_stat(id).qnum, 2);
	CHECK_EQ(msq_stat(id).cbytes, 105);
	MSQ_EXPECT(id, 10, 2, IPC_NOWAIT, 2, 2, 5);
	/* MSG_NOERROR: the first msgsz bytes, and the rest is gone. */
	MSQ_EXPECT(id, 10, 0, IPC_NOWAIT | MSG_NOERROR, 1, 1, 10);
	CHECK_EQ(msq_stat(id).qnum, 0);
	CHECK_EQ(msq_stat(id).cbytes, 0);
	msq_rm(id);
}

static void case_nowait_full_empty(void)
{
	int id = msq_new(0600);

	NONE(id, 0, 0);
	MSQ_SEND(id, 1, 1, MSQ_MSGMAX);
	MSQ_SEND(id, 1, 2, MSQ_MSGMAX);
	CHECK_EQ(msq_stat(id).cbytes, MSQ_MSGMNB);
	CHECK_ERR(msq_send(id, 1, 3, 1, IPC_NOWAIT), EAGAIN);
	/* A zero-length message still fits in a queue full of bytes. */
	CHECK_OK(msq_send(id, 1, 4, 0, IPC_NOWAIT));
	CHECK_EQ(msq_stat(id).qnum, 3);
	MSQ_EXPECT(id, MSQ_BUF, 0, IPC_NOWAIT, 1, 1, MSQ_MSGMAX);
	CHECK_OK(msq_send(id, 1, 5, MSQ_MSGMAX, IPC_NOWAIT));
	msq_rm(id);

	/* Linux also caps the message count at msg_qbytes. */
	id = msq_new(0600);
	msq_set_qbytes(id, 3);
	for (int i = 0; i < 3; i++)
		CHECK_OK(msq_send(id, 1, i, 0, IPC_NOWAIT));
	CHECK_ERR(msq_send(id, 1, 3, 0, IPC_NOWAIT), EAGAIN);
	msq_set_qbytes(id, 0);
	CHECK_ERR(msq_send(id, 1, 3, 0, IPC_NOWAIT), EAGAIN);
	msq_rm(id);
}

/* MSG_COPY (CONFIG_CHECKPOINT_RESTORE, which Debian's kernel has). */
static void case_msg_copy(void)
{
	static const long types[] = { 4, 2, 6 };
	int id = msq_new(0600);

	send_types(id, types, 3);
	/* msgtyp is an index; the messages stay and no receive is recorded. */
	for (int round = 0; round < 2; round++)
		for (int i = 0; i < 3; i++)
			TAKE(id, i, MSG_COPY, types[i], i);
	NONE(id, 3, MSG_COPY);
	NONE(id, -1, MSG_COPY);
	struct msq_ds ds = msq_stat(id);
	CHECK_EQ(ds.qnum, 3);
	CHECK_EQ(ds.lrpid, 0);
	CHECK_EQ(ds.rtime, 0);

	static struct msq_buf buf;
	CHECK_ERR(msq_rcv(id, &buf, MSQ_BUF, 0, MSG_COPY), EINVAL);
	CHECK_ERR(msq_rcv(id, &buf, MSQ_BUF, 0, MSG_COPY | MSG_EXCEPT | IPC_NOWAIT),
		  EINVAL);
	CHECK_ERR(msq_rcv(id, &buf, 5, 0, MSG_COPY | IPC_NOWAIT), E2BIG);
	/* Linux cannot truncate a copy: MSG_NOERROR gives EINVAL instead. */
	CHECK_ERR(msq_rcv(id, &buf, 5, 0, MSG_COPY | MSG_NOERROR | IPC_NOWAIT),
		  EINVAL);
	TAKE(id, 0, 0, 4, 0);
	TAKE(id, 0, MSG_COPY, 2, 1);
	msq_rm(id);
}

int main(int argc, char **argv)
{
	static const struct t_case cases[] = {
		{ case_get_private, "get_private" },
		{ case_get_key, "get_key" },
		{ case_get_permissions, "get_permissions" },
		{ case_owner_and_root, "owner_and_root" },
		{ case_get_enospc, "get_enospc" },
		{ case_snd_rcv_basic, "snd_rcv_basic" },
		{ case_snd_einval, "snd_einval" },
		{ case_rcv_einval, "rcv_einval" },
		{ case_efault, "efault" },
		{ case_zero_length, "zero_length" },
		{ case_type_selection, "type_selection" },
		{ case_type_fifo, "type_fifo" },
		{ case_noerror_e2big, "noerror_e2big" },
		{ case_nowait_full_empty, "nowait_full_empty" },
		{ case_msg_copy, "msg_copy" },
	};

	return T_RUN(argc, argv, cases);
}
