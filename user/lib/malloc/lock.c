/*
 * lock.c - the slow half of the allocator's lock (the fast half is inline
 * in heap.h): a futex mutex in the style of Drepper's "Futexes Are
 * Tricky", mutex 2. The word is 0 when free, 1 when held, 2 when held and
 * someone may sleep on it. Taking a free lock and releasing one nobody
 * waits for are single atomic instructions; only contention enters the
 * kernel.
 */
#include "heap.h"

#define SPINS 100	/* brief spinning before sleeping: holds are short */

void lock_take_slow(int *lock)
{
	for (int i = 0; i < SPINS; i++) {
		int unlocked = 0;

		if (__atomic_load_n(lock, __ATOMIC_RELAXED) == 0 &&
		    __atomic_compare_exchange_n(lock, &unlocked, 1, false,
						__ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			return;
		__builtin_ia32_pause();
	}
	/* Mark the lock contended; whoever holds it will wake us. */
	while (__atomic_exchange_n(lock, 2, __ATOMIC_ACQUIRE) != 0)
		glue_futex_wait(lock, 2);
}

void lock_wake(int *lock)
{
	glue_futex_wake(lock);
}
