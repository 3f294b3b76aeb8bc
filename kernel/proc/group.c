/*
 * Thread groups and shared signal handlers: the objects clone shares with
 * CLONE_THREAD and CLONE_SIGHAND, their lifetimes, and killing a group.
 *
 * A thread group is a process. Its leader is the task whose tid is the
 * group's pid (tgid); the leader's task stays until the parent reaps the
 * process, even when the leader thread exits first, because the pid, the
 * parent link and the children hang off it. Other threads reap
 * themselves when they exit (their parent never sees them).
 *
 * Every member holds one reference to its group and one to its sighand;
 * the last member to be freed frees them.
 */
#include <proc/task.h>
#include <proc/sched.h>
#include "internal.h"
#include <lib/printk.h>
#include <lib/string.h>
#include <mm/kmalloc.h>
#include <uapi/signal.h>

struct sighand *sighand_alloc(const struct sighand *copy)
{
	struct sighand *sh = kzalloc(sizeof(*sh));

	if (!sh)
		return NULL;
	sh->refcount = 1;
	spin_init(&sh->lock, "sighand");
	if (copy)
		memcpy(sh->action, copy->action, sizeof(sh->action));
	return sh;
}

void sighand_get(struct sighand *sh)
{
	__atomic_add_fetch(&sh->refcount, 1, __ATOMIC_RELAXED);
}

void sighand_put(struct sighand *sh)
{
	if (sh && __atomic_sub_fetch(&sh->refcount, 1, __ATOMIC_ACQ_REL) == 0)
		kfree(sh);
}

struct thread_group *group_alloc(struct task *leader, pid_t pgid, pid_t sid)
{
	struct thread_group *g = kzalloc(sizeof(*g));

	if (!g)
		return NULL;
	g->refcount = 1;
	spin_init(&g->siglock, "siglock");
	list_init(&g->threads);
	waitq_init(&g->exec_wait, "exec_wait");
	waitq_init(&g->stop_wait, "stop_wait");
	waitq_init(&g->signalfd_wait, "signalfd_wait");
	g->leader = leader;
	g->pgid = pgid;
	g->sid = sid;
	g->dumpable = 1;	/* fork copies the parent's (prctl_fork) */
	waitq_init(&g->core_wait, "core_wait");
	proc_timers_init(&g->timers, g);
	return g;
}

void group_get(struct thread_group *g)
{
	__atomic_add_fetch(&g->refcount, 1, __ATOMIC_RELAXED);
}

void group_put(struct thread_group *g)
{
	if (g && __atomic_sub_fetch(&g->refcount, 1, __ATOMIC_ACQ_REL) == 0) {
		sigqueue_flush(&g->shared_rtq, ~0ULL);	/* nobody took them */
		kfree(g);
	}
}

/* Add a live member (a new task, before it first runs). proc_tree_lock. */
void group_add_thread(struct thread_group *g, struct task *t)
{
	spin_assert_held(&proc_tree_lock);
	t->group = g;
	t->linked = true;
	list_add_tail(&t->thread_link, &g->threads);
	g->nr_live++;
	/* A thread made while its process is stopping stops too (Linux's
	 * task_join_group_stop). */
	spin_lock(&g->siglock);
	if (g->stop_active && !g->stopped) {
		t->jobctl_stop = true;
		g->stop_count++;
	}
	spin_unlock(&g->siglock);
}

struct task *task_parent(const struct task *t)
{
	spin_assert_held(&proc_tree_lock);
	return t->group->leader->parent;
}

/* Make t act on SIGKILL at once: pending and awake. proc_tree_lock. */
static void kill_thread(struct task *t)
{
	struct ksiginfo info = { .code = SI_KERNEL };

	spin_lock(&t->group->siglock);
	if (!(t->pending & sig_bit(SIGKILL))) {
		t->siginfo[SIGKILL - 1] = info;
		__atomic_or_fetch(&t->pending, sig_bit(SIGKILL),
				  __ATOMIC_RELAXED);
	}
	spin_lock(&sched_lock);
	if (t->state == TASK_SLEEPING && (t->interruptible || t->killable))
		sched_wake_locked(t);
	else
		sched_kick_locked(t);
	spin_unlock(&sched_lock);
	spin_unlock(&t->group->siglock);
}

void group_kill_others(struct task *self)
{
	struct task *t;

	spin_assert_held(&proc_tree_lock);
	list_for_each_entry(t, &self->group->threads, thread_link)
		if (t != self)
			kill_thread(t);
}

bool group_start_exit(struct task *self, int status)
{
	struct thread_group *g = self->group;
	bool first;

	spin_lock(&proc_tree_lock);
	/* Killed by a thread in execve: only this thread goes. */
	first = !g->exiting && !(g->exec_task && g->exec_task != self);
	if (first) {
		g->exiting = true;
		g->exit_code = status;
		group_kill_others(self);
	}
	spin_unlock(&proc_tree_lock);
	return first;
}
