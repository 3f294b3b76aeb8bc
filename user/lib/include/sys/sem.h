/*
 * <sys/sem.h> - System V semaphores. As POSIX says, the program defines
 * union semun itself when it needs semctl's fourth argument.
 */
#ifndef BASALT_SYS_SEM_H
#define BASALT_SYS_SEM_H

#include <sys/ipc.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SEM_UNDO	0x1000
#define GETPID		11
#define GETVAL		12
#define GETALL		13
#define GETNCNT		14
#define GETZCNT		15
#define SETVAL		16
#define SETALL		17
#define SEM_STAT	18
#define SEM_INFO	19
#define SEM_STAT_ANY	20

struct sembuf {
	unsigned short sem_num;
	short sem_op;
	short sem_flg;
};

/* The kernel's struct semid64_ds on x86-64 (104 bytes). */
struct semid_ds {
	struct ipc_perm sem_perm;
	time_t sem_otime;
	unsigned long __unused1;
	time_t sem_ctime;
	unsigned long __unused2;
	unsigned long sem_nsems;
	unsigned long __unused3;
	unsigned long __unused4;
};

struct timespec;

int semget(key_t key, int nsems, int flags);
int semop(int id, struct sembuf *ops, size_t nops);
int semtimedop(int id, struct sembuf *ops, size_t nops,
	       const struct timespec *timeout);
int semctl(int id, int num, int cmd, ...);

#ifdef __cplusplus
}
#endif

#endif
