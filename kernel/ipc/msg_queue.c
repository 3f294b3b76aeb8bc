/*
 * msgsnd and msgrcv, with Linux's semantics and errno order (its
 * do_msgsnd and do_msgrcv), and the tasks they put to sleep.
 *
 * A task that must wait puts a record on its own stack onto the queue's
 * list of senders or receivers, in arrival order, takes a reference on
 * the queue and sleeps until someone sets its record's wake-up flag.
 * Wakers decide under msg_ids.lock: a sender hands its message straight
 * to the first receiver waiting for it (Linux's pipelined send), a
 * receiver that made room wakes the senders whose message now fits,
 * IPC_SET and IPC_RMID wake everybody. A sleeper retakes msg_ids.lock
 * before it reads its record or the queue, so a waker (which holds the
 * lock) never touches a record whose owner has returned, and the
 * reference keeps the queue record valid until the sleeper has seen
 * whether its id was removed.
 *
 * An interrupted msgsnd or msgrcv returns -ERESTARTNOHAND, as Linux's:
 * EINTR if a handler runs (SA_RESTART or not), a restart otherwise.
 */
#include <types.h>
#include <lib/list.h>
#include <lib/printk.h>
#include <mm/uaccess.h>
#include <proc/signal.h>
#include <proc/task.h>
#include <sync/waitq.h>
#include <syscall/syscall.h>
#include <uapi/errno.h>
#include <uapi/ipc.h>
#include "msg.h"

/* A sleeper's wake-up: only its owner sleeps on wq. */
struct msg_waiter {
	struct waitq wq;
	bool woken;			/* guarded by wq.lock */
};

/* A task asleep in msgrcv, on q->receivers. */
struct msg_receiver {
	struct list_head list;
	struct msg_waiter w;
	enum msg_search mode;		/* what it waits for */
	long type;
	size_t maxsize;			/* longest message it accepts */
	pid_t tid;			/* Linux's lrpid for a handed message */
	/* ERR_PTR(-EAGAIN) until a waker sets: a message, or -E2BIG (one
	 * for it was too long), -EIDRM, -EAGAIN again (IPC_SET: look again) */
	struct msg_msg *msg;
};

/* A task asleep in msgsnd, on q->senders until it leaves by itself. */
struct msg_sender {
	struct list_head list;
	struct msg_waiter w;
	size_t msgsz;
};

/* ---- Sleeping and waking ---------------------------------------------- */

/* Wake w's owner (or keep it from sleeping). msg_ids.lock held. */
static void waiter_wake(struct msg_waiter *w)
{
	mutex_assert_held(&msg_ids.lock);
	spin_lock(&w->wq.lock);
	w->woken = true;
	waitq_wake_all(&w->wq);
	spin_unlock(&w->wq.lock);
}

/*
 * Sleep until w is woken or a signal is pending, keeping q alive
 * meanwhile. w is already on one of q's lists, so no waker can have run
 * yet: it needs msg_ids.lock, which the caller holds. Returns with the
 * lock held again; whether q still has its id (if not, q may be freed).
 */
static bool msq_sleep(struct msg_queue *q, struct msg_waiter *w)
{
	bool listed;

	mutex_assert_held(&msg_ids.lock);
	q->refs++;
	spin_lock(&w->wq.lock);
	w->woken = false;
	spin_unlock(&w->wq.lock);
	mutex_unlock(&msg_ids.lock);

	spin_lock(&w->wq.lock);
	while (!w->woken)
		if (waitq_sleep(&w->wq) < 0)
			break;		/* the caller looks at signals */
	spin_unlock(&w->wq.lock);

	mutex_lock(&msg_ids.lock);
	listed = msq_listed(q);
	msq_put(q);
	return listed;
}

/* Settle a waiting receiver: off the list, its result set, awake. */
static void receiver_done(struct msg_receiver *r, struct msg_msg *msg)
{
	list_del(&r->list);
	r->msg = msg;
	waiter_wake(&r->w);
}

/* Linux's msg_fits_inqueue: every message counts as a byte as well. */
static bool msq_fits(const struct msg_queue *q, size_t msgsz)
{
	return msgsz + q->cbytes <= q->qbytes && 1 + q->qnum <= q->qbytes;
}

/*
 * Wake the senders whose message fits now (Linux's ss_wakeup). Those
 * that do not fit move to the tail, keeping their order, behind the ones
 * woken, so the next wake-up considers the woken ones first.
 */
static void msq_wake_senders(struct msg_queue *q)
{
	struct msg_sender *s, *t, *stop = NULL;

	list_for_each_entry_safe(s, t, &q->senders, list) {
		if (s == stop)
			break;
		if (!msq_fits(q, s->msgsz)) {
			if (!stop)
				stop = s;
			list_del(&s->list);
			list_add_tail(&s->list, &q->senders);
			continue;
		}
		waiter_wake(&s->w);
	}
}

