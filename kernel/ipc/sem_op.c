/*
 * semop and semtimedop, with Linux's semantics and errno order (its
 * ipc/sem.c): the all-or-nothing operations, the queues of those that
 * wait, and the order they are retried in. The records and the lock
 * rule are in sem.h.
 *
 * An operation (semop's array of sembufs) is all or nothing: perform_ops
 * applies the sembufs in order and, when one would block or fails, takes
 * back those it applied. An operation that has to wait is queued (a
 * struct sem_queue on the sleeper's stack) and its task sleeps; from then
 * on the task does nothing itself. Whoever changes the set later (semop,
 * SETVAL, SETALL, an exiting task's undo) retries the queued operations
 * in Linux's order, performs those that can now complete *for* their
 * sleepers and hands each its result (Linux's update_queue). So a woken
 * waiter cannot lose the units it waited for to a later arrival, and no
 * wake-up can be lost: the sleeper tests its result under the lock the
 * waker sets it under.
 *
 * The queues, and the order they are retried in (Linux's, exactly):
 *   - each semaphore has pending_alter (single-sembuf operations that
 *     take from it) and pending_const (single-sembuf waits for zero);
 *   - the set has pending_alter and pending_const for "complex"
 *     operations (more than one sembuf);
 *   - while a complex operation waits, every single alter operation is
 *     moved to the set's pending_alter (merge_queues), and new ones join
 *     it there, so all alter operations are one FIFO; when the last
 *     complex one leaves they go back (sem_unmerge_queues, at every
 *     unlock).
 * After a change, the waits for zero on each semaphore that is now 0 are
 * tried, then the alter operations: the set's FIFO from its head,
 * restarting from the head after each completion, or, with no complex
 * operation around, the FIFO of each semaphore that was increased. It is
 * FIFO among the operations that can proceed, not a strict FIFO: a
 * waiter for -2 does not hold back a later waiter for -1 when only 1 is
 * there (Linux: "just FIFO, not starvation protection").
 */
#include <types.h>
#include <lib/list.h>
#include <mm/kmalloc.h>
#include <mm/uaccess.h>
#include <proc/sched.h>
#include <sync/waitq.h>
#include <syscall/syscall.h>
#include <uapi/errno.h>
#include <uapi/time.h>
#include "sem.h"

#define SEMOPM_FAST	64		/* sembufs copied onto the stack */
#define SEM_QUEUED	1		/* sem_queue.status while waiting */
#define NSEC_PER_SEC	1000000000ULL

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
void sem_update(struct sem_array *sma, const struct sembuf *sops,
		int nsops, bool otime)
{
	mutex_assert_held(&sem_ids.lock);
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
void sem_unmerge_queues(struct sem_array *sma)
{
	struct sem_queue *q, *n;

	mutex_assert_held(&sem_ids.lock);
	if (sma->complex_count)
		return;
	list_for_each_entry_safe(q, n, &sma->pending_alter, list) {
		list_del(&q->list);
		list_add_tail(&q->list,
			      &sma->sems[q->sops[0].sem_num].pending_alter);
	}
}

/* The end of every section that may have changed sma's queues. */
void sem_unlock(struct sem_array *sma)
{
	mutex_assert_held(&sem_ids.lock);
	if (sma)
		sem_unmerge_queues(sma);
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

/* ---- Waiters, for semctl ---------------------------------------------- */

/* GETNCNT and GETZCNT: Linux counts a complex waiter only on the
 * semaphore it waits on (q->blocking), as SUS says. */
int sem_count_waiters(struct sem_array *sma, int semnum, bool zero)
{
	struct sem *s = &sma->sems[semnum];
	struct sem_queue *q;
	int n = 0;

	mutex_assert_held(&sem_ids.lock);
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

static void wake_all_removed(struct sem_array *sma, struct list_head *l)
{
	struct sem_queue *q, *n;

	list_for_each_entry_safe(q, n, l, list) {
		unlink_queue(sma, q);
		wake_queue(q, -EIDRM);
	}
}

/* IPC_RMID: every waiter gets EIDRM (Linux's freeary). sem_ids.lock held. */
void sem_wake_removed(struct sem_array *sma)
{
	mutex_assert_held(&sem_ids.lock);
	wake_all_removed(sma, &sma->pending_const);
	wake_all_removed(sma, &sma->pending_alter);
	for (int i = 0; i < sma->nsems; i++) {
		wake_all_removed(sma, &sma->sems[i].pending_const);
		wake_all_removed(sma, &sma->sems[i].pending_alter);
	}
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
	int err = un ? sem_find_alloc_undo(semid, un) : 0;
	struct sem_array *sma;

	mutex_assert_held(&sem_ids.lock);
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
