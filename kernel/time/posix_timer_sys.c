/*
 * The POSIX timer system calls: timer_create, timer_settime,
 * timer_gettime, timer_getoverrun and timer_delete (Linux's
 * kernel/time/posix-timers.c). They check and copy their arguments and
 * work on the timers of posix_timer.c under the process's timer lock.
 */
#include <proc/task.h>
#include <proc/signal.h>
#include <arch/cpu.h>
#include <mm/kmalloc.h>
#include <mm/uaccess.h>
#include <syscall/syscall.h>
#include <uapi/errno.h>
#include "internal.h"
#include "posix_timer.h"

SYSCALL_DEFINE4(timer_settime, int, id, int, flags,
		const struct itimerspec __user *, unew,
		struct itimerspec __user *, uold)
{
	struct proc_timers *pt = &current->group->timers;
	struct itimerspec new, old;
	struct posix_timer *tm;
	uint64_t now;

	if (!unew)
		return -EINVAL;
	if (copy_from_user(&new, unew, sizeof(new)))
		return -EFAULT;
	if (!ts_valid(&new.it_interval) || !ts_valid(&new.it_value))
		return -EINVAL;
again:
	now = ptimer_clock_now(pt, id);
	spin_lock(&proc_tree_lock);
	spin_lock(&pt->lock);
	tm = ptimer_find(pt, id);
	if (!tm) {
		spin_unlock(&pt->lock);
		spin_unlock(&proc_tree_lock);
		return -EINVAL;
	}
	ptimer_get(tm, is_cpu(tm) ? now : ktimer_now(tm->base), &old);
	if (ptimer_disarm(tm) < 0) {
		spin_unlock(&pt->lock);
		spin_unlock(&proc_tree_lock);
		cpu_relax();
		goto again;
	}
	if (new.it_value.tv_sec || new.it_value.tv_nsec)
		ptimer_set(tm, &new, flags & TIMER_ABSTIME, now);
	spin_unlock(&pt->lock);
	spin_unlock(&proc_tree_lock);
	if (uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE2(timer_gettime, int, id, struct itimerspec __user *, ucur)
{
	struct proc_timers *pt = &current->group->timers;
	uint64_t now = ptimer_clock_now(pt, id);
	struct itimerspec cur;
	struct posix_timer *tm;

	spin_lock(&pt->lock);
	tm = ptimer_find(pt, id);
	if (tm)
		ptimer_get(tm, is_cpu(tm) ? now : ktimer_now(tm->base), &cur);
	spin_unlock(&pt->lock);
	if (!tm)
		return -EINVAL;
	return copy_to_user(ucur, &cur, sizeof(cur)) ? -EFAULT : 0;
}

SYSCALL_DEFINE1(timer_getoverrun, int, id)
{
	struct proc_timers *pt = &current->group->timers;
	struct posix_timer *tm;
	int n = -EINVAL;

	spin_lock(&pt->lock);
	tm = ptimer_find(pt, id);
	if (tm)
		n = overrun_to_int(tm->overrun_last);
	spin_unlock(&pt->lock);
	return n;
}

static int timer_delete_id(int id)
{
	struct proc_timers *pt = &current->group->timers;
	struct posix_timer *tm;

	for (;;) {
		spin_lock(&pt->lock);
		tm = ptimer_find(pt, id);
		if (!tm || ptimer_unlink(tm))
			break;
		spin_unlock(&pt->lock);
		cpu_relax();
	}
	spin_unlock(&pt->lock);
	if (!tm)
		return -EINVAL;
	kfree(tm);
	return 0;
}

SYSCALL_DEFINE1(timer_delete, int, id)
{
	return timer_delete_id(id);
}

/*
 * The kind of timer a clock id makes: 0, -EINVAL (no such clock, or a
 * CPU clock we do not time) or -EOPNOTSUPP (a clock without timers).
 */
static int classify_clock(clockid_t which, struct posix_timer *tm)
{
	if (which < 0) {
		pid_t pid = CPUCLOCK_PID(which);
		bool thread = CPUCLOCK_PERTHREAD(which);

		if (CPUCLOCK_WHICH(which) != CPUCLOCK_SCHED)
			return -EINVAL;
		tm->kind = thread ? PT_THREAD_CPU : PT_PROCESS_CPU;
		tm->cpu_tid = pid ? pid : current->tid;
		if (!thread && pid && pid != current->tgid)
			return -EINVAL;
		return 0;
	}
	switch (which) {
	case CLOCK_REALTIME:
	case CLOCK_TAI:
		tm->realtime = true;
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_BOOTTIME:
		return 0;
	case CLOCK_PROCESS_CPUTIME_ID:
		tm->kind = PT_PROCESS_CPU;
		return 0;
	case CLOCK_THREAD_CPUTIME_ID:
		tm->kind = PT_THREAD_CPU;
		tm->cpu_tid = current->tid;
		return 0;
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_REALTIME_ALARM:
	case CLOCK_BOOTTIME_ALARM:
		return -EOPNOTSUPP;
	default:
		return -EINVAL;
	}
}

/* Whether tid is a live thread of the caller's process. proc_tree_lock. */
static bool own_thread(pid_t tid)
{
	struct task *t = task_find(tid);

	return t && t->group == current->group && !list_empty(&t->thread_link);
}

/* Linux's good_sigevent, and the default event (SIGALRM, value = id). */
static int check_event(const struct sigevent *ev, struct posix_timer *tm)
{
	if (!ev) {
		tm->notify = SIGEV_SIGNAL;
		tm->signo = SIGALRM;
		tm->value = (uint64_t)tm->id;
		return 0;
	}
	tm->notify = ev->sigev_notify;
	tm->signo = ev->sigev_signo;
	tm->value = ev->sigev_value;
	tm->target_tid = ev->sigev_tid;
	switch (ev->sigev_notify) {
	case SIGEV_SIGNAL | SIGEV_THREAD_ID:
		if (!own_thread(ev->sigev_tid))
			return -EINVAL;
		/* fall through */
	case SIGEV_SIGNAL:
	case SIGEV_THREAD:
		if (ev->sigev_signo <= 0 || ev->sigev_signo > SIGRTMAX)
			return -EINVAL;
		return 0;
	case SIGEV_NONE:
		return 0;
	default:
		return -EINVAL;
	}
}

/* The next id (Linux's: increasing, wrapping at INT_MAX, skipping ids
 * in use; one is used up even when the event turns out invalid). */
static int next_id(struct proc_timers *pt)
{
	for (;;) {
		int id = pt->next_id;

		pt->next_id = (id + 1) & INT32_MAX;
		if (!ptimer_find(pt, id))
			return id;
	}
}

SYSCALL_DEFINE3(timer_create, clockid_t, which, struct sigevent __user *, uev,
		int __user *, uid)
{
	struct proc_timers *pt = &current->group->timers;
	struct sigevent ev;
	struct posix_timer *tm;
	int err;

	if (uev && copy_from_user(&ev, uev, sizeof(ev)))
		return -EFAULT;
	tm = kzalloc(sizeof(*tm));
	if (!tm)
		return -EAGAIN;
	err = classify_clock(which, tm);
	if (err) {
		kfree(tm);
		return err;
	}
	tm->pt = pt;
	tm->overrun = -1;
	ktimer_init(&tm->kt, ptimer_fire);
	spin_lock(&proc_tree_lock);
	spin_lock(&pt->lock);
	tm->id = next_id(pt);
	err = check_event(uev ? &ev : NULL, tm);
	if (!err)
		list_add_tail(&tm->link, &pt->posix);
	spin_unlock(&pt->lock);
	spin_unlock(&proc_tree_lock);
	if (err) {
		kfree(tm);
		return err;
	}
	if (put_user(tm->id, uid)) {
		timer_delete_id(tm->id);
		return -EFAULT;
	}
	return 0;
}
