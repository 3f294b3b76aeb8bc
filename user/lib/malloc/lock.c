/*
 * lock.c - the allocator's lock across fork. The lock itself is
 * libbasalt's futex lock (<basalt/lock.h>), taken by heap_lock in heap.h
 * only while the process has other threads.
 *
 * When a process with threads forks, another thread may be inside the
 * allocator: the child would get a half-changed heap and a lock that no
 * thread of its own will ever release. fork() therefore calls this hook
 * (internal/libc.h): the lock is taken before the fork, so the heap is
 * consistent when copied, then released in the parent and simply reset
 * to free in the child, whose only thread is the forking one. The other
 * threads' pages have no thread in the child: it abandons them, rebuilt
 * from their bitmaps, for itself to adopt (small.c).
 */
#include "heap.h"
#include "../internal/libc.h"

void __basalt_malloc_fork(enum fork_phase phase)
{
	switch (phase) {
	case FORK_PREPARE:
		basalt_lock(&heap.lock);
		break;
	case FORK_PARENT:
		basalt_unlock(&heap.lock);
		break;
	case FORK_CHILD:
		small_fork_child();
		heap.lock = (struct basalt_lock)BASALT_LOCK_INIT;
		heap.locked = false;
		break;
	}
}
