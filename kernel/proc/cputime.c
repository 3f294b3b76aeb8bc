/*
 * CPU-time accounting: user and system time of threads, processes and
 * reaped children (see proc/cputime.h for the method), and getrusage,
 * times and wait4's rusage built on it.
 *
 * A thread's total (cpu_ns, kept by the scheduler at each switch) is
 * exact; the tick only counts samples of where the thread was. Splitting
 * the exact total in the samples' proportion gives user + system equal
 * to CLOCK_THREAD_CPUTIME_ID, even for a thread too short-lived to be
 * sampled (all of its time is then called user time, as Linux does).
 * The split is remembered (task->reported) so that neither half ever
 * goes backwards when the proportion shifts.
 */
#include <proc/cputime.h>
#include <arch/cpu.h>
#include <arch/smp.h>
#include <proc/task.h>
#include <proc/sched.h>
#include <sync/spinlock.h>
#include <mm/page.h>
#include <mm/vm.h>
#include <uapi/resource.h>

/* rtime * part / whole without overflowing 64 bits (part <= whole). */
static uint64_t scale(uint64_t rtime, uint64_t part, uint64_t whole)
{
	uint64_t prod;

	while (__builtin_mul_overflow(rtime, part, &prod)) {
		part >>= 1;
		whole >>= 1;
	}
	return whole ? prod / whole : rtime;
}

/* Linux's cputime_adjust: split rtime in the proportion of u user and
 * s system samples, never below what *prev last reported. */
static void split_samples(uint64_t rtime, uint64_t u, uint64_t s,
			  struct cputime *prev, struct cputime *ct)
{
	uint64_t stime;

	if (prev->utime + prev->stime >= rtime) {
		*ct = *prev;
		return;
	}
	stime = s == 0 ? 0 : u == 0 ? rtime : scale(rtime, s, u + s);
	if (stime < prev->stime)
		stime = prev->stime;
	if (rtime - stime < prev->utime)
		stime = rtime - prev->utime;
	prev->stime = stime;
	prev->utime = rtime - stime;
	*ct = *prev;
}

/* The same for a thread. sched_lock held (task->reported). */
static void split(struct task *t, uint64_t rtime, struct cputime *ct)
{
	spin_assert_held(&sched_lock);
	split_samples(rtime,
		      __atomic_load_n(&t->user_ticks, __ATOMIC_RELAXED),
		      __atomic_load_n(&t->system_ticks, __ATOMIC_RELAXED),
		      &t->reported, ct);
}

/*
 * Each CPU's time, for /proc/stat. Its idle time is its idle task's exact
 * run time; its busy time is the rest of the time since its idle task was
 * made (the CPU came up). Every tick that found a task other than the
 * idle one is a sample on that CPU (struct cpu's user_ticks and
 * system_ticks; kernel threads count as system time), and the busy time
 * is split as a thread's is, never going back.
 */
static struct cputime cpu_reported[MAX_CPUS];	/* guarded by cpu_time_lock */
static struct spinlock cpu_time_lock = SPINLOCK_INIT("cputime_cpu");

/* CPU n's idle time and its time since it came up, read at one instant.
 * The idle task's clock and whether it runs change together under
 * sched_lock (sched_switch). */
static void cpu_idle_read(unsigned int n, uint64_t *idle, uint64_t *up)
{
	struct cpu *c = cpu_area(n);
	struct task *t;
	uint64_t now;

	spin_lock(&sched_lock);
	now = clock_monotonic_ns();
	t = c->idle;
	*idle = *up = 0;
	if (t) {
		*idle = t->cpu_ns;
		if (c->running == t && now > t->run_start_ns)
			*idle += now - t->run_start_ns;
		*up = now > t->start_ns ? now - t->start_ns : 0;
	}
	spin_unlock(&sched_lock);
}

void cputime_of_cpu(unsigned int n, struct cpu_usage *u)
{
	struct cpu *c = cpu_area(n);
	struct cputime ct;
	uint64_t idle, up;

	cpu_idle_read(n, &idle, &up);
	spin_lock(&cpu_time_lock);
	split_samples(up > idle ? up - idle : 0,
		      __atomic_load_n(&c->user_ticks, __ATOMIC_RELAXED),
		      __atomic_load_n(&c->system_ticks, __ATOMIC_RELAXED),
		      &cpu_reported[n], &ct);
	spin_unlock(&cpu_time_lock);
	u->user_ns = ct.utime;
	u->system_ns = ct.stime;
	u->idle_ns = idle;
}

