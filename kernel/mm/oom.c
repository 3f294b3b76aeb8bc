/*
 * The out-of-memory killer, as Linux's mm/oom_kill.c: when an allocation
 * that may sleep finds no memory, the process with the most resident
 * pages is killed with SIGKILL, and the allocation waits for that
 * process's address space to be torn down, then tries again.
 *
 * Who may be chosen: any process with an address space except init (its
 * death would stop the machine) and a vfork child (it borrows its
 * parent's memory; the parent is the one that holds it). Kernel tasks
 * have no address space. Every other process sharing the victim's
 * address space dies with it, since its memory comes back only when the
 * last user is gone. The choice and its reason are logged in Linux's
 * words: "Out of memory: Killed process N (comm) total-vm:…".
 *
 * Only one victim is pending at a time: while its address space lives,
 * allocations wait for it rather than kill more (Linux aborts the
 * selection while a victim exits). A victim that has not freed its
 * memory after OOM_PATIENCE_NS (stuck in an uninterruptible sleep, say)
 * is passed over and the next biggest is chosen, which stands in for
 * Linux's OOM reaper giving up on a victim.
 *
 * Progress while memory is short comes from the page allocator's
 * emergency reserve (page_alloc.c): a process that is exiting may take
 * all of it, code that cannot sleep half of it, and user memory none of
 * it, so a dying process cannot waste it on pages it would never use: its
 * fault fails, the trap handler lets it go back to user mode (or its
 * copy_*_user take the fixup), and SIGKILL ends it there.
 *
 * Waits are bounded (OOM_GIVE_UP_NS): an allocation that still finds
 * nothing then fails, and its caller returns -ENOMEM. This also breaks
 * the one cycle that could otherwise hang: a victim waiting for a lock
 * that the allocating task holds.
 */
#include <types.h>
#include <arch/cpu.h>
#include <lib/printk.h>
#include <lib/string.h>
#include <mm/oom.h>
#include <mm/page.h>
#include <proc/sched.h>
#include <proc/signal.h>
#include <proc/task.h>
#include <sync/waitq.h>
#include "vm_internal.h"

#define MS			1000000ULL
#define OOM_COSTLY_ORDER	3		/* Linux's PAGE_ALLOC_COSTLY_ORDER */
#define OOM_WAIT_NS		(10 * MS)	/* one wait for a victim */
#define OOM_PATIENCE_NS		(1000 * MS)	/* then pass it over */
#define OOM_GIVE_UP_NS		(3000 * MS)	/* then fail the allocation */

/* oom_wait.lock guards the fields below; allocations wait on oom_wait. */
static struct waitq oom_wait = {
	.lock = SPINLOCK_INIT("oom"),
	.sleepers = LIST_HEAD_INIT(oom_wait.sleepers),
};
static unsigned int oom_victims;	/* victims' address spaces alive */
static uint64_t oom_kill_ns;		/* when the last victim was chosen */
static bool oom_choosing;		/* someone is choosing one now */
static uint64_t oom_none_ns;		/* when "no killable" was last said */

/* Whether the current context may sleep: a task's, no spinlock held,
 * interrupts on (Linux's GFP_KERNEL versus GFP_ATOMIC, found out). */
static bool oom_may_sleep(void)
{
	struct task *t = current;

	return t && t != this_cpu()->idle && t->group && irq_enabled() &&
	       this_cpu()->irq_depth == 0;
}

/* t's process is exiting: exit_group, or a SIGKILL on its way. */
static bool task_dying(struct task *t)
{
	return __atomic_load_n(&t->group->exiting, __ATOMIC_RELAXED) ||
	       (__atomic_load_n(&t->pending, __ATOMIC_RELAXED) &
		sig_bit(SIGKILL));
}

enum alloc_reserve oom_alloc_reserve(unsigned int flags)
{
	if (flags & ALLOC_USER)
		return RESERVE_KEEP;
	if (!oom_may_sleep())
		return RESERVE_HALF;
	return task_dying(current) ? RESERVE_ALL : RESERVE_KEEP;
}

/* The biggest candidate seen so far, by resident pages. */
struct oom_choice {
	pid_t pid;
	struct mm *mm;
	uint64_t points;
};

