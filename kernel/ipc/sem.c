/*
 * System V semaphores: semget, semctl and /proc/sysvipc/sem, and the
 * lifetime of a set, with Linux's semantics and errno order (its
 * ipc/sem.c). semop and semtimedop, and the queues of operations that
 * wait, are in sem_op.c; the SEM_UNDO lists tasks carry and apply at exit
 * in sem_undo.c; the records they share, and the lock (sem_ids.lock
 * guards everything), in sem.h.
 *
 * A set is a struct sem_array in the id table, with a reference for the
 * table and one for each SETALL copying values in without the lock.
 * IPC_RMID frees the set's undo entries, wakes every waiter (each returns
 * EIDRM) and takes the set out of the table; the last reference frees it.
 */
#include <types.h>
#include <lib/list.h>
#include <lib/printk.h>
#include <lib/string.h>
#include <ipc/ipc.h>
#include <mm/kmalloc.h>
#include <mm/uaccess.h>
#include <syscall/syscall.h>
#include <uapi/errno.h>
#include "sem.h"

/* Fixed values IPC_INFO reports (Linux's include/uapi/linux/sem.h). */
#define SEMMNS_DEFAULT	1024000000
#define SEMUME		500
#define SEMUSZ		20

struct ipc_ids sem_ids;
static int used_sems;			/* sem_ids.lock: in all sets */

/* ---- Lifetime --------------------------------------------------------- */

static struct sem_array *sem_of(struct kern_ipc_perm *p)
{
	return p ? container_of(p, struct sem_array, perm) : NULL;
}

/* The set with exactly this id, or NULL (EINVAL). sem_ids.lock held. */
struct sem_array *sem_obtain(int semid)
{
	mutex_assert_held(&sem_ids.lock);
	return sem_of(ipc_obtain(&sem_ids, semid));
}

static void sem_put(struct sem_array *sma)
{
	if (__atomic_sub_fetch(&sma->refs, 1, __ATOMIC_ACQ_REL) == 0)
		kfree(sma);
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


/* GETVAL, GETPID, GETNCNT, GETZCNT. */
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
		r = sem_count_waiters(sma, semnum, cmd == GETZCNT);
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

	mutex_assert_held(&sem_ids.lock);
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

/* IPC_RMID: every waiter gets EIDRM, every undo entry goes, the id names
 * nothing from now on (Linux's freeary). sem_ids.lock held. */
static void sem_remove(struct sem_array *sma)
{
	mutex_assert_held(&sem_ids.lock);
	sem_free_undos(sma);
	sem_wake_removed(sma);
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
