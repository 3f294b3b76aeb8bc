/*
 * The scheduler: a run queue per CPU, round robin on each with a time
 * slice of a few timer ticks. The kernel is not preemptible: a task gives
 * up the CPU only when it sleeps, exits, yields, is about to return to
 * user mode after its slice ran out (exit_to_user_checks), or passes a
 * preemption point (cond_resched) in long kernel work after its slice ran
 * out: the rule is in docs/locking.md. A tick that finds a task ignoring
 * a due reschedule for STALL_TICKS ticks reports it (sched_tick), to find
 * the loops that lack a preemption point.
 *
 * Tasks move between CPUs in three ways (the decisions are
 * sched_policy.c's): a task that wakes goes to its last CPU if that is
 * idle, else to an idle CPU, else to the least loaded (sched_wake); a CPU
 * about to idle steals a waiting task from the busiest queue
 * (sched_switch); and each tick a CPU pulls from a queue two or more
 * tasks longer than its own (sched_tick). Affinity bounds all three.
 *
 * One lock, sched_lock, guards every run queue, the timed-sleep list and
 * every task's state, so a migration never needs two locks (xv6 and
 * Linux 2.4 made the same choice; one lock is plenty for a few CPUs). It
 * is held across switch_to: the task that switches away takes it, the
 * task that resumes releases it, so no other CPU sees a task half
 * switched.
 */
#include <proc/sched.h>
#include <proc/task.h>
#include <proc/signal.h>
#include "internal.h"
#include "sched_policy.h"
#include <arch/cpu.h>
#include <arch/paging.h>
#include <arch/smp.h>
#include <arch/trapframe.h>
#include <arch/x86_64/desc.h>
#include <lib/printk.h>
#include <sync/lockdep.h>
#include <mm/vm.h>
#include <mm/layout.h>
#include <uapi/errno.h>
#include <uapi/signal.h>

static unsigned long sched_nr_running(void);

#define SLICE_TICKS 3
#define STALL_TICKS 25		/* 100 ms at HZ 250 */

struct spinlock sched_lock = SPINLOCK_INIT("sched");

/* One CPU's queue. Guarded by sched_lock, but need_resched is also
 * peeked at without it by its own CPU (cond_resched). */
struct runq {
	struct list_head tasks;		/* runnable, waiting for this CPU */
	unsigned int nr;		/* length of tasks */
	bool need_resched;		/* the running task should yield */
	unsigned int resched_ignored;	/* ticks need_resched stayed set */
	uint64_t nr_switches;		/* context switches on this CPU */
};

static struct runq runqs[MAX_CPUS];
static LIST_HEAD(timed_sleepers);	/* guarded by sched_lock */

static struct runq *this_rq(void)
{
	return &runqs[this_cpu()->id];
}

void sched_init(void)
{
	for (unsigned int n = 0; n < MAX_CPUS; n++)
		list_init(&runqs[n].tasks);
}

static bool cpu_allowed(const struct task *t, unsigned int cpu)
{
	return cpumask_test(t->cpus_allowed & cpu_online_mask(), cpu);
}

static void enqueue(struct task *t, unsigned int cpu)
{
	list_add_tail(&t->run_link, &runqs[cpu].tasks);
	runqs[cpu].nr++;
	t->cpu = cpu;
}

static void dequeue(struct task *t)
{
	list_del(&t->run_link);
	runqs[t->cpu].nr--;
}

/* The queues as sched_policy.c sees them; movable counts the waiting
 * tasks `asker` may run (with asker = nr_cpus: none are counted). */
static void load_snapshot(struct cpu_load *load, unsigned int asker)
{
	for_each_online_cpu(n) {
		struct task *t;

		load[n].queued = runqs[n].nr;
		load[n].busy = cpu_area(n)->running != cpu_area(n)->idle;
		load[n].movable = 0;
		if (asker < nr_cpus && n != asker && runqs[n].nr)
			list_for_each_entry(t, &runqs[n].tasks, run_link)
				load[n].movable += cpu_allowed(t, asker);
	}
}

/* The CPU task t should wait on. sched_lock held. */
static unsigned int select_cpu(struct task *t)
{
	struct cpu_load load[MAX_CPUS];
	cpumask_t allowed = t->cpus_allowed & cpu_online_mask();

	if (nr_cpus == 1 || !allowed)
		return 0;
	load_snapshot(load, nr_cpus);
	return sched_pick_cpu(load, nr_cpus, allowed, t->cpu);
}

/* Make CPU cpu look at its queue now if it is idle: it halts until an
 * interrupt comes. A busy CPU takes the task when its slice ends. */
static void kick_cpu(unsigned int cpu)
{
	struct cpu *c = cpu_area(cpu);

	spin_assert_held(&sched_lock);
	if (c->running != c->idle)
		return;
	runqs[cpu].need_resched = true;
	if (cpu != this_cpu()->id)
		smp_send_reschedule(cpu);
}

