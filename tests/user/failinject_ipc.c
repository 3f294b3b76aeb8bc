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

FI_OP(shm, .name = "shmget and shmat", .act = act_shm, .undo = undo_shm)
FI_OP(msg, .name = "msgget, msgsnd and msgrcv", .act = act_msg,
      .undo = undo_msg)
FI_OP(sem, .name = "semget and semop(SEM_UNDO)", .act = act_sem,
      .undo = undo_sem)

static const struct t_case cases[] = {
	{ case_shm, "shm" },
	{ case_msg, "msg" },
	{ case_sem, "sem" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
