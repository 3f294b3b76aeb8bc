/*
 * basalt_sem.c - the report's semaphore interface (<basalt/sem.h>) over
 * System V semaphores: getsem makes a private set of one with the given
 * value, p and v are semop of -1 and +1 (p retries when a signal cuts the
 * wait short), freesem removes the set. A mutex is a semaphore of 1.
 */
#include <basalt/sem.h>
#include <errno.h>
#include <sys/sem.h>

int getsem(int value)
{
	int id = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);

	if (id < 0)
		return -1;
	if (semctl(id, 0, SETVAL, (long)value) < 0) {
		int err = errno;

		semctl(id, 0, IPC_RMID);
		errno = err;
		return -1;
	}
	return id;
}

int p(int id)
{
	struct sembuf op = { 0, -1, 0 };
	int r;

	while ((r = semop(id, &op, 1)) < 0 && errno == EINTR)
		;
	return r;
}

int v(int id)
{
	struct sembuf op = { 0, 1, 0 };

	return semop(id, &op, 1);
}

int freesem(int id)
{
	return semctl(id, 0, IPC_RMID);
}

int mutex_get(void)
{
	return getsem(1);
}

int mutex_lock(int id)
{
	return p(id);
}

int mutex_unlock(int id)
{
	return v(id);
}
