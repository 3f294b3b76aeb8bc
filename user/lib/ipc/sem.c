/*
 * sem.c - System V semaphore wrappers: semget, semop, semtimedop,
 * semctl. semop and semtimedop are two system calls (65 and 220) with
 * one meaning (semop never times out); each wrapper makes its own, as
 * glibc and musl do. semctl's fourth argument, union semun, is one
 * 64-bit word in a register on x86-64 whether the caller passes the
 * union, a pointer or a plain int (SETVAL: the kernel reads only the
 * low 32 bits); it is read only for the commands that take one.
 */
#include <stdarg.h>
#include <sys/sem.h>
#include <time.h>
#include "../internal/syscall.h"

int semget(key_t key, int nsems, int flags)
{
	return (int)__syscall_ret(sys_call3(SYS_semget, key, nsems, flags));
}

int semtimedop(int id, struct sembuf *ops, size_t nops,
	       const struct timespec *timeout)
{
	return (int)__syscall_ret(sys_call4(SYS_semtimedop, id, (long)ops,
					    (long)nops, (long)timeout));
}

int semop(int id, struct sembuf *ops, size_t nops)
{
	return (int)__syscall_ret(sys_call3(SYS_semop, id, (long)ops,
					    (long)nops));
}

int semctl(int id, int num, int cmd, ...)
{
	long arg = 0;

	switch (cmd) {
	case SETVAL: case GETALL: case SETALL: case IPC_STAT: case IPC_SET:
	case IPC_INFO: case SEM_INFO: case SEM_STAT: case SEM_STAT_ANY: {
		va_list ap;

		va_start(ap, cmd);
		arg = va_arg(ap, long);
		va_end(ap);
		break;
	}
	}
	return (int)__syscall_ret(sys_call4(SYS_semctl, id, num, cmd, arg));
}
