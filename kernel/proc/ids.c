/*
 * Process identity calls: pids, the parent, process groups and sessions.
 * All but gettid are about the process (the thread group): its pid is
 * the leader's tid, its parent the leader's parent, and its process group
 * and session live in the group.
 */
#include <proc/task.h>
#include "internal.h"
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

SYSCALL_DEFINE0(getppid)
{
	pid_t ppid;

	spin_lock(&proc_tree_lock);
	struct task *parent = task_parent(current);

	ppid = parent ? parent->tgid : 0;
	spin_unlock(&proc_tree_lock);
	return ppid;
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

/* Join or create a process group within the caller's session. */
SYSCALL_DEFINE2(setpgid, pid_t, pid, pid_t, pgid)
{
	struct task *self = current;
	long ret = 0;

	if (pgid < 0)
		return -EINVAL;
	spin_lock(&proc_tree_lock);
	struct task *t = pid ? task_find(pid) : self;
	if (!t || (t->group != self->group &&
		   task_parent(t) != self->group->leader)) {
		ret = -ESRCH;
		goto out;
	}
	if (task_sid(t) != task_sid(self)) {
		ret = -EPERM;
		goto out;
	}
	if (t->tgid == task_sid(t)) {	/* a session leader cannot move */
		ret = -EPERM;
		goto out;
	}
	if (!pgid)
		pgid = t->tgid;
	__atomic_store_n(&t->group->pgid, pgid, __ATOMIC_RELAXED);
out:
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
		if (task_pgid(t) == self->tgid)
			goto out;
	__atomic_store_n(&self->group->sid, self->tgid, __ATOMIC_RELAXED);
	__atomic_store_n(&self->group->pgid, self->tgid, __ATOMIC_RELAXED);
	ret = self->tgid;
out:
	spin_unlock(&proc_tree_lock);
	return ret;
}
