/*
 * msg_block.c - System V message queues between processes: receivers
 * asleep on an empty queue (or waiting for a type that is not there) and
 * senders asleep on a full one, woken by the right message, by room, by
 * IPC_SET, by IPC_RMID (EIDRM), by signals (EINTR, even with SA_RESTART)
 * and by SIGKILL; a 1000-round ping-pong; and no memory lost to queues,
 * messages, or processes killed while they wait. (Calls that do not
 * block: msg.c and msg_ctl.c.)
 *
 * No timing: a waiter posts a flag on a shared page just before its
 * blocking call, and the parent then polls /proc/PID/stat until the
 * waiter's state is 'S'; after that, the waiter can only be asleep in
 * that call. What wakes it is then done by the parent, and the waiter
 * checks what its call returned and exits 0.
 *
 * BASALT-ONLY ASSERTION: the leak cases require MemFree to be exactly
 * equal before and after on Basalt and only print the difference on
 * Linux (t_check_no_leak).
 */
#define _GNU_SOURCE
#include "t.h"
#include "msgtest.h"

#include <signal.h>
#include <sys/wait.h>

/* One blocking call a waiter makes, and what it must end with. */
struct op {
	int send;		/* msgsnd if set, else msgrcv */
	long type;		/* msgsnd's mtype; msgrcv's msgtyp */
	size_t len;		/* msgsnd's length; msgrcv's buffer size */
	int flags;
	int tag;		/* the message sent, or the one to receive */
	int err;		/* the errno it must fail with, or 0 */
	long want_type;		/* msgrcv: the type and length it must get */
	long want_len;
};

static void run_op(int id, const struct op *op)
{
	if (op->err && op->send)
		CHECK_ERR(msq_send(id, op->type, op->tag, op->len, op->flags),
			  op->err);
	else if (op->err)
		CHECK_ERR(msq_rcv(id, &(struct msq_buf){ 0 }, op->len, op->type,
				  op->flags), op->err);
	else if (op->send)
		CHECK_OK(msq_send(id, op->type, op->tag, op->len, op->flags));
	else
		MSQ_EXPECT(id, op->len, op->type, op->flags, op->want_type,
			   op->tag, op->want_len);
}

static void op_waiter(int id, const void *arg)
{
	run_op(id, arg);
}

static volatile int *slots;	/* the "about to block" flags */
static unsigned int next_slot;

/*
 * Forks a child that runs fn(id, arg), a blocking call, and returns once
 * the child is asleep in it.
 */
static pid_t start_waiter(int id, void (*fn)(int, const void *),
			  const void *arg)
{
	if (!slots)
		slots = t_shared_ints();
	volatile int *flag = &slots[next_slot++ % (T_PAGE / sizeof(int))];

	t_post(flag, 0);
	pid_t pid = t_fork();
	if (pid == 0) {
		t_post(flag, 1);
		fn(id, arg);
		_exit(0);
	}
	t_await(flag, 1);
	msq_await_sleeping(pid);
	return pid;
}

static pid_t start_op(int id, const struct op *op)
{
	return start_waiter(id, op_waiter, op);
}

/* A queue of msg_qbytes 100 holding one 100-byte message of type 1. */
static int full_queue(void)
{
	int id = msq_new(0600);

	msq_set_qbytes(id, 100);
	MSQ_SEND(id, 1, 1, 100);
	return id;
}

static void case_rcv_wakes_on_send(void)
{
	int id = msq_new(0600);
	pid_t pid = start_op(id, &(struct op){ .len = MSQ_BUF,
		.want_type = 5, .tag = 5, .want_len = 500 });

	CHECK_EQ(msq_stat(id).qnum, 0);
	MSQ_SEND(id, 5, 5, 500);
	CHECK_EXITED(t_wait(pid), 0);
	struct msq_ds ds = msq_stat(id);
	CHECK_EQ(ds.qnum, 0);
	CHECK_EQ(ds.lspid, getpid());
	CHECK_EQ(ds.lrpid, pid);
	CHECK(ds.rtime != 0);
	msq_rm(id);
}

