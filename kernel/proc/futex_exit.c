/*
 * What a task leaving its address space (exit, execve) owes the futexes
 * of the tasks it leaves behind: Linux's futex_exit_release and
 * mm_release, in the same order.
 *
 * Robust futexes: user space (glibc's robust mutexes) keeps a per-thread
 * list of the locks it holds, registered with set_robust_list. The
 * kernel walks it here with get_user, carefully (it is user memory: at
 * most ROBUST_LIST_LIMIT entries, any fault ends the walk), and for each
 * lock whose word still holds the exiting TID sets FUTEX_OWNER_DIED,
 * clears the TID and wakes one waiter, so the next owner learns that the
 * data it guards may be inconsistent. list_op_pending covers the entry
 * being added or removed when the thread died.
 *
 * Then the PI locks the kernel knows the task owns go to their waiters
 * (futex_pi.c), and the clear_child_tid word is zeroed and woken
 * (CLONE_CHILD_CLEARTID: how pthread_join learns a thread is gone).
 */
#include <types.h>
#include <mm/uaccess.h>
#include <mm/vm.h>
#include <proc/futex.h>
#include <proc/task.h>
#include <uapi/errno.h>
#include <uapi/futex.h>
#include "futex_internal.h"

/*
 * One robust lock of the dying task t (Linux's handle_futex_death). -1
 * stops the walk (an unaligned or unreadable word).
 */
static int futex_handle_death(uint64_t addr, struct task *t, bool pi,
			      bool pending)
{
	uint32_t __user *uaddr = (uint32_t __user *)addr;
	uint32_t uval, cur, mval;

	if (addr % sizeof(uint32_t))
		return -1;
	for (;;) {
		if (get_user(uval, uaddr))
			return -1;
		/*
		 * Died between releasing the word and waking a waiter, or
		 * woken and died before taking it: wake the next one, and
		 * leave the (free) word alone.
		 */
		if (pending && !pi && !uval) {
			futex_wake(uaddr, FUTEX_F_SHARED, 1,
				   FUTEX_BITSET_MATCH_ANY);
			return 0;
		}
		if ((uval & FUTEX_TID_MASK) != (uint32_t)t->tid)
			return 0;
		mval = (uval & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
		if (futex_atomic_cmpxchg_user(&cur, uaddr, uval, mval))
			return -1;
		if (cur == uval)
			break;
	}
	/* A PI lock's waiters get it in futex_pi_exit. */
	if (!pi && (uval & FUTEX_WAITERS))
		futex_wake(uaddr, FUTEX_F_SHARED, 1, FUTEX_BITSET_MATCH_ANY);
	return 0;
}

/* A list pointer: bit 0 says the entry is a PI lock. */
static int robust_fetch(uint64_t at, uint64_t *entry, bool *pi)
{
	uint64_t v;

	if (get_user(v, (uint64_t __user *)at))
		return -EFAULT;
	*entry = v & ~1ULL;
	*pi = v & 1;
	return 0;
}

/* Linux's exit_robust_list: any sign of a broken list ends the walk. */
static void futex_exit_robust_list(struct task *t, uint64_t head)
{
	uint64_t entry, next, pending;
	bool pi, next_pi, pending_pi;
	unsigned int limit = ROBUST_LIST_LIMIT;
	int64_t offset;

	if (robust_fetch(head + offsetof(struct robust_list_head, list),
			 &entry, &pi) ||
	    get_user(offset, (int64_t __user *)(head +
			offsetof(struct robust_list_head, futex_offset))) ||
	    robust_fetch(head + offsetof(struct robust_list_head,
					 list_op_pending), &pending, &pending_pi))
		return;
	while (entry != head) {
		/* Fetch the next entry before the lock may be handed on. */
		int err = robust_fetch(entry, &next, &next_pi);

		if (entry != pending &&
		    futex_handle_death(entry + (uint64_t)offset, t, pi, false))
			return;
		if (err)
			return;
		entry = next;
		pi = next_pi;
		if (!--limit)
			break;
	}
	if (pending)
		futex_handle_death(pending + (uint64_t)offset, t, pending_pi,
				   true);
}

void futex_exit(struct task *t)
{
	uint32_t __user *tidptr = (uint32_t __user *)t->clear_child_tid;

	/* From here on no PI waiter attaches to t (futex_pi.c). */
	spin_lock(&proc_tree_lock);
	t->futex_exiting = true;
	spin_unlock(&proc_tree_lock);
	if (t->robust_list) {
		futex_exit_robust_list(t, t->robust_list);
		t->robust_list = 0;
	}
	futex_pi_exit(t);
	/*
	 * Linux writes the word only if another task shares the mm: nobody
	 * else could see it otherwise (mm_release).
	 */
	if (tidptr) {
		if (mm_users(t->mm) > 1) {
			put_user(0U, tidptr);
			futex_wake(tidptr, FUTEX_F_SHARED, 1,
				   FUTEX_BITSET_MATCH_ANY);
		}
		t->clear_child_tid = 0;
	}
}

void futex_exec_done(struct task *t)
{
	spin_lock(&proc_tree_lock);
	t->futex_exiting = false;
	spin_unlock(&proc_tree_lock);
}
