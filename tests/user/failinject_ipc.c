/*
 * failinject_ipc.c - System V IPC with each allocation failing in turn
 * (failinject.h). Basalt-only: the cases skip without fail-nth.
 *
 * shmget and shmat of a segment; msgget and a message sent and
 * received; semget and a semop with SEM_UNDO (whose undo record is an
 * allocation of its own). Each failure must be ENOMEM; whatever the
 * attempt created is removed again with IPC_RMID.
 */
#include "failinject.h"

#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

static int id = -1;
static void *attached;
static struct { long mtype; char mtext[200]; } msg = { 1, "message" };

static long act_shm(void)
{
	void *p;

	id = shmget(IPC_PRIVATE, 16 * T_PAGE, IPC_CREAT | 0600);
	if (id < 0)
		return -errno;
	p = shmat(id, NULL, 0);
	if (p == (void *)-1)
		return -errno;
	attached = p;
	return 0;
}

static void undo_shm(void)
{
	if (attached)
		CHECK_OK(shmdt(attached));
	if (id >= 0)
		CHECK_OK(shmctl(id, IPC_RMID, NULL));
	attached = NULL;
	id = -1;
}

static long act_msg(void)
{
	id = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	if (id < 0)
		return -errno;
	if (msgsnd(id, &msg, sizeof(msg.mtext), IPC_NOWAIT))
		return -errno;
	if (msgrcv(id, &msg, sizeof(msg.mtext), 0, IPC_NOWAIT) < 0)
		return -errno;
	return 0;
}

static void undo_msg(void)
{
	if (id >= 0)
		CHECK_OK(msgctl(id, IPC_RMID, NULL));
	id = -1;
}

static long act_sem(void)
{
	struct sembuf op = { 0, 1, SEM_UNDO };

	id = semget(IPC_PRIVATE, 4, IPC_CREAT | 0600);
	if (id < 0)
		return -errno;
	return semop(id, &op, 1) ? -errno : 0;
}

static void undo_sem(void)
{
	if (id >= 0)
		CHECK_OK(semctl(id, 0, IPC_RMID));
	id = -1;
}

/* A message of two pieces (each at most a page with its header), just
 * under msgmax. */
static struct { long mtype; char mtext[8000]; } big = { 1, "big" };

static long act_big_msg(void)
{
	id = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	if (id < 0)
		return -errno;
	if (msgsnd(id, &big, sizeof(big.mtext), IPC_NOWAIT))
		return -errno;
	return msgrcv(id, &big, sizeof(big.mtext), 0, IPC_NOWAIT) < 0 ?
		-errno : 0;
}

/* fork of a process with a segment attached and a SEM_UNDO record. */
static int sem_id = -1;

static void setup_rich(void)
{
	struct sembuf op = { 0, 1, SEM_UNDO };

	CHECK_EQ(act_shm(), 0);
	sem_id = CHECK_OK(semget(IPC_PRIVATE, 1, IPC_CREAT | 0600));
	CHECK_OK(semop(sem_id, &op, 1));
	memset(attached, 1, 16 * T_PAGE);
}

static long child;

static long act_fork_rich(void)
{
	child = fork();
	if (child == 0)
		_exit(0);
	return child < 0 ? -errno : 0;
}

static void undo_rich(void)
{
	int status;

	if (child > 0) {
		CHECK_EQ(waitpid((pid_t)child, &status, 0), child);
		CHECK_EXITED(status, 0);
	}
	child = 0;
	undo_shm();
	CHECK_OK(semctl(sem_id, 0, IPC_RMID));
	sem_id = -1;
}

FI_OP(shm, .name = "shmget and shmat", .act = act_shm, .undo = undo_shm)
FI_OP(msg, .name = "msgget, msgsnd and msgrcv", .act = act_msg,
      .undo = undo_msg)
FI_OP(sem, .name = "semget and semop(SEM_UNDO)", .act = act_sem,
      .undo = undo_sem)
FI_OP(big_msg, .name = "a message of two pieces", .act = act_big_msg,
      .undo = undo_msg)
FI_OP(fork_rich, .name = "fork with a segment and SEM_UNDO",
      .act = act_fork_rich, .undo = undo_rich,
      .allowed = { ENOMEM, EAGAIN }, .setup = setup_rich)

static const struct t_case cases[] = {
	{ case_shm, "shm" },
	{ case_msg, "msg" },
	{ case_sem, "sem" },
	{ case_big_msg, "msg-two-pieces" },
	{ case_fork_rich, "fork-with-ipc" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
