/*
 * POSIX timers at work: expiry, re-arming, the tick's CPU-clock checks
 * and a process's timer list, following Linux (kernel/time/
 * posix-timers.c and posix-cpu-timers.c); the system calls are in
 * posix_timer_sys.c.
 *
 * A timer belongs to its process (struct proc_timers) and has an id
 * unique in the process, handed out in increasing order from 0 and
 * never reused until they wrap, as Linux's. It counts on one clock:
 *   - REALTIME, TAI, MONOTONIC, BOOTTIME: a ktimer, which fires from the
 *     timer interrupt when due. A relative REALTIME timer counts monotonic time (Linux turns
 *     it into a MONOTONIC one); an absolute one follows the wall clock.
 *   - a CPU-time clock (the process's or one of its threads'): checked by
 *     the tick against the exact CPU clock (cpu_timers.c).
 *
 * Expiry sends the timer's signal (SIGEV_SIGNAL to the process,
 * SIGEV_THREAD_ID to one thread; SIGEV_NONE sends nothing) with
 * si_code SI_TIMER. A periodic timer then waits: it starts again only
 * when its signal is taken (posix_timer_dequeued, from the signal code),
 * and the periods that passed meanwhile are the overrun reported in
 * si_overrun and by timer_getoverrun. timer_seq tells a signal of the
 * current arming from a stale one. If the process ignores the signal, a
 * periodic timer goes straight on to its next period.
 *
 * Not done (Linux does them): timers on another process's CPU clock
 * (EINVAL here), and on the PROF and VIRT flavours of CPU clocks; the
 * alarm clocks (no wake-up RTC driver: EOPNOTSUPP).
 */
#include <proc/task.h>
#include <proc/signal.h>
#include <arch/cpu.h>
#include <mm/kmalloc.h>
#include "internal.h"
#include "posix_timer.h"

/* active, keeping the count the tick peeks at. pt->lock held. */
static void set_active(struct posix_timer *tm, bool on)
{
	spin_assert_held(&tm->pt->lock);
	if (is_cpu(tm) && tm->active != on)
		__atomic_add_fetch(&tm->pt->nr_cpu_armed, on ? 1 : -1,
				   __ATOMIC_RELAXED);
	tm->active = on;
}

static void arm(struct posix_timer *tm)
{
	set_active(tm, true);
	if (!is_cpu(tm))
		ktimer_start(&tm->kt, tm->base, tm->expires);
}


/* Who gets the signal: the thread of SIGEV_THREAD_ID if it still lives
 * in the process, else the process (its leader). proc_tree_lock held. */
static struct task *timer_target(struct posix_timer *tm)
{
	struct task *t;

	spin_assert_held(&proc_tree_lock);
	if (!(tm->notify & SIGEV_THREAD_ID))
		return tm->pt->owner->leader;
	t = task_find(tm->target_tid);
	return t && t->group == tm->pt->owner ? t : NULL;
}

/*
 * tm's time came (now on its clock): send its signal, or, when the
 * process ignores it, go on to the next period (Linux's posix_timer_fn).
 * proc_tree_lock and pt->lock held.
 */
static void timer_expire(struct posix_timer *tm, uint64_t now)
{
	struct task *t = timer_target(tm);
	struct ksiginfo info = {
		.code = SI_TIMER, .timerid = tm->id, .value = tm->value,
		.from_timer = true,	/* never lost to RLIMIT_SIGPENDING */
	};

	spin_assert_held(&proc_tree_lock);
	spin_assert_held(&tm->pt->lock);
	set_active(tm, false);
	if (!tm->interval)
		tm->expires = 0;
	else
		tm->seq++;
	info.timer_seq = tm->seq;
	if (t && signal_is_ignored(t, tm->signo) &&
	    !(t->sigmask & sig_bit(tm->signo))) {
		if (tm->interval) {
			tm->overrun += (int64_t)timer_forward(&tm->expires, now,
							      tm->interval);
			arm(tm);
		}
		return;
	}
	tm->requeue_pending = tm->interval != 0;
	if (!t)
		return;
	if (tm->notify & SIGEV_THREAD_ID)
		signal_send_thread_locked(t, tm->signo, &info);
	else
		signal_send_locked(t, tm->signo, &info);
}

