/*
 * System V semaphores: semget, semop, semtimedop, semctl, with Linux's
 * semantics and errno order (its ipc/sem.c), and the SEM_UNDO lists that
 * tasks carry and apply at exit (ipc/ipc.h: sem_copy_undo, sem_exit).
 *
 * A set is a struct sem_array in the id table. An operation (semop's
 * array of sembufs) is all or nothing: perform_ops applies the sembufs in
 * order and, when one would block or fails, takes back those it applied.
 * An operation that has to wait is queued (a struct sem_queue on the
 * sleeper's stack) and its task sleeps; from then on the task does
 * nothing itself. Whoever changes the set later (semop, SETVAL, SETALL,
 * an exiting task's undo) retries the queued operations in Linux's order,
 * performs those that can now complete *for* their sleepers and hands
 * each its result (Linux's update_queue). So a woken waiter cannot lose
 * the units it waited for to a later arrival, and no wake-up can be lost:
 * the sleeper tests its result under the lock the waker sets it under.
 *
 * The queues, and the order they are retried in (Linux's, exactly):
 *   - each semaphore has pending_alter (single-sembuf operations that
 *     take from it) and pending_const (single-sembuf waits for zero);
 *   - the set has pending_alter and pending_const for "complex"
 *     operations (more than one sembuf);
 *   - while a complex operation waits, every single alter operation is
 *     moved to the set's pending_alter (merge_queues), and new ones join
 *     it there, so all alter operations are one FIFO; when the last
 *     complex one leaves they go back (unmerge_queues, at every unlock).
 * After a change, the waits for zero on each semaphore that is now 0 are
 * tried, then the alter operations: the set's FIFO from its head,
 * restarting from the head after each completion, or, with no complex
 * operation around, the FIFO of each semaphore that was increased. It is
 * FIFO among the operations that can proceed, not a strict FIFO: a
 * waiter for -2 does not hold back a later waiter for -1 when only 1 is
 * there (Linux: "just FIFO, not starvation protection").
 *
 * Undo: each task may point to a struct sem_undo_list (shared by the
 * tasks of a CLONE_SYSVSEM clone) with one struct sem_undo per set it
 * used SEM_UNDO on: the adjustments exit adds back, clamped to
 * 0..SEMVMX. SETVAL and SETALL clear everyone's adjustments for what they
 * set; IPC_RMID frees the set's entries, so nothing stale is ever applied.
 *
 * Lock: sem_ids.lock (a mutex) guards the table and everything in every
 * set (values, queues, undo entries) and every undo list's entries. One
 * lock for all sets is plenty here: its sections are short, and nothing
 * in them sleeps but kmalloc.
 * A queued operation's status is written under that mutex *and* under its
 * own q->wq.lock, which the sleeper holds while testing it, so the
 * sleeper reads it without the mutex. User memory is copied with no lock
 * held: semop's sembufs first of all, SETALL's values under a reference
 * to the set, which is revalidated (still in the table?) afterwards.
 */
#include <types.h>
#include <lib/list.h>
#include <lib/printk.h>
#include <lib/string.h>
#include <ipc/ipc.h>
#include <mm/kmalloc.h>
#include <mm/uaccess.h>
#include <proc/sched.h>
#include <proc/task.h>
#include <sync/waitq.h>
#include <syscall/syscall.h>
#include <uapi/errno.h>
#include <uapi/sched.h>
#include <uapi/time.h>
#include "util.h"

#define SEMVMX		32767		/* largest value */
#define SEMAEM		SEMVMX		/* largest adjustment */
/* Fixed values IPC_INFO reports (Linux's include/uapi/linux/sem.h). */
#define SEMMNS_DEFAULT	1024000000
#define SEMUME		500
#define SEMUSZ		20
#define SEMOPM_FAST	64		/* sembufs copied onto the stack */
#define SEM_QUEUED	1		/* sem_queue.status while waiting */
#define NSEC_PER_SEC	1000000000ULL

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

/* One waiting operation, on its sleeper's stack. */
struct sem_queue {
	struct list_head list;		/* in one pending list */
	const struct sembuf *sops;	/* the sleeper's copy */
	const struct sembuf *blocking;	/* the sembuf that had to wait */
	int nsops;
	struct sem_undo *undo;		/* the task's entry for the set, or NULL */
	pid_t pid;			/* becomes sempid */
	struct waitq wq;		/* the sleeper sleeps here */
	int status;			/* wq.lock: SEM_QUEUED, then the result */
};

