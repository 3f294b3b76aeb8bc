/*
 * <basalt/sem.h> - the report's simple semaphore interface (MISSION.md
 * section 2), on top of System V semaphores: each semaphore is a new set
 * of one (IPC_PRIVATE, mode 0600), whose id works in every thread of the
 * process and, after fork, in its children. p sleeps in the kernel.
 *
 *   int id = getsem(1);   p(id);  ...critical section...  v(id);
 *   freesem(id);
 *
 * A mutex is a semaphore of initial value 1 (mutex_get, mutex_lock,
 * mutex_unlock). A semaphore lives until freesem, not until the process
 * ends. The calls return -1 with errno set on failure. (For threads of
 * one process, <basalt/lock.h> is cheaper: no system call unless
 * contended. See docs/libbasalt.md for why these sit on System V.)
 */
#ifndef BASALT_SEM_H
#define BASALT_SEM_H

#ifdef __cplusplus
extern "C" {
#endif

int getsem(int value);		/* a new semaphore; its id, or -1 */
int p(int id);			/* wait until positive, then decrement */
int v(int id);			/* increment, waking one waiter */
int freesem(int id);		/* remove it */

int mutex_get(void);		/* getsem(1) */
int mutex_lock(int id);		/* p(id) */
int mutex_unlock(int id);	/* v(id) */

#ifdef __cplusplus
}
#endif

#endif
