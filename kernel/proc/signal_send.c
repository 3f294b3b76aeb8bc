/*
 * Sending signals: kill, tkill, tgkill, rt_sigpending, and the hooks the
 * rest of the kernel uses (SIGPIPE from pipes, ^C from the tty, SIGCHLD
 * from exit, faults from traps.c).
 *
 * A signal is pending when its bit is set in a pending set: the process's
 * shared set for process-directed signals (kill, SIGCHLD, the tty's),
 * which any of its threads that does not block the signal may take, or a
 * thread's own set (tkill, tgkill, faults, SIGPIPE). Standard signals do
 * not queue, so a second one of a number already pending is merged with
 * the first; real-time signals queue (signal_queue.c). A signal the
 * target ignores is discarded on arrival, unless blocked (Linux
 * sig_ignored). Stop signals and SIGCONT first have their job-control
 * effects (signal_stop.c).
 */
#include <proc/signal.h>
#include <proc/task.h>
#include <proc/sched.h>
#include "internal.h"
#include <lib/list.h>
#include <lib/printk.h>
#include <fs/file.h>
#include <mm/uaccess.h>
#include <syscall/syscall.h>
#include <uapi/errno.h>

/* Signals whose default action is to do nothing. */
static bool default_ignored(int sig)
{
	return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH ||
	       sig == SIGCONT;
}

bool signal_is_ignored(struct task *t, int sig)
{
	uint64_t handler = t->sighand->action[sig - 1].handler;

	if (sig == SIGKILL || sig == SIGSTOP)
		return t->tgid == 1;	/* init cannot be killed */
	if (handler == SIG_IGN)
		return true;
	if (handler != SIG_DFL)
		return false;
	/* init only gets the signals it has a handler for. */
	return default_ignored(sig) || t->tgid == 1;
}

/* Blocked, or blocked before a sigtimedwait lifted it (real_blocked). */
static bool signal_blocked(struct task *t, int sig)
{
	return ((t->sigmask | __atomic_load_n(&t->real_blocked,
					      __ATOMIC_RELAXED)) &
		sig_bit(sig)) != 0;
}

void signal_flush_locked(struct thread_group *g, uint64_t set)
{
	struct task *m;

	spin_assert_held(&g->siglock);
	__atomic_and_fetch(&g->shared_pending, ~set, __ATOMIC_RELAXED);
	sigqueue_flush(&g->shared_rtq, set);
	list_for_each_entry(m, &g->threads, thread_link) {
		__atomic_and_fetch(&m->pending, ~set, __ATOMIC_RELAXED);
		sigqueue_flush(&m->rtq, set);
	}
}

/* Drop sig from the process's shared set and every thread's own. */
void signal_discard(struct task *t, int sig)
{
	struct thread_group *g = t->group;

	spin_lock(&proc_tree_lock);
	spin_lock(&g->siglock);
	signal_flush_locked(g, sig_bit(sig));
	spin_unlock(&g->siglock);
	spin_unlock(&proc_tree_lock);
}

/* Wake t from an interruptible sleep if sig is one it will act on (and
 * from a killable one for SIGKILL). group->siglock held. */
static bool signal_wake(struct task *t, int sig)
{
	spin_assert_held(&t->group->siglock);
	if (sig != SIGKILL && (t->sigmask & sig_bit(sig)))
		return false;
	spin_lock(&sched_lock);
	if (t->state == TASK_SLEEPING &&
	    (t->interruptible || (sig == SIGKILL && t->killable)))
		sched_wake_locked(t);
	else
		sched_kick_locked(t);	/* running elsewhere: look now */
	spin_unlock(&sched_lock);
	return true;
}

/* One pending set: a thread's own or its process's shared one. */
struct pending_set {
	uint64_t *bits;
	struct ksiginfo *info;		/* [NSIG]: standard signals' siginfo */
	struct sigqueue_list *rtq;
};

/*
 * Add sig to set: a standard signal unless it is there already (no
 * queueing), a real-time one as one more instance. -EAGAIN when a
 * real-time signal cannot be queued and did not come from kill()
 * (Linux: otherwise it is pending without its siginfo). siglock held.
 */
