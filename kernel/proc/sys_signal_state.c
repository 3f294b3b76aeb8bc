/*
 * Signal state: rt_sigaction and rt_sigprocmask, which read and change
 * the calling task's signal dispositions (current->sighand->action,
 * indexed by signal number - 1, shared by the tasks made with
 * CLONE_SIGHAND and changed under sighand->lock) and its blocked mask
 * (current->sigmask, bit n-1 for signal n: per thread, changed only by
 * the thread itself).
 *
 * Linux's exact validation. Setting an action to "ignore" discards that
 * signal if it is pending anywhere in the process, as Linux does.
 * Senders read the actions (signal_send.c) to decide whether a signal is
 * ignored.
 */
#include <types.h>
#include <uapi/errno.h>
#include <uapi/signal.h>
#include <mm/uaccess.h>
#include <proc/task.h>
#include <proc/signal.h>
#include <syscall/syscall.h>

/*
 * Linux clears every other flag bit (UAPI_SA_FLAGS) in both the new and
 * the reported old action, so programs can probe for flag support.
 */
#define UAPI_SA_FLAGS	(SA_NOCLDSTOP | SA_NOCLDWAIT | SA_SIGINFO |	\
			 SA_ONSTACK | SA_RESTART | SA_NODEFER |		\
			 SA_RESETHAND | SA_EXPOSE_TAGBITS | SA_RESTORER)

#define SIGSET_SIZE	8	/* sizeof(sigset_t) in the kernel ABI */

/*
 * Install *act (if any) as the action for sig, after returning the old
 * one in *oact (if any). Linux: sig must be 1..64, and SIGKILL/SIGSTOP
 * may be queried but not changed (EINVAL).
 */
static long do_sigaction(int sig, struct k_sigaction *act,
			 struct k_sigaction *oact)
{
	struct k_sigaction *k;
	struct sighand *sh;
	bool shared;

	if (sig < 1 || sig > NSIG ||
	    (act && (sig == SIGKILL || sig == SIGSTOP)))
		return -EINVAL;
	sh = current->sighand;
	k = &sh->action[sig - 1];
	/* The lock orders writers; a sighand used by this task alone has
	 * no other writer (only this task could share it, by clone), so
	 * the common single-threaded case skips it. */
	shared = __atomic_load_n(&sh->refcount, __ATOMIC_ACQUIRE) > 1;
	if (shared)
		spin_lock(&sh->lock);
	if (oact) {
		*oact = *k;
		oact->flags &= UAPI_SA_FLAGS;
	}
	if (act) {
		act->flags &= UAPI_SA_FLAGS;
		act->mask &= ~UNBLOCKABLE;
		*k = *act;
	}
	if (shared)
		spin_unlock(&sh->lock);
	if (act && signal_is_ignored(current, sig))
		signal_discard(current, sig);
	return 0;
}

SYSCALL_DEFINE4(rt_sigaction, int, sig,
		const struct k_sigaction __user *, uact,
		struct k_sigaction __user *, uoact, size_t, sigsetsize)
{
	struct k_sigaction act, oact;
	long err;

	if (sigsetsize != SIGSET_SIZE)
		return -EINVAL;
	if (uact && copy_from_user(&act, uact, sizeof(act)))
		return -EFAULT;
	err = do_sigaction(sig, uact ? &act : NULL, uoact ? &oact : NULL);
	if (err)
		return err;
	if (uoact && copy_to_user(uoact, &oact, sizeof(oact)))
		return -EFAULT;
	return 0;
}

/* Apply how to the blocked mask. SIGKILL and SIGSTOP are never blocked. */
static long set_blocked(int how, uint64_t set)
{
	uint64_t mask = current->sigmask;

	set &= ~UNBLOCKABLE;
	switch (how) {
	case SIG_BLOCK:
		mask |= set;
		break;
	case SIG_UNBLOCK:
		mask &= ~set;
		break;
	case SIG_SETMASK:
		mask = set;
		break;
	default:
		return -EINVAL;
	}
	current->sigmask = mask;
	return 0;
}

/*
 * Linux checks how only when a new set is given, and reports the mask as
 * it was on entry.
 */
SYSCALL_DEFINE4(rt_sigprocmask, int, how, const uint64_t __user *, uset,
		uint64_t __user *, uoset, size_t, sigsetsize)
{
	uint64_t old = current->sigmask, set;
	long err;

	if (sigsetsize != SIGSET_SIZE)
		return -EINVAL;
	if (uset) {
		if (copy_from_user(&set, uset, sizeof(set)))
			return -EFAULT;
		err = set_blocked(how, set);
		if (err)
			return err;
	}
	if (uoset && copy_to_user(uoset, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}
