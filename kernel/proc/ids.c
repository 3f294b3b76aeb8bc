/*
 * Process identity calls: pids, the parent, process groups and sessions.
 * All but gettid are about the process (the thread group): its pid is
 * the leader's tid, its parent the leader's parent, and its process group
 * and session live in the group.
 */
#include <proc/task.h>
#include "internal.h"
#include <lib/printk.h>
#include <syscall/syscall.h>
#include <uapi/errno.h>

SYSCALL_DEFINE0(getpid)
{
	return current->tgid;
}

SYSCALL_DEFINE0(gettid)
{
	return current->tid;
}

/* Without proc_tree_lock: the group keeps its parent's tgid (Linux reads
 * real_parent->tgid under RCU alone). */
SYSCALL_DEFINE0(getppid)
{
	return __atomic_load_n(&current->group->ppid, __ATOMIC_RELAXED);
}

SYSCALL_DEFINE0(getpgrp)
{
	return task_pgid(current);
}

SYSCALL_DEFINE1(getpgid, pid_t, pid)
{
	long ret = -ESRCH;

	spin_lock(&proc_tree_lock);
	struct task *t = pid ? task_find(pid) : current;
	if (t)
		ret = task_pgid(t);
	spin_unlock(&proc_tree_lock);
	return ret;
}

SYSCALL_DEFINE1(getsid, pid_t, pid)
{
	long ret = -ESRCH;

	spin_lock(&proc_tree_lock);
	struct task *t = pid ? task_find(pid) : current;
	if (t)
		ret = task_sid(t);
	spin_unlock(&proc_tree_lock);
	return ret;
}

/* Whether some process of session sid is in process group pgid. */
static bool pgrp_in_session(pid_t pgid, pid_t sid)
{
	struct task *t;

	spin_assert_held(&proc_tree_lock);
	list_for_each_entry(t, proc_all_tasks(), all_link)
		if (t->linked && task_pgid(t) == pgid && task_sid(t) == sid)
			return true;
	return false;
}

/*
 * May the caller move process t (the caller itself or one of its
 * children) to process group pgid? Linux's checks, in its order: t must
 * be a process (a thread's id is -EINVAL), our child (-ESRCH) in our
 * session (-EPERM) that has not called execve (-EACCES), not a session
 * leader (-EPERM), and the group must be t's own new one or one that
 * exists in our session (-EPERM). proc_tree_lock held.
 */
static int setpgid_check(struct task *t, pid_t pgid)
{
	struct task *self = current;

	spin_assert_held(&proc_tree_lock);
	if (!t)
		return -ESRCH;
	if (t->tid != t->tgid)
		return -EINVAL;
	if (t->group != self->group) {
		if (task_parent(t) != self->group->leader)
			return -ESRCH;
		if (task_sid(t) != task_sid(self))
			return -EPERM;
		if (t->group->did_exec)
			return -EACCES;
	}
	if (t->tgid == task_sid(t))
		return -EPERM;
	if (pgid != t->tgid && !pgrp_in_session(pgid, task_sid(self)))
		return -EPERM;
	return 0;
}

/* Join a process group of the caller's session, or make one. */
SYSCALL_DEFINE2(setpgid, pid_t, pid, pid_t, pgid)
{
	struct task *t;
	long ret;

	if (!pid)
		pid = current->tgid;
	if (!pgid)
		pgid = pid;
	if (pgid < 0)
		return -EINVAL;
	spin_lock(&proc_tree_lock);
	t = task_find(pid);
	ret = setpgid_check(t, pgid);
	if (!ret)
		__atomic_store_n(&t->group->pgid, pgid, __ATOMIC_RELAXED);
	spin_unlock(&proc_tree_lock);
	return ret;
}

SYSCALL_DEFINE0(setsid)
{
	struct task *self = current, *t;
	long ret;

	spin_lock(&proc_tree_lock);
	/* Fails if we already lead a process group. */
	ret = -EPERM;
	if (task_pgid(self) == self->tgid)
		goto out;
	list_for_each_entry(t, proc_all_tasks(), all_link)
		if (t->linked && task_pgid(t) == self->tgid)
			goto out;
	__atomic_store_n(&self->group->sid, self->tgid, __ATOMIC_RELAXED);
	__atomic_store_n(&self->group->pgid, self->tgid, __ATOMIC_RELAXED);
	ret = self->tgid;
out:
	spin_unlock(&proc_tree_lock);
	return ret;
}
