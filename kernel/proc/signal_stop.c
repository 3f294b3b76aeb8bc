/*
 * Job control: stopping and continuing a whole process, and orphaned
 * process groups (Linux's do_signal_stop, prepare_signal and
 * kill_orphaned_pgrp).
 *
 * A stop signal whose action is the default, taken by one thread, starts
 * a group stop: every live thread is asked to join (jobctl_stop) and
 * woken from interruptible sleeps; each parks on the group's stop_wait as
 * it passes signal delivery. When the last one parks the process is
 * stopped: its parent may see it in wait (WUNTRACED) and gets SIGCHLD
 * with CLD_STOPPED unless it set SA_NOCLDSTOP. SIGCONT, when sent (even
 * if then ignored), ends the stop (a new generation wakes every parked
 * thread), discards pending stop signals, and tells the parent
 * (CLD_CONTINUED, WCONTINUED); a stop signal sent discards a pending
 * SIGCONT. SIGKILL wakes parked threads (their sleep is killable).
 *
 * SIGTSTP, SIGTTIN and SIGTTOU are discarded by a process in an orphaned
 * process group (no shell is left to continue it); when a group with a
 * stopped member becomes orphaned, it gets SIGHUP and SIGCONT.
 */
#include <proc/signal.h>
#include <proc/task.h>
#include <proc/sched.h>
#include "internal.h"
#include <uapi/errno.h>
#include <uapi/wait.h>

#define STOP_SIGNALS (sig_bit(SIGSTOP) | sig_bit(SIGTSTP) | \
		      sig_bit(SIGTTIN) | sig_bit(SIGTTOU))

bool signal_is_stop(int sig)
{
	return sig > 0 && sig <= 32 && (STOP_SIGNALS & sig_bit(sig));
}

/* Linux's do_notify_parent_cldstop: SIGCHLD (unless SA_NOCLDSTOP) and a
 * wake-up for wait. proc_tree_lock held, no siglock. */
static void notify_parent_cldstop(struct task *leader, int why, int status)
{
	struct task *parent = leader->parent;
	struct ksiginfo info = {
		.code = why, .pid = leader->tgid, .uid = leader->cred.uid,
		.status = status,
	};

	spin_assert_held(&proc_tree_lock);
	if (!parent)
		return;
	if (!(parent->sighand->action[SIGCHLD - 1].flags & SA_NOCLDSTOP))
		signal_send_locked(parent, SIGCHLD, &info);
	waitq_wake_all(&parent->child_exit);
}

/* Wake t from an interruptible sleep so that it passes delivery. */
static void wake_to_stop(struct task *t)
{
	spin_lock(&sched_lock);
	if (t->state == TASK_SLEEPING && t->interruptible)
		sched_wake_locked(t);
	else
		sched_kick_locked(t);
	spin_unlock(&sched_lock);
}

void signal_prepare_locked(struct task *t, int sig)
{
	struct thread_group *g = t->group;
	bool was_stopped = false, was_active;
	struct task *m;

	spin_assert_held(&proc_tree_lock);
	if (sig != SIGCONT && !signal_is_stop(sig))
		return;
	spin_lock(&g->siglock);
	if (sig != SIGCONT) {
		signal_flush_locked(g, sig_bit(SIGCONT));
		spin_unlock(&g->siglock);
		return;
	}
	signal_flush_locked(g, STOP_SIGNALS);
	/* A stop signal already taken but not yet acted on is void too. */
	list_for_each_entry(m, &g->threads, thread_link)
		m->stop_dequeued = false;
	was_active = g->stop_active;
	if (was_active) {
		was_stopped = g->stopped;
		g->stop_active = g->stopped = false;
		g->stop_count = 0;
		g->stop_gen++;
		list_for_each_entry(m, &g->threads, thread_link)
			m->jobctl_stop = false;
		/* Stopped or stopping: wait reports it continued. */
		g->stop_report = 0;
		g->cont_report = true;
	}
	spin_unlock(&g->siglock);
	if (was_active)
		waitq_wake_all(&g->stop_wait);
	/*
	 * A stop still under way is cut short: Linux pretends it finished
	 * and that the CLD_CONTINUED after it was lost (SIGCHLD does not
	 * queue), so the parent hears CLD_STOPPED, with status 0 (the
	 * stop's exit code is cleared first).
	 */
	if (was_stopped)
		notify_parent_cldstop(g->leader, CLD_CONTINUED, SIGCONT);
	else if (was_active)
		notify_parent_cldstop(g->leader, CLD_STOPPED, 0);
}