static int pend(struct pending_set *set, struct task *target, int sig,
		const struct ksiginfo *info)
{
	spin_assert_held(&target->group->siglock);
	if (sig >= SIGRTMIN && sigqueue_add(set->rtq, target, sig, info)) {
		if (info->code != SI_USER)
			return -EAGAIN;
		set->info[sig - 1] = (struct ksiginfo){ .code = SI_USER };
	} else if (!(*set->bits & sig_bit(sig))) {
		set->info[sig - 1] = *info;
	}
	__atomic_or_fetch(set->bits, sig_bit(sig), __ATOMIC_RELAXED);
	return 0;
}

/* Readers of signalfds of g's process look again. proc_tree_lock held. */
static void wake_signalfd(struct thread_group *g)
{
	spin_assert_held(&proc_tree_lock);
	waitq_wake_all(&g->signalfd_wait);
	if (signalfd_exists())
		poll_wake();
}

/* SIGKILL ends every thread of t's process at once. */
static void kill_process_locked(struct task *t, const struct ksiginfo *info)
{
	struct thread_group *g = t->group;
	struct task *m;

	g->exiting = true;
	g->exit_code = SIGKILL;
	list_for_each_entry(m, &g->threads, thread_link)
		signal_send_thread_locked(m, SIGKILL, info);
}

/*
 * A signal for the whole process waits in the group's shared set until
 * some thread that does not block it takes it. Wake one such thread (the
 * leader by preference, as Linux's complete_signal). Job-control side
 * effects come first, even for a signal that is then ignored.
 */
static int send_process_locked(struct task *t, int sig,
			       const struct ksiginfo *info)
{
	struct thread_group *g = t->group;
	struct pending_set set = { &g->shared_pending, g->shared_info,
				   &g->shared_rtq };
	struct task *m;
	int err;

	spin_assert_held(&proc_tree_lock);
	if (!g->nr_live || g->exiting)
		return 0;
	signal_prepare_locked(t, sig);
	if (signal_is_ignored(t, sig) && !signal_blocked(t, sig))
		return 0;
	if (sig == SIGKILL && t->tgid != 1) {
		kill_process_locked(t, info);
		return 0;
	}
	spin_lock(&g->siglock);
	err = pend(&set, t, sig, info);
	if (err)
		goto out;
	if (g->leader->group == g && !list_empty(&g->leader->thread_link) &&
	    signal_wake(g->leader, sig))
		goto out;
	list_for_each_entry(m, &g->threads, thread_link)
		if (signal_wake(m, sig))
			break;
out:
	spin_unlock(&g->siglock);
	if (!err)
		wake_signalfd(g);
	return err;
}

static int send_thread_locked(struct task *t, int sig,
			      const struct ksiginfo *info)
{
	struct thread_group *g = t->group;
	struct pending_set set = { &t->pending, t->siginfo, &t->rtq };
	int err;

	spin_assert_held(&proc_tree_lock);
	if (list_empty(&t->thread_link))
		return 0;		/* it has exited */
	signal_prepare_locked(t, sig);
	if (signal_is_ignored(t, sig) && !signal_blocked(t, sig))
		return 0;
	spin_lock(&g->siglock);
	err = pend(&set, t, sig, info);
	if (!err)
		signal_wake(t, sig);	/* siglock before sched_lock */
	spin_unlock(&g->siglock);
	if (!err)
		wake_signalfd(g);
	return err;
}

void signal_send_locked(struct task *t, int sig, const struct ksiginfo *info)
{
	send_process_locked(t, sig, info);
}

void signal_send_thread_locked(struct task *t, int sig,
			       const struct ksiginfo *info)
{
	send_thread_locked(t, sig, info);
}

int signal_queue_locked(struct task *t, int sig, const struct ksiginfo *info,
			bool thread)
{
	return thread ? send_thread_locked(t, sig, info)
		      : send_process_locked(t, sig, info);
}

/*
 * Linux's check_kill_permission: one's own process, root, or a real or
 * effective uid that matches the target's real or saved uid
 * (kill_ok_by_cred); SIGCONT also within one's session, so a job-control
 * shell can wake a job that changed its uid.
 */
