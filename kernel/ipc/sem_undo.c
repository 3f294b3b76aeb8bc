/*
 * System V semaphores' SEM_UNDO lists (Linux's ipc/sem.c): made on first
 * use, shared by the tasks of a CLONE_SYSVSEM clone, applied at exit by
 * the last task holding one (ipc/ipc.h: sem_copy_undo, sem_exit).
 *
 * Each task may point to a struct sem_undo_list with one struct sem_undo
 * (sem.h) per set it used SEM_UNDO on: the adjustments exit adds back,
 * clamped to 0..SEMVMX. semop changes them as it applies sembufs
 * (sem_op.c); SETVAL and SETALL clear everyone's adjustments for what
 * they set; IPC_RMID frees the set's entries, so nothing stale is ever
 * applied. Everything here is guarded by sem_ids.lock (sem.h), except a
 * list's reference count.
 */
#include <types.h>
#include <lib/list.h>
#include <ipc/ipc.h>
#include <mm/kmalloc.h>
#include <proc/task.h>
#include <uapi/errno.h>
#include <uapi/sched.h>
#include "sem.h"

/* A task's adjustments (task->sysvsem), shared by CLONE_SYSVSEM clones. */
struct sem_undo_list {
	int refcnt;			/* atomic: tasks sharing it */
	struct list_head list;		/* sem_undo.list_proc, recent first */
};

/* current's undo list, made on first use (Linux's get_undo_list). */
static int get_undo_list(struct sem_undo_list **out)
{
	struct sem_undo_list *ulp = current->sysvsem;

	if (!ulp) {
		ulp = kzalloc(sizeof(*ulp));
		if (!ulp)
			return -ENOMEM;
		ulp->refcnt = 1;
		list_init(&ulp->list);
		current->sysvsem = ulp;
	}
	*out = ulp;
	return 0;
}

/*
 * current's entry for the set semid, made if there is none (Linux's
 * find_alloc_undo): 0, -EINVAL (no such set) or -ENOMEM. Like Linux, it
 * is made before the call's other checks, and stays even if they fail.
 * sem_ids.lock held.
 */
int sem_find_alloc_undo(int semid, struct sem_undo **out)
{
	struct sem_undo_list *ulp;
	struct sem_array *sma;
	struct sem_undo *un;
	int err = get_undo_list(&ulp);

	mutex_assert_held(&sem_ids.lock);
	if (err)
		return err;
	list_for_each_entry(un, &ulp->list, list_proc) {
		if (un->semid == semid) {
			list_del(&un->list_proc);	/* recent first */
			list_add(&un->list_proc, &ulp->list);
			*out = un;
			return 0;
		}
	}
	sma = sem_obtain(semid);
	if (!sma)
		return -EINVAL;
	un = kzalloc(sizeof(*un) + (size_t)sma->nsems * sizeof(un->semadj[0]));
	if (!un)
		return -ENOMEM;
	un->sma = sma;
	un->semid = semid;
	list_add(&un->list_proc, &ulp->list);
	list_add(&un->list_id, &sma->undos);
	*out = un;
	return 0;
}

static void free_undo(struct sem_undo *un)
{
	list_del(&un->list_id);
	list_del(&un->list_proc);
	kfree(un);
}

/* Exit adds un's adjustments back, clamped to 0..SEMVMX (Linux's
 * exit_sem), and frees it. sem_ids.lock held. */
static void apply_undo(struct sem_undo *un)
{
	struct sem_array *sma = un->sma;

	mutex_assert_held(&sem_ids.lock);
	for (int i = 0; i < sma->nsems; i++) {
		struct sem *s = &sma->sems[i];

		if (!un->semadj[i])
			continue;
		s->semval = MIN(MAX(s->semval + un->semadj[i], 0), SEMVMX);
		s->sempid = ipc_caller_pid();
	}
	free_undo(un);
	sem_update(sma, NULL, 0, true);
	sem_unmerge_queues(sma);
}

int sem_copy_undo(unsigned long clone_flags, struct task *child)
{
	struct sem_undo_list *ulp;
	int err;

	child->sysvsem = NULL;
	if (!(clone_flags & CLONE_SYSVSEM))
		return 0;
	err = get_undo_list(&ulp);
	if (err)
		return err;
	__atomic_add_fetch(&ulp->refcnt, 1, __ATOMIC_RELAXED);
	child->sysvsem = ulp;
	return 0;
}

void sem_exit(struct task *t)
{
	struct sem_undo_list *ulp = t->sysvsem;

	if (!ulp)
		return;
	t->sysvsem = NULL;
	if (__atomic_sub_fetch(&ulp->refcnt, 1, __ATOMIC_ACQ_REL))
		return;
	mutex_lock(&sem_ids.lock);
	while (!list_empty(&ulp->list))
		apply_undo(list_first_entry(&ulp->list, struct sem_undo,
					    list_proc));
	mutex_unlock(&sem_ids.lock);
	kfree(ulp);
}

/* IPC_RMID: every task's entry for sma goes. sem_ids.lock held. */
void sem_free_undos(struct sem_array *sma)
{
	struct sem_undo *un, *tu;

	mutex_assert_held(&sem_ids.lock);
	list_for_each_entry_safe(un, tu, &sma->undos, list_id)
		free_undo(un);
}