/* Queue a runnable task where it suits, and wake that CPU if idle. */
static void place(struct task *t)
{
	unsigned int cpu = select_cpu(t);

	enqueue(t, cpu);
	kick_cpu(cpu);
}

void sched_wake_locked(struct task *t)
{
	spin_assert_held(&sched_lock);
	if (t->state != TASK_SLEEPING)
		return;
	t->state = TASK_RUNNABLE;
	loadavg_woken(t);
	if (!list_empty(&t->timer_link))
		list_del(&t->timer_link);
	place(t);
}

void sched_wake(struct task *t)
{
	spin_lock(&sched_lock);
	sched_wake_locked(t);
	spin_unlock(&sched_lock);
}

void sched_kick_locked(struct task *t)
{
	spin_assert_held(&sched_lock);
	if (t->on_cpu && t->cpu != this_cpu()->id)
		smp_send_reschedule(t->cpu);
}

/* Hardware state that belongs to a user thread and not to the kernel. */
static void switch_user_state(struct task *prev, struct task *next)
{
	if (prev->mm)
		__asm__ volatile("fxsave %0" : "=m"(prev->fpu_state));
	if (next->mm) {
		__asm__ volatile("fxrstor %0" :: "m"(next->fpu_state));
		wrmsr(MSR_FS_BASE, next->fs_base);
		wrmsr(MSR_KERNEL_GS_BASE, next->gs_base);
		mm_activate(next->mm);	/* nothing if already loaded */
	}
	uint64_t top = (uint64_t)next->kstack + KSTACK_SIZE;
	this_cpu()->kernel_rsp = top;
	tss_set_kernel_stack(top);
}

static void sched_after_switch(void);

/*
 * A waiting task for CPU self from another queue, taken off it; NULL if
 * none. newly_idle: self is about to idle (steal anything movable), else
 * only even out an imbalance (sched_policy.c).
 */
static struct task *steal_task(unsigned int self, bool newly_idle)
{
	struct cpu_load load[MAX_CPUS];
	struct task *t;
	int from;

	if (nr_cpus == 1)
		return NULL;
	load_snapshot(load, self);
	from = sched_pick_busiest(load, nr_cpus, self, newly_idle);
	if (from < 0)
		return NULL;
	list_for_each_entry(t, &runqs[from].tasks, run_link) {
		if (cpu_allowed(t, self)) {
			dequeue(t);
			return t;
		}
	}
	return NULL;
}

/* Put prev, still runnable, back on a queue: this CPU's unless its
 * affinity no longer allows it (sched_setaffinity moved it away). */
static void requeue_prev(struct task *prev, unsigned int self)
{
	if (cpu_allowed(prev, self))
		enqueue(prev, self);
	else
		place(prev);
}

static struct task *pick_next(struct cpu *c)
{
	struct runq *rq = &runqs[c->id];
	struct task *next;

	if (rq->nr) {
		next = list_first_entry(&rq->tasks, struct task, run_link);
		dequeue(next);
		return next;
	}
	next = steal_task(c->id, true);
	return next ? next : c->idle;
}

/*
 * For lockdep: sched_lock is taken by the task that switches away and
 * released by the one that runs next, so at the switch it leaves the
 * first one's held locks and joins the second's (Linux's
 * prepare_lock_switch and finish_lock_switch do the same).
 */
static inline void sched_lock_pass(void)
{
	if (unlikely(lockdep_on))
		lockdep_release(&sched_lock, sched_lock.dep_class,
				sched_lock.name, 0);
}

static inline void sched_lock_adopt(void)
{
	if (unlikely(lockdep_on))
		lockdep_adopt(&sched_lock, &sched_lock.dep_class,
			      sched_lock.name, LOCKDEP_SPIN);
}

/*
 * Switch to the next runnable task (or idle). Called with sched_lock
 * held and current->state already set; a RUNNABLE current goes to the
 * back of its queue. Returns, with sched_lock held, when current runs
 * again (perhaps on another CPU).
 *
 * No other spinlock may be held: whoever wants it next would spin until
 * we run again. Spinlocks are the kernel's only irq_save() users, so
 * sched_lock's must be the one level of interrupt nesting, and
 * interrupts are off.
 */
