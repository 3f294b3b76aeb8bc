/*
 * rt_sigtimedwait (sigwait, sigwaitinfo, sigtimedwait): take a pending
 * signal of a given set synchronously, instead of running its handler.
 *
 * As Linux's do_sigtimedwait: a signal of the set already pending (the
 * thread's own first, then the process's) is taken at once; otherwise the
 * thread sleeps with the set unblocked for the duration, so that a sender
 * sees a thread that will take the signal and wakes it, then takes what
 * came. A zero timeout only polls (EAGAIN); a timeout that passes is
 * EAGAIN; another signal that interrupts the wait is EINTR, never a
 * restart. SIGKILL and SIGSTOP cannot be waited for.
 */
#include <proc/signal.h>
#include <proc/task.h>
#include <proc/sched.h>
#include <lib/string.h>
#include <mm/uaccess.h>
#include <syscall/syscall.h>
#include <uapi/errno.h>
#include <uapi/signal.h>
#include <uapi/time.h>

#define NSEC_PER_SEC	1000000000ULL

/* Sleep until a signal (of the set, now unblocked, or another) or the
 * deadline (0: none); -ETIMEDOUT when it passed. */
static int sigwait_sleep(uint64_t set, uint64_t deadline)
{
	struct task *t = current;
	uint64_t blocked = t->sigmask;
	struct waitq wq;
	int err;

	waitq_init(&wq, "sigtimedwait");
	/* Senders still see the signals as blocked (Linux's real_blocked),
	 * so one whose default is to be ignored (SIGCHLD) is not dropped. */
	__atomic_store_n(&t->real_blocked, blocked, __ATOMIC_RELAXED);
	t->sigmask = blocked & ~set;
	spin_lock(&wq.lock);
	err = deadline ? waitq_sleep_deadline(&wq, deadline)
		       : waitq_sleep(&wq);
	spin_unlock(&wq.lock);
	t->sigmask = blocked;
	__atomic_store_n(&t->real_blocked, 0, __ATOMIC_RELAXED);
	return err;
}

static long do_sigtimedwait(uint64_t set, struct ksiginfo *info,
			    const struct timespec *ts)
{
	uint64_t deadline = 0;
	int sig, err;

	set &= ~UNBLOCKABLE;
	sig = signal_dequeue_set(set, info);
	if (sig)
		return sig;
	if (ts) {
		if (ts->tv_sec == 0 && ts->tv_nsec == 0)
			return -EAGAIN;
		deadline = clock_monotonic_ns() +
			   (uint64_t)ts->tv_sec * NSEC_PER_SEC +
			   (uint64_t)ts->tv_nsec;
	}
	err = sigwait_sleep(set, deadline);
	sig = signal_dequeue_set(set, info);
	if (sig)
		return sig;
	return err == -ETIMEDOUT ? -EAGAIN : -EINTR;
}

SYSCALL_DEFINE4(rt_sigtimedwait, const uint64_t __user *, uset,
		struct siginfo __user *, uinfo,
		const struct timespec __user *, uts, size_t, sigsetsize)
{
	struct ksiginfo info;
	struct timespec ts;
	uint64_t set;
	long sig;

	if (sigsetsize != sizeof(set))
		return -EINVAL;
	if (copy_from_user(&set, uset, sizeof(set)))
		return -EFAULT;
	if (uts) {
		if (copy_from_user(&ts, uts, sizeof(ts)))
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 ||
		    (uint64_t)ts.tv_nsec >= NSEC_PER_SEC)
			return -EINVAL;
		if ((uint64_t)ts.tv_sec > (UINT64_MAX >> 2) / NSEC_PER_SEC)
			uts = NULL;	/* practically forever */
	}
	sig = do_sigtimedwait(set, &info, uts ? &ts : NULL);
	if (sig > 0 && uinfo) {
		struct siginfo si;

		memset(&si, 0, sizeof(si));
		signal_fill_siginfo(&si, (int)sig, &info);
		if (copy_to_user(uinfo, &si, sizeof(si)))
			return -EFAULT;
	}
	return sig;
}
