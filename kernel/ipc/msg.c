/*
 * System V message queues: msgget, msgctl and /proc/sysvipc/msg, and the
 * lifetime of a queue, with Linux's semantics and errno order (its
 * ipc/msg.c). msgsnd and msgrcv, and the tasks they put to sleep, are in
 * msg_queue.c; message buffers and type selection in msgutil.c; what
 * they share, and the lock (msg_ids.lock guards everything), in msg.h.
 *
 * A queue is freed by its last reference (msg.h): IPC_RMID takes it out
 * of the table at once (its key and id name nothing from then on), frees
 * its messages and wakes every sleeper, who returns EIDRM.
 */
#include <types.h>
#include <lib/list.h>
#include <lib/printk.h>
#include <lib/string.h>
#include <ipc/ipc.h>
#include <mm/kmalloc.h>
#include <mm/uaccess.h>
#include <proc/task.h>
#include <syscall/syscall.h>
#include <uapi/errno.h>
#include <uapi/ipc.h>
#include "msg.h"

struct ipc_ids msg_ids;
struct msg_totals msg_totals;		/* msg_ids.lock */

/* ---- Lifetime --------------------------------------------------------- */

static struct msg_queue *msq_of(struct kern_ipc_perm *p)
{
	return p ? container_of(p, struct msg_queue, perm) : NULL;
}

struct msg_queue *msq_obtain(int id)
{
	BUG_ON(!mutex_held(&msg_ids.lock));
	return msq_of(ipc_obtain(&msg_ids, id));
}

bool msq_listed(struct msg_queue *q)
{
	return ipc_obtain(&msg_ids, q->perm.id) == &q->perm;
}

void msq_put(struct msg_queue *q)
{
	BUG_ON(q->refs == 0);
	if (--q->refs == 0) {
		BUG_ON(msq_listed(q) || !list_empty(&q->messages) ||
		       !list_empty(&q->receivers) || !list_empty(&q->senders));
		kfree(q);
	}
}

/* Linux's freeque: out of the table, messages freed, sleepers woken. */
static void msq_rmid(struct msg_queue *q)
{
	ipc_rmid(&msg_ids, &q->perm);
	msq_wake_waiters(q, true);
	msq_free_messages(q);
	msq_put(q);			/* the table's reference */
}

/* ---- msgget ----------------------------------------------------------- */

/* Linux's newque. msg_ids.lock held. */
static int msq_new(struct ipc_params *params)
{
	struct msg_queue *q = kzalloc(sizeof(*q));
	int id;

	mutex_assert_held(&msg_ids.lock);
	if (!q)
		return -ENOMEM;
	q->ctime = ipc_now();
	q->qbytes = MSG_LIMIT(msg_ctlmnb);
	q->refs = 1;
	list_init(&q->messages);
	list_init(&q->receivers);
	list_init(&q->senders);
	id = ipc_addid(&msg_ids, &q->perm, params->key, params->flg,
		       (unsigned int)MSG_LIMIT(msg_ctlmni));
	if (id < 0)
		kfree(q);
	return id;
}

static const struct ipc_get_ops msg_get_ops = {
	.getnew = msq_new,
};

SYSCALL_DEFINE2(msgget, int, key, int, msgflg)
{
	struct ipc_params params = { .key = key, .flg = msgflg };

	return ipcget(&msg_ids, &msg_get_ops, &params);
}

/* ---- msgctl ----------------------------------------------------------- */

/* IPC_INFO and MSG_INFO: the highest index in use, or -EFAULT. */
static long msgctl_info(int cmd, void __user *buf)
{
	struct msginfo info;
	long idx;

	memset(&info, 0, sizeof(info));
	info.msgmni = (int32_t)MSG_LIMIT(msg_ctlmni);
	info.msgmax = (int32_t)MSG_LIMIT(msg_ctlmax);
	info.msgmnb = (int32_t)MSG_LIMIT(msg_ctlmnb);
	info.msgssz = MSGSSZ;
	info.msgseg = MSGSEG;
	mutex_lock(&msg_ids.lock);
	if (cmd == MSG_INFO) {
		/* Not what the names say: Linux reports usage here. */
		info.msgpool = (int32_t)msg_ids.in_use;
		info.msgmap = (int32_t)MIN(msg_totals.hdrs, (uint64_t)INT32_MAX);
		info.msgtql = (int32_t)MIN(msg_totals.bytes, (uint64_t)INT32_MAX);
	} else {
		info.msgpool = MSGPOOL;
		info.msgmap = MSGMAP;
		info.msgtql = MSGTQL;
	}
	idx = ipc_max_idx(&msg_ids);
	mutex_unlock(&msg_ids.lock);
	return copy_to_user(buf, &info, sizeof(info)) ? -EFAULT : idx;
}

static void msq_fill_stat(const struct msg_queue *q, struct msqid64_ds *ds)
{
	memset(ds, 0, sizeof(*ds));
	ipc_fill_perm(&q->perm, &ds->msg_perm);
	ds->msg_stime = q->stime;
	ds->msg_rtime = q->rtime;
	ds->msg_ctime = q->ctime;
	ds->msg_cbytes = q->cbytes;
	ds->msg_qnum = q->qnum;
	ds->msg_qbytes = q->qbytes;
	ds->msg_lspid = q->lspid;
	ds->msg_lrpid = q->lrpid;
}