/* A task list's adjustments for one set. */
struct sem_undo {
	struct list_head list_proc;	/* in ulp->list */
	struct list_head list_id;	/* in sma->undos */
	struct sem_array *sma;
	int semid;
	int16_t semadj[];		/* added back at exit */
};

struct sem_undo_list {
	int refcnt;			/* atomic: tasks sharing it */
	struct list_head list;		/* sem_undo.list_proc, recent first */
};

static struct ipc_ids sem_ids;
static int used_sems;			/* sem_ids.lock: in all sets */

static int sem_limit(int which)
{
	return __atomic_load_n(&ipc_limits.sem_ctls[which], __ATOMIC_RELAXED);
}

static struct sem_array *sem_of(struct kern_ipc_perm *p)
{
	return p ? container_of(p, struct sem_array, perm) : NULL;
}

/* The set with exactly this id, or NULL (EINVAL). sem_ids.lock held. */
static struct sem_array *sem_obtain(int semid)
{
	return sem_of(ipc_obtain(&sem_ids, semid));
}

static void sem_put(struct sem_array *sma)
{
	if (__atomic_sub_fetch(&sma->refs, 1, __ATOMIC_ACQ_REL) == 0)
		kfree(sma);
}

static void list_move_all(struct list_head *from, struct list_head *to)
{
	while (!list_empty(from)) {
		struct list_head *e = from->next;

		list_del(e);
		list_add_tail(e, to);
	}
}

/* ---- Performing operations -------------------------------------------- */

/*
 * Apply q's sembufs in order, all or none (Linux's perform_atomic_semop):
 * 0 when all were applied; 1 when one must wait (q->blocking says which;
 * nothing stays applied); -EAGAIN when that one has IPC_NOWAIT; -ERANGE
 * when a value would pass SEMVMX or an adjustment SEMAEM.
 */
static int perform_ops(struct sem_array *sma, struct sem_queue *q)
{
	const struct sembuf *sop;
	struct sem_undo *un = q->undo;
	int result;

	for (sop = q->sops; sop < q->sops + q->nsops; sop++) {
		struct sem *s = &sma->sems[sop->sem_num];

		result = s->semval + sop->sem_op;
		if ((sop->sem_op == 0 && s->semval) || result < 0)
			goto would_block;
		if (result > SEMVMX)
			goto out_of_range;
		if (sop->sem_flg & SEM_UNDO) {
			int adj = un->semadj[sop->sem_num] - sop->sem_op;

			if (adj < -SEMAEM - 1 || adj > SEMAEM)
				goto out_of_range;
			un->semadj[sop->sem_num] = (int16_t)adj;
		}
		s->semval = result;
	}
	for (sop = q->sops; sop < q->sops + q->nsops; sop++)
		sma->sems[sop->sem_num].sempid = q->pid;
	return 0;

out_of_range:
	result = -ERANGE;
	goto undo;
would_block:
	q->blocking = sop;
	result = (sop->sem_flg & IPC_NOWAIT) ? -EAGAIN : 1;
undo:
	while (sop-- > q->sops) {
		sma->sems[sop->sem_num].semval -= sop->sem_op;
		if (sop->sem_flg & SEM_UNDO)
			un->semadj[sop->sem_num] += sop->sem_op;
	}
	return result;
}

static void unlink_queue(struct sem_array *sma, struct sem_queue *q)
{
	list_del(&q->list);
	if (q->nsops > 1)
		sma->complex_count--;
}

/* Hand q's sleeper its result. q may vanish as soon as this returns. */
static void wake_queue(struct sem_queue *q, int status)
{
	spin_lock(&q->wq.lock);
	q->status = status;
	waitq_wake_all(&q->wq);
	spin_unlock(&q->wq.lock);
}

/* Complete the waits for zero of semaphore semnum (-1: the complex
 * ones) that can; whether one completed. */
static bool wake_const_ops(struct sem_array *sma, int semnum)
{
	struct list_head *l = semnum < 0 ? &sma->pending_const
					 : &sma->sems[semnum].pending_const;
	struct sem_queue *q, *n;
	bool done = false;

	list_for_each_entry_safe(q, n, l, list) {
		int err = perform_ops(sma, q);

		if (err > 0)
			continue;
		unlink_queue(sma, q);
		wake_queue(q, err);
		done |= err == 0;
	}
	return done;
}

