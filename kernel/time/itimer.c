/*
 * alarm, setitimer and getitimer: a process's three interval timers.
 *
 * ITIMER_REAL counts down in real (monotonic) time and sends SIGALRM;
 * its timer is a ktimer that re-arms itself by its interval when it
 * fires. ITIMER_VIRTUAL (user CPU time, SIGVTALRM) and ITIMER_PROF (user
 * and system CPU time, SIGPROF) are deadlines on the tick's samples of
 * the process's CPU time, checked by cpu_timers.c at each tick; as in
 * Linux they are one tick late at most, and setting one adds a tick
 * (so getitimer right after setitimer may report a little more than was
 * set, as on Linux). The signals carry SI_KERNEL, as Linux's.
 *
 * Timers survive execve and are not inherited by fork (a new group
 * starts with them off).
 */
#include <proc/task.h>
#include <proc/signal.h>
#include <arch/cpu.h>
#include <mm/uaccess.h>
#include <syscall/syscall.h>
#include <uapi/errno.h>
#include "internal.h"

#define ITIMER_REAL	0
#define ITIMER_VIRTUAL	1
#define ITIMER_PROF	2

struct itimerval {
	struct timeval it_interval;
	struct timeval it_value;
};

/* One itimer's value and interval, in ns. */
struct itimer_ns {
	uint64_t value, interval;
};

/* ITIMER_REAL expired: SIGALRM for the process, and the next period. */
static void itimer_real_fire(struct ktimer *kt)
{
	struct proc_timers *pt = container_of(kt, struct proc_timers, real);
	struct ksiginfo info = { .code = SI_KERNEL };
	uint64_t expires = kt->expires_ns;

	spin_lock(&proc_tree_lock);
	spin_lock(&pt->lock);
	if (pt->real_incr) {
		timer_forward(&expires, ktimer_now(KTIMER_MONO), pt->real_incr);
		ktimer_start(kt, KTIMER_MONO, expires);
	}
	signal_send_locked(pt->owner->leader, SIGALRM, &info);
	spin_unlock(&pt->lock);
	spin_unlock(&proc_tree_lock);
}

/* Linux's itimer_get_remtime: an armed timer reports at least 1 us. */
static uint64_t real_remaining(struct proc_timers *pt)
{
	uint64_t now = ktimer_now(KTIMER_MONO);

	if (!ktimer_pending(&pt->real))
		return 0;
	return pt->real.expires_ns > now ? pt->real.expires_ns - now
					 : NSEC_PER_USEC;
}

/* Linux's get_cpu_itimer: a deadline already passed reports a tick. */
static void cpu_get(struct task *t, struct cpu_itimer *it, bool prof,
		    struct itimer_ns *old)
{
	uint64_t now = itimer_cpu_sample(t, prof);

	old->interval = it->incr;
	old->value = !it->expires ? 0 :
		     it->expires <= now ? TICK_NSEC : it->expires - now;
}

/* Linux's set_cpu_itimer: a new value counts from now, plus a tick. */
static void cpu_set(struct task *t, struct cpu_itimer *it, bool prof,
		    const struct itimer_ns *new)
{
	uint64_t now = itimer_cpu_sample(t, prof);

	it->expires = new->value ? now + new->value + TICK_NSEC : 0;
	it->incr = new->interval;
}

/* Read (old) and/or replace (new) one of current's itimers. */
static int do_itimer(int which, const struct itimer_ns *new,
		     struct itimer_ns *old)
{
	struct task *t = current;
	struct proc_timers *pt = &t->group->timers;
	struct itimer_ns dummy;

	if (which < ITIMER_REAL || which > ITIMER_PROF)
		return -EINVAL;
	if (!old)
		old = &dummy;
again:
	spin_lock(&pt->lock);
	if (which == ITIMER_REAL) {
		old->value = real_remaining(pt);
		old->interval = pt->real_incr;
		if (new) {
			if (ktimer_try_cancel(&pt->real) < 0) {
				spin_unlock(&pt->lock);	/* it is firing */
				cpu_relax();
				goto again;
			}
			pt->real_incr = new->value ? new->interval : 0;
			if (new->value)
				ktimer_start(&pt->real, KTIMER_MONO,
					     ktimer_now(KTIMER_MONO) + new->value);
		}
	} else {
		struct cpu_itimer *it = which == ITIMER_PROF ? &pt->prof
							     : &pt->virt;
		cpu_get(t, it, which == ITIMER_PROF, old);
		if (new)
			cpu_set(t, it, which == ITIMER_PROF, new);
	}
	spin_unlock(&pt->lock);
	return 0;
}

static bool timeval_ok(const struct timeval *tv)
{
	return tv->tv_sec >= 0 && tv->tv_usec >= 0 && tv->tv_usec < 1000000;
}

static uint64_t tv_to_ns(const struct timeval *tv)
{
	struct timespec ts = { tv->tv_sec, tv->tv_usec * 1000 };

	return ts_to_ns(&ts);
}

static struct timeval ns_to_tv(uint64_t ns)
{
	return (struct timeval){ (int64_t)(ns / NSEC_PER_SEC),
		(int64_t)(ns % NSEC_PER_SEC / NSEC_PER_USEC) };
}

static int put_itimerval(struct itimerval __user *u, const struct itimer_ns *v)
{
	struct itimerval k = { ns_to_tv(v->interval), ns_to_tv(v->value) };

	return copy_to_user(u, &k, sizeof(k)) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(getitimer, int, which, struct itimerval __user *, uval)
{
	struct itimer_ns old;
	int err = do_itimer(which, NULL, &old);

	return err ? err : put_itimerval(uval, &old);
}

/* A NULL new value disarms, as Linux still allows (with a warning). */
SYSCALL_DEFINE3(setitimer, int, which, const struct itimerval __user *, unew,
		struct itimerval __user *, uold)
{
	struct itimerval k = { { 0, 0 }, { 0, 0 } };
	struct itimer_ns new, old;
	int err;

	if (unew && copy_from_user(&k, unew, sizeof(k)))
		return -EFAULT;
	if (!timeval_ok(&k.it_value) || !timeval_ok(&k.it_interval))
		return -EINVAL;
	new.value = tv_to_ns(&k.it_value);
	new.interval = tv_to_ns(&k.it_interval);
	err = do_itimer(which, &new, &old);
	if (err || !uold)
		return err;
	return put_itimerval(uold, &old);
}

/* The seconds that were left, rounded to nearest, and never 0 for an
 * alarm still pending (Linux's alarm_setitimer). */
SYSCALL_DEFINE1(alarm, unsigned int, seconds)
{
	struct itimer_ns new = { (uint64_t)seconds * NSEC_PER_SEC, 0 }, old;
	uint64_t sec, ns;

	do_itimer(ITIMER_REAL, &new, &old);
	sec = old.value / NSEC_PER_SEC;
	ns = old.value % NSEC_PER_SEC;
	if ((!sec && ns) || ns >= NSEC_PER_SEC / 2)
		sec++;
	return (long)sec;
}

void itimer_init(struct proc_timers *pt)
{
	ktimer_init(&pt->real, itimer_real_fire);
}
