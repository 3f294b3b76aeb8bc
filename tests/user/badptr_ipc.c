/*
 * badptr_ipc.c - bad pointers in the System V IPC calls (see badptr.h).
 *
 * The calls work on the scratch world's message queue, semaphore set
 * (one semaphore, value 0) and shared memory segment (one page); after
 * every probe the queue is emptied and the semaphore set to 0 again.
 *
 * Linux facts the rows record: msgrcv takes the message off the queue
 * before it copies it out, so a bad buffer loses it; semop reads all its
 * operations before it does any; shmat's address is a hint when NULL and
 * must not overlap a mapping otherwise (EINVAL without SHM_REMAP), and
 * shmdt of an address where no segment is attached is EINVAL.
 */
#include "badptr.h"

static struct { long mtype; char mtext[8]; } msg = { 1, "message" };
static short sops[6] = { 0, 0, IPC_NOWAIT, 0, 0, IPC_NOWAIT };

static void s_msgctl(struct bp_call *c, int cmd)
{
	CHECK_OK(msgctl(bp_env.msqid, IPC_STAT, (struct msqid_ds *)bp_buf));
	c->a[0] = cmd == IPC_INFO || cmd == MSG_INFO ? 0 : bp_env.msqid;
	c->a[1] = cmd;
	c->a[2] = (long)bp_buf;
}
static void s_msg_stat(struct bp_call *c) { s_msgctl(c, IPC_STAT); }
static void s_msg_set(struct bp_call *c) { s_msgctl(c, IPC_SET); }
static void s_msg_info(struct bp_call *c) { s_msgctl(c, IPC_INFO); }
static void s_msgsnd(struct bp_call *c)
{
	c->a[0] = bp_env.msqid;
	c->a[1] = (long)&msg;
	c->a[2] = sizeof(msg.mtext);
	c->a[3] = IPC_NOWAIT;
}
static void s_msgrcv(struct bp_call *c)
{
	CHECK_OK(msgsnd(bp_env.msqid, &msg, sizeof(msg.mtext), IPC_NOWAIT));
	c->a[0] = bp_env.msqid;
	c->a[1] = (long)bp_buf;
	c->a[2] = sizeof(msg.mtext);
	c->a[4] = IPC_NOWAIT;
}

static void s_semctl(struct bp_call *c, int cmd)
{
	CHECK_OK(semctl(bp_env.semid, 0, IPC_STAT, (struct semid_ds *)bp_buf));
	c->a[0] = cmd == IPC_INFO ? 0 : bp_env.semid;
	c->a[2] = cmd;
	c->a[3] = (long)bp_buf;
}
static void s_sem_stat(struct bp_call *c) { s_semctl(c, IPC_STAT); }
static void s_sem_set(struct bp_call *c) { s_semctl(c, IPC_SET); }
static void s_sem_info(struct bp_call *c) { s_semctl(c, IPC_INFO); }
static void s_sem_getall(struct bp_call *c)
{
	s_semctl(c, GETALL);
	memset(bp_buf, 0, 2);
}
static void s_sem_setall(struct bp_call *c)
{
	s_semctl(c, SETALL);
	memset(bp_buf, 0, 2);
}
static void s_semop(struct bp_call *c)
{
	c->a[0] = bp_env.semid;
	c->a[1] = (long)sops;
	c->a[2] = 2;
}
static void s_semtimedop(struct bp_call *c)
{
	static long ts[2];

	s_semop(c);
	c->a[3] = (long)ts;
}

static void s_shmctl(struct bp_call *c, int cmd)
{
	CHECK_OK(shmctl(bp_env.shmid, IPC_STAT, (struct shmid_ds *)bp_buf));
	c->a[0] = cmd == IPC_INFO ? 0 : bp_env.shmid;
	c->a[1] = cmd;
	c->a[2] = (long)bp_buf;
}
static void s_shm_stat(struct bp_call *c) { s_shmctl(c, IPC_STAT); }
static void s_shm_set(struct bp_call *c) { s_shmctl(c, IPC_SET); }
static void s_shm_info(struct bp_call *c) { s_shmctl(c, IPC_INFO); }
static void s_shmat(struct bp_call *c) { c->a[0] = bp_env.shmid; }
static void s_shmdt(struct bp_call *c) { (void)c; }

#define OUT(name, arg, what, size, setup)                                  \
	BP_ROW(name, arg, what, size, setup, EF, EF, EF, EF)

static const struct bp_row rows[] = {
	OUT(msgctl, 2, "IPC_STAT buf", 120, s_msg_stat),
	OUT(msgctl, 2, "IPC_SET buf", 120, s_msg_set),
	OUT(msgctl, 2, "IPC_INFO buf", 32, s_msg_info),
	OUT(msgsnd, 1, "msgp", 16, s_msgsnd),
	OUT(msgrcv, 1, "msgp", 16, s_msgrcv),
	OUT(semctl, 3, "IPC_STAT buf", 104, s_sem_stat),
	OUT(semctl, 3, "IPC_SET buf", 104, s_sem_set),
	OUT(semctl, 3, "IPC_INFO buf", 40, s_sem_info),
	OUT(semctl, 3, "GETALL array", 2, s_sem_getall),
	OUT(semctl, 3, "SETALL array", 2, s_sem_setall),
	OUT(semop, 1, "sops", 12, s_semop),
	OUT(semtimedop, 1, "sops", 12, s_semtimedop),
	BP_ROW(semtimedop, 3, "timeout", 16, s_semtimedop, OK, EF, EF, EF),
	OUT(shmctl, 2, "IPC_STAT buf", 112, s_shm_stat),
	OUT(shmctl, 2, "IPC_SET buf", 112, s_shm_set),
	OUT(shmctl, 2, "IPC_INFO buf", 72, s_shm_info),
	BP_ROW(shmat, 1, "shmaddr", 2 * BP_PAGE, s_shmat,
	       OK, OK, ENOMEM, EINVAL),
	BP_ROW(shmdt, 0, "shmaddr", 2 * BP_PAGE, s_shmdt,
	       EINVAL, EINVAL, EINVAL, NA),
};

BP_NONE_LIST = {
	BP_NONE(msgget, "a key and flags"),
	BP_NONE(semget, "a key, a count and flags"),
	BP_NONE(shmget, "a key, a size and flags"),
};

BP_TABLE_MAIN(rows)
