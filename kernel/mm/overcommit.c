/*
 * The overcommit policy: which requests for memory are refused up front.
 *
 * Memory is handed out lazily, at the first touch, so a mapping promises
 * more than it takes. vm.overcommit_memory says which promises are
 * refused up front, with Linux's meanings:
 *
 *   0  heuristic (the default; Linux's OVERCOMMIT_GUESS): a single
 *      request for more than RAM + swap (there is no swap) fails with
 *      ENOMEM; anything smaller is granted, and the OOM killer (oom.c)
 *      settles the account if memory really runs out;
 *   1  always: nothing is refused;
 *   2  strict accounting (OVERCOMMIT_NEVER) would keep a machine-wide
 *      commit charge and refuse what exceeds swap + RAM * ratio. Basalt
 *      keeps no such charge, so it refuses the value with EINVAL rather
 *      than claim a guarantee it does not give.
 *
 * What is a request (Linux's accountable memory, the callers decide):
 * a private writable mapping without MAP_NORESERVE (file or anonymous;
 * the area is then VMA_ACCOUNT), a shared anonymous mapping without
 * MAP_NORESERVE, growing the break, growing a VMA_ACCOUNT area with
 * mremap, making a private area writable with mprotect, a System V shm
 * segment without SHM_NORESERVE, and each VMA_ACCOUNT area fork copies.
 *
 * The knob, /proc/sys/vm/overcommit_memory, is in sysctl.c.
 */
#include <types.h>
#include <mm/page.h>
#include <mm/vm.h>
#include <uapi/errno.h>

static int overcommit_mode = OVERCOMMIT_GUESS;	/* atomic */

int vm_enough_memory(uint64_t pages)
{
	if (__atomic_load_n(&overcommit_mode, __ATOMIC_RELAXED) ==
	    OVERCOMMIT_ALWAYS)
		return 0;
	return pages > page_count_total() ? -ENOMEM : 0;
}

int vm_overcommit_mode(void)
{
	return __atomic_load_n(&overcommit_mode, __ATOMIC_RELAXED);
}

int vm_set_overcommit_mode(int mode)
{
	/* 2 is Linux's strict mode: not implemented, see above. */
	if (mode != OVERCOMMIT_GUESS && mode != OVERCOMMIT_ALWAYS)
		return -EINVAL;
	__atomic_store_n(&overcommit_mode, mode, __ATOMIC_RELAXED);
	return 0;
}