/* After sops changed the set (NULL: any semaphore may have), try the
 * waits for zero on what is now 0 (Linux's do_smart_wakeup_zero). */
static bool wakeup_zero(struct sem_array *sma, const struct sembuf *sops,
			int nsops)
{
	int n = sops ? nsops : sma->nsems;
	bool done = false, got_zero = false;

	for (int i = 0; i < n; i++) {
		int num = sops ? sops[i].sem_num : i;

		if (sma->sems[num].semval == 0) {
			got_zero = true;
			done |= wake_const_ops(sma, num);
		}
	}
	if (got_zero)
		done |= wake_const_ops(sma, -1);
	return done;
}

/*
 * Whether a completed waiter may have enabled an earlier one: only a
 * complex operation, or any while complex ones are queued (Linux's
 * check_restart); a single decrement cannot help older decrements.
 */
static bool check_restart(struct sem_array *sma, struct sem_queue *q)
{
	return !list_empty(&sma->pending_alter) || q->nsops > 1;
}

/* Complete, in FIFO order, the alter operations of semaphore semnum
 * (-1: the set's queue) that can; whether one completed. */
static bool update_queue(struct sem_array *sma, int semnum)
{
	struct list_head *l = semnum < 0 ? &sma->pending_alter
					 : &sma->sems[semnum].pending_alter;
	struct sem_queue *q, *n;
	bool done = false;

again:
	list_for_each_entry_safe(q, n, l, list) {
		bool restart = false;
		int err;

		/* Only decrements wait here: none can pass a 0. */
		if (semnum >= 0 && sma->sems[semnum].semval == 0)
			break;
		err = perform_ops(sma, q);
		if (err > 0)
			continue;
		unlink_queue(sma, q);
		if (err == 0) {
			done = true;
			wakeup_zero(sma, q->sops, q->nsops);
			restart = check_restart(sma, q);
		}
		wake_queue(q, err);
		if (restart)
			goto again;
	}
	return done;
}

/*
 * The set changed by sops (NULL: SETVAL, SETALL, exit's undo): complete
 * the waiters that now can, and note the operation time if one did or
 * otime says so (Linux's do_smart_update).
 */
static void sem_update(struct sem_array *sma, const struct sembuf *sops,
		       int nsops, bool otime)
{
	otime |= wakeup_zero(sma, sops, nsops);
	if (!list_empty(&sma->pending_alter)) {
		otime |= update_queue(sma, -1);
	} else if (!sops) {
		for (int i = 0; i < sma->nsems; i++)
			otime |= update_queue(sma, i);
	} else {
		/* Only increments can let a waiting decrement through. */
		for (int i = 0; i < nsops; i++)
			if (sops[i].sem_op > 0)
				otime |= update_queue(sma, sops[i].sem_num);
	}
	if (otime)
		sma->otime = ipc_now();
}

/* Every single alter operation into the set's FIFO, semaphore by
 * semaphore: a complex operation is about to wait. */
static void merge_queues(struct sem_array *sma)
{
	for (int i = 0; i < sma->nsems; i++)
		list_move_all(&sma->sems[i].pending_alter, &sma->pending_alter);
}

/* Singles back to their semaphores once no complex operation waits. */
static void unmerge_queues(struct sem_array *sma)
{
	struct sem_queue *q, *n;

	if (sma->complex_count)
		return;
	list_for_each_entry_safe(q, n, &sma->pending_alter, list) {
		list_del(&q->list);
		list_add_tail(&q->list,
			      &sma->sems[q->sops[0].sem_num].pending_alter);
	}
}

/* The end of every section that may have changed sma's queues. */
static void sem_unlock(struct sem_array *sma)
{
	if (sma)
		unmerge_queues(sma);
	mutex_unlock(&sem_ids.lock);
}

