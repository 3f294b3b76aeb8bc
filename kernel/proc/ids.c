/* Process identity calls: pids, the parent, process groups and sessions. */
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
	ppid = current->parent ? current->parent->tgid : 0;
	spin_unlock(&proc_tree_lock);
	return ppid;
}

SYSCALL_DEFINE0(getpgrp)
{
	return current->pgid;
}

SYSCALL_DEFINE1(getpgid, pid_t, pid)
{
	long ret = -ESRCH;

	spin_lock(&proc_tree_lock);
	struct task *t = pid ? task_find(pid) : current;
	if (t)
		ret = t->pgid;
	spin_unlock(&proc_tree_lock);
	return ret;
}

SYSCALL_DEFINE1(getsid, pid_t, pid)
{
	long ret = -ESRCH;

	spin_lock(&proc_tree_lock);
	struct task *t = pid ? task_find(pid) : current;
	if (t)
		ret = t->sid;
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
	if (!t || (t != self && t->parent != self)) {
		ret = -ESRCH;
		goto out;
	}
	if (t->sid != self->sid) {
		ret = -EPERM;
		goto out;
	}
	if (t->tgid == t->sid) {	/* a session leader cannot move */
		ret = -EPERM;
		goto out;
	}
	if (!pgid)
		pgid = t->tgid;
	t->pgid = pgid;
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
	if (self->pgid == self->tgid)
		goto out;
	list_for_each_entry(t, proc_all_tasks(), all_link)
		if (t->pgid == self->tgid)
			goto out;
	self->sid = self->pgid = self->tgid;
	ret = self->sid;
out:
	spin_unlock(&proc_tree_lock);
	return ret;
}
