/*
 * prctl(2): the per-process switches Basalt has, with Linux's checks and
 * errors. Every option not listed fails with EINVAL, as Linux answers an
 * option it does not know: a program probing for a feature learns that
 * it is absent instead of believing it was set.
 *
 *   PR_SET/GET_NAME            the thread's comm (16 bytes with the NUL)
 *   PR_SET/GET_PDEATHSIG       a signal sent when the parent thread exits
 *   PR_SET/GET_DUMPABLE        whether a core dump is written (0 or 1)
 *   PR_SET/GET_CHILD_SUBREAPER orphaned descendants come to this process
 *   PR_SET/GET_NO_NEW_PRIVS    execve never grants set-user-ID rights
 *   PR_SET/GET_TIMERSLACK      recorded and reported (the scheduler has
 *                              no slack to apply: timers fire on time)
 *
 * The life-cycle hooks that honour them (fork, exit, credential changes)
 * are here too, so one file tells the whole story (proc/prctl.h).
 */
#include <proc/prctl.h>
#include <proc/task.h>
#include <proc/signal.h>
#include "internal.h"
#include <lib/list.h>
#include <lib/string.h>
#include <mm/uaccess.h>
#include <syscall/syscall.h>
#include <uapi/errno.h>
#include <uapi/prctl.h>

int task_dumpable(const struct task *t)
{
	return __atomic_load_n(&t->group->dumpable, __ATOMIC_RELAXED);
}

void task_set_dumpable(struct task *t, int dumpable)
{
	__atomic_store_n(&t->group->dumpable, dumpable, __ATOMIC_RELAXED);
}

void task_proc_owner(pid_t pid, uid_t *uid, gid_t *gid)
{
	struct task *t;

	*uid = 0;
	*gid = 0;
	spin_lock(&proc_tree_lock);
	t = task_find(pid);
	if (t && t->mm && task_dumpable(t)) {
		*uid = t->cred.euid;
		*gid = t->cred.egid;
	}
	spin_unlock(&proc_tree_lock);
}

void prctl_fork(struct task *child)
{
	struct task *p = current;

	child->no_new_privs = p->no_new_privs;
	child->timer_slack_ns = p->timer_slack_ns;
	/* Linux: the child's default slack is the parent's current one. */
	child->default_timer_slack_ns = p->timer_slack_ns;
	child->pdeath_signal = 0;
	if (child->group != p->group)
		child->group->dumpable = task_dumpable(p);
}

void prctl_creds_changed(void)
{
	task_set_dumpable(current, 0);
	current->pdeath_signal = 0;
}

/* A live process: not exiting and with a thread left. proc_tree_lock. */
static bool process_alive(const struct task *leader)
{
	return !leader->group->exiting && leader->group->nr_live > 0;
}

struct task *task_find_reaper(struct task *leader)
{
	struct task *a;

	spin_assert_held(&proc_tree_lock);
	for (a = leader->parent; a && a->tgid != 1; a = a->parent)
		if (a->group->child_subreaper && process_alive(a))
			return a;
	return task_find(1);
}

/* Another live thread of t's process, or NULL. proc_tree_lock held. */
static struct task *other_live_thread(struct task *t)
{
	struct task *o;

	spin_assert_held(&proc_tree_lock);
	list_for_each_entry(o, &t->group->threads, thread_link)
		if (o != t)
			return o;
	return NULL;
}

void prctl_thread_exit(struct task *t)
{
	struct ksiginfo info = { .code = SI_USER, .pid = t->tgid,
				 .uid = t->cred.uid };
	struct task *heir = NULL, *c;

	spin_assert_held(&proc_tree_lock);
	list_for_each_entry(c, proc_all_tasks(), all_link) {
		if (c->pdeath_parent != t)
			continue;
		if (!heir)
			heir = other_live_thread(t);
		if (!heir)
			heir = task_find_reaper(t->group->leader);
		c->pdeath_parent = heir;
		if (c->pdeath_signal && !c->exited)
			signal_send_locked(c, c->pdeath_signal, &info);
	}
}

/* Up to 15 bytes, byte by byte: Linux reads no further than that, so a
 * name at the very end of the mapped memory is fine. */
static long prctl_set_name(const char __user *uname)
{
	char name[TASK_COMM_LEN] = { 0 };

	for (size_t i = 0; i < sizeof(name) - 1; i++) {
		if (get_user(name[i], uname + i))
			return -EFAULT;
		if (!name[i])
			break;
	}
	memcpy(current->comm, name, sizeof(name));
	return 0;
}

static long prctl_get_name(char __user *uname)
{
	char name[TASK_COMM_LEN];

	memcpy(name, current->comm, sizeof(name));
	name[sizeof(name) - 1] = '\0';
	return copy_to_user(uname, name, sizeof(name)) ? -EFAULT : 0;
}

static long prctl_set_subreaper(unsigned long on)
{
	spin_lock(&proc_tree_lock);
	current->group->child_subreaper = on != 0;
	spin_unlock(&proc_tree_lock);
	return 0;
}

static long prctl_timerslack(bool set, unsigned long ns)
{
	struct task *t = current;

	if (!set)
		return (long)t->timer_slack_ns;
	t->timer_slack_ns = ns ? ns : t->default_timer_slack_ns;
	return 0;
}

static long prctl_no_new_privs(bool set, unsigned long a2, unsigned long a3,
			       unsigned long a4, unsigned long a5)
{
	if (!set)
		return a2 || a3 || a4 || a5 ? -EINVAL : current->no_new_privs;
	if (a2 != 1 || a3 || a4 || a5)
		return -EINVAL;
	current->no_new_privs = true;	/* it can never be unset */
	return 0;
}

SYSCALL_DEFINE5(prctl, int, option, unsigned long, a2, unsigned long, a3,
		unsigned long, a4, unsigned long, a5)
{
	switch (option) {
	case PR_SET_PDEATHSIG:
		if (a2 > NSIG)
			return -EINVAL;
		current->pdeath_signal = (int)a2;
		return 0;
	case PR_GET_PDEATHSIG:
		return put_user(current->pdeath_signal, (int __user *)a2) ?
		       -EFAULT : 0;
	case PR_GET_DUMPABLE:
		return task_dumpable(current);
	case PR_SET_DUMPABLE:
		if (a2 > 1)		/* 2 (suid-safe) is not for prctl */
			return -EINVAL;
		task_set_dumpable(current, (int)a2);
		return 0;
	case PR_SET_NAME:
		return prctl_set_name((const char __user *)a2);
	case PR_GET_NAME:
		return prctl_get_name((char __user *)a2);
	case PR_SET_TIMERSLACK:
	case PR_GET_TIMERSLACK:
		return prctl_timerslack(option == PR_SET_TIMERSLACK, a2);
	case PR_SET_CHILD_SUBREAPER:
		return prctl_set_subreaper(a2);
	case PR_GET_CHILD_SUBREAPER:
		return put_user((int)current->group->child_subreaper,
				(int __user *)a2) ? -EFAULT : 0;
	case PR_SET_NO_NEW_PRIVS:
	case PR_GET_NO_NEW_PRIVS:
		return prctl_no_new_privs(option == PR_SET_NO_NEW_PRIVS,
					  a2, a3, a4, a5);
	default:
		return -EINVAL;
	}
}