/* One thread has joined the stop (parked or exited): the last one makes
 * the process stopped. proc_tree_lock and siglock held; true if the
 * parent is to be told. */
static bool stop_count_down(struct thread_group *g)
{
	spin_assert_held(&proc_tree_lock);
	spin_assert_held(&g->siglock);
	if (!g->stop_active || !g->stop_count || --g->stop_count)
		return false;
	g->stopped = true;
	g->stop_report = g->stop_sig;
	g->cont_report = false;
	return true;
}

void signal_stop_self(int sig)
{
	struct task *t = current, *m;
	struct thread_group *g = t->group;

	spin_lock(&proc_tree_lock);
	if (sig != SIGSTOP &&
	    signal_pgrp_orphaned_locked(task_pgid(t), NULL)) {
		spin_unlock(&proc_tree_lock);	/* discarded, as on Linux */
		return;
	}
	spin_lock(&g->siglock);
	/* A SIGCONT since we took the signal (on another CPU, while the
	 * locks were free) has cancelled this stop, as on Linux. */
	if (!t->stop_dequeued) {
		spin_unlock(&g->siglock);
		spin_unlock(&proc_tree_lock);
		return;
	}
	t->stop_dequeued = false;
	if (!g->stop_active && !g->exiting) {
		g->stop_active = true;
		g->stopped = false;
		g->stop_sig = sig;
		g->stop_count = 0;
		list_for_each_entry(m, &g->threads, thread_link) {
			m->jobctl_stop = true;
			g->stop_count++;
			if (m != t)
				wake_to_stop(m);
		}
	}
	spin_unlock(&g->siglock);
	spin_unlock(&proc_tree_lock);
	signal_stop_participate();
}

void signal_stop_participate(void)
{
	struct task *t = current;
	struct thread_group *g = t->group;
	unsigned int gen;
	bool notify;

	spin_lock(&proc_tree_lock);
	spin_lock(&g->siglock);
	if (!t->jobctl_stop) {
		spin_unlock(&g->siglock);
		spin_unlock(&proc_tree_lock);
		return;
	}
	t->jobctl_stop = false;
	notify = stop_count_down(g);
	gen = g->stop_gen;
	t->job_stopped = true;
	spin_unlock(&g->siglock);
	if (notify)
		notify_parent_cldstop(g->leader, CLD_STOPPED, g->stop_sig);
	spin_unlock(&proc_tree_lock);

	/* SIGCONT changes the generation, then wakes stop_wait. */
	spin_lock(&g->stop_wait.lock);
	while (__atomic_load_n(&g->stop_gen, __ATOMIC_ACQUIRE) == gen &&
	       !fatal_signal_pending())
		waitq_sleep_killable(&g->stop_wait);
	spin_unlock(&g->stop_wait.lock);
	t->job_stopped = false;
}

/* An exiting thread no longer holds up a group stop. */
void signal_stop_leave_locked(struct task *t)
{
	struct thread_group *g = t->group;
	bool notify;

	spin_assert_held(&proc_tree_lock);
	spin_lock(&g->siglock);
	notify = t->jobctl_stop && !g->exiting && stop_count_down(g);
	t->jobctl_stop = false;
	spin_unlock(&g->siglock);
	if (notify)
		notify_parent_cldstop(g->leader, CLD_STOPPED, g->stop_sig);
}