void sched_switch(void)
{
	struct cpu *c = this_cpu();
	struct task *prev = c->running, *next;
	struct runq *rq = &runqs[c->id];

	BUG_ON(irq_enabled() || c->irq_depth != 1);	/* sched_lock only */
	spin_assert_held(&sched_lock);
	user_access_assert_closed("sched_switch");
	if (prev->state == TASK_RUNNABLE && prev != c->idle)
		requeue_prev(prev, c->id);
	if (prev->state == TASK_SLEEPING && prev->wake_deadline_ns)
		list_add_tail(&prev->timer_link, &timed_sleepers);
	loadavg_sleeping(prev);
	next = pick_next(c);
	rq->need_resched = false;
	rq->resched_ignored = 0;
	next->slice_ticks = SLICE_TICKS;
	if (next == prev)
		return;
	rq->nr_switches++;

	/* The interrupt-nesting state belongs to the thread, not the CPU. */
	int depth = c->irq_depth;
	bool was_on = c->irq_was_on;
	uint64_t now = clock_monotonic_ns();
	prev->cpu_ns += now - prev->run_start_ns;
	if (prev->state == TASK_RUNNABLE)	/* getrusage's counts */
		prev->nivcsw++;
	else
		prev->nvcsw++;
	next->run_start_ns = now;
	switch_user_state(prev, next);
	sched_lock_pass();		/* while prev is still current */
	c->running = next;
	c->prev = prev;
	next->cpu = c->id;
	next->on_cpu = true;
	switch_to(&prev->context, next->context);
	sched_lock_adopt();
	sched_after_switch();
	c = this_cpu();
	c->irq_depth = depth;
	c->irq_was_on = was_on;
}

/*
 * The task we switched away from no longer uses its stack. A thread that
 * exited (TASK_DEAD: no parent will reap it) is freed right here, the
 * first moment it can be, as Linux's finish_task_switch does.
 */
static void sched_after_switch(void)
{
	struct cpu *c = this_cpu();
	struct task *prev = c->prev;

	__atomic_store_n(&prev->on_cpu, false, __ATOMIC_RELEASE);
	if (prev->state == TASK_DEAD)
		task_free_memory(prev);
}

/* First code of a new task, before it returns to user mode (entry.S). */
void sched_finish_switch(void)
{
	struct cpu *c = this_cpu();

	sched_after_switch();
	c->irq_depth = 1;
	c->irq_was_on = false;
	sched_lock_adopt();		/* the task before us took it */
	spin_unlock(&sched_lock);
}

void sched_yield(void)
{
	spin_lock(&sched_lock);
	current->state = TASK_RUNNABLE;
	sched_switch();
	spin_unlock(&sched_lock);
}

/*
 * Timer interrupt, on every CPU: ask for a reschedule when the slice ran
 * out and someone is waiting, and even out the queues; on CPU 0 also
 * wake the timed sleepers that are due and sample the load average. Returns how many ticks a due reschedule has
 * been ignored when that reaches STALL_TICKS (once per episode; the
 * caller reports it), else 0. A reschedule is only ignored while the
 * task stays in the kernel: the way back to user mode honours it at
 * once.
 */
unsigned int sched_tick(void)
{
	struct task *t, *n;
	uint64_t now = clock_monotonic_ns();
	unsigned int stalled = 0;
	struct cpu *c = this_cpu();
	struct runq *rq = &runqs[c->id];
	struct task *cur = current;

	spin_lock(&sched_lock);
	/* The machine-wide work once a tick, not once per CPU: CPU 0's. */
	if (c->id == 0)
		list_for_each_entry_safe(t, n, &timed_sleepers, timer_link) {
			if (t->wake_deadline_ns <= now) {
				t->timed_out = true;
				sched_wake_locked(t);
			}
		}
	/* The idle task halts rather than ignoring anything; a reschedule
	 * meant for it may be moot (another CPU stole the task). */
	if (!rq->need_resched || cur == c->idle)
		rq->resched_ignored = 0;
	else if (++rq->resched_ignored == STALL_TICKS)
		stalled = rq->resched_ignored;
	/*
	 * A slice that ran out stays at 0 (it never wraps): if nobody else
	 * is runnable the task goes on running, and the first tick that
	 * finds someone waiting hands the CPU over.
	 */
	if (cur != c->idle && cur->slice_ticks > 0)
		cur->slice_ticks--;
	if (rq->nr == 0 && (t = steal_task(c->id, cur == c->idle)))
		enqueue(t, c->id);
	if (cur == c->idle || cur->slice_ticks == 0)
		rq->need_resched = rq->nr > 0;
	if (c->id == 0)
		loadavg_tick(now, sched_nr_running());
	spin_unlock(&sched_lock);
	return stalled;
}

/* Tasks runnable or running now. sched_lock held. */
static unsigned long sched_nr_running(void)
{
	unsigned long n = 0;

	spin_assert_held(&sched_lock);
	for_each_online_cpu(cpu)
		n += runqs[cpu].nr +
		     (cpu_area(cpu)->running != cpu_area(cpu)->idle);
	return n;
}

