/*
 * Resource limits: getrlimit, setrlimit and prlimit64 on current->rlimits,
 * and the limits the first process starts with.
 *
 * Each task holds its own copy of the sixteen limits (Linux keeps one
 * copy per thread group), so that the hot paths read them without a
 * lock; fork and clone copy them. A change is written to every thread
 * of the process under proc_tree_lock, which keeps the copies equal;
 * readers may see a limit change a moment late, as they may in Linux.
 * prlimit64 reaches any process that passes Linux's permission check.
 *
 * This file stores and reports limits; rlimit_enforce.c and the
 * subsystems that own a resource enforce them (docs/processes.md).
 */
#include <types.h>
#include <uapi/errno.h>
#include <uapi/resource.h>
#include <fs/fs.h>
#include <mm/page.h>
#include <mm/uaccess.h>
#include <proc/rlimit.h>
#include <proc/task.h>
#include <syscall/syscall.h>

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
 * Linux's do_prlimit() on t's process: read the old value and/or install
 * a new one in every thread's copy. Raising the hard limit needs
 * CAP_SYS_RESOURCE (euid 0 here); no one may raise RLIMIT_NOFILE past
 * fs.nr_open. Caller holds proc_tree_lock (t stays).
 */
static long do_prlimit(struct task *t, unsigned int resource,
		       const struct rlimit *new, struct rlimit *old)
{
	uint64_t *lim;
	struct task *m;

	spin_assert_held(&proc_tree_lock);
	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	if (new) {
		if (new->rlim_cur > new->rlim_max)
			return -EINVAL;
		if (resource == RLIMIT_NOFILE &&
		    new->rlim_max > (uint64_t)files_nr_open())
			return -EPERM;
	}
	if (!t->group->nr_live)
		return -ESRCH;		/* the process has ended */
	lim = t->rlimits[resource];
	if (new && new->rlim_max > lim[1] && current->cred.euid != 0)
		return -EPERM;
	if (old)
		*old = (struct rlimit){ lim[0], lim[1] };
	if (!new)
		return 0;
	list_for_each_entry(m, &t->group->threads, thread_link) {
		m->rlimits[resource][0] = new->rlim_cur;
		m->rlimits[resource][1] = new->rlim_max;
	}
	lim[0] = new->rlim_cur;		/* t itself, even if it is leaving */
	lim[1] = new->rlim_max;
	return 0;
}

static long prlimit_locked(struct task *t, unsigned int resource,
			   const struct rlimit *new, struct rlimit *old)
{
	long err;

	spin_lock(&proc_tree_lock);
	err = do_prlimit(t, resource, new, old);
	spin_unlock(&proc_tree_lock);
	return err;
}

SYSCALL_DEFINE2(getrlimit, unsigned int, resource,
		struct rlimit __user *, urlim)
{
	struct rlimit old;
	long err = prlimit_locked(current, resource, NULL, &old);

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
	return prlimit_locked(current, resource, &new, NULL);
}

/*
 * Linux's check_prlimit_permission: one's own thread, or a process whose
 * real, effective and saved uids all are the caller's real uid and whose
 * gids all are its real gid, or CAP_SYS_RESOURCE (euid 0).
 */
static int prlimit_permission(const struct task *t)
{
	const struct cred *c = &current->cred, *tc = &t->cred;

	if (t == current || c->euid == 0)
		return 0;
	if (c->uid == tc->euid && c->uid == tc->suid && c->uid == tc->uid &&
	    c->gid == tc->egid && c->gid == tc->sgid && c->gid == tc->gid)
		return 0;
	return -EPERM;
}

SYSCALL_DEFINE4(prlimit64, pid_t, pid, unsigned int, resource,
		const struct rlimit64 __user *, unew,
		struct rlimit64 __user *, uold)
{
	struct rlimit new, old;
	struct task *t;
	long err;

	if (unew && copy_from_user(&new, unew, sizeof(new)))
		return -EFAULT;
	spin_lock(&proc_tree_lock);
	t = pid ? task_find(pid) : current;
	err = !t ? -ESRCH : prlimit_permission(t);
	if (!err)
		err = do_prlimit(t, resource, unew ? &new : NULL,
				 uold ? &old : NULL);
	spin_unlock(&proc_tree_lock);
	if (err)
		return err;
	if (uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}
