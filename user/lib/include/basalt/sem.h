/*
 * <basalt/sem.h> - the report's simple semaphore interface (MISSION.md
 * section 2), on top of System V semaphores: each semaphore is a set of
 * one, private to the process and its children.
 *
 *   int id = getsem(1);   p(id);  ...critical section...  v(id);
 *   freesem(id);
 *
 * A mutex is a semaphore of initial value 1 (mutex_get, mutex_lock,
 * mutex_unlock). The calls return -1 with errno set on failure.
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