void msq_wake_waiters(struct msg_queue *q, bool removed)
{
	struct msg_receiver *r, *rt;
	struct msg_sender *s, *st;

	list_for_each_entry_safe(r, rt, &q->receivers, list)
		receiver_done(r, ERR_PTR(removed ? -EIDRM : -EAGAIN));
	if (!removed) {
		msq_wake_senders(q);
		return;
	}
	list_for_each_entry_safe(s, st, &q->senders, list) {
		list_del(&s->list);
		waiter_wake(&s->w);
	}
}

/* ---- The message list ------------------------------------------------- */

static void msq_enqueue(struct msg_queue *q, struct msg_msg *msg)
{
	list_add_tail(&msg->list, &q->messages);
	q->cbytes += msg->size;
	q->qnum++;
	msg_totals.hdrs++;
	msg_totals.bytes += msg->size;
}

/* msgrcv takes msg off q: the counts go down, waiting senders may fit. */
static void msq_dequeue(struct msg_queue *q, struct msg_msg *msg)
{
	list_del(&msg->list);
	q->qnum--;
	q->rtime = ipc_now();
	q->lrpid = ipc_caller_pid();
	q->cbytes -= msg->size;
	msg_totals.hdrs--;
	msg_totals.bytes -= msg->size;
	msq_wake_senders(q);
}

void msq_free_messages(struct msg_queue *q)
{
	struct msg_msg *msg, *t;

	list_for_each_entry_safe(msg, t, &q->messages, list) {
		list_del(&msg->list);
		msg_totals.hdrs--;
		msg_totals.bytes -= msg->size;
		msg_free(msg);
	}
	q->cbytes = q->qnum = 0;
}

/*
 * Linux's pipelined_send: give msg to the first receiver waiting for its
 * type; whether one took it. A receiver passed over because its buffer
 * is too small (and it did not say MSG_NOERROR) fails with E2BIG.
 */
static bool msq_pipelined_send(struct msg_queue *q, struct msg_msg *msg)
{
	struct msg_receiver *r, *t;

	list_for_each_entry_safe(r, t, &q->receivers, list) {
		if (!msg_matches(msg, r->type, r->mode))
			continue;
		if (r->maxsize < msg->size) {
			receiver_done(r, ERR_PTR(-E2BIG));
			continue;
		}
		q->lrpid = r->tid;
		q->rtime = ipc_now();
		receiver_done(r, msg);
		return true;
	}
	return false;
}

/* ---- msgsnd ----------------------------------------------------------- */

/*
 * Wait until q has room for msgsz bytes. msg_ids.lock held throughout
 * (dropped while asleep). 0: q is listed and has room; else -errno, and
 * after -EIDRM q may be gone.
 */
static int msq_wait_room(struct msg_queue *q, size_t msgsz, int msgflg)
{
	struct msg_sender s = { .msgsz = msgsz };

	mutex_assert_held(&msg_ids.lock);
	waitq_init(&s.w.wq, "msg_sender");
	for (;;) {
		if (ipcperms(&q->perm, 0222))
			return -EACCES;
		if (msq_fits(q, msgsz))
			return 0;
		if (msgflg & IPC_NOWAIT)
			return -EAGAIN;
		list_add_tail(&s.list, &q->senders);
		if (!msq_sleep(q, &s.w))
			return -EIDRM;
		list_del(&s.list);
		if (signal_pending())
			return -ERESTARTNOHAND;
	}
}

static long do_msgsnd(int msqid, long mtype, const void __user *mtext,
		      size_t msgsz, int msgflg)
{
	struct msg_queue *q;
	struct msg_msg *msg;
	long err;

	if (msgsz > MSG_LIMIT(msg_ctlmax) || (long)msgsz < 0 || msqid < 0)
		return -EINVAL;
	if (mtype < 1)
		return -EINVAL;
	msg = msg_load(mtext, msgsz);
	if (IS_ERR(msg))
		return PTR_ERR(msg);
	msg->type = mtype;

	mutex_lock(&msg_ids.lock);
	q = msq_obtain(msqid);
	err = q ? msq_wait_room(q, msgsz, msgflg) : -EINVAL;
	if (!err) {
		q->lspid = ipc_caller_pid();
		q->stime = ipc_now();
		if (!msq_pipelined_send(q, msg))
			msq_enqueue(q, msg);
		msg = NULL;		/* the queue's or a receiver's now */
	}
	mutex_unlock(&msg_ids.lock);
	msg_free(msg);
	return err;
}

