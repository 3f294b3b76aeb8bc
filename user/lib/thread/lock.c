/*
 * lock.c - the futex lock of <basalt/lock.h>: Drepper's mutex 2 from
 * "Futexes Are Tricky", with a short spin before sleeping.
 *
 * The word is 0 when free, 1 when held by a thread that need wake no one,
 * 2 when held and a thread may be asleep on it. A taker that finds the
 * lock held sets 2 before it sleeps, so the holder's unlock knows to
 * wake someone; every thread that wakes up sets 2 again as it takes the
 * lock (it cannot know whether others still sleep), so at worst one
 * unlock makes a futex call for nothing. An unlock that sees 1 makes no
 * system call at all.
 *
 * This file uses nothing from the C library but raw system calls, so the
 * allocator's core, which takes this lock, still builds on the host (the
 * unit test, make bench-malloc: see malloc/glue.h).
 */
#include <stdbool.h>
#include "../include/basalt/lock.h"
#include "../internal/syscall.h"

#define FUTEX_WAIT_PRIVATE	128
#define FUTEX_WAKE_PRIVATE	129
#define NO_FUTEX		(-38)	/* -ENOSYS */
#define SPINS			100	/* critical sections are short */

/* Sleeps while *word == 2; a kernel without futex gets a yield instead. */
static void lock_sleep(int *word)
{
	if (sys_call4(SYS_futex, (long)word, FUTEX_WAIT_PRIVATE, 2, 0) ==
	    NO_FUTEX)
		sys_call0(SYS_sched_yield);
}

static int lock_cas(int *word, int old, int new)
{
	__atomic_compare_exchange_n(word, &old, new, false, __ATOMIC_ACQUIRE,
				    __ATOMIC_RELAXED);
	return old;	/* the value found: the swap happened if it was old */
}

void basalt_lock(struct basalt_lock *l)
{
	int c = lock_cas(&l->state, 0, 1);

	if (c == 0)
		return;
	/* Held: spin a little, as long as nobody sleeps on it. */
	for (int i = 0; i < SPINS && c == 1; i++) {
		__builtin_ia32_pause();
		c = __atomic_load_n(&l->state, __ATOMIC_RELAXED);
		if (c == 0 && (c = lock_cas(&l->state, 0, 1)) == 0)
			return;
	}
	/* Announce a sleeper (2), and sleep until the swap finds it free. */
	if (c != 2)
		c = __atomic_exchange_n(&l->state, 2, __ATOMIC_ACQUIRE);
	while (c != 0) {
		lock_sleep(&l->state);
		c = __atomic_exchange_n(&l->state, 2, __ATOMIC_ACQUIRE);
	}
}

int basalt_trylock(struct basalt_lock *l)
{
	return lock_cas(&l->state, 0, 1) == 0;
}

void basalt_unlock(struct basalt_lock *l)
{
	/* 1 -> 0: nobody sleeps. 2 -> 1: someone may; free it, wake one. */
	if (__atomic_fetch_sub(&l->state, 1, __ATOMIC_RELEASE) != 1) {
		__atomic_store_n(&l->state, 0, __ATOMIC_RELEASE);
		sys_call3(SYS_futex, (long)&l->state, FUTEX_WAKE_PRIVATE, 1);
	}
}