/*
 * IPC_STAT, MSG_STAT, MSG_STAT_ANY: 0 (IPC_STAT) or the id, or -errno.
 * For the last two msqid is an index, which Linux reduces to its low
 * bits (so a whole id finds its queue too).
 */
static long msgctl_stat(int msqid, int cmd, void __user *buf)
{
	struct msqid64_ds ds;
	struct msg_queue *q;
	long r;

	mutex_lock(&msg_ids.lock);
	q = cmd == IPC_STAT ? msq_obtain(msqid)
		: msq_of(ipc_obtain_idx(&msg_ids, msqid));
	if (!q) {
		r = -EINVAL;
	} else if (cmd != MSG_STAT_ANY && ipcperms(&q->perm, 0444)) {
		r = -EACCES;
	} else {
		msq_fill_stat(q, &ds);
		r = cmd == IPC_STAT ? 0 : q->perm.id;
	}
	mutex_unlock(&msg_ids.lock);
	if (r >= 0 && copy_to_user(buf, &ds, sizeof(ds)))
		r = -EFAULT;
	return r;
}

/*
 * IPC_SET. Linux passes msg_qbytes on as an int: it is truncated, compared
 * with msgmnb as a signed number and stored sign-extended (a "negative"
 * size lifts the limit). Only root may go above msgmnb.
 */
static int msq_set(struct msg_queue *q, const struct msqid64_ds *ds)
{
	int qbytes = (int)ds->msg_qbytes;

	if (qbytes > (int)MSG_LIMIT(msg_ctlmnb) && current->cred.euid != 0)
		return -EPERM;
	/* Linux's ipc_update_perm: -1 is no valid uid or gid. */
	if (ds->msg_perm.uid == (uid_t)-1 || ds->msg_perm.gid == (gid_t)-1)
		return -EINVAL;
	ipc_set_perm(&q->perm, &ds->msg_perm);
	q->qbytes = (uint64_t)(int64_t)qbytes;
	q->ctime = ipc_now();
	/* Receivers may have lost permission, senders may fit now. */
	msq_wake_waiters(q, false);
	return 0;
}

/* IPC_SET (ds copied in) and IPC_RMID: 0 or -errno. */
static long msgctl_change(int msqid, int cmd, const struct msqid64_ds *ds)
{
	struct msg_queue *q;
	long r = 0;

	mutex_lock(&msg_ids.lock);
	q = msq_obtain(msqid);
	if (!q)
		r = -EINVAL;
	else if (!ipc_may_change(&q->perm))
		r = -EPERM;
	else if (cmd == IPC_RMID)
		msq_rmid(q);
	else
		r = msq_set(q, ds);
	mutex_unlock(&msg_ids.lock);
	return r;
}

static long ksys_msgctl(int msqid, int cmd, void __user *buf)
{
	struct msqid64_ds ds;

	if (msqid < 0 || cmd < 0)
		return -EINVAL;
	switch (cmd) {
	case IPC_INFO:
	case MSG_INFO:
		return msgctl_info(cmd, buf);
	case IPC_STAT:
	case MSG_STAT:
	case MSG_STAT_ANY:
		return msgctl_stat(msqid, cmd, buf);
	case IPC_SET:
		if (copy_from_user(&ds, buf, sizeof(ds)))
			return -EFAULT;
		return msgctl_change(msqid, cmd, &ds);
	case IPC_RMID:
		return msgctl_change(msqid, cmd, NULL);
	}
	return -EINVAL;
}

SYSCALL_DEFINE3(msgctl, int, msqid, int, cmd, void __user *, buf)
{
	return ksys_msgctl(msqid, cmd, buf);
}

/* ---- /proc/sysvipc/msg ------------------------------------------------ */

int msg_proc_show(ipc_emit_fn emit, void *ctx)
{
	static const char head[] =
		"       key      msqid perms      cbytes       qnum lspid lrpid"
		"   uid   gid  cuid  cgid      stime      rtime      ctime\n";
	char line[200];
	int err = emit(ctx, head, sizeof(head) - 1);

	mutex_lock(&msg_ids.lock);
	for (int i = 0; !err && i <= msg_ids.max_idx; i++) {
		struct msg_queue *q = msq_of(msg_ids.slot[i]);
		int n;

		if (!q)
			continue;
		n = snprintf(line, sizeof(line),
			"%10d %10d  %4o  %10lu %10lu %5u %5u %5u %5u %5u %5u "
			"%10lu %10lu %10lu\n",
			q->perm.key, q->perm.id, q->perm.mode,
			(unsigned long)q->cbytes, (unsigned long)q->qnum,
			(unsigned int)q->lspid, (unsigned int)q->lrpid,
			q->perm.uid, q->perm.gid, q->perm.cuid, q->perm.cgid,
			(unsigned long)q->stime, (unsigned long)q->rtime,
			(unsigned long)q->ctime);
		err = emit(ctx, line, (size_t)n);
	}
	mutex_unlock(&msg_ids.lock);
	return err;
}

void msg_init(void)
{
	ipc_ids_init(&msg_ids, "msg_ids");
}