/* msgp points at a struct msgbuf: long mtype, then the text. */
SYSCALL_DEFINE4(msgsnd, int, msqid, const void __user *, msgp, size_t, msgsz,
		int, msgflg)
{
	long mtype;

	if (get_user(mtype, (const long __user *)msgp))
		return -EFAULT;
	return do_msgsnd(msqid, mtype, (const char __user *)msgp + sizeof(long),
			 msgsz, msgflg);
}

/* ---- msgrcv ----------------------------------------------------------- */

/* msg was found for a receiver with a buffer of bufsz bytes: take it off
 * q, or for MSG_COPY copy it into copy. The message or an ERR_PTR. */
static struct msg_msg *msq_take(struct msg_queue *q, struct msg_msg *msg,
				size_t bufsz, int msgflg, struct msg_msg *copy)
{
	int err;

	if (bufsz < msg->size && !(msgflg & MSG_NOERROR))
		return ERR_PTR(-E2BIG);
	if (msgflg & MSG_COPY) {
		err = msg_copy(msg, copy);
		return err ? ERR_PTR(err) : copy;
	}
	msq_dequeue(q, msg);
	return msg;
}

/*
 * Wait for a message of (type, mode) on q: the message, now the caller's,
 * or an ERR_PTR. msg_ids.lock held throughout (dropped while asleep).
 */
static struct msg_msg *msq_receive(struct msg_queue *q, size_t bufsz,
				   long type, enum msg_search mode,
				   int msgflg, struct msg_msg *copy)
{
	struct msg_receiver r = { .mode = mode, .type = type };
	struct msg_msg *msg;
	bool listed;

	mutex_assert_held(&msg_ids.lock);
	waitq_init(&r.w.wq, "msg_receiver");
	r.maxsize = (msgflg & MSG_NOERROR) ? INT32_MAX : bufsz;
	r.tid = current->tid;
	for (;;) {
		if (ipcperms(&q->perm, 0444))
			return ERR_PTR(-EACCES);
		msg = msg_find(&q->messages, type, mode);
		if (msg)
			return msq_take(q, msg, bufsz, msgflg, copy);
		if (msgflg & IPC_NOWAIT)
			return ERR_PTR(-ENOMSG);
		r.msg = ERR_PTR(-EAGAIN);
		list_add_tail(&r.list, &q->receivers);
		listed = msq_sleep(q, &r.w);
		if (r.msg != ERR_PTR(-EAGAIN))
			return r.msg;	/* handed over even if q is gone */
		list_del(&r.list);	/* still waiting, or IPC_SET woke us */
		if (signal_pending())
			return ERR_PTR(-ERESTARTNOHAND);
		if (!listed)
			return ERR_PTR(-EIDRM);
	}
}

/* Linux's do_msg_fill: mtype, then at most bufsz bytes of text. */
static long msg_fill(void __user *buf, const struct msg_msg *msg,
		     size_t bufsz)
{
	size_t n = MIN(bufsz, msg->size);

	if (put_user(msg->type, (long __user *)buf))
		return -EFAULT;
	if (msg_store((char __user *)buf + sizeof(long), msg, n))
		return -EFAULT;
	return (long)n;
}

static long do_msgrcv(int msqid, void __user *buf, size_t bufsz,
		      long msgtyp, int msgflg)
{
	struct msg_msg *copy = NULL, *msg;
	enum msg_search mode;
	struct msg_queue *q;
	long r;

	if (msqid < 0 || (long)bufsz < 0)
		return -EINVAL;
	if (msgflg & MSG_COPY) {
		if ((msgflg & MSG_EXCEPT) || !(msgflg & IPC_NOWAIT))
			return -EINVAL;
		/* Linux makes the copy by loading the caller's buffer: an
		 * unreadable one fails here with EFAULT. */
		copy = msg_load(buf, MIN(bufsz, MSG_LIMIT(msg_ctlmax)));
		if (IS_ERR(copy))
			return PTR_ERR(copy);
	}
	mode = msg_search_mode(&msgtyp, msgflg);

	mutex_lock(&msg_ids.lock);
	q = msq_obtain(msqid);
	msg = q ? msq_receive(q, bufsz, msgtyp, mode, msgflg, copy)
		: ERR_PTR(-EINVAL);
	mutex_unlock(&msg_ids.lock);
	if (IS_ERR(msg)) {
		msg_free(copy);
		return PTR_ERR(msg);
	}
	/* A copy-out that faults loses the message, as on Linux. */
	r = msg_fill(buf, msg, bufsz);
	msg_free(msg);
	return r;
}

SYSCALL_DEFINE5(msgrcv, int, msqid, void __user *, msgp, size_t, msgsz,
		long, msgtyp, int, msgflg)
{
	return do_msgrcv(msqid, msgp, msgsz, msgtyp, msgflg);
}