/* A live thread of t's process that has an address space, or NULL. */
static struct task *process_with_mm(struct task *t)
{
	struct task *m;

	if (!list_empty(&t->thread_link) && t->mm)
		return t;
	list_for_each_entry(m, &t->group->threads, thread_link)
		if (m->mm)
			return m;
	return NULL;
}

/* Linux's oom_evaluate_task with oom_badness: resident pages decide. */
static void oom_evaluate(struct task *t, void *arg)
{
	struct oom_choice *c = arg;
	struct task *m = process_with_mm(t);
	uint64_t points;

	if (!m || t->tgid == 1 || m->vfork_done || m->mm->oom_victim)
		return;
	points = __atomic_load_n(&m->mm->rss, __ATOMIC_RELAXED);
	if (c->mm && points < c->points)
		return;
	c->pid = t->tgid;
	c->mm = m->mm;
	c->points = points;
}

/* The process to kill, with a reference to its mm; false if none. */
static bool oom_choose(struct oom_choice *c)
{
	*c = (struct oom_choice){ 0 };
	spin_lock(&proc_tree_lock);
	task_for_each_process(oom_evaluate, c);
	if (c->mm)
		mm_get(c->mm);
	spin_unlock(&proc_tree_lock);
	return c->mm != NULL;
}

/* SIGKILL every process using the victim's mm (but init). */
struct oom_kill {
	struct mm *mm;
	pid_t pid;
};

static void oom_kill_sharer(struct task *t, void *arg)
{
	struct oom_kill *k = arg;
	struct task *m = process_with_mm(t);
	struct ksiginfo info = { .code = SI_KERNEL };

	if (!m || m->mm != k->mm)
		return;
	if (t->tgid != 1)
		signal_send_locked(t, SIGKILL, &info);
}

/* Kill the chosen process and those sharing its memory (none, if they
 * all let go of it meanwhile: then it is coming back anyway). */
static void oom_kill(const struct oom_choice *c)
{
	struct oom_kill k = { .mm = c->mm, .pid = c->pid };

	spin_lock(&proc_tree_lock);
	task_for_each_process(oom_kill_sharer, &k);
	spin_unlock(&proc_tree_lock);
}

/* The victim's sizes, in pages, for the log line (Linux's MM_* counters). */
struct oom_sizes {
	uint64_t total_vm, anon, file, shmem;
};

static void oom_count_page(struct mm *mm, uint64_t va, pte_t *pte, void *arg)
{
	struct oom_sizes *s = arg;
	const struct vm_object *obj = phys_to_page(pte_phys(*pte))->owner;

	if (!obj)
		s->anon++;
	else if (vm_object_name(obj))	/* the vDSO: a special mapping */
		s->file++;
	else				/* tmpfs, shm, shared anonymous */
		s->shmem++;
}

/* Walks mm if its lock can be had without sleeping (we may hold other
 * locks its owner waits for); false if not. */
static bool oom_measure(struct mm *mm, struct oom_sizes *s)
{
	bool mine = mutex_held(&mm->lock);
	struct vma *v;

	*s = (struct oom_sizes){ 0 };
	if (!mine && !mutex_trylock(&mm->lock))
		return false;
	list_for_each_entry(v, &mm->vmas.list, link) {
		s->total_vm += (v->end - v->start) >> PAGE_SHIFT;
		mm_for_each_pte(mm, v->start, v->end, oom_count_page, s);
	}
	if (!mine)
		mutex_unlock(&mm->lock);
	return true;
}

/* Linux's __oom_kill_process message, at KERN_ERR so it reaches the
 * console; the process's name and uid are read under proc_tree_lock. */
