/* shm.c - System V shared memory wrappers: shmget, shmat, shmdt, shmctl. */
#include <sys/shm.h>
#include "../internal/syscall.h"

int shmget(key_t key, size_t size, int flags)
{
	return (int)__syscall_ret(sys_call3(SYS_shmget, key, (long)size,
					    flags));
}

void *shmat(int id, const void *addr, int flags)
{
	return (void *)__syscall_ret(sys_call3(SYS_shmat, id, (long)addr,
					       flags));
}

int shmdt(const void *addr)
{
	return (int)__syscall_ret(sys_call1(SYS_shmdt, (long)addr));
}

int shmctl(int id, int cmd, struct shmid_ds *buf)
{
	return (int)__syscall_ret(sys_call3(SYS_shmctl, id, cmd, (long)buf));
}
