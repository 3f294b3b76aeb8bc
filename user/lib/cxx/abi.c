/*
 * abi.c - the parts of the C++ ABI runtime that g++'s code calls besides
 * operator new and delete (__cxa_atexit lives with atexit in
 * start/atexit.c):
 *
 *   __cxa_pure_virtual, __cxa_deleted_virtual: a call through an empty
 *     vtable slot (a pure virtual function called from a constructor or
 *     destructor) - a bug, reported and aborted.
 *   __cxa_guard_acquire/release/abort: the one-time initialisation of a
 *     function's static local object. The guard is 64 bits; g++ reads
 *     its first byte (non-zero: done) inline and calls acquire only when
 *     it is zero. The second 32-bit word is a futex holding the id of
 *     the thread running the initialiser (0: none); others sleep on it.
 *     acquire returns 1 when the caller must run the initialiser, then
 *     release (or abort, if the initialiser gave up) ends it. A thread
 *     that re-enters its own initialisation would wait forever; that
 *     recursion is reported instead.
 */
#include <stdint.h>
#include <stdlib.h>
#include "../internal/libc.h"
#include "../internal/syscall.h"

#define FUTEX_WAIT_PRIVATE	128
#define FUTEX_WAKE_PRIVATE	129

static void die(const char *what)
{
	const char *parts[] = { what, "\n", NULL };

	__basalt_say(parts);
	abort();
}

void __cxa_pure_virtual(void)
{
	die("pure virtual method called");
}

void __cxa_deleted_virtual(void)
{
	die("deleted virtual method called");
}

struct guard {
	uint8_t done;		/* read inline by g++'s code */
	uint8_t waiters;	/* someone sleeps on owner */
	uint8_t pad[2];
	int owner;		/* the initialising thread's id, or 0 */
};

_Static_assert(sizeof(struct guard) == 8, "the ABI's guard is 64 bits");

int __cxa_guard_acquire(uint64_t *g)
{
	struct guard *gd = (struct guard *)g;
	int me = (int)sys_call0(SYS_gettid);

	for (;;) {
		if (__atomic_load_n(&gd->done, __ATOMIC_ACQUIRE))
			return 0;
		int owner = 0;
		if (__atomic_compare_exchange_n(&gd->owner, &owner, me, 0,
						__ATOMIC_SEQ_CST,
						__ATOMIC_SEQ_CST))
			return 1;
		if (owner == me)
			die("__cxa_guard_acquire: recursive initialisation of "
			    "a static local object");
		__atomic_store_n(&gd->waiters, 1, __ATOMIC_SEQ_CST);
		if (sys_call4(SYS_futex, (long)&gd->owner, FUTEX_WAIT_PRIVATE,
			      owner, 0) == -38 /* ENOSYS */)
			sys_call0(SYS_sched_yield);
	}
}

static void guard_end(struct guard *gd, int done)
{
	if (done)
		__atomic_store_n(&gd->done, 1, __ATOMIC_RELEASE);
	__atomic_store_n(&gd->owner, 0, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&gd->waiters, __ATOMIC_SEQ_CST))
		sys_call3(SYS_futex, (long)&gd->owner, FUTEX_WAKE_PRIVATE,
			  INT32_MAX);
}

void __cxa_guard_release(uint64_t *g)
{
	guard_end((struct guard *)g, 1);
}

void __cxa_guard_abort(uint64_t *g)
{
	guard_end((struct guard *)g, 0);
}
