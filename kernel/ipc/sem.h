/*
 * System V semaphores, private to kernel/ipc/: the records and what
 * sem.c (semget, semctl, /proc, a set's lifetime), sem_op.c (semop and
 * semtimedop: the all-or-nothing operations and the queues of waiting
 * ones) and sem_undo.c (the SEM_UNDO lists) share.
 *
 * Lock: sem_ids.lock (a mutex) guards the table and everything in every
 * set (values, queues, undo entries) and every undo list's entries. One
 * lock for all sets is plenty here: its sections are short, and nothing
 * in them sleeps but kmalloc. A section that may have changed a set's
 * queues ends with sem_unlock.
 * A queued operation's status is written under that mutex *and* under its
 * own q->wq.lock, which the sleeper holds while testing it, so the
 * sleeper reads it without the mutex (sem_op.c). User memory is copied
 * with no lock held: semop's sembufs first of all, SETALL's values under
 * a reference to the set, which is revalidated (still in the table?)
 * afterwards.
 */
#ifndef BASALT_IPC_SEM_H
#define BASALT_IPC_SEM_H

#include <types.h>
#include <lib/list.h>
#include "util.h"

#define SEMVMX		32767		/* largest value */
#define SEMAEM		SEMVMX		/* largest adjustment */

/* Everything below is guarded by sem_ids.lock unless it says otherwise. */

struct sem {
	int semval;
	pid_t sempid;			/* last to change it */
	struct list_head pending_alter;	/* single operations taking from it */
	struct list_head pending_const;	/* single waits for zero on it */
};

struct sem_array {
	struct kern_ipc_perm perm;
	int64_t otime, ctime;
	struct list_head pending_alter;	/* complex alter ops (+ merged singles) */
	struct list_head pending_const;	/* complex waits for zero */
	struct list_head undos;		/* sem_undo.list_id, one per task list */
	int nsems;			/* fixed */
	int complex_count;		/* complex operations queued */
	int refs;			/* atomic: the table's + SETALL's */
	struct sem sems[];
};

/* A task list's adjustments for one set (sem_undo.c). */
struct sem_undo {
	struct list_head list_proc;	/* in ulp->list */
	struct list_head list_id;	/* in sma->undos */
	struct sem_array *sma;
	int semid;
	int16_t semadj[];		/* added back at exit */
};

extern struct ipc_ids sem_ids;

/* A limit from /proc/sys/kernel/sem (SEM_CTL_*). */
static inline int sem_limit(int which)
{
	return __atomic_load_n(&ipc_limits.sem_ctls[which], __ATOMIC_RELAXED);
}

/* ---- sem.c ------------------------------------------------------------ */

/* The set with exactly this id, or NULL (EINVAL). sem_ids.lock held. */
struct sem_array *sem_obtain(int semid);

/* ---- sem_op.c: the queues; sem_ids.lock held for each ----------------- */

/*
 * The set changed by sops (NULL: SETVAL, SETALL, exit's undo): complete
 * the waiters that now can, and note the operation time if one did or
 * otime says so (Linux's do_smart_update).
 */
void sem_update(struct sem_array *sma, const struct sembuf *sops,
		int nsops, bool otime);
/* Singles back to their semaphores once no complex operation waits. */
void sem_unmerge_queues(struct sem_array *sma);
/* The end of every section that may have changed sma's queues (sma may
 * be NULL): sem_unmerge_queues, then sem_ids.lock is dropped. */
void sem_unlock(struct sem_array *sma);
/* GETNCNT (zero: false) and GETZCNT (zero: true) of semaphore semnum. */
int sem_count_waiters(struct sem_array *sma, int semnum, bool zero);
/* IPC_RMID: every operation waiting on sma returns EIDRM. */
void sem_wake_removed(struct sem_array *sma);

/* ---- sem_undo.c: sem_ids.lock held for each --------------------------- */

/* current's entry for the set semid, made if there is none (Linux's
 * find_alloc_undo): 0, -EINVAL (no such set) or -ENOMEM. */
int sem_find_alloc_undo(int semid, struct sem_undo **out);
/* IPC_RMID: every task's entry for sma goes. */
void sem_free_undos(struct sem_array *sma);

#endif