static int may_signal(const struct task *t, int sig)
{
	const struct cred *c = &current->cred, *tc = &t->cred;

	if (t->group == current->group || c->euid == 0)
		return 0;
	if (c->euid == tc->suid || c->euid == tc->uid ||
	    c->uid == tc->suid || c->uid == tc->uid)
		return 0;
	if (sig == SIGCONT && task_sid(t) == task_sid(current))
		return 0;
	return -EPERM;
}

/* What kill and tgkill tell the receiver: who sent it, and how. */
static struct ksiginfo user_info(int code)
{
	return (struct ksiginfo){
		.code = code, .pid = current->tgid, .uid = current->cred.uid,
	};
}

/* Permission check unless from the kernel, then send (sig 0: check
 * only) to t's process, or to t alone when thread is set. */
static int send_checked(struct task *t, int sig, const struct ksiginfo *info,
			bool thread)
{
	int err = info->code == SI_KERNEL ? 0 : may_signal(t, sig);

	if (err || sig == 0)
		return err;
	return signal_queue_locked(t, sig, info, thread);
}

/* kill(-pgrp): 0 if any member got it, else the last error or ESRCH. */
int signal_kill_pgrp_locked(pid_t pgrp, int sig,
			    const struct ksiginfo *info)
{
	struct task *t;
	int err = -ESRCH;
	bool ok = false;

	spin_assert_held(&proc_tree_lock);
	list_for_each_entry(t, proc_all_tasks(), all_link) {
		if (!t->linked || t->tid != t->tgid || task_pgid(t) != pgrp)
			continue;	/* each process once, by its leader;
					 * a zombie counts, as on Linux */
		err = send_checked(t, sig, info, false);
		ok |= err == 0;
	}
	return ok ? 0 : err;
}

/* kill(-1): everyone but init and the caller (Linux's counting rule). */
static int kill_all_locked(int sig)
{
	struct ksiginfo info = user_info(SI_USER);
	struct task *t;
	int count = 0, ret = 0;

	list_for_each_entry(t, proc_all_tasks(), all_link) {
		if (!t->linked || t->tgid <= 1 || t->tgid == current->tgid ||
		    t->tid != t->tgid || t->exited)
			continue;
		int err = send_checked(t, sig, &info, false);
		count++;
		if (err != -EPERM)
			ret = err;
	}
	return count ? ret : -ESRCH;
}

SYSCALL_DEFINE2(kill, pid_t, pid, int, sig)
{
	struct ksiginfo info = user_info(SI_USER);
	struct task *t;
	int err;

	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	spin_lock(&proc_tree_lock);
	if (pid > 0) {
		t = task_find(pid);	/* a zombie too: 0, and nothing happens */
		err = t ? send_checked(t, sig, &info, false) : -ESRCH;
	} else if (pid == 0) {
		err = signal_kill_pgrp_locked(task_pgid(current), sig, &info);
	} else if (pid == -1) {
		err = kill_all_locked(sig);
	} else {
		err = signal_kill_pgrp_locked(-pid, sig, &info);
	}
	spin_unlock(&proc_tree_lock);
	return err;
}

/* tgkill with tgid -1 is tkill; tgid must match otherwise. */
static long do_tkill(pid_t tgid, pid_t tid, int sig)
{
	struct ksiginfo info = user_info(SI_TKILL);
	struct task *t;
	long err = -ESRCH;

	if (tid <= 0 || sig < 0 || sig > NSIG)
		return -EINVAL;
	spin_lock(&proc_tree_lock);
	t = task_find(tid);
	if (t && !list_empty(&t->thread_link) && (tgid <= 0 || t->tgid == tgid))
		err = send_checked(t, sig, &info, true);
	spin_unlock(&proc_tree_lock);
	return err;
}

SYSCALL_DEFINE2(tkill, pid_t, tid, int, sig)
{
	return do_tkill(-1, tid, sig);
}

SYSCALL_DEFINE3(tgkill, pid_t, tgid, pid_t, tid, int, sig)
{
	if (tgid <= 0)
		return -EINVAL;
	return do_tkill(tgid, tid, sig);
}