void ptimer_fire(struct ktimer *kt)
{
	struct posix_timer *tm = container_of(kt, struct posix_timer, kt);
	struct proc_timers *pt = tm->pt;

	spin_lock(&proc_tree_lock);
	spin_lock(&pt->lock);
	if (tm->active)
		timer_expire(tm, ktimer_now(tm->base));
	spin_unlock(&pt->lock);
	spin_unlock(&proc_tree_lock);
}

void posix_cpu_timers_check(struct proc_timers *pt, struct task *t,
			    uint64_t thread_ns, uint64_t process_ns)
{
	struct posix_timer *tm;
	uint64_t now;

	spin_assert_held(&pt->lock);
	list_for_each_entry(tm, &pt->posix, link) {
		if (!tm->active || !is_cpu(tm))
			continue;
		if (tm->kind == PT_THREAD_CPU && tm->cpu_tid != t->tid)
			continue;
		now = tm->kind == PT_THREAD_CPU ? thread_ns : process_ns;
		if (now >= tm->expires)
			timer_expire(tm, now);
	}
}

struct posix_timer *ptimer_find(struct proc_timers *pt, int id)
{
	struct posix_timer *tm;

	spin_assert_held(&pt->lock);
	list_for_each_entry(tm, &pt->posix, link)
		if (tm->id == id)
			return tm;
	return NULL;
}

/* Where the clock of a timer of kind (on thread tid) stands now. Takes
 * proc_tree_lock for a thread's clock: call with no lock held. */
static uint64_t clock_now(enum timer_kind kind, enum ktimer_base base,
			  pid_t tid)
{
	struct task *t;
	uint64_t ns = 0;

	if (kind == PT_CLOCK)
		return ktimer_now(base);
	if (kind == PT_PROCESS_CPU)
		return task_cputime_ns(current, true);
	spin_lock(&proc_tree_lock);
	t = task_find(tid);
	if (t && t->group == current->group)
		ns = task_cputime_ns(t, false);
	spin_unlock(&proc_tree_lock);
	return ns;
}

/* The current time on timer id's clock (0 if there is no such timer). */
uint64_t ptimer_clock_now(struct proc_timers *pt, int id)
{
	struct posix_timer *tm;
	enum timer_kind kind = PT_CLOCK;
	enum ktimer_base base = KTIMER_MONO;
	pid_t tid = 0;

	spin_lock(&pt->lock);
	tm = ptimer_find(pt, id);
	if (tm) {
		kind = tm->kind;
		base = tm->base;
		tid = tm->cpu_tid;
	}
	spin_unlock(&pt->lock);
	return clock_now(kind, base, tid);
}

void posix_timer_dequeued(struct ksiginfo *info)
{
	struct proc_timers *pt = &current->group->timers;
	uint64_t now = ptimer_clock_now(pt, info->timerid);
	struct posix_timer *tm;

	info->overrun = 0;
	spin_lock(&pt->lock);
	tm = ptimer_find(pt, info->timerid);
	if (tm && tm->interval && tm->requeue_pending &&
	    tm->seq == info->timer_seq) {
		tm->overrun += (int64_t)timer_forward(&tm->expires, now,
						      tm->interval);
		tm->overrun_last = tm->overrun;
		tm->overrun = -1;
		tm->requeue_pending = false;
		tm->seq++;
		arm(tm);
		info->overrun = overrun_to_int(tm->overrun_last);
	}
	spin_unlock(&pt->lock);
}

/* Linux's common_timer_get: what is left, and the interval. pt->lock. */
void ptimer_get(struct posix_timer *tm, uint64_t now,
		      struct itimerspec *cur)
{
	bool none = tm->notify == SIGEV_NONE;