void cputime_of_thread(struct task *t, struct cputime *ct)
{
	uint64_t rtime = task_cputime_ns(t, false);

	spin_lock(&sched_lock);
	split(t, rtime, ct);
	spin_unlock(&sched_lock);
}

void cputime_of_process_locked(struct thread_group *g, struct cputime *ct)
{
	struct task *m;
	struct cputime one;

	spin_assert_held(&proc_tree_lock);
	*ct = g->dead_time;
	list_for_each_entry(m, &g->threads, thread_link) {
		cputime_of_thread(m, &one);
		ct->utime += one.utime;
		ct->stime += one.stime;
	}
}

void cputime_of_process(struct task *t, struct cputime *ct)
{
	spin_lock(&proc_tree_lock);
	cputime_of_process_locked(t->group, ct);
	spin_unlock(&proc_tree_lock);
}

void cputime_of_children(struct task *t, struct cputime *ct)
{
	spin_lock(&proc_tree_lock);
	*ct = t->group->child_time;
	spin_unlock(&proc_tree_lock);
}

/* Where the tick found t: a sample for this CPU's split, the thread's
 * and the group's interval timers, then the timers' checks. The tick
 * runs on the CPU that runs t, so this CPU's counters are the ones. */
void cputime_tick(struct task *t, bool user, uint64_t tick_ns)
{
	struct thread_group *g = t->group;
	struct cpu *c = this_cpu();

	__atomic_add_fetch(user ? &c->user_ticks : &c->system_ticks, 1,
			   __ATOMIC_RELAXED);
	if (!g)
		return;
	__atomic_add_fetch(user ? &t->user_ticks : &t->system_ticks, 1,
			   __ATOMIC_RELAXED);
	__atomic_add_fetch(user ? &g->tick_utime : &g->tick_stime, tick_ns,
			   __ATOMIC_RELAXED);
	cpu_timers_tick(t);
}

/*
 * The resident size of t's memory, in KiB, folded into the process's
 * maxrss. Linux keeps a true high-water mark (hiwater_rss) updated as
 * pages are unmapped; Basalt samples at getrusage and at each thread's
 * exit, which is what cheap buys. No spinlock held (mm->lock sleeps).
 */
uint64_t cputime_note_rss(struct task *t)
{
	struct mm_stats st;
	uint64_t kb = 0;

	if (t->mm) {
		mm_get_stats(t->mm, &st);
		kb = st.rss_pages * (PAGE_SIZE / 1024);
	}
	spin_lock(&proc_tree_lock);
	if (kb > t->group->maxrss)
		t->group->maxrss = kb;
	kb = t->group->maxrss;
	spin_unlock(&proc_tree_lock);
	return kb;
}

void cputime_thread_exit(struct task *t)
{
	struct thread_group *g = t->group;
	struct cputime ct;

	spin_assert_held(&proc_tree_lock);
	cputime_of_thread(t, &ct);
	g->dead_time.utime += ct.utime;
	g->dead_time.stime += ct.stime;
	g->dead_nvcsw += t->nvcsw;
	g->dead_nivcsw += t->nivcsw;
	g->dead_minflt += t->minflt;
}

void cputime_reap(struct thread_group *parent, struct task *leader)
{
	struct thread_group *g = leader->group;

	spin_assert_held(&proc_tree_lock);
	parent->child_time.utime += g->dead_time.utime + g->child_time.utime;
	parent->child_time.stime += g->dead_time.stime + g->child_time.stime;
	parent->child_nvcsw += g->dead_nvcsw + g->child_nvcsw;
	parent->child_nivcsw += g->dead_nivcsw + g->child_nivcsw;
	parent->child_minflt += g->dead_minflt + g->child_minflt;
	if (g->maxrss > parent->child_maxrss)
		parent->child_maxrss = g->maxrss;
	if (g->child_maxrss > parent->child_maxrss)
		parent->child_maxrss = g->child_maxrss;
}