/* A typed receiver lets other messages pass by and wakes for its own. */
static void case_typed_rcv_waits(void)
{
	int id = msq_new(0600);
	pid_t pid = start_op(id, &(struct op){ .type = 2, .len = MSQ_BUF,
		.want_type = 2, .tag = 22, .want_len = 20 });

	MSQ_SEND(id, 1, 1, 10);
	MSQ_SEND(id, 3, 3, 30);
	CHECK_EQ(msq_stat(id).qnum, 2);		/* nobody took them */
	MSQ_SEND(id, 2, 22, 20);
	CHECK_EXITED(t_wait(pid), 0);
	MSQ_EXPECT(id, MSQ_BUF, 0, IPC_NOWAIT, 1, 1, 10);

	/* Anything but type 3 (which is there): waits for the next other. */
	pid = start_op(id, &(struct op){ .type = 3, .flags = MSG_EXCEPT,
		.len = MSQ_BUF, .want_type = 4, .tag = 4, .want_len = 40 });
	MSQ_SEND(id, 3, 33, 30);
	MSQ_SEND(id, 4, 4, 40);
	CHECK_EXITED(t_wait(pid), 0);
	CHECK_EQ(msq_stat(id).qnum, 2);

	/* The lowest type up to 2, with only 3s queued. */
	pid = start_op(id, &(struct op){ .type = -2, .len = MSQ_BUF,
		.want_type = 1, .tag = 11, .want_len = 10 });
	MSQ_SEND(id, 5, 5, 50);
	MSQ_SEND(id, 1, 11, 10);
	CHECK_EXITED(t_wait(pid), 0);
	MSQ_EXPECT(id, MSQ_BUF, 0, IPC_NOWAIT, 3, 3, 30);
	MSQ_EXPECT(id, MSQ_BUF, 0, IPC_NOWAIT, 3, 33, 30);
	MSQ_EXPECT(id, MSQ_BUF, 0, IPC_NOWAIT, 5, 5, 50);
	CHECK_EQ(msq_stat(id).qnum, 0);
	msq_rm(id);
}

/* A receiver asleep with too small a buffer gets E2BIG, as it would awake. */
static void case_blocked_rcv_too_small(void)
{
	int id = msq_new(0600);
	pid_t pid = start_op(id, &(struct op){ .len = 10, .err = E2BIG });

	MSQ_SEND(id, 1, 1, 100);
	CHECK_EXITED(t_wait(pid), 0);
	CHECK_EQ(msq_stat(id).qnum, 1);		/* the message stayed */
	MSQ_EXPECT(id, MSQ_BUF, 0, IPC_NOWAIT, 1, 1, 100);

	pid = start_op(id, &(struct op){ .len = 10, .flags = MSG_NOERROR,
		.want_type = 2, .tag = 2, .want_len = 10 });
	MSQ_SEND(id, 2, 2, 100);
	CHECK_EXITED(t_wait(pid), 0);
	CHECK_EQ(msq_stat(id).qnum, 0);
	msq_rm(id);
}

static void case_snd_wakes_on_room(void)
{
	int id = full_queue();
	pid_t pid = start_op(id, &(struct op){ .send = 1, .type = 2, .tag = 2,
		.len = 60 });

	CHECK_EQ(msq_stat(id).qnum, 1);
	MSQ_EXPECT(id, MSQ_BUF, 0, IPC_NOWAIT, 1, 1, 100);
	CHECK_EXITED(t_wait(pid), 0);
	struct msq_ds ds = msq_stat(id);
	CHECK_EQ(ds.qnum, 1);
	CHECK_EQ(ds.lspid, pid);
	MSQ_EXPECT(id, MSQ_BUF, 0, IPC_NOWAIT, 2, 2, 60);
	msq_rm(id);
}

/* Raising msg_qbytes wakes a sender that now fits. */
static void case_ipc_set_wakes_sender(void)
{
	int id = full_queue();
	pid_t pid = start_op(id, &(struct op){ .send = 1, .type = 2, .tag = 2,
		.len = 50 });

	msq_set_qbytes(id, 150);
	CHECK_EXITED(t_wait(pid), 0);
	CHECK_EQ(msq_stat(id).qnum, 2);
	CHECK_EQ(msq_stat(id).cbytes, 150);
	msq_rm(id);
}

/*
 * Linux checks for room before it looks for a waiting receiver: a full
 * queue stops a message that a receiver is waiting for.
 */