bool signal_stop_in_sleep(void)
{
	struct task *t = current;
	uint64_t allowed = ~t->sigmask | UNBLOCKABLE, ready;
	struct ksiginfo info;
	int sig;

	if (t->jobctl_stop) {
		signal_stop_participate();
		return true;
	}
	ready = (__atomic_load_n(&t->pending, __ATOMIC_RELAXED) |
		 __atomic_load_n(&t->group->shared_pending,
				 __ATOMIC_RELAXED)) & allowed;
	/* Only stop signals whose action is the default: nothing else. */
	if (!ready || (ready & ~STOP_SIGNALS))
		return false;
	for (int s = 1; s <= 32; s++)
		if ((ready & sig_bit(s)) &&
		    t->sighand->action[s - 1].handler != SIG_DFL)
			return false;
	sig = signal_dequeue_mask(ready, &info);
	if (!sig)
		return false;
	signal_stop_self(sig);
	return true;
}

bool signal_pgrp_orphaned_locked(pid_t pgrp, const struct task *ignore)
{
	struct task *p;

	spin_assert_held(&proc_tree_lock);
	list_for_each_entry(p, proc_all_tasks(), all_link) {
		struct task *parent;

		if (!p->linked || p->tid != p->tgid || p == ignore ||
		    p->exited || task_pgid(p) != pgrp)
			continue;
		parent = p->parent;
		if (!parent || parent->tgid == 1)
			continue;
		if (task_pgid(parent) != pgrp &&
		    task_sid(parent) == task_sid(p))
			return false;
	}
	return true;
}

static bool pgrp_has_stopped_locked(pid_t pgrp)
{
	struct task *p;

	list_for_each_entry(p, proc_all_tasks(), all_link)
		if (p->linked && p->tid == p->tgid && !p->exited &&
		    task_pgid(p) == pgrp &&
		    __atomic_load_n(&p->group->stopped, __ATOMIC_RELAXED))
			return true;
	return false;
}

void signal_orphan_check_locked(struct task *p, struct task *dead_parent)
{
	struct task *parent = dead_parent ? dead_parent : p->parent;
	const struct task *ignore = dead_parent ? NULL : p;
	struct ksiginfo info = { .code = SI_KERNEL };
	pid_t pgrp = task_pgid(p);

	spin_assert_held(&proc_tree_lock);
	if (!parent || task_pgid(parent) == pgrp ||
	    task_sid(parent) != task_sid(p) ||
	    !signal_pgrp_orphaned_locked(pgrp, ignore) ||
	    !pgrp_has_stopped_locked(pgrp))
		return;
	signal_kill_pgrp_locked(pgrp, SIGHUP, &info);
	signal_kill_pgrp_locked(pgrp, SIGCONT, &info);
}

int signal_pgrp_session(pid_t pgrp)
{
	struct task *p;
	int sid = -ESRCH;

	spin_lock(&proc_tree_lock);
	list_for_each_entry(p, proc_all_tasks(), all_link)
		if (p->linked && p->tid == p->tgid && pgrp > 0 &&
		    task_pgid(p) == pgrp) {
			sid = task_sid(p);
			break;
		}
	spin_unlock(&proc_tree_lock);
	return sid;
}

int signal_job_control(pid_t fg_pgrp, int sig)
{
	struct task *t = current;
	struct ksiginfo info = { .code = SI_KERNEL };
	pid_t pgrp;
	int err = -ERESTARTSYS;

	spin_lock(&proc_tree_lock);
	pgrp = task_pgid(t);
	if (fg_pgrp <= 0 || pgrp == fg_pgrp)
		err = 0;
	else if ((t->sigmask & sig_bit(sig)) ||
		 t->sighand->action[sig - 1].handler == SIG_IGN)
		err = sig == SIGTTIN ? -EIO : 0;
	else if (signal_pgrp_orphaned_locked(pgrp, NULL))
		err = -EIO;
	else
		signal_kill_pgrp_locked(pgrp, sig, &info);
	spin_unlock(&proc_tree_lock);
	return err;
}
