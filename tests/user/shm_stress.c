/*
 * shm_stress.c - many processes attaching, detaching and touching System V
 * segments at once, in a fixed, seeded order: a fixed number of
 * operations, no time limits, the same run every time.
 *
 * The parent makes NSEG segments of 1 to 16 pages. NWORK workers each do
 * OPS operations chosen by their own xorshift generator: attach a segment
 * (a quarter of them SHM_RDONLY), detach one of theirs, write or read
 * their own word in a page of an attachment, or fork a child that checks
 * its inherited attachments and exits (detaching them). Each worker owns
 * one int per (segment, page), counts its writes there and keeps the
 * count in a shared table, so every read can be checked: data persists
 * across detach and attach, and no worker sees another's stores in its
 * word. Half the workers detach everything at the end, half exit holding
 * their attachments. Workers also send and receive on one message queue
 * (IPC_NOWAIT, so nobody waits on a full or empty queue): each message
 * carries its sender, and every sender's count of messages sent must
 * equal those received by anyone plus those left in the queue.
 *
 * Then the parent checks every word of every segment against the table,
 * sees shm_nattch 0 everywhere, removes every id and checks that each is
 * gone. The whole run repeats under t_check_no_leak.
 *
 * BASALT-ONLY ASSERTION: MemFree comes back exactly on Basalt (only
 * reported on Linux, see leak.c).
 */
#define _GNU_SOURCE
#include "t.h"
#include "shmtest.h"

#include <stdbool.h>
#include <sys/msg.h>

#define NSEG 8
#define NWORK 8
#define MAXPG 16
#define SLOTS 12		/* attachments a worker holds at most */
#define OPS 400			/* operations per worker */

/* Messages sent and received per sender, in a shared page. */
struct msg_counts {
	int sent[NWORK];
	int received[NWORK];
};

struct stress_msg {
	long mtype;			/* the sender's number + 1 */
	int sender;
};

/* Send one message from w, or receive any one; never wait. */
static void message_op(int q, int w, bool send, struct msg_counts *mc)
{
	struct stress_msg m = { .mtype = w + 1, .sender = w };

	if (send) {
		if (msgsnd(q, &m, sizeof(m.sender), IPC_NOWAIT) == 0)
			mc->sent[w]++;		/* only w writes sent[w] */
		else
			CHECK_EQ(errno, EAGAIN);
		return;
	}
	if (msgrcv(q, &m, sizeof(m.sender), 0, IPC_NOWAIT) < 0) {
		CHECK_EQ(errno, ENOMSG);
		return;
	}
	CHECK_EQ(m.mtype, m.sender + 1);
	__atomic_add_fetch(&mc->received[m.sender], 1, __ATOMIC_RELAXED);
}

/* What the queue still holds, by sender, then the books must balance. */
static void check_messages(int q, struct msg_counts *mc)
{
	int left[NWORK] = { 0 };
	struct stress_msg m;

	while (msgrcv(q, &m, sizeof(m.sender), 0, IPC_NOWAIT) >= 0)
		left[m.sender]++;
	CHECK_EQ(errno, ENOMSG);
	for (int w = 0; w < NWORK; w++)
		CHECK_EQ(mc->sent[w], mc->received[w] + left[w]);
}

/* The counts of every worker's writes: exactly one shared page. */
typedef int count_table[NWORK][NSEG][MAXPG];
_Static_assert(sizeof(count_table) == T_PAGE, "one page of counts");

struct held {
	char *p;
	int seg;
	int ro;
};

static int seg_pages(int s)
{
	return 1 + (s * 5) % MAXPG;	/* 1, 6, 11, 16, 5, 10, 15, 4 */
}

static unsigned long next_random(unsigned long *state)
{
	unsigned long x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}

/* Worker w's word in page pg of the attachment h. */
static volatile int *word(const struct held *h, int w, int pg)
{
	return (volatile int *)(h->p + (size_t)pg * T_PAGE) + w;
}

static void touch(const struct held *h, int w, int pg, count_table *counts)
{
	volatile int *cnt = &(*counts)[w][h->seg][pg];

	CHECK_EQ(*word(h, w, pg), *cnt);
	if (!h->ro) {
		*word(h, w, pg) = ++*cnt;
		CHECK_EQ(*word(h, w, pg), *cnt);
	}
}

