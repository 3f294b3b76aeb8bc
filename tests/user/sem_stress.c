/*
 * sem_stress.c - 4 processes x 2000 random semaphore operations on one
 * set of 8 (a fixed seed, so every run asks for the same operations):
 * V, P (IPC_NOWAIT, or asleep with a short timeout, some with SEM_UNDO),
 * waits for zero, and two-semaphore operations (a P on both, or a
 * transfer). Each process counts what its successful operations changed;
 * at the end every value must be its start plus those changes (the
 * SEM_UNDO ones given back at exit), and nobody may be left waiting.
 * Only EAGAIN (would block, timed out) may fail an operation.
 */
#define _GNU_SOURCE
#include "t.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/sem.h>
#include <time.h>
#include <unistd.h>

union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
};

#define NPROC	4
#define NOPS	2000
#define NSEMS	8
#define START	2
#define SEED	20261129u

struct shared {
	long net[NPROC][NSEMS];		/* lasting changes, per process */
	long done[NPROC][5];		/* successful operations by kind */
};

static uint32_t next_rand(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

/* One operation, sleeping at most 2 ms unless IPC_NOWAIT: 0, or -1
 * with errno EAGAIN (anything else fails the test). */
static int try_ops(int id, struct sembuf *ops, int n, uint32_t *rs)
{
	struct timespec ts = { 0, 2 * 1000 * 1000 };
	int r;

	if (next_rand(rs) % 2) {
		for (int i = 0; i < n; i++)
			ops[i].sem_flg |= IPC_NOWAIT;
		r = semop(id, ops, n);
	} else {
		r = semtimedop(id, ops, n, &ts);
	}
	if (r < 0 && errno != EAGAIN)
		T_FAIL("semop: errno %s", t_errname(errno));
	return r;
}

static void worker(int id, int me, struct shared *sh)
{
	uint32_t rs = SEED + (uint32_t)me * 7919u;

	for (int i = 0; i < NOPS; i++) {
		int kind = (int)(next_rand(&rs) % 5);
		unsigned short a = (unsigned short)(next_rand(&rs) % NSEMS);
		unsigned short b = (unsigned short)((a + 1 + next_rand(&rs) %
						     (NSEMS - 1)) % NSEMS);
		int undo = next_rand(&rs) % 3 == 0;
		struct sembuf ops[2];
		int n = 1;

		switch (kind) {
		case 0:		/* V */
			ops[0] = (struct sembuf){ a, 1, 0 };
			break;
		case 1:		/* P, maybe undone at exit */
			ops[0] = (struct sembuf){ a, -1, undo ? SEM_UNDO : 0 };
			break;
		case 2:		/* wait for zero */
			ops[0] = (struct sembuf){ a, 0, 0 };
			break;
		case 3:		/* P on two at once */
			ops[0] = (struct sembuf){ a, -1, 0 };
			ops[1] = (struct sembuf){ b, -1, 0 };
			n = 2;
			break;
		default:	/* move one unit from b to a */
			ops[0] = (struct sembuf){ b, -1, 0 };
			ops[1] = (struct sembuf){ a, 1, 0 };
			n = 2;
			break;
		}
		if (try_ops(id, ops, n, &rs) < 0)
			continue;
		sh->done[me][kind]++;
		for (int k = 0; k < n; k++)
			if (!(ops[k].sem_flg & SEM_UNDO))
				sh->net[me][ops[k].sem_num] += ops[k].sem_op;
	}
}

static void case_random_ops(void)
{
	struct shared *sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	unsigned short vals[NSEMS];
	int id = (int)CHECK_OK(semget(IPC_PRIVATE, NSEMS, IPC_CREAT | 0600));
	pid_t pids[NPROC];

	CHECK(sh != MAP_FAILED);
	memset(sh, 0, sizeof(*sh));
	for (int i = 0; i < NSEMS; i++)
		vals[i] = START;
	CHECK_OK(semctl(id, 0, SETALL, (union semun){ .array = vals }));
	for (int p = 0; p < NPROC; p++) {
		pids[p] = t_fork();
		if (pids[p] == 0) {
			worker(id, p, sh);
			_exit(0);
		}
	}
	for (int p = 0; p < NPROC; p++)
		CHECK_EXITED(t_wait(pids[p]), 0);

	CHECK_OK(semctl(id, 0, GETALL, (union semun){ .array = vals }));
	for (int s = 0; s < NSEMS; s++) {
		long want = START;

		for (int p = 0; p < NPROC; p++)
			want += sh->net[p][s];
		if (vals[s] != want)
			T_FAIL("semaphore %d is %u, the operations say %ld", s,
			       vals[s], want);
		CHECK_EQ(semctl(id, s, GETNCNT), 0);
		CHECK_EQ(semctl(id, s, GETZCNT), 0);
	}
	long ok[5] = { 0 };
	for (int p = 0; p < NPROC; p++)
		for (int k = 0; k < 5; k++)
			ok[k] += sh->done[p][k];
	/* Every kind must have happened, or the test tested little. */
	for (int k = 0; k < 5; k++)
		CHECK(ok[k] > 0);
	t_note("succeeded: %ld V, %ld P, %ld zero, %ld double P, %ld moves",
	       ok[0], ok[1], ok[2], ok[3], ok[4]);
	CHECK_OK(semctl(id, 0, IPC_RMID));
}

static const struct t_case cases[] = {
	{ case_random_ops, "random_ops" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