static void case_full_queue_before_receiver(void)
{
	int id = full_queue();
	pid_t rcv = start_op(id, &(struct op){ .type = 2, .len = MSQ_BUF,
		.want_type = 2, .tag = 2, .want_len = 10 });

	CHECK_ERR(msq_send(id, 2, 2, 10, IPC_NOWAIT), EAGAIN);
	pid_t snd = start_op(id, &(struct op){ .send = 1, .type = 2, .tag = 2,
		.len = 10 });
	MSQ_EXPECT(id, MSQ_BUF, 1, IPC_NOWAIT, 1, 1, 100);
	CHECK_EXITED(t_wait(snd), 0);
	CHECK_EXITED(t_wait(rcv), 0);
	CHECK_EQ(msq_stat(id).qnum, 0);
	msq_rm(id);
}

static volatile int *got;	/* the type each receiver got */

static void receive_any(int id, const void *arg)
{
	static struct msq_buf buf;

	CHECK_EQ(msq_rcv(id, &buf, MSQ_BUF, 0, 0), 8);
	t_post(&got[(long)arg], (int)buf.mtype);
}

#define WAITERS 4

static void case_receivers_each_get_one(void)
{
	int id = msq_new(0600);
	pid_t pids[WAITERS];

	got = t_shared_ints();
	for (long i = 0; i < WAITERS; i++)
		pids[i] = start_waiter(id, receive_any, (const void *)i);
	for (int i = 0; i < WAITERS; i++)
		MSQ_SEND(id, 1 + i, i, 8);
	int seen = 0;
	for (int i = 0; i < WAITERS; i++) {
		CHECK_EXITED(t_wait(pids[i]), 0);
		CHECK(got[i] >= 1 && got[i] <= WAITERS);
		seen |= 1 << got[i];
	}
	CHECK_EQ(seen, 0x1e);
	CHECK_EQ(msq_stat(id).qnum, 0);
	msq_rm(id);
}

static void case_senders_each_send(void)
{
	int id = full_queue();
	pid_t pids[WAITERS];

	for (int i = 0; i < WAITERS; i++)
		pids[i] = start_op(id, &(struct op){ .send = 1, .type = 2 + i,
			.tag = 2 + i, .len = 100 });
	int seen = 0;
	for (int i = 0; i <= WAITERS; i++) {
		static struct msq_buf buf;
		CHECK_EQ(msq_rcv(id, &buf, MSQ_BUF, 0, 0), 100);
		seen |= 1 << buf.mtype;
	}
	CHECK_EQ(seen, 0x3e);
	for (int i = 0; i < WAITERS; i++)
		CHECK_EXITED(t_wait(pids[i]), 0);
	CHECK_EQ(msq_stat(id).qnum, 0);
	msq_rm(id);
}

/* IPC_RMID wakes every receiver and sender with EIDRM. */
static void case_rmid_wakes_waiters(void)
{
	static const struct op ops[] = {
		{ .type = 9, .len = MSQ_BUF, .err = EIDRM },
		{ .type = 8, .flags = MSG_NOERROR, .len = 1, .err = EIDRM },
		{ .type = -5, .len = 10, .err = EIDRM },
		{ .send = 1, .type = 1, .len = 10, .err = EIDRM },
		{ .send = 1, .type = 2, .len = 0, .err = EIDRM },
	};
	int n = sizeof(ops) / sizeof(ops[0]);
	pid_t pids[sizeof(ops) / sizeof(ops[0])];
	int id = msq_new(0600);

	/* Full by count (qbytes 2, two empty messages) of types 6 and 7. */
	msq_set_qbytes(id, 2);
	MSQ_SEND(id, 6, 6, 0);
	MSQ_SEND(id, 7, 7, 0);
	for (int i = 0; i < n; i++)
		pids[i] = start_op(id, &ops[i]);
	msq_rm(id);
	for (int i = 0; i < n; i++)
		CHECK_EXITED(t_wait(pids[i]), 0);
}

static volatile sig_atomic_t hits;

static void on_usr1(int sig)
{
	(void)sig;
	hits++;
}

static int sa_flags;

static void interrupted(int id, const void *arg)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sa.sa_flags = sa_flags;
	CHECK_OK(sigaction(SIGUSR1, &sa, NULL));
	run_op(id, arg);
	CHECK_EQ(hits, 1);
}

/*
 * A handled signal ends a blocked msgrcv or msgsnd with EINTR, with
 * SA_RESTART too: Linux never restarts them after a handler ran.
 */
