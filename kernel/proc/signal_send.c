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
 * the first (real-time signals are treated the same way: their queueing
 * is not implemented). A signal the target ignores is discarded on
 * arrival, unless blocked (Linux sig_ignored).
 */
#include <proc/signal.h>
#include <proc/task.h>
#include <proc/sched.h>
#include "internal.h"
#include <lib/list.h>
#include <lib/printk.h>
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

/* Drop sig from the process's shared set and every thread's own. */
void signal_discard(struct task *t, int sig)
{
	struct thread_group *g = t->group;
	struct task *m;

	spin_lock(&proc_tree_lock);
	spin_lock(&g->siglock);
	__atomic_and_fetch(&g->shared_pending, ~sig_bit(sig), __ATOMIC_RELAXED);
	list_for_each_entry(m, &g->threads, thread_link)
		__atomic_and_fetch(&m->pending, ~sig_bit(sig),
				   __ATOMIC_RELAXED);
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
	spin_unlock(&sched_lock);
	return true;
}

/* Add sig to a pending set unless it is there already (no queueing). */
static void pend(uint64_t *set, struct ksiginfo *slot, int sig,
		 const struct ksiginfo *info)
{
	if (!(*set & sig_bit(sig))) {
		*slot = *info;
		__atomic_or_fetch(set, sig_bit(sig), __ATOMIC_RELAXED);
	}
}

/*
 * A signal for the whole process waits in the group's shared set until
 * some thread that does not block it takes it. Wake one such thread (the
 * leader by preference, as Linux's complete_signal). SIGKILL ends every
 * thread at once.
 */
void signal_send_locked(struct task *t, int sig, const struct ksiginfo *info)
{
	struct thread_group *g = t->group;
	struct task *m;

	spin_assert_held(&proc_tree_lock);
	if (!g->nr_live || g->exiting)
		return;
	if (signal_is_ignored(t, sig) && !(t->sigmask & sig_bit(sig)))
		return;
	if (sig == SIGKILL && t->tgid != 1) {
		g->exiting = true;
		g->exit_code = SIGKILL;
		list_for_each_entry(m, &g->threads, thread_link)
			signal_send_thread_locked(m, SIGKILL, info);
		return;
	}
	spin_lock(&g->siglock);
	pend(&g->shared_pending, &g->shared_info[sig - 1], sig, info);
	if (g->leader->group == g && !list_empty(&g->leader->thread_link) &&
	    signal_wake(g->leader, sig))
		goto out;
	list_for_each_entry(m, &g->threads, thread_link)
		if (signal_wake(m, sig))
			break;
out:
	spin_unlock(&g->siglock);
}

void signal_send_thread_locked(struct task *t, int sig,
			       const struct ksiginfo *info)
{
	struct thread_group *g = t->group;

	spin_assert_held(&proc_tree_lock);
	if (list_empty(&t->thread_link))
		return;			/* it has exited */
	if (signal_is_ignored(t, sig) && !(t->sigmask & sig_bit(sig)))
		return;
	spin_lock(&g->siglock);
	pend(&t->pending, &t->siginfo[sig - 1], sig, info);
	signal_wake(t, sig);		/* siglock before sched_lock */
	spin_unlock(&g->siglock);
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
	if (thread)
		signal_send_thread_locked(t, sig, info);
	else
		signal_send_locked(t, sig, info);
	return 0;
}

/* kill(-pgrp): 0 if any member got it, else the last error or ESRCH. */
static int kill_pgrp_locked(pid_t pgrp, int sig,
			    const struct ksiginfo *info)
{
	struct task *t;
	int err = -ESRCH;
	bool ok = false;

	list_for_each_entry(t, proc_all_tasks(), all_link) {
		if (!t->linked || t->tid != t->tgid || t->exited ||
		    task_pgid(t) != pgrp)
			continue;	/* each process once, by its leader */
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
		t = task_find(pid);
		err = t && !t->exited ? send_checked(t, sig, &info, false)
				      : -ESRCH;
	} else if (pid == 0) {
		err = kill_pgrp_locked(task_pgid(current), sig, &info);
	} else if (pid == -1) {
		err = kill_all_locked(sig);
	} else {
		err = kill_pgrp_locked(-pid, sig, &info);
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
	err = kill_pgrp_locked(pgrp, sig, &info);
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
