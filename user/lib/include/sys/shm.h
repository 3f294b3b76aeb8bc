/* <sys/shm.h> - System V shared memory. */
#ifndef BASALT_SYS_SHM_H
#define BASALT_SYS_SHM_H

#include <sys/ipc.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SHM_RDONLY	010000
#define SHM_RND		020000
#define SHM_REMAP	040000
#define SHM_EXEC	0100000
#define SHM_LOCK	11
#define SHM_UNLOCK	12
#define SHM_STAT	13
#define SHM_INFO	14
#define SHM_STAT_ANY	15
#define SHMLBA		4096

typedef unsigned long shmatt_t;

/* The kernel's struct shmid64_ds on x86-64 (112 bytes). */
struct shmid_ds {
	struct ipc_perm shm_perm;
	size_t shm_segsz;
	time_t shm_atime;
	time_t shm_dtime;
	time_t shm_ctime;
	pid_t shm_cpid;
	pid_t shm_lpid;
	shmatt_t shm_nattch;
	unsigned long __unused4;
	unsigned long __unused5;
};

int shmget(key_t key, size_t size, int flags);
void *shmat(int id, const void *addr, int flags);
int shmdt(const void *addr);
int shmctl(int id, int cmd, struct shmid_ds *buf);

#ifdef __cplusplus
}
#endif

#endif
