/*
 * System V semaphore ping-pong between two processes: a set of two
 * semaphores; the parent raises the child's (V) and waits on its own (P),
 * the child the reverse. The result is per one-way hand-off, half a round
 * trip: a semop that wakes a sleeper, a semop that sleeps, a switch.
 */
#include "bench.h"

#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/wait.h>
#include <unistd.h>

#define TO_CHILD	0
#define TO_PARENT	1

static int set = -1;
static pid_t child;

static int sem_op(int num, int op)
{
	struct sembuf b = { .sem_num = (unsigned short)num,
			    .sem_op = (short)op };

	return semop(set, &b, 1);
}

/* The child answers every V on its semaphore until the set is removed. */
static void echo_loop(void)
{
	for (;;) {
		if (sem_op(TO_CHILD, -1) < 0)
			_exit(0);	/* EIDRM: the benchmark is over */
		if (sem_op(TO_PARENT, 1) < 0)
			_exit(0);
	}
}

static void setup(void)
{
	set = semget(IPC_PRIVATE, 2, IPC_CREAT | 0600);
	if (set < 0)
		bench_fail("semget");
	child = fork();
	if (child < 0)
		bench_fail("fork");
	if (child == 0)
		echo_loop();
}

static int64_t run(long n)
{
	int64_t t0 = bench_now_ns();

	for (long i = 0; i < n; i++) {
		if (sem_op(TO_CHILD, 1) < 0)
			bench_fail("semop V");
		if (sem_op(TO_PARENT, -1) < 0)
			bench_fail("semop P");
	}
	return bench_now_ns() - t0;
}

static void teardown(void)
{
	if (semctl(set, 0, IPC_RMID) < 0)
		bench_fail("semctl IPC_RMID");
	if (waitpid(child, NULL, 0) != child)
		bench_fail("waitpid");
}

int main(void)
{
	static const struct bench b = {
		.name = "sem_pingpong", .unit = "ns/handoff", .run = run,
		.setup = setup, .teardown = teardown, .per_n = 2,
	};

	return bench_main(&b);
}