void sched_get_stats(struct sched_stats *st)
{
	spin_lock(&sched_lock);
	st->nr_running = sched_nr_running();
	st->nr_uninterruptible = loadavg_nr_uninterruptible();
	st->now_ns = clock_monotonic_ns();
	st->nr_switches = 0;
	st->idle_ns = 0;
	for_each_online_cpu(cpu) {
		struct cpu *c = cpu_area(cpu);

		st->nr_switches += runqs[cpu].nr_switches;
		st->idle_ns += c->idle->cpu_ns;
		if (c->running == c->idle)
			st->idle_ns += st->now_ns - c->idle->run_start_ns;
	}
	spin_unlock(&sched_lock);
}

/*
 * A preemption point (docs/locking.md): long kernel work calls this
 * between pieces, so that a task whose slice ran out lets the others
 * run. Never with a spinlock held (its holder would sleep) nor inside a
 * user-access window (sched_switch checks that). need_resched is peeked
 * at without the lock: a reschedule missed by a racing tick is seen at
 * the next point.
 */
bool sched_resched_due(void)
{
	return __atomic_load_n(&this_rq()->need_resched, __ATOMIC_RELAXED);
}

void cond_resched(void)
{
	if (!sched_resched_due())
		return;
	if (this_cpu()->irq_depth != 0)
		panic("cond_resched with a spinlock held");
	sched_yield();
}

/*
 * Last stop before user mode, with interrupts off (entry.S): give up the
 * CPU if the slice ran out, then deliver signals (with interrupts on,
 * since building a frame touches user memory) until none is left to act
 * on. A system call's result is settled here too (restart or EINTR).
 */
void exit_to_user_checks(void)
{
	struct task *t = current;
	struct trapframe *tf = task_user_frame(t);

	for (;;) {
		if (this_rq()->need_resched)
			sched_yield();
		if (!signal_pending() && !signal_restart_pending(tf)) {
			t->syscall_nr = -1;
			return;
		}
		irq_enable();
		signal_deliver(tf);
		irq_disable();
	}
}

int sched_sleep_ns(uint64_t ns)
{
	struct waitq wq;
	int err;

	waitq_init(&wq, "sleep");
	spin_lock(&wq.lock);
	err = waitq_sleep_timeout(&wq, ns);
	spin_unlock(&wq.lock);
	return err == -ETIMEDOUT ? 0 : err;
}

/*
 * Whether CPU self might find work: its own queue, or a waiting task on
 * another that it may be able to steal. Peeked without the lock; the
 * switch decides under it.
 */
static bool work_visible(unsigned int self)
{
	for_each_online_cpu(n)
		if (__atomic_load_n(&runqs[n].nr, __ATOMIC_RELAXED))
			return true;
	return false;
}

/*
 * The idle task: halt until an interrupt makes something runnable here.
 * A CPU that finds work only on other queues it may not run halts again
 * after one look, until its next tick.
 */
noreturn void sched_idle_loop(void)
{
	for (;;) {
		struct cpu *c;

		irq_disable();
		c = this_cpu();
		if (!work_visible(c->id)) {
			__asm__ volatile("sti; hlt" ::: "memory");
			continue;
		}
		spin_lock(&sched_lock);
		if (runqs[c->id].nr == 0) {
			struct task *t = steal_task(c->id, true);

			if (!t) {
				runqs[c->id].need_resched = false;
				spin_unlock(&sched_lock);
				__asm__ volatile("sti; hlt" ::: "memory");
				continue;
			}
			enqueue(t, c->id);
		}
		current->state = TASK_RUNNABLE;
		sched_switch();
		spin_unlock(&sched_lock);
	}
}

/* An application processor, set up by smp_init, starts scheduling. */
noreturn void sched_ap_start(void)
{
	sched_idle_loop();
}

/*
 * sched_setaffinity's work: t may run only on the CPUs of mask (online,
 * not empty). A queued task moves to an allowed queue now; a task
 * running on a CPU it may no longer use is told to reschedule there,
 * and sched_switch requeues it on an allowed CPU. Never sleeps.
 */
void sched_set_allowed(struct task *t, cpumask_t mask)
{
	spin_lock(&sched_lock);
	t->cpus_allowed = mask;
	if (!cpu_allowed(t, t->cpu)) {
		if (t->on_cpu) {
			runqs[t->cpu].need_resched = true;
			sched_kick_locked(t);
		} else if (t->state == TASK_RUNNABLE) {
			dequeue(t);
			place(t);
		}
	}
	spin_unlock(&sched_lock);
}

void sched_leave_forbidden_cpu(void)
{
	if (!cpu_allowed(current, this_cpu()->id))
		sched_yield();
}

cpumask_t sched_get_allowed(struct task *t)
{
	cpumask_t m;

	spin_lock(&sched_lock);
	m = t->cpus_allowed & cpu_online_mask();
	spin_unlock(&sched_lock);
	return m;
}
