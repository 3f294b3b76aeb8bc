/*
 * <basalt/lock.h> - libbasalt's futex lock, for threads of one process.
 *
 *   static struct basalt_lock counter_lock = BASALT_LOCK_INIT;
 *   basalt_lock(&counter_lock);  ...critical section...  basalt_unlock(&counter_lock);
 *
 * The lock is one int, the mutex of Drepper's "Futexes Are Tricky"
 * (mutex 2): 0 free, 1 held, 2 held and someone may sleep on it. Taking
 * a free lock and releasing one nobody waits for are single atomic
 * instructions, without a system call; a thread that finds it held spins
 * briefly, then sleeps in futex(FUTEX_WAIT_PRIVATE) until the holder's
 * unlock wakes it (FUTEX_WAKE_PRIVATE). Where the kernel has no futex it
 * yields and tries again instead.
 *
 * It is not recursive (a thread that takes a lock it holds waits
 * forever), has no owner (any thread may release it) and is private to
 * one process: for processes use the report's semaphores, <basalt/sem.h>.
 * Zero-filled memory is a free lock.
 */
#ifndef BASALT_LOCK_H
#define BASALT_LOCK_H

#ifdef __cplusplus
extern "C" {
#endif

struct basalt_lock {
	int state;	/* 0 free, 1 held, 2 held with (maybe) sleepers */
};

#define BASALT_LOCK_INIT { 0 }

void basalt_lock(struct basalt_lock *l);	/* waits until it is ours */
int basalt_trylock(struct basalt_lock *l);	/* 1 if taken, 0 if busy */
void basalt_unlock(struct basalt_lock *l);	/* the caller holds it */

#ifdef __cplusplus
}
#endif

#endif