static void case_signal_eintr(void)
{
	static const struct op rcv = { .len = MSQ_BUF, .err = EINTR };
	static const struct op snd = { .send = 1, .type = 2, .len = 1,
				       .err = EINTR };
	int id = full_queue();
	int empty = msq_new(0600);

	for (int restart = 0; restart < 2; restart++) {
		sa_flags = restart ? SA_RESTART : 0;
		pid_t r = start_waiter(empty, interrupted, &rcv);
		pid_t s = start_waiter(id, interrupted, &snd);
		CHECK_OK(kill(r, SIGUSR1));
		CHECK_OK(kill(s, SIGUSR1));
		CHECK_EXITED(t_wait(r), 0);
		CHECK_EXITED(t_wait(s), 0);
	}
	CHECK_EQ(msq_stat(id).qnum, 1);
	CHECK_EQ(msq_stat(empty).qnum, 0);
	msq_rm(id);
	msq_rm(empty);
}

/* Stopped and continued with no handler, msgrcv goes back to sleep. */
static void case_stop_cont_restarts(void)
{
	int id, status;
	pid_t pid;

	id = msq_new(0600);
	pid = start_op(id, &(struct op){ .len = MSQ_BUF, .want_type = 3,
		.tag = 3, .want_len = 30 });

	CHECK_OK(kill(pid, SIGSTOP));
	CHECK_EQ(waitpid(pid, &status, WUNTRACED), pid);
	CHECK(WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP);
	CHECK_OK(kill(pid, SIGCONT));
	msq_await_sleeping(pid);
	MSQ_SEND(id, 3, 3, 30);
	CHECK_EXITED(t_wait(pid), 0);
	msq_rm(id);
}

static void nobody_receives(int id, const void *arg)
{
	msq_become_nobody();
	run_op(id, arg);
}

/* IPC_SET that takes read permission away ends a wait with EACCES. */
static void case_ipc_set_revokes_receiver(void)
{
	int id = msq_new(0666);
	pid_t pid = start_waiter(id, nobody_receives,
				 &(struct op){ .len = MSQ_BUF, .err = EACCES });
	struct msq_ds ds = msq_stat(id);

	ds.perm.mode = 0600;
	CHECK_OK(msq_ctl(id, IPC_SET, &ds));
	CHECK_EXITED(t_wait(pid), 0);
	msq_rm(id);
}

/* A waiter killed by SIGKILL leaves the queue as it was. */
static void case_kill_blocked(void)
{
	int id = full_queue();
	pid_t rcv = start_op(id, &(struct op){ .type = 2, .len = MSQ_BUF });
	pid_t snd = start_op(id, &(struct op){ .send = 1, .type = 2, .len = 8 });

	CHECK_OK(kill(rcv, SIGKILL));
	CHECK_OK(kill(snd, SIGKILL));
	CHECK_SIGNALED(t_wait(rcv), SIGKILL);
	CHECK_SIGNALED(t_wait(snd), SIGKILL);
	struct msq_ds ds = msq_stat(id);
	CHECK_EQ(ds.qnum, 1);
	CHECK_EQ(ds.lspid, getpid());
	CHECK_EQ(ds.lrpid, 0);
	/* The dead receiver does not take a type-2 message away. */
	MSQ_EXPECT(id, MSQ_BUF, 1, IPC_NOWAIT, 1, 1, 100);
	MSQ_SEND(id, 2, 2, 20);
	MSQ_EXPECT(id, MSQ_BUF, 2, IPC_NOWAIT, 2, 2, 20);
	msq_rm(id);
}

#define ROUNDS 1000

/* Two processes, one queue, type 1 one way and type 2 back. */
static void case_ping_pong(void)
{
	int id = msq_new(0600);
	volatile int *count = t_shared_ints();
	pid_t pid = t_fork();

	if (pid == 0) {
		for (int i = 0; i < ROUNDS; i++) {
			MSQ_EXPECT(id, 8, 1, 0, 1, i, 8);
			MSQ_SEND(id, 2, i, 8);
			t_post(count, i + 1);
		}
		_exit(0);
	}
	for (int i = 0; i < ROUNDS; i++) {
		MSQ_SEND(id, 1, i, 8);
		MSQ_EXPECT(id, 8, 2, 0, 2, i, 8);
	}
	CHECK_EXITED(t_wait(pid), 0);
	CHECK_EQ(*count, ROUNDS);
	struct msq_ds ds = msq_stat(id);
	CHECK_EQ(ds.qnum, 0);
	CHECK_EQ(ds.lspid, pid);
	CHECK_EQ(ds.lrpid, getpid());
	msq_rm(id);
}

