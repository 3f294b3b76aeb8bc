/*
 * Futexes (kernel/proc/futex*.c): futex(2) and futex_waitv(2), Linux's
 * fast user-space locking primitive. The rest of the kernel needs only
 * these entry points; docs/sync.md explains the design.
 */
#ifndef BASALT_PROC_FUTEX_H
#define BASALT_PROC_FUTEX_H

struct task;

/* Boot: set up the hash table of wait buckets. */
void futex_init(void);

/*
 * t (the current task) leaves its address space, by exit or execve,
 * with that mm still attached: walk its robust list (locks it holds get
 * FUTEX_OWNER_DIED and a waiter is woken), hand the PI locks it owns to
 * their waiters, then clear and wake its clear_child_tid word
 * (CLONE_CHILD_CLEARTID, set_tid_address) if other tasks share the mm.
 * From here on no PI waiter may attach to t; after an execve,
 * futex_exec_done(t) lets them again.
 */
void futex_exit(struct task *t);
void futex_exec_done(struct task *t);

#endif
