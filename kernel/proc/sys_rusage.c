/*
 * times(2) and getrusage(2): the CPU time and usage counters of
 * proc/cputime.c as user space sees them. wait4 and waitid report a
 * reaped child's usage through rusage_fill(RUSAGE_BOTH).
 *
 * Counted: user and system time, context switches (voluntary: the task
 * slept; involuntary: its slice ran out), minor faults, maxrss (sampled,
 * see cputime_note_rss). Zero as on Linux without the feature: major
 * faults (no swap, no disk), block I/O, and the fields Linux never fills.
 */
#include <proc/cputime.h>
#include <proc/task.h>
#include <proc/sched.h>
#include <lib/string.h>
#include <mm/uaccess.h>
#include <syscall/syscall.h>
#include <uapi/errno.h>
#include <uapi/resource.h>

#define NSEC_PER_USEC 1000ULL
#define NSEC_PER_SEC 1000000000ULL

static struct timeval ns_to_timeval(uint64_t ns)
{
	return (struct timeval){ (int64_t)(ns / NSEC_PER_SEC),
		(int64_t)(ns % NSEC_PER_SEC / NSEC_PER_USEC) };
}

/* The counters of t's live threads plus those gone. */
static void self_counters(struct task *t, struct rusage *ru)
{
	struct thread_group *g = t->group;
	struct task *m;

	spin_lock(&proc_tree_lock);
	ru->ru_nvcsw = (int64_t)g->dead_nvcsw;
	ru->ru_nivcsw = (int64_t)g->dead_nivcsw;
	ru->ru_minflt = (int64_t)g->dead_minflt;
	list_for_each_entry(m, &g->threads, thread_link) {
		ru->ru_nvcsw += (int64_t)m->nvcsw;
		ru->ru_nivcsw += (int64_t)m->nivcsw;
		ru->ru_minflt += (int64_t)m->minflt;
	}
	spin_unlock(&proc_tree_lock);
}

static void add_children(struct task *t, struct rusage *ru, struct cputime *ct)
{
	struct thread_group *g = t->group;

	spin_lock(&proc_tree_lock);
	ct->utime += g->child_time.utime;
	ct->stime += g->child_time.stime;
	ru->ru_nvcsw += (int64_t)g->child_nvcsw;
	ru->ru_nivcsw += (int64_t)g->child_nivcsw;
	ru->ru_minflt += (int64_t)g->child_minflt;
	if ((int64_t)g->child_maxrss > ru->ru_maxrss)
		ru->ru_maxrss = (int64_t)g->child_maxrss;
	spin_unlock(&proc_tree_lock);
}

/* maxrss: the caller samples its own memory; another process's (a
 * child wait4 reports) is what it recorded when its threads left. */
static int64_t maxrss(struct task *t)
{
	uint64_t kb;

	if (t == current)
		return (int64_t)cputime_note_rss(t);
	spin_lock(&proc_tree_lock);
	kb = t->group->maxrss;
	spin_unlock(&proc_tree_lock);
	return (int64_t)kb;
}

void rusage_fill(struct task *t, int who, struct rusage *ru)
{
	struct cputime ct = { 0, 0 };

	memset(ru, 0, sizeof(*ru));
	if (who == RUSAGE_THREAD) {
		cputime_of_thread(t, &ct);
		ru->ru_nvcsw = (int64_t)t->nvcsw;
		ru->ru_nivcsw = (int64_t)t->nivcsw;
		ru->ru_minflt = (int64_t)t->minflt;
		ru->ru_maxrss = maxrss(t);
	} else if (who != RUSAGE_CHILDREN) {
		cputime_of_process(t, &ct);
		self_counters(t, ru);
		ru->ru_maxrss = maxrss(t);
	}
	if (who == RUSAGE_CHILDREN || who == RUSAGE_BOTH)
		add_children(t, ru, &ct);
	ru->ru_utime = ns_to_timeval(ct.utime);
	ru->ru_stime = ns_to_timeval(ct.stime);
}

SYSCALL_DEFINE2(getrusage, int, who, struct rusage __user *, uru)
{
	struct rusage ru;

	if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN &&
	    who != RUSAGE_THREAD)
		return -EINVAL;
	rusage_fill(current, who, &ru);
	return copy_to_user(uru, &ru, sizeof(ru)) ? -EFAULT : 0;
}

struct tms {
	int64_t tms_utime, tms_stime, tms_cutime, tms_cstime;	/* clock_t */
};

/*
 * The process's and its reaped children's times in clock ticks; the
 * result is the time since boot in the same unit (Linux counts from a
 * point 5 minutes before boot so that 32-bit jiffies wrap early; only
 * differences of it mean anything).
 */
SYSCALL_DEFINE1(times, struct tms __user *, ubuf)
{
	struct cputime self, child;
	struct tms t;

	if (ubuf) {
		cputime_of_process(current, &self);
		cputime_of_children(current, &child);
		t = (struct tms){
			(int64_t)cputime_to_clock_t(self.utime),
			(int64_t)cputime_to_clock_t(self.stime),
			(int64_t)cputime_to_clock_t(child.utime),
			(int64_t)cputime_to_clock_t(child.stime),
		};
		if (copy_to_user(ubuf, &t, sizeof(t)))
			return -EFAULT;
	}
	return (long)cputime_to_clock_t(clock_monotonic_ns());
}