/* A child of the worker: reads through what it inherited, exits. */
static void fork_reader(const struct held *h, int nh, int w, count_table *counts)
{
	pid_t pid = t_fork();

	if (pid == 0) {
		for (int k = 0; k < nh; k++)
			for (int pg = 0; pg < seg_pages(h[k].seg); pg++)
				CHECK_EQ(*word(&h[k], w, pg),
					 (*counts)[w][h[k].seg][pg]);
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
}

static void worker(int w, const int *ids, int q, int ops,
		   count_table *counts, struct msg_counts *mc)
{
	unsigned long state = 0x9e3779b97f4a7c15UL * (unsigned long)(w + 1);
	struct held h[SLOTS];
	int nh = 0;

	for (int op = 0; op < ops; op++) {
		unsigned long r = next_random(&state);
		int k = nh ? (int)((r >> 8) % (unsigned long)nh) : 0;
		switch (r % 10) {
		case 0: case 1: case 2:
			if (nh == SLOTS)
				break;
			h[nh].seg = (int)((r >> 8) % NSEG);
			h[nh].ro = (r >> 16) % 4 == 0;
			h[nh].p = shm_attach(ids[h[nh].seg], NULL,
					     h[nh].ro ? SHM_RDONLY : 0);
			nh++;
			break;
		case 3: case 4:
			if (nh == 0)
				break;
			CHECK_OK(shm_dt(h[k].p));
			h[k] = h[--nh];
			break;
		case 5: case 6:
			if (nh)
				touch(&h[k], w, (int)((r >> 16) %
				      (unsigned long)seg_pages(h[k].seg)), counts);
			break;
		case 7:
			if ((r >> 8) % 4 == 0)
				fork_reader(h, nh, w, counts);
			break;
		default:
			message_op(q, w, r % 10 == 8, mc);
			break;
		}
	}
	if (w % 2 == 0)
		while (nh > 0)
			CHECK_OK(shm_dt(h[--nh].p));
}

/* Every worker's word in every page must hold its count. */
static void check_segments(const int *ids, count_table *counts)
{
	for (int s = 0; s < NSEG; s++) {
		CHECK_EQ(shm_nattch(ids[s]), 0);
		struct held h = { shm_attach(ids[s], NULL, SHM_RDONLY), s, 1 };
		for (int w = 0; w < NWORK; w++)
			for (int pg = 0; pg < seg_pages(s); pg++)
				CHECK_EQ(*word(&h, w, pg), (*counts)[w][s][pg]);
		for (int pg = seg_pages(s); pg < MAXPG; pg++)
			for (int w = 0; w < NWORK; w++)
				CHECK_EQ((*counts)[w][s][pg], 0);
		CHECK_OK(shm_dt(h.p));
	}
}

static void stress(int ops)
{
	count_table *counts = (count_table *)(void *)t_shared_ints();
	struct msg_counts *mc = (struct msg_counts *)(void *)t_shared_ints();
	int q = CHECK_OK(msgget(IPC_PRIVATE, IPC_CREAT | 0600));
	int ids[NSEG];
	pid_t pids[NWORK];
	struct shmid_ds ds;

	for (int s = 0; s < NSEG; s++)
		ids[s] = shm_new((size_t)seg_pages(s) * T_PAGE, 0);
	for (int w = 0; w < NWORK; w++) {
		pids[w] = t_fork();
		if (pids[w] == 0) {
			worker(w, ids, (int)q, ops, counts, mc);
			_exit(0);
		}
	}
	for (int w = 0; w < NWORK; w++)
		CHECK_EXITED(t_wait(pids[w]), 0);
	check_segments(ids, counts);
	check_messages((int)q, mc);
	CHECK_OK(msgctl((int)q, IPC_RMID, NULL));
	for (int s = 0; s < NSEG; s++) {
		shm_rmid(ids[s]);
		CHECK_ERR(shm_ctl(ids[s], IPC_STAT, &ds), EINVAL);
	}
	CHECK_OK(munmap((void *)counts, T_PAGE));
	CHECK_OK(munmap((void *)mc, T_PAGE));
}

static void case_stress(void)
{
	t_check_no_leak("8 processes x 400 random operations on 8 segments "
			"and a message queue",
			stress, OPS);
}

static const struct t_case cases[] = {
	{ case_stress, "stress-8-processes-seeded" },
};

int main(int argc, char **argv)
{
	return SHM_RUN(argc, argv, cases);
}