/*
 * The siginfo a sigqueue caller supplies: kept as given (signo is the
 * call's), with the sender fields of the rt layout. Linux refuses
 * si_code >= 0 or SI_TKILL to another thread than the caller: only the
 * kernel and kill()/tgkill() may claim those.
 */
static long user_siginfo(pid_t target, int sig,
			 const struct siginfo __user *uinfo,
			 struct ksiginfo *info)
{
	struct siginfo si;

	if (copy_from_user(&si, uinfo, sizeof(si)))
		return -EFAULT;
	if ((si.si_code >= 0 || si.si_code == SI_TKILL) &&
	    target != current->tid)
		return -EPERM;
	*info = (struct ksiginfo){
		.code = si.si_code, .errno_val = si.si_errno,
		.pid = si.u.rt.pid, .uid = si.u.rt.uid,
		.value = si.u.rt.value,
	};
	return 0;
}

/* sigqueue(3): a signal with a value for process tgid; EAGAIN when a
 * real-time signal cannot be queued. */
SYSCALL_DEFINE3(rt_sigqueueinfo, pid_t, tgid, int, sig,
		const struct siginfo __user *, uinfo)
{
	struct ksiginfo info;
	struct task *t;
	long err = user_siginfo(tgid, sig, uinfo, &info);

	if (err)
		return err;
	spin_lock(&proc_tree_lock);
	t = tgid > 0 ? task_find(tgid) : NULL;
	if (t && t->tid == t->tgid && !t->exited)
		err = sig < 0 || sig > NSIG ? -EINVAL
					    : send_checked(t, sig, &info, false);
	else
		err = -ESRCH;
	spin_unlock(&proc_tree_lock);
	return err;
}

/* pthread_sigqueue: the same for thread tid of process tgid. */
SYSCALL_DEFINE4(rt_tgsigqueueinfo, pid_t, tgid, pid_t, tid, int, sig,
		const struct siginfo __user *, uinfo)
{
	struct ksiginfo info;
	struct task *t;
	long err;

	if (tgid <= 0 || tid <= 0)
		return -EINVAL;
	err = user_siginfo(tid, sig, uinfo, &info);
	if (err)
		return err;
	spin_lock(&proc_tree_lock);
	t = task_find(tid);
	if (t && !list_empty(&t->thread_link) && t->tgid == tgid)
		err = sig < 0 || sig > NSIG ? -EINVAL
					    : send_checked(t, sig, &info, true);
	else
		err = -ESRCH;
	spin_unlock(&proc_tree_lock);
	return err;
}

/* Linux reports pending signals that are blocked (and only those). */
SYSCALL_DEFINE2(rt_sigpending, uint64_t __user *, uset, size_t, sigsetsize)
{
	uint64_t set;

	if (sigsetsize > 8)
		return -EINVAL;
	set = (__atomic_load_n(&current->pending, __ATOMIC_RELAXED) |
	       __atomic_load_n(&current->group->shared_pending,
			       __ATOMIC_RELAXED)) & current->sigmask;
	if (copy_to_user(uset, &set, sigsetsize))
		return -EFAULT;
	return 0;
}

/* The tty's ^C, ^Z, ^\ and SIGWINCH; may run in interrupt context. */
int signal_kill_pgrp(pid_t pgrp, int sig)
{
	struct ksiginfo info = { .code = SI_KERNEL };
	int err;

	spin_lock(&proc_tree_lock);
	err = signal_kill_pgrp_locked(pgrp, sig, &info);
	spin_unlock(&proc_tree_lock);
	return err;
}

/* SIGPIPE: Linux's send_sig(sig, current, 0), to the calling thread,
 * reports the caller as sender. */
void signal_raise(int sig)
{
	struct ksiginfo info = user_info(SI_USER);

	spin_lock(&proc_tree_lock);
	signal_send_thread_locked(current, sig, &info);
	spin_unlock(&proc_tree_lock);
}

/* pause: sleep until a signal is delivered; never restarted (Linux). */
SYSCALL_DEFINE0(pause)
{
	struct waitq wq;

	waitq_init(&wq, "pause");
	spin_lock(&wq.lock);
	while (waitq_sleep(&wq) == 0)
		;
	spin_unlock(&wq.lock);
	return -ERESTARTNOHAND;
}