/* Queue q, which has to wait (Linux's order, see the top). */
static void enqueue(struct sem_array *sma, struct sem_queue *q, bool alter)
{
	struct sem *s = &sma->sems[q->sops[0].sem_num];

	if (q->nsops == 1) {
		if (!alter)
			list_add_tail(&q->list, &s->pending_const);
		else if (sma->complex_count)
			list_add_tail(&q->list, &sma->pending_alter);
		else
			list_add_tail(&q->list, &s->pending_alter);
		return;
	}
	if (!sma->complex_count)
		merge_queues(sma);
	list_add_tail(&q->list, alter ? &sma->pending_alter
				      : &sma->pending_const);
	sma->complex_count++;
}

/* ---- Undo lists ------------------------------------------------------- */

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
static int find_alloc_undo(int semid, struct sem_undo **out)
{
	struct sem_undo_list *ulp;
	struct sem_array *sma;
	struct sem_undo *un;
	int err = get_undo_list(&ulp);

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

	for (int i = 0; i < sma->nsems; i++) {
		struct sem *s = &sma->sems[i];

		if (!un->semadj[i])
			continue;
		s->semval = MIN(MAX(s->semval + un->semadj[i], 0), SEMVMX);
		s->sempid = ipc_caller_pid();
	}
	free_undo(un);
	sem_update(sma, NULL, 0, true);
	unmerge_queues(sma);
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

/* ---- semget ----------------------------------------------------------- */

/* Linux's newary: a set of params->size semaphores, all 0. */
static int sem_newary(struct ipc_params *params)
{
	int nsems = (int)params->size, id;
	struct sem_array *sma;

	if (!nsems)
		return -EINVAL;
	if ((int64_t)used_sems + nsems > sem_limit(SEM_CTL_MNS))
		return -ENOSPC;
	sma = kzalloc(sizeof(*sma) + (size_t)nsems * sizeof(struct sem));
	if (!sma)
		return -ENOMEM;
	for (int i = 0; i < nsems; i++) {
		list_init(&sma->sems[i].pending_alter);
		list_init(&sma->sems[i].pending_const);
	}
	list_init(&sma->pending_alter);
	list_init(&sma->pending_const);
	list_init(&sma->undos);
	sma->nsems = nsems;
	sma->ctime = ipc_now();
	sma->refs = 1;			/* the table's */
	id = ipc_addid(&sem_ids, &sma->perm, params->key, params->flg,
		       (unsigned int)MAX(sem_limit(SEM_CTL_MNI), 0));
	if (id < 0) {
		kfree(sma);
		return id;
	}
	used_sems += nsems;
	return id;
}

/* An existing set opens only for no more semaphores than it has. */
static int sem_more_checks(struct kern_ipc_perm *p, struct ipc_params *params)
{
	return params->size > (uint64_t)sem_of(p)->nsems ? -EINVAL : 0;
}

static const struct ipc_get_ops sem_get_ops = {
	.getnew = sem_newary,
	.more_checks = sem_more_checks,
};

SYSCALL_DEFINE3(semget, int, key, int, nsems, int, semflg)
{
	struct ipc_params params = { .key = key, .flg = semflg };

	if (nsems < 0 || nsems > sem_limit(SEM_CTL_MSL))
		return -EINVAL;
	params.size = (uint64_t)nsems;
	return ipcget(&sem_ids, &sem_get_ops, &params);
}

/* ---- semop / semtimedop ----------------------------------------------- */

/*
 * Sleep until q is completed (its status: 0 or an error such as -EIDRM
 * when the set is removed), a signal arrives (-EINTR: semop is never
 * restarted, as in Linux) or the deadline (0: none) passes (-EAGAIN).
 * Whichever comes first, a result set meanwhile wins.
 */
static int sem_sleep(struct sem_array *sma, struct sem_queue *q,
		     uint64_t deadline)
{
	bool timed_out = false;
	int err = 0;

	spin_lock(&q->wq.lock);
	while (q->status == SEM_QUEUED && !err) {
		/* A deadline already past does not sleep at all (Linux). */
		if (deadline && clock_monotonic_ns() >= deadline)
			err = -ETIMEDOUT;
		else
			err = waitq_sleep_deadline(&q->wq, deadline);
		timed_out = err == -ETIMEDOUT;
	}
	err = q->status;
	spin_unlock(&q->wq.lock);
	if (err != SEM_QUEUED)
		return err;		/* done: the set may be gone already */
	mutex_lock(&sem_ids.lock);
	err = q->status;		/* final under the mutex */
	if (err == SEM_QUEUED) {	/* so the set is still there */
		unlink_queue(sma, q);
		err = timed_out ? -EAGAIN : -EINTR;
	}
	sem_unlock(sma);
	return err;
}

/*
 * semop's checks after the copy-in, in Linux's order: the undo entry
 * (when a sembuf has SEM_UNDO: un != NULL), the id (EINVAL), the largest
 * sem_num (EFBIG), the permission, alter or read (EACCES). The set in
 * *out. sem_ids.lock held.
 */
static int sem_check_ops(int semid, struct sem_undo **un, unsigned int max,
			 bool alter, struct sem_array **out)
{
	int err = un ? find_alloc_undo(semid, un) : 0;
	struct sem_array *sma;

	if (err)
		return err;
	sma = sem_obtain(semid);
	if (!sma)
		return -EINVAL;
	if (max >= (unsigned int)sma->nsems)
		return -EFBIG;
	if (ipcperms(&sma->perm, alter ? 0222 : 0444))
		return -EACCES;
	*out = sma;
	return 0;
}

/*
 * semtimedop's relative timeout as a CLOCK_MONOTONIC deadline; -EINVAL
 * unless it is valid (Linux's timespec64_valid). Saturates far beyond
 * any uptime, as ktime_add_safe does.
 */
static int timeout_deadline(const struct timespec *ts, uint64_t *deadline)
{
	uint64_t ns;

	if (ts->tv_sec < 0 || ts->tv_nsec < 0 ||
	    (uint64_t)ts->tv_nsec >= NSEC_PER_SEC)
		return -EINVAL;
	if ((uint64_t)ts->tv_sec >= INT64_MAX / NSEC_PER_SEC)
		ns = INT64_MAX;
	else
		ns = (uint64_t)ts->tv_sec * NSEC_PER_SEC +
		     (uint64_t)ts->tv_nsec;
	*deadline = clock_monotonic_ns() + ns;
	return 0;
}

/* Linux's __do_semtimedop: semop once its sembufs are copied in. */
static long sem_do_ops(int semid, const struct sembuf *sops,
		       unsigned int nsops, const struct timespec *timeout)
{
	struct sem_queue q = { .sops = sops, .nsops = (int)nsops,
			       .pid = ipc_caller_pid(), .status = SEM_QUEUED };
	bool undos = false, alter = false;
	unsigned int max = 0;
	uint64_t deadline = 0;
	struct sem_array *sma = NULL;
	long err;

	if (semid < 0)
		return -EINVAL;
	if (timeout && timeout_deadline(timeout, &deadline) < 0)
		return -EINVAL;
	for (unsigned int i = 0; i < nsops; i++) {
		max = MAX(max, sops[i].sem_num);
		undos |= (sops[i].sem_flg & SEM_UNDO) != 0;
		alter |= sops[i].sem_op != 0;
	}

	mutex_lock(&sem_ids.lock);
	err = sem_check_ops(semid, undos ? &q.undo : NULL, max, alter, &sma);
	if (!err)
		err = perform_ops(sma, &q);
	if (err == 0) {
		if (alter)
			sem_update(sma, sops, (int)nsops, true);
		else
			sma->otime = ipc_now();
	}
	if (err <= 0) {
		sem_unlock(sma);
		return err;
	}
	waitq_init(&q.wq, "semop");
	enqueue(sma, &q, alter);
	sem_unlock(sma);
	return sem_sleep(sma, &q, deadline);
}

/* Linux's do_semtimedop: E2BIG, EINVAL, then the copy-in (EFAULT). */
static long do_semtimedop(int semid, struct sembuf __user *usops,
			  unsigned int nsops, const struct timespec *timeout)
{
	struct sembuf fast[SEMOPM_FAST], *sops = fast;
	long err;

	if (nsops > (unsigned int)sem_limit(SEM_CTL_OPM))
		return -E2BIG;
	if (nsops < 1)
		return -EINVAL;
	if (nsops > SEMOPM_FAST && !(sops = kmalloc(nsops * sizeof(*sops))))
		return -ENOMEM;
	if (copy_from_user(sops, usops, nsops * sizeof(*sops)))
		err = -EFAULT;
	else
		err = sem_do_ops(semid, sops, nsops, timeout);
	if (sops != fast)
		kfree(sops);
	return err;
}

SYSCALL_DEFINE3(semop, int, semid, struct sembuf __user *, tsops,
		unsigned int, nsops)
{
	return do_semtimedop(semid, tsops, nsops, NULL);
}

SYSCALL_DEFINE4(semtimedop, int, semid, struct sembuf __user *, tsops,
		unsigned int, nsops, const struct timespec __user *, timeout)
{
	struct timespec ts;

	if (!timeout)
		return do_semtimedop(semid, tsops, nsops, NULL);
	if (copy_from_user(&ts, timeout, sizeof(ts)))
		return -EFAULT;
	return do_semtimedop(semid, tsops, nsops, &ts);
}

/* ---- semctl ----------------------------------------------------------- */

/* IPC_INFO and SEM_INFO: the highest index in use, or -errno. */
static long semctl_info(int cmd, void __user *buf)
{
	struct seminfo si;
	long idx;

	memset(&si, 0, sizeof(si));
	si.semmni = sem_limit(SEM_CTL_MNI);
	si.semmns = sem_limit(SEM_CTL_MNS);
	si.semmsl = sem_limit(SEM_CTL_MSL);
	si.semopm = sem_limit(SEM_CTL_OPM);
	si.semvmx = SEMVMX;
	si.semmnu = si.semmap = SEMMNS_DEFAULT;
	si.semume = SEMUME;
	mutex_lock(&sem_ids.lock);
	if (cmd == SEM_INFO) {
		si.semusz = (int32_t)sem_ids.in_use;	/* sets */
		si.semaem = used_sems;			/* semaphores */
	} else {
		si.semusz = SEMUSZ;
		si.semaem = SEMAEM;
	}
	idx = ipc_max_idx(&sem_ids);
	mutex_unlock(&sem_ids.lock);
	return copy_to_user(buf, &si, sizeof(si)) ? -EFAULT : idx;
}

static void sem_fill_stat(struct sem_array *sma, struct semid64_ds *ds)
{
	memset(ds, 0, sizeof(*ds));
	ipc_fill_perm(&sma->perm, &ds->sem_perm);
	ds->sem_otime = sma->otime;
	ds->sem_ctime = sma->ctime;
	ds->sem_nsems = (uint64_t)sma->nsems;
}

/*
 * IPC_STAT (by id), SEM_STAT and SEM_STAT_ANY (by index, of which only
 * the low 15 bits count): 0 (IPC_STAT) or the set's id, or -errno.
 */
static long semctl_stat(int semid, int cmd, void __user *buf)
{
	struct semid64_ds ds;
	struct sem_array *sma;
	long r;

	mutex_lock(&sem_ids.lock);
	sma = cmd == IPC_STAT ? sem_obtain(semid)
			      : sem_of(ipc_obtain_idx(&sem_ids, semid));
	if (!sma) {
		r = -EINVAL;
	} else if (cmd != SEM_STAT_ANY && ipcperms(&sma->perm, 0444)) {
		r = -EACCES;
	} else {
		sem_fill_stat(sma, &ds);
		r = cmd == IPC_STAT ? 0 : sma->perm.id;
	}
	mutex_unlock(&sem_ids.lock);
	if (r >= 0 && copy_to_user(buf, &ds, sizeof(ds)))
		r = -EFAULT;
	return r;
}

/* GETVAL, GETPID, GETNCNT, GETZCNT: Linux counts a complex waiter only
 * on the semaphore it waits on (q->blocking), as SUS says. */
static int count_waiters(struct sem_array *sma, int semnum, bool zero)
{
	struct sem *s = &sma->sems[semnum];
	struct sem_queue *q;
	int n = 0;

	list_for_each_entry(q, zero ? &s->pending_const : &s->pending_alter,
			    list)
		n++;
	list_for_each_entry(q, &sma->pending_alter, list)
		n += q->blocking->sem_num == semnum &&
		     (zero ? q->blocking->sem_op == 0 : q->blocking->sem_op < 0);
	if (zero)
		list_for_each_entry(q, &sma->pending_const, list)
			n += q->blocking->sem_num == semnum &&
			     q->blocking->sem_op == 0;
	return n;
}

static long semctl_get(int semid, int semnum, int cmd)
{
	struct sem_array *sma;
	long r;

	mutex_lock(&sem_ids.lock);
	sma = sem_obtain(semid);
	if (!sma)
		r = -EINVAL;
	else if (ipcperms(&sma->perm, 0444))
		r = -EACCES;
	else if (semnum < 0 || semnum >= sma->nsems)
		r = -EINVAL;
	else if (cmd == GETVAL)
		r = sma->sems[semnum].semval;
	else if (cmd == GETPID)
		r = sma->sems[semnum].sempid;
	else
		r = count_waiters(sma, semnum, cmd == GETZCNT);
	mutex_unlock(&sem_ids.lock);
	return r;
}

static long semctl_getall(int semid, uint16_t __user *array)
{
	struct sem_array *sma;
	uint16_t *vals = NULL;
	size_t len = 0;
	long r = 0;

	mutex_lock(&sem_ids.lock);
	sma = sem_obtain(semid);
	if (!sma) {
		r = -EINVAL;
	} else if (ipcperms(&sma->perm, 0444)) {
		r = -EACCES;
	} else {
		len = (size_t)sma->nsems * sizeof(*vals);
		vals = kmalloc(len);	/* may sleep: the lock is a mutex */
		if (!vals)
			r = -ENOMEM;
		for (int i = 0; vals && i < sma->nsems; i++)
			vals[i] = (uint16_t)sma->sems[i].semval;
	}
	mutex_unlock(&sem_ids.lock);
	if (!r && copy_to_user(array, vals, len))
		r = -EFAULT;
	kfree(vals);
	return r;
}

/* Set semaphore semnum (-1: all) to vals, clear every task's adjustments
 * for it, and complete the waiters that now can. sem_ids.lock held. */
static void sem_setvals(struct sem_array *sma, int semnum,
			const uint16_t *vals)
{
	struct sem_undo *un;

	for (int i = 0; i < sma->nsems; i++) {
		if (semnum >= 0 && i != semnum)
			continue;
		sma->sems[i].semval = vals[semnum >= 0 ? 0 : i];
		sma->sems[i].sempid = ipc_caller_pid();
		list_for_each_entry(un, &sma->undos, list_id)
			un->semadj[i] = 0;
	}
	sma->ctime = ipc_now();
	sem_update(sma, NULL, 0, false);
}

/*
 * SETALL: the values are copied in without the lock, under a reference
 * to the set; if it was removed meanwhile, EIDRM (Linux's order: EINVAL,
 * EACCES, EFAULT, ERANGE, EIDRM).
 */
static long semctl_setall(int semid, const uint16_t __user *array)
{
	struct sem_array *sma;
	uint16_t *vals;
	long r = 0;

	mutex_lock(&sem_ids.lock);
	sma = sem_obtain(semid);
	if (!sma)
		r = -EINVAL;
	else if (ipcperms(&sma->perm, 0222))
		r = -EACCES;
	else
		__atomic_add_fetch(&sma->refs, 1, __ATOMIC_RELAXED);
	mutex_unlock(&sem_ids.lock);
	if (r)
		return r;
	vals = kmalloc((size_t)sma->nsems * sizeof(*vals));
	if (!vals)
		r = -ENOMEM;
	else if (copy_from_user(vals, array, (size_t)sma->nsems * sizeof(*vals)))
		r = -EFAULT;
	for (int i = 0; !r && i < sma->nsems; i++)
		if (vals[i] > SEMVMX)
			r = -ERANGE;
	if (!r) {
		mutex_lock(&sem_ids.lock);
		if (sem_obtain(sma->perm.id) != sma)
			r = -EIDRM;
		else
			sem_setvals(sma, -1, vals);
		sem_unlock(sma);
	}
	kfree(vals);
	sem_put(sma);
	return r;
}

/* SETVAL: Linux checks the value first, then id, semnum, permission. */
static long semctl_setval(int semid, int semnum, int val)
{
	struct sem_array *sma;
	uint16_t v = (uint16_t)val;
	long r = 0;

	if (val < 0 || val > SEMVMX)
		return -ERANGE;
	mutex_lock(&sem_ids.lock);
	sma = sem_obtain(semid);
	if (!sma)
		r = -EINVAL;
	else if (semnum < 0 || semnum >= sma->nsems)
		r = -EINVAL;
	else if (ipcperms(&sma->perm, 0222))
		r = -EACCES;
	else
		sem_setvals(sma, semnum, &v);
	sem_unlock(sma);
	return r;
}

static void wake_all_removed(struct sem_array *sma, struct list_head *l)
{
	struct sem_queue *q, *n;

	list_for_each_entry_safe(q, n, l, list) {
		unlink_queue(sma, q);
		wake_queue(q, -EIDRM);
	}
}

/* IPC_RMID: every waiter gets EIDRM, every undo entry goes, the id names
 * nothing from now on (Linux's freeary). sem_ids.lock held. */
static void sem_remove(struct sem_array *sma)
{
	struct sem_undo *un, *tu;

	list_for_each_entry_safe(un, tu, &sma->undos, list_id)
		free_undo(un);
	wake_all_removed(sma, &sma->pending_const);
	wake_all_removed(sma, &sma->pending_alter);
	for (int i = 0; i < sma->nsems; i++) {
		wake_all_removed(sma, &sma->sems[i].pending_const);
		wake_all_removed(sma, &sma->sems[i].pending_alter);
	}
	ipc_rmid(&sem_ids, &sma->perm);
	used_sems -= sma->nsems;
	sem_put(sma);
}

/* IPC_SET and IPC_RMID: the owner, the creator or root (EPERM). */
static long semctl_down(int semid, int cmd, void __user *buf)
{
	struct semid64_ds ds;
	struct sem_array *sma;
	long r = 0;

	if (cmd == IPC_SET && copy_from_user(&ds, buf, sizeof(ds)))
		return -EFAULT;
	mutex_lock(&sem_ids.lock);
	sma = sem_obtain(semid);
	if (!sma) {
		r = -EINVAL;
	} else if (!ipc_may_change(&sma->perm)) {
		r = -EPERM;
	} else if (cmd == IPC_RMID) {
		sem_remove(sma);
	} else {
		r = ipc_set_perm(&sma->perm, &ds.sem_perm);	/* uid -1: EINVAL */
		if (!r)
			sma->ctime = ipc_now();
	}
	mutex_unlock(&sem_ids.lock);
	return r;
}

SYSCALL_DEFINE4(semctl, int, semid, int, semnum, int, cmd,
		unsigned long, arg)
{
	void __user *p = (void __user *)arg;

	if (semid < 0)
		return -EINVAL;
	switch (cmd) {
	case IPC_INFO:
	case SEM_INFO:
		return semctl_info(cmd, p);
	case IPC_STAT:
	case SEM_STAT:
	case SEM_STAT_ANY:
		return semctl_stat(semid, cmd, p);
	case GETVAL:
	case GETPID:
	case GETNCNT:
	case GETZCNT:
		return semctl_get(semid, semnum, cmd);
	case GETALL:
		return semctl_getall(semid, p);
	case SETALL:
		return semctl_setall(semid, p);
	case SETVAL:
		/* The union's int: the low half on little-endian x86-64. */
		return semctl_setval(semid, semnum, (int)arg);
	case IPC_SET:
	case IPC_RMID:
		return semctl_down(semid, cmd, p);
	}
	return -EINVAL;
}

/* ---- /proc/sysvipc/sem ------------------------------------------------ */

int sem_proc_show(ipc_emit_fn emit, void *ctx)
{
	static const char head[] =
		"       key      semid perms      nsems   uid   gid  cuid  cgid"
		"      otime      ctime\n";
	char line[160];
	int err = emit(ctx, head, sizeof(head) - 1);

	mutex_lock(&sem_ids.lock);
	for (int i = 0; !err && i <= sem_ids.max_idx; i++) {
		struct sem_array *sma = sem_of(sem_ids.slot[i]);
		struct kern_ipc_perm *p;
		int n;

		if (!sma)
			continue;
		p = &sma->perm;
		n = snprintf(line, sizeof(line),
			"%10d %10d  %4o %10u %5u %5u %5u %5u %10lu %10lu\n",
			p->key, p->id, p->mode, (unsigned int)sma->nsems,
			p->uid, p->gid, p->cuid, p->cgid,
			(unsigned long)sma->otime, (unsigned long)sma->ctime);
		err = emit(ctx, line, (size_t)n);
	}
	mutex_unlock(&sem_ids.lock);
	return err;
}

void sem_init(void)
{
	ipc_ids_init(&sem_ids, "sem_ids");
}
