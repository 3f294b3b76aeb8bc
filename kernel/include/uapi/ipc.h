/*
 * System V IPC as Linux's x86-64 ABI defines it (include/uapi/linux/ipc.h,
 * shm.h, msg.h, sem.h and the asm-generic 64-bit buffers): the commands,
 * flags and the structures shmctl/msgctl/semctl copy in and out. Sizes are
 * checked below against the kernel's.
 */
#ifndef BASALT_UAPI_IPC_H
#define BASALT_UAPI_IPC_H

#include <types.h>

typedef int32_t key_t;

#define IPC_PRIVATE	((key_t)0)

/* get flags (the low 9 bits are the mode) */
#define IPC_CREAT	00001000
#define IPC_EXCL	00002000
#define IPC_NOWAIT	00004000

/* ctl commands shared by shm, msg and sem */
#define IPC_RMID	0
#define IPC_SET		1
#define IPC_STAT	2
#define IPC_INFO	3

/* shm */
#define SHM_RDONLY	010000	/* shmat: read-only */
#define SHM_RND		020000	/* shmat: round the address down */
#define SHM_REMAP	040000	/* shmat: take over the range */
#define SHM_EXEC	0100000	/* shmat: executable */
#define SHM_HUGETLB	04000	/* shmget */
#define SHM_NORESERVE	010000	/* shmget */
#define SHM_DEST	01000	/* mode: removed, freed at last detach */
#define SHM_LOCKED	02000	/* mode: SHM_LOCK'ed */
#define SHM_LOCK	11
#define SHM_UNLOCK	12
#define SHM_STAT	13
#define SHM_INFO	14
#define SHM_STAT_ANY	15
#define SHMLBA		4096	/* attach addresses are multiples */

/* msg */
#define MSG_NOERROR	010000	/* truncate instead of E2BIG */
#define MSG_EXCEPT	020000	/* the first message not of the type */
#define MSG_COPY	040000	/* copy the message at an index */
#define MSG_STAT	11
#define MSG_INFO	12
#define MSG_STAT_ANY	13
/* IPC_INFO's fixed msginfo values (Linux's MSGMNI * MSGMNB / 1024 etc.) */
#define MSGPOOL		(32000 * 16384 / 1024)
#define MSGMAP		16384
#define MSGTQL		16384
#define MSGSSZ		16
#define MSGSEG		0xffff

/* sem */
#define SEM_UNDO	0x1000	/* sem_flg: undo the operation at exit */
#define GETPID		11	/* semctl commands */
#define GETVAL		12
#define GETALL		13
#define GETNCNT		14
#define GETZCNT		15
#define SETVAL		16
#define SETALL		17
#define SEM_STAT	18
#define SEM_INFO	19
#define SEM_STAT_ANY	20

struct ipc64_perm {
	key_t key;
	uid_t uid;
	gid_t gid;
	uid_t cuid;
	gid_t cgid;
	mode_t mode;
	uint16_t seq;
	uint16_t pad2;
	uint64_t unused1;
	uint64_t unused2;
};

struct shmid64_ds {
	struct ipc64_perm shm_perm;
	uint64_t shm_segsz;		/* bytes, as asked */
	int64_t shm_atime;		/* last attach */
	int64_t shm_dtime;		/* last detach */
	int64_t shm_ctime;		/* last change */
	pid_t shm_cpid;			/* creator */
	pid_t shm_lpid;			/* last attach or detach */
	uint64_t shm_nattch;
	uint64_t unused4;
	uint64_t unused5;
};

struct shminfo64 {
	uint64_t shmmax, shmmin, shmmni, shmseg, shmall;
	uint64_t unused1, unused2, unused3, unused4;
};

struct shm_info {
	int32_t used_ids;
	uint64_t shm_tot;		/* pages of all segments */
	uint64_t shm_rss;		/* pages resident */
	uint64_t shm_swp;
	uint64_t swap_attempts;
	uint64_t swap_successes;
};

struct msqid64_ds {
	struct ipc64_perm msg_perm;
	int64_t msg_stime;		/* last msgsnd */
	int64_t msg_rtime;		/* last msgrcv */
	int64_t msg_ctime;		/* last change */
	uint64_t msg_cbytes;		/* bytes queued */
	uint64_t msg_qnum;		/* messages queued */
	uint64_t msg_qbytes;		/* most bytes the queue holds */
	pid_t msg_lspid;		/* last msgsnd */
	pid_t msg_lrpid;		/* last msgrcv */
	uint64_t unused4;
	uint64_t unused5;
};

struct msginfo {
	int32_t msgpool, msgmap, msgmax, msgmnb, msgmni, msgssz, msgtql;
	uint16_t msgseg;
};

/* x86-64's own layout (arch/x86/include/uapi/asm/sembuf.h), with its
 * padding after each time. */
struct semid64_ds {
	struct ipc64_perm sem_perm;
	int64_t sem_otime;		/* last semop */
	uint64_t unused1;
	int64_t sem_ctime;		/* creation, last SETVAL/SETALL/IPC_SET */
	uint64_t unused2;
	uint64_t sem_nsems;
	uint64_t unused3;
	uint64_t unused4;
};

struct sembuf {
	uint16_t sem_num;		/* index in the set */
	int16_t sem_op;			/* >0 add, <0 take, 0 wait for zero */
	int16_t sem_flg;		/* IPC_NOWAIT, SEM_UNDO */
};

struct seminfo {
	int32_t semmap, semmni, semmns, semmnu, semmsl, semopm, semume;
	int32_t semusz, semvmx, semaem;
};

_Static_assert(sizeof(struct ipc64_perm) == 48, "ipc64_perm size");
_Static_assert(sizeof(struct shmid64_ds) == 112, "shmid64_ds size");
_Static_assert(sizeof(struct shminfo64) == 72, "shminfo64 size");
_Static_assert(sizeof(struct shm_info) == 48, "shm_info size");
_Static_assert(sizeof(struct msqid64_ds) == 120, "msqid64_ds size");
_Static_assert(sizeof(struct msginfo) == 32, "msginfo size");
_Static_assert(sizeof(struct semid64_ds) == 104, "semid64_ds size");
_Static_assert(offsetof(struct semid64_ds, sem_ctime) == 64, "sem_ctime");
_Static_assert(offsetof(struct semid64_ds, sem_nsems) == 80, "sem_nsems");
_Static_assert(sizeof(struct sembuf) == 6, "sembuf size");
_Static_assert(sizeof(struct seminfo) == 40, "seminfo size");

#endif
