/*
 * sched_getaffinity and sched_setaffinity with Linux's size rules. The
 * kernel's CPU mask is one unsigned long (Linux's cpumask_size() for
 * fewer than 64 CPUs); the bits beyond the CPUs online are dropped, and
 * a mask naming no CPU online fails with EINVAL, as Linux's does. The
 * scheduler keeps the set and moves the task (sched_set_allowed).
 */
#include <proc/task.h>
#include <proc/sched.h>
#include <arch/smp.h>
#include "internal.h"
#include <lib/string.h>
#include <mm/uaccess.h>
#include <syscall/syscall.h>
#include <uapi/errno.h>

#define CPUMASK_SIZE	sizeof(unsigned long)

/*
 * Look pid up (0: the caller) under proc_tree_lock, which the caller
 * holds, and for a change check the caller may change it: Linux's
 * check_same_owner, or root for CAP_SYS_NICE.
 */
static int affinity_target(pid_t pid, bool change, struct task **out)
{
	const struct cred *me = &current->cred;
	struct task *t;

	spin_assert_held(&proc_tree_lock);
	if (pid < 0)
		return -ESRCH;
	t = pid ? task_find(pid) : current;
	if (!t)
		return -ESRCH;
	if (change && me->euid != 0 && me->euid != t->cred.euid &&
	    me->euid != t->cred.uid)
		return -EPERM;
	*out = t;
	return 0;
}

SYSCALL_DEFINE3(sched_getaffinity, pid_t, pid, unsigned int, len,
		unsigned long __user *, umask)
{
	unsigned long mask = 0;
	unsigned int retlen;
	struct task *t;
	int err;

	/* Linux: room for every CPU id, in whole longs. */
	if ((uint64_t)len * 8 < nr_cpus || (len & (sizeof(long) - 1)))
		return -EINVAL;
	spin_lock(&proc_tree_lock);
	err = affinity_target(pid, false, &t);
	if (!err)
		mask = sched_get_allowed(t);
	spin_unlock(&proc_tree_lock);
	if (err)
		return err;
	retlen = MIN(len, (unsigned int)CPUMASK_SIZE);
	if (copy_to_user(umask, &mask, retlen))
		return -EFAULT;
	return retlen;
}

SYSCALL_DEFINE3(sched_setaffinity, pid_t, pid, unsigned int, len,
		const unsigned long __user *, umask)
{
	unsigned long mask = 0;
	struct task *t;
	int err;

	/* Linux's get_user_cpu_mask: a short mask is zero-extended, a long
	 * one cut to the kernel's size; read before the task is looked up. */
	if (copy_from_user(&mask, umask, MIN(len, (unsigned int)CPUMASK_SIZE)))
		return -EFAULT;
	spin_lock(&proc_tree_lock);
	err = affinity_target(pid, true, &t);
	if (!err && !(mask & cpu_online_mask()))
		err = -EINVAL;		/* no CPU of the mask is online */
	if (!err)
		sched_set_allowed(t, mask);
	spin_unlock(&proc_tree_lock);
	if (!err)
		sched_leave_forbidden_cpu();
	return err;
}
