/*
 * Message-queue ping-pong: two processes pass a 64-byte message back and
 * forth over one System V queue (type 1 to the child, type 2 back). Each
 * round trip is two msgsnd, two msgrcv and two switches on one CPU; the
 * result is per one-way message, half a round trip, like ctxsw.
 */
#include "bench.h"

#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/wait.h>
#include <unistd.h>

#define TEXT	64
#define TO_CHILD 1
#define TO_PARENT 2
#define QUIT	3

struct message {
	long mtype;
	char mtext[TEXT];
};

static int queue = -1;
static pid_t child;

/* The child answers every message until it is told to quit. */
static void echo_loop(void)
{
	struct message m;

	for (;;) {
		if (msgrcv(queue, &m, TEXT, -QUIT, 0) != TEXT)
			_exit(1);
		if (m.mtype == QUIT)
			_exit(0);
		m.mtype = TO_PARENT;
		if (msgsnd(queue, &m, TEXT, 0) < 0)
			_exit(1);
	}
}

static void setup(void)
{
	queue = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	if (queue < 0)
		bench_fail("msgget");
	child = fork();
	if (child < 0)
		bench_fail("fork");
	if (child == 0)
		echo_loop();
}

static int64_t run(long n)
{
	struct message m = { .mtype = TO_CHILD };
	int64_t t0 = bench_now_ns();

	memset(m.mtext, 'm', TEXT);
	for (long i = 0; i < n; i++) {
		m.mtype = TO_CHILD;
		if (msgsnd(queue, &m, TEXT, 0) < 0)
			bench_fail("msgsnd");
		if (msgrcv(queue, &m, TEXT, TO_PARENT, 0) != TEXT)
			bench_fail("msgrcv");
	}
	return bench_now_ns() - t0;
}

static void teardown(void)
{
	struct message m = { .mtype = QUIT };

	if (msgsnd(queue, &m, TEXT, 0) < 0)
		bench_fail("msgsnd");
	if (waitpid(child, NULL, 0) != child)
		bench_fail("waitpid");
	if (msgctl(queue, IPC_RMID, NULL) < 0)
		bench_fail("msgctl IPC_RMID");
}

int main(void)
{
	static const struct bench b = {
		.name = "msg_pingpong", .unit = "ns/msg", .run = run,
		.setup = setup, .teardown = teardown, .per_n = 2,
	};

	return bench_main(&b);
}