	*cur = (struct itimerspec){ ns_to_ts(tm->interval), { 0, 0 } };
	if (!tm->expires || (!tm->interval && !tm->active && !none))
		return;
	/* A signal waits or nothing re-arms: step past now, counting. */
	if (tm->interval && (tm->requeue_pending || none))
		tm->overrun += (int64_t)timer_forward(&tm->expires, now,
						      tm->interval);
	if (tm->expires > now)
		cur->it_value = ns_to_ts(tm->expires - now);
	else if (!none)
		cur->it_value.tv_nsec = 1;	/* due, about to fire */
}

/* Disarm tm (timer_settime's first step); -1 if its ktimer is firing
 * right now on another CPU (drop the locks and retry). pt->lock held. */
int ptimer_disarm(struct posix_timer *tm)
{
	spin_assert_held(&tm->pt->lock);
	if (!is_cpu(tm) && ktimer_try_cancel(&tm->kt) < 0)
		return -1;
	set_active(tm, false);
	tm->seq++;			/* a signal still queued is stale */
	tm->requeue_pending = false;
	tm->overrun_last = 0;
	tm->overrun = -1;
	tm->interval = 0;
	tm->expires = 0;
	return 0;
}

/*
 * Arm tm with new (relative to now on its clock unless abs). A CPU-time
 * timer already due fires at once, as Linux's posix_cpu_timer_set
 * does. proc_tree_lock and pt->lock held.
 */
void ptimer_set(struct posix_timer *tm, const struct itimerspec *new,
		      bool abs, uint64_t now)
{
	uint64_t value = ts_to_ns(&new->it_value);

	spin_assert_held(&proc_tree_lock);
	spin_assert_held(&tm->pt->lock);
	tm->interval = ts_to_ns(&new->it_interval);
	if (tm->kind == PT_CLOCK) {
		/* Linux: a relative REALTIME timer counts monotonic time. */
		tm->base = abs && tm->realtime ? KTIMER_REAL : KTIMER_MONO;
		now = ktimer_now(tm->base);
	}
	tm->expires = abs ? value : now + value;
	if (!tm->expires)
		tm->expires = 1;	/* an absolute 0: long past, but armed */
	if (tm->notify == SIGEV_NONE)
		return;
	if (is_cpu(tm) && tm->expires <= now) {
		timer_expire(tm, now);
		return;
	}
	arm(tm);
}

/* Take tm off its list, stopped for good; the caller frees it. Returns
 * false if its ktimer is firing now (retry). pt->lock held. */
bool ptimer_unlink(struct posix_timer *tm)
{
	spin_assert_held(&tm->pt->lock);
	if (!is_cpu(tm) && ktimer_try_cancel(&tm->kt) < 0)
		return false;
	set_active(tm, false);
	list_del(&tm->link);
	return true;
}

void posix_timers_exec(struct proc_timers *pt)
{
	struct posix_timer *tm;

	for (;;) {
		spin_lock(&pt->lock);
		if (list_empty(&pt->posix)) {
			spin_unlock(&pt->lock);
			return;
		}
		tm = list_first_entry(&pt->posix, struct posix_timer, link);
		if (!ptimer_unlink(tm))
			tm = NULL;
		spin_unlock(&pt->lock);
		if (tm)
			kfree(tm);
		else
			cpu_relax();
	}
}

void proc_timers_init(struct proc_timers *pt, struct thread_group *owner)
{
	spin_init(&pt->lock, "proc_timers");
	pt->owner = owner;
	list_init(&pt->posix);
	itimer_init(pt);
}

void proc_timers_exit(struct proc_timers *pt)
{
	posix_timers_exec(pt);
	ktimer_cancel(&pt->real);
	spin_lock(&pt->lock);
	pt->real_incr = 0;
	pt->virt = pt->prof = (struct cpu_itimer){ 0, 0 };
	spin_unlock(&pt->lock);
}
