/*
 * Deadlock detection for POSIX record locks, as Linux's
 * posix_locks_deadlock: before a process sleeps for a lock held by
 * another, follow the chain "the owner of the blocking lock is itself
 * waiting for a lock held by ..." through the waiter list; if it comes
 * back to the caller, sleeping would never end, so F_SETLKW fails with
 * EDEADLK. Like Linux, the walk gives up (no deadlock reported) after
 * a few steps, and OFD locks take no part (their owners are not
 * processes, so the chain says nothing about who could wake whom).
 */
#include "locks.h"

#define MAX_DEADLK_ITERATIONS 10

/* The owner that `owner` is waiting for, or NULL (lock_mutex held). */
static const void *owner_waits_for(const void *owner)
{
	struct lock_waiter *w;

	mutex_assert_held(&lock_mutex);
	list_for_each_entry(w, &lock_waiters, link)
		if (w->owner == owner)
			return w->blocker;
	return NULL;
}

bool posix_locks_deadlock(const void *owner, const void *blocker)
{
	mutex_assert_held(&lock_mutex);
	for (int i = 0; blocker && i <= MAX_DEADLK_ITERATIONS; i++) {
		blocker = owner_waits_for(blocker);
		if (blocker == owner)
			return true;
	}
	return false;
}
