/*
 * The scheduler: one run queue, round robin with a time slice of a few
 * timer ticks. The kernel is not preemptible: a task gives up the CPU
 * only when it sleeps, exits, yields, is about to return to user mode
 * after its slice ran out (exit_to_user_checks), or passes a preemption
 * point (cond_resched) in long kernel work after its slice ran out: the
 * rule is in docs/locking.md. A tick that finds a task ignoring a due
 * reschedule for STALL_TICKS ticks reports it (sched_tick), to find the
 * loops that lack a preemption point.
 *
 * sched_lock guards the run queue, the timed-sleep list and every task's
 * state. It is held across switch_to: the task that switches away takes
 * it, the task that resumes releases it.
 */
#include <proc/sched.h>
#include <proc/task.h>
#include <proc/signal.h>
#include "internal.h"
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
static LIST_HEAD(run_queue);		/* guarded by sched_lock */
static LIST_HEAD(timed_sleepers);	/* guarded by sched_lock */
static bool need_resched;		/* guarded by sched_lock */
static unsigned int resched_ignored;	/* ticks need_resched stayed set; sched_lock */
static uint64_t nr_context_switches;	/* guarded by sched_lock */

void sched_wake_locked(struct task *t)
{
	spin_assert_held(&sched_lock);
	if (t->state != TASK_SLEEPING)
		return;
	t->state = TASK_RUNNABLE;
	loadavg_woken(t);
	if (!list_empty(&t->timer_link))
		list_del(&t->timer_link);
	list_add_tail(&t->run_link, &run_queue);
}

void sched_wake(struct task *t)
{
	spin_lock(&sched_lock);
	sched_wake_locked(t);
	spin_unlock(&sched_lock);
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
		if (next->mm != prev->mm)
			mm_activate(next->mm);
	}
	uint64_t top = (uint64_t)next->kstack + KSTACK_SIZE;
	this_cpu()->kernel_rsp = top;
	tss_set_kernel_stack(top);
}

static void sched_after_switch(void);

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
 * back of the queue. Returns, with sched_lock held, when current runs again.
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

	BUG_ON(irq_enabled() || c->irq_depth != 1);	/* sched_lock only */
	spin_assert_held(&sched_lock);
	user_access_assert_closed("sched_switch");
	if (prev->state == TASK_RUNNABLE && prev != c->idle)
		list_add_tail(&prev->run_link, &run_queue);
	if (prev->state == TASK_SLEEPING && prev->wake_deadline_ns)
		list_add_tail(&prev->timer_link, &timed_sleepers);
	loadavg_sleeping(prev);
	if (list_empty(&run_queue)) {
		next = c->idle;
	} else {
		next = list_first_entry(&run_queue, struct task, run_link);
		list_del(&next->run_link);
	}
	need_resched = false;
	resched_ignored = 0;
	next->slice_ticks = SLICE_TICKS;
	if (next == prev)
		return;
	nr_context_switches++;

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
 * Timer interrupt: wake the timed sleepers that are due, and ask for a
 * reschedule when the slice ran out and someone is waiting. Returns how
 * many ticks a due reschedule has been ignored when that reaches
 * STALL_TICKS (once per episode; the caller reports it), else 0. A
 * reschedule is only ignored while the task stays in the kernel: the
 * way back to user mode honours it at once.
 */
unsigned int sched_tick(void)
{
	struct task *t, *n;
	uint64_t now = clock_monotonic_ns();
	unsigned int stalled = 0;

	spin_lock(&sched_lock);
	list_for_each_entry_safe(t, n, &timed_sleepers, timer_link) {
		if (t->wake_deadline_ns <= now) {
			t->timed_out = true;
			sched_wake_locked(t);
		}
	}
	if (need_resched && ++resched_ignored == STALL_TICKS)
		stalled = resched_ignored;
	/*
	 * A slice that ran out stays at 0 (it never wraps): if nobody else
	 * is runnable the task goes on running, and the first tick that
	 * finds someone waiting hands the CPU over.
	 */
	struct task *cur = current;
	if (cur != this_cpu()->idle && cur->slice_ticks > 0)
		cur->slice_ticks--;
	if (cur == this_cpu()->idle || cur->slice_ticks == 0)
		need_resched = !list_empty(&run_queue);
	loadavg_tick(now, sched_nr_running());
	spin_unlock(&sched_lock);
	return stalled;
}

/* Tasks runnable or running now. sched_lock held. */
static unsigned long sched_nr_running(void)
{
	unsigned long n = current != this_cpu()->idle;
	struct task *t;

	spin_assert_held(&sched_lock);
	list_for_each_entry(t, &run_queue, run_link)
		n++;
	return n;
}

void sched_get_stats(struct sched_stats *st)
{
	spin_lock(&sched_lock);
	st->nr_running = sched_nr_running();
	st->nr_uninterruptible = loadavg_nr_uninterruptible();
	st->nr_switches = nr_context_switches;
	st->now_ns = clock_monotonic_ns();
	st->idle_ns = this_cpu()->idle->cpu_ns;
	if (current == this_cpu()->idle)
		st->idle_ns += st->now_ns - current->run_start_ns;
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
	return __atomic_load_n(&need_resched, __ATOMIC_RELAXED);
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
		if (need_resched)
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

/* The idle task: halt until an interrupt makes something runnable. */
noreturn void sched_idle_loop(void)
{
	for (;;) {
		irq_disable();
		if (list_empty(&run_queue)) {
			__asm__ volatile("sti; hlt" ::: "memory");
			continue;
		}
		spin_lock(&sched_lock);
		current->state = TASK_RUNNABLE;
		sched_switch();
		spin_unlock(&sched_lock);
	}
}

noreturn void sched_ap_start(void)
{
	panic("sched_ap_start: no SMP scheduler yet");
}
