/*
 * sched_getaffinity and sched_setaffinity with Linux's size rules, on a
 * machine of one CPU. The kernel's CPU mask is one unsigned long (Linux's
 * cpumask_size() for fewer than 64 CPUs), and every task's allowed set is
 * {0}, the only CPU there is. Setting a mask that holds CPU 0 therefore
 * does all Linux would do (the task runs on the CPUs of the mask that
 * exist: CPU 0), so nothing is stored; a mask without CPU 0 names no CPU
 * that exists, and fails with EINVAL as Linux's does.
 */
#include <proc/task.h>
#include "internal.h"
#include <lib/string.h>
#include <mm/uaccess.h>
#include <syscall/syscall.h>
#include <uapi/errno.h>

#define NR_CPUS		1
#define CPUMASK_SIZE	sizeof(unsigned long)

/*
 * Look pid up (0: the caller) and, for a change, check the caller may
 * change it: Linux's check_same_owner, or root for CAP_SYS_NICE.
 */
static int affinity_target(pid_t pid, bool change)
{
	const struct cred *me = &current->cred;
	struct task *t;
	int err = 0;

	if (pid < 0)
		return -ESRCH;
	spin_lock(&proc_tree_lock);
	t = pid ? task_find(pid) : current;
	if (!t)
		err = -ESRCH;
	else if (change && me->euid != 0 && me->euid != t->cred.euid &&
		 me->euid != t->cred.uid)
		err = -EPERM;
	spin_unlock(&proc_tree_lock);
	return err;
}

SYSCALL_DEFINE3(sched_getaffinity, pid_t, pid, unsigned int, len,
		unsigned long __user *, umask)
{
	unsigned long mask = 1;		/* CPU 0 */
	unsigned int retlen;
	int err;

	/* Linux: room for every CPU id, in whole longs. */
	if ((uint64_t)len * 8 < NR_CPUS || (len & (sizeof(long) - 1)))
		return -EINVAL;
	err = affinity_target(pid, false);
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
	int err;

	/* Linux's get_user_cpu_mask: a short mask is zero-extended, a long
	 * one cut to the kernel's size; read before the task is looked up. */
	if (copy_from_user(&mask, umask, MIN(len, (unsigned int)CPUMASK_SIZE)))
		return -EFAULT;
	err = affinity_target(pid, true);
	if (err)
		return err;
	if (!(mask & 1))
		return -EINVAL;		/* no CPU of the mask exists */
	return 0;
}