/* ---- leaks ---- */

/* msgget, 16 messages of 100..8192 bytes queued at once, received, removed. */
static void cycle_queues(int rounds)
{
	for (int r = 0; r < rounds; r++) {
		int id = msq_new(0600);
		msq_set_qbytes(id, 16 * MSQ_MSGMAX);
		for (int i = 0; i < 16; i++)
			MSQ_SEND(id, 1 + i % 3, i, 100 + i * (MSQ_MSGMAX - 100) / 15);
		for (int i = 0; i < 16; i++)
			MSQ_EXPECT(id, MSQ_BUF, 0, IPC_NOWAIT, 1 + i % 3, i,
				   100 + i * (MSQ_MSGMAX - 100) / 15);
		msq_rm(id);
	}
}

static void case_leak_cycles(void)
{
	t_check_no_leak("queues of 16 messages", cycle_queues, 1000);
}

/* Queues removed full: msgmnb bytes in six messages, and empty ones. */
static void remove_full(int rounds)
{
	static const size_t sizes[] = { 8192, 4096, 2048, 1024, 1000, 24, 0, 0 };

	for (int r = 0; r < rounds; r++) {
		int id = msq_new(0600);
		for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
			MSQ_SEND(id, 1, (int)i, sizes[i]);
		CHECK_EQ(msq_stat(id).cbytes, MSQ_MSGMNB);
		msq_rm(id);
	}
}

static void case_leak_rmid_full(void)
{
	t_check_no_leak("queues removed full", remove_full, 500);
}

/* A receiver and a sender (holding 8 KB) killed asleep, then IPC_RMID. */
static void kill_waiters(int rounds)
{
	for (int r = 0; r < rounds; r++) {
		int id = msq_new(0600);
		MSQ_SEND(id, 1, 1, MSQ_MSGMAX);
		MSQ_SEND(id, 1, 2, MSQ_MSGMAX);
		pid_t rcv = start_op(id, &(struct op){ .type = 2, .len = MSQ_BUF });
		pid_t snd = start_op(id, &(struct op){ .send = 1, .type = 2,
			.len = MSQ_MSGMAX });
		CHECK_OK(kill(rcv, SIGKILL));
		CHECK_OK(kill(snd, SIGKILL));
		CHECK_SIGNALED(t_wait(rcv), SIGKILL);
		CHECK_SIGNALED(t_wait(snd), SIGKILL);
		msq_rm(id);
	}
}

static void case_leak_killed_waiters(void)
{
	slots = t_shared_ints();	/* before the first reading */
	t_check_no_leak("waiters killed asleep", kill_waiters, 100);
}

int main(int argc, char **argv)
{
	static const struct t_case cases[] = {
		{ case_rcv_wakes_on_send, "rcv_wakes_on_send" },
		{ case_typed_rcv_waits, "typed_rcv_waits" },
		{ case_blocked_rcv_too_small, "blocked_rcv_too_small" },
		{ case_snd_wakes_on_room, "snd_wakes_on_room" },
		{ case_ipc_set_wakes_sender, "ipc_set_wakes_sender" },
		{ case_full_queue_before_receiver, "full_queue_before_receiver" },
		{ case_receivers_each_get_one, "receivers_each_get_one" },
		{ case_senders_each_send, "senders_each_send" },
		{ case_rmid_wakes_waiters, "rmid_wakes_waiters" },
		{ case_signal_eintr, "signal_eintr" },
		{ case_stop_cont_restarts, "stop_cont_restarts" },
		{ case_ipc_set_revokes_receiver, "ipc_set_revokes_receiver" },
		{ case_kill_blocked, "kill_blocked" },
		{ case_ping_pong, "ping_pong" },
		{ case_leak_cycles, "leak_cycles" },
		{ case_leak_rmid_full, "leak_rmid_full" },
		{ case_leak_killed_waiters, "leak_killed_waiters" },
	};

	return T_RUN(argc, argv, cases);
}
