/*
 * Resource limits: getrlimit, setrlimit and prlimit64 on current->rlimits,
 * and the limits the first process starts with.
 *
 * Each task holds its own copy of the sixteen limits (Linux keeps one
 * copy per thread group); fork and clone copy them. Only the task itself
 * changes its limits, so no lock is needed. prlimit64 reaches only the
 * caller (pid 0, its tid or its tgid) and answers -ESRCH for any other
 * pid: Linux would operate on that process after a permission check.
 *
 * This file stores and reports limits; the subsystems that own a resource
 * enforce its limit (RLIMIT_NOFILE in the file table, RLIMIT_STACK in
 * execve, ...).
 */
#include <types.h>
#include <uapi/errno.h>
#include <uapi/resource.h>
#include <mm/page.h>
#include <mm/uaccess.h>
#include <proc/rlimit.h>
#include <proc/task.h>
#include <syscall/syscall.h>

#define NR_OPEN_MAX	(1024 * 1024)	/* Linux's default fs.nr_open */
#define STACK_LIMIT	(8UL << 20)	/* _STK_LIM */
#define MLOCK_LIMIT	(8UL << 20)
#define MQ_BYTES_MAX	819200UL

/*
 * Linux's fork_init(): init may use half of kernel.threads-max (its
 * RLIMIT_NPROC and RLIMIT_SIGPENDING).
 */
static uint64_t default_nproc(void)
{
	return (uint64_t)task_default_max_threads() / 2;
}

void rlimit_init_defaults(uint64_t rl[RLIM_NLIMITS][2])
{
	uint64_t nproc = default_nproc();

	for (int i = 0; i < RLIM_NLIMITS; i++)
		rl[i][0] = rl[i][1] = RLIM_INFINITY;	/* Linux's INIT_RLIMITS */
	rl[RLIMIT_STACK][0] = STACK_LIMIT;
	rl[RLIMIT_CORE][0] = 0;
	rl[RLIMIT_NPROC][0] = rl[RLIMIT_NPROC][1] = nproc;
	rl[RLIMIT_NOFILE][0] = 1024;			/* INR_OPEN_CUR */
	rl[RLIMIT_NOFILE][1] = 4096;			/* INR_OPEN_MAX */
	rl[RLIMIT_MEMLOCK][0] = rl[RLIMIT_MEMLOCK][1] = MLOCK_LIMIT;
	rl[RLIMIT_SIGPENDING][0] = rl[RLIMIT_SIGPENDING][1] = nproc;
	rl[RLIMIT_MSGQUEUE][0] = rl[RLIMIT_MSGQUEUE][1] = MQ_BYTES_MAX;
	rl[RLIMIT_NICE][0] = rl[RLIMIT_NICE][1] = 0;
	rl[RLIMIT_RTPRIO][0] = rl[RLIMIT_RTPRIO][1] = 0;
}

/*
 * Linux's do_prlimit() on the current task: read the old value and/or
 * install a new one. Raising the hard limit needs CAP_SYS_RESOURCE
 * (euid 0 here); no one may raise RLIMIT_NOFILE past fs.nr_open.
 */
static long do_prlimit(unsigned int resource, const struct rlimit *new,
		       struct rlimit *old)
{
	uint64_t *lim;

	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	if (new) {
		if (new->rlim_cur > new->rlim_max)
			return -EINVAL;
		if (resource == RLIMIT_NOFILE && new->rlim_max > NR_OPEN_MAX)
			return -EPERM;
	}
	lim = current->rlimits[resource];
	if (new && new->rlim_max > lim[1] && current->cred.euid != 0)
		return -EPERM;
	if (old)
		*old = (struct rlimit){ lim[0], lim[1] };
	if (new) {
		lim[0] = new->rlim_cur;
		lim[1] = new->rlim_max;
	}
	return 0;
}

SYSCALL_DEFINE2(getrlimit, unsigned int, resource,
		struct rlimit __user *, urlim)
{
	struct rlimit old;
	long err = do_prlimit(resource, NULL, &old);

	if (err)
		return err;
	return copy_to_user(urlim, &old, sizeof(old)) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(setrlimit, unsigned int, resource,
		const struct rlimit __user *, urlim)
{
	struct rlimit new;

	if (copy_from_user(&new, urlim, sizeof(new)))
		return -EFAULT;
	return do_prlimit(resource, &new, NULL);
}

SYSCALL_DEFINE4(prlimit64, pid_t, pid, unsigned int, resource,
		const struct rlimit64 __user *, unew,
		struct rlimit64 __user *, uold)
{
	struct rlimit new, old;
	long err;

	if (unew && copy_from_user(&new, unew, sizeof(new)))
		return -EFAULT;
	if (pid != 0 && pid != current->tid && pid != current->tgid)
		return -ESRCH;
	err = do_prlimit(resource, unew ? &new : NULL, uold ? &old : NULL);
	if (err)
		return err;
	if (uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}