static void oom_report(const struct oom_choice *c)
{
	struct oom_sizes s;
	char comm[sizeof(current->comm)] = "?";
	uid_t uid = 0;
	struct task *t;

	spin_lock(&proc_tree_lock);
	t = task_find(c->pid);
	if (t) {
		memcpy(comm, t->comm, sizeof(comm));
		comm[sizeof(comm) - 1] = '\0';
		uid = t->cred.uid;
	}
	spin_unlock(&proc_tree_lock);
	if (!oom_measure(c->mm, &s)) {
		pr_err("Out of memory: Killed process %d (%s) rss:%lukB, "
		       "UID:%u (address space busy: no breakdown)", c->pid,
		       comm, (unsigned long)c->points * 4, uid);
		return;
	}
	pr_err("Out of memory: Killed process %d (%s) total-vm:%lukB, "
	       "anon-rss:%lukB, file-rss:%lukB, shmem-rss:%lukB, UID:%u",
	       c->pid, comm, (unsigned long)s.total_vm * 4,
	       (unsigned long)s.anon * 4, (unsigned long)s.file * 4,
	       (unsigned long)s.shmem * 4, uid);
}

/* Whether a new victim must be chosen: none pending, or the pending ones
 * had their chance. oom_wait.lock held. */
static bool oom_need_victim(void)
{
	spin_assert_held(&oom_wait.lock);
	return !oom_choosing &&
	       (oom_victims == 0 ||
		clock_monotonic_ns() - oom_kill_ns > OOM_PATIENCE_NS);
}

/*
 * Choose and kill a victim unless one is pending. False when nothing can
 * be killed and nothing is pending: waiting would be in vain.
 */
static bool oom_kill_one(unsigned int order)
{
	struct oom_choice c;
	bool pending, chosen;

	spin_lock(&oom_wait.lock);
	if (!oom_need_victim()) {
		spin_unlock(&oom_wait.lock);
		return true;
	}
	oom_choosing = true;
	spin_unlock(&oom_wait.lock);

	pr_info("%s invoked oom-killer: order=%u, free=%lukB",
		current->comm, order, (unsigned long)page_count_free() * 4);
	chosen = oom_choose(&c);
	if (chosen) {
		/* Marked first: the mm may die as soon as the signal lands. */
		c.mm->oom_victim = true;
		spin_lock(&oom_wait.lock);
		oom_victims++;
		oom_kill_ns = clock_monotonic_ns();
		spin_unlock(&oom_wait.lock);
		oom_report(&c);
		oom_kill(&c);
		mm_put(c.mm);		/* may be the last: oom_mm_gone */
	}
	spin_lock(&oom_wait.lock);
	/* Linux panics here; Basalt fails the allocation, and says so at
	 * most once a second. */
	if (!chosen && clock_monotonic_ns() - oom_none_ns > OOM_PATIENCE_NS) {
		oom_none_ns = clock_monotonic_ns();
		spin_unlock(&oom_wait.lock);
		pr_err("Out of memory and no killable processes");
		spin_lock(&oom_wait.lock);
	}
	oom_choosing = false;
	pending = oom_victims > 0;
	waitq_wake_all(&oom_wait);	/* those who waited for the choice */
	spin_unlock(&oom_wait.lock);
	return chosen || pending;
}

/* Sleep until a victim's memory is back or another task has chosen one,
 * or OOM_WAIT_NS. */
static void oom_wait_victims(void)
{
	spin_lock(&oom_wait.lock);
	if (oom_victims > 0 || oom_choosing)
		waitq_sleep_timeout_uninterruptible(&oom_wait, OOM_WAIT_NS);
	spin_unlock(&oom_wait.lock);
}

struct page *oom_alloc_slowpath(unsigned int order, unsigned int flags)
{
	uint64_t give_up = clock_monotonic_ns() + OOM_GIVE_UP_NS;
	struct page *pg;

	if (!oom_may_sleep() || order > OOM_COSTLY_ORDER)
		return NULL;
	for (;;) {
		/* A dying process gets no user memory; kernel memory it
		 * already got from the whole reserve if there was any. */
		if (task_dying(current))
			return flags & ALLOC_USER ? NULL :
			       alloc_pages_reserve(order, RESERVE_ALL);
		if (clock_monotonic_ns() > give_up || !oom_kill_one(order))
			return NULL;
		if (!task_dying(current))
			oom_wait_victims();
		pg = alloc_pages_reserve(order, oom_alloc_reserve(flags));
		if (pg)
			return pg;
	}
}

void oom_mm_gone(struct mm *mm)
{
	if (!mm->oom_victim)
		return;
	spin_lock(&oom_wait.lock);
	oom_victims--;
	waitq_wake_all(&oom_wait);
	spin_unlock(&oom_wait.lock);
}
