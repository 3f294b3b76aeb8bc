/*
 * What the tick checks against CPU time: ITIMER_VIRTUAL and ITIMER_PROF,
 * RLIMIT_CPU, and the POSIX timers on CPU-time clocks. Runs in the timer
 * interrupt for the task it interrupted (cpu_timers_tick, called by
 * cputime_tick), so a CPU-time deadline is noticed within a tick of CPU
 * time after it passes, as in Linux (run_posix_cpu_timers).
 *
 * The interval timers and RLIMIT_CPU count the tick's samples of the
 * process's time (thread_group.tick_utime/tick_stime), as Linux's do;
 * the POSIX timers count the exact CPU-time clocks that clock_gettime
 * reads.
 */
#include <proc/task.h>
#include <proc/signal.h>
#include <uapi/resource.h>
#include "internal.h"

uint64_t itimer_cpu_sample(struct task *t, bool prof)
{
	struct thread_group *g = t->group;
	uint64_t u = __atomic_load_n(&g->tick_utime, __ATOMIC_RELAXED);

	return prof ? u + __atomic_load_n(&g->tick_stime, __ATOMIC_RELAXED) : u;
}

/* Linux's check_cpu_itimer: one signal per tick at most, then the next
 * deadline one interval on (or off). */
static void check_itimer(struct task *t, struct cpu_itimer *it, uint64_t now,
			 int sig)
{
	struct ksiginfo info = { .code = SI_KERNEL };

	if (!it->expires || now < it->expires)
		return;
	it->expires = it->incr ? it->expires + it->incr : 0;
	signal_send_locked(t, sig, &info);
}

/* RLIMIT_CPU in seconds of (sampled) process time: SIGKILL at the hard
 * limit; at the soft limit SIGXCPU, and the soft limit moves a second on
 * so that the next comes a second later (Linux raises rlim_cur too). */
static void check_rlimit_cpu(struct task *t, uint64_t now)
{
	struct ksiginfo info = { .code = SI_KERNEL };
	uint64_t soft = t->rlimits[RLIMIT_CPU][0], hard = t->rlimits[RLIMIT_CPU][1];
	struct task *m;

	if (soft == RLIM_INFINITY)
		return;
	if (hard != RLIM_INFINITY && hard < KTIME_MAX / NSEC_PER_SEC &&
	    now >= hard * NSEC_PER_SEC) {
		signal_send_locked(t, SIGKILL, &info);
		return;
	}
	if (soft >= KTIME_MAX / NSEC_PER_SEC || now < soft * NSEC_PER_SEC)
		return;
	signal_send_locked(t, SIGXCPU, &info);
	if (soft < hard)
		list_for_each_entry(m, &t->group->threads, thread_link)
			m->rlimits[RLIMIT_CPU][0] = soft + 1;
}

void cpu_timers_tick(struct task *t)
{
	struct proc_timers *pt = &t->group->timers;
	uint64_t prof, thread_ns = 0, process_ns = 0;
	bool posix = __atomic_load_n(&pt->nr_cpu_armed, __ATOMIC_RELAXED);

	/* Unlocked peeks: a timer armed meanwhile is seen next tick. */
	if (!__atomic_load_n(&pt->virt.expires, __ATOMIC_RELAXED) &&
	    !__atomic_load_n(&pt->prof.expires, __ATOMIC_RELAXED) && !posix &&
	    t->rlimits[RLIMIT_CPU][0] == RLIM_INFINITY)
		return;
	if (posix) {	/* the clocks take the locks taken below */
		thread_ns = task_cputime_ns(t, false);
		process_ns = task_cputime_ns(t, true);
	}
	spin_lock(&proc_tree_lock);
	spin_lock(&pt->lock);
	if (!list_empty(&t->thread_link)) {	/* else it is exiting */
		prof = itimer_cpu_sample(t, true);
		check_itimer(t, &pt->virt, itimer_cpu_sample(t, false),
			     SIGVTALRM);
		check_itimer(t, &pt->prof, prof, SIGPROF);
		check_rlimit_cpu(t, prof);
		if (posix)
			posix_cpu_timers_check(pt, t, thread_ns, process_ns);
	}
	spin_unlock(&pt->lock);
	spin_unlock(&proc_tree_lock);
}
