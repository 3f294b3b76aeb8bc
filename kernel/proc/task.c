/*
 * Task objects: allocation with a kernel stack, pid assignment, the list
 * of all tasks, and the first two tasks (idle and init).
 *
 * proc_tree_lock guards the pid space, the all-tasks list and every
 * task's parent/children links and exit status. Lock order:
 * proc_tree_lock before any wait-queue lock before sched_lock.
 */
#include <proc/task.h>
#include <proc/sched.h>
#include "internal.h"
#include <proc/prctl.h>
#include <arch/trapframe.h>
#include <lib/printk.h>
#include <lib/parse.h>
#include <lib/string.h>
#include <mm/kmalloc.h>
#include <mm/page.h>
#include <uapi/errno.h>

#define PID_MAX_DEFAULT	32768		/* Linux's, below 32 CPUs */
#define PID_MAX_LIMIT	4194304		/* Linux's ceiling on 64 bits */
#define RESERVED_PIDS	300		/* Linux's floor is this + 1 */

struct spinlock proc_tree_lock = SPINLOCK_INIT("proc_tree");
static LIST_HEAD(all_tasks);		/* guarded by proc_tree_lock */
static pid_t last_pid;			/* guarded by proc_tree_lock */
static pid_t pid_max = PID_MAX_DEFAULT;	/* guarded by proc_tree_lock */
static uint64_t total_forks;		/* guarded by proc_tree_lock */

void task_pid_stats(pid_t *last, uint64_t *forks)
{
	spin_lock(&proc_tree_lock);
	*last = last_pid;
	*forks = total_forks;
	spin_unlock(&proc_tree_lock);
}

int task_pid_max_read(char *buf, size_t size)
{
	return snprintf(buf, size, "%d\n",
			__atomic_load_n(&pid_max, __ATOMIC_RELAXED));
}

/* kernel.pid_max: root only, within Linux's bounds. Pids already given
 * above a lowered maximum stay; new ones wrap below it. */
int task_pid_max_write(const char *text, size_t len)
{
	long v;

	if (current->cred.euid != 0)
		return -EPERM;
	if (parse_long(text, len, &v) < 0 || v < RESERVED_PIDS + 1 ||
	    v > PID_MAX_LIMIT)
		return -EINVAL;
	spin_lock(&proc_tree_lock);
	pid_max = (pid_t)v;
	spin_unlock(&proc_tree_lock);
	return 0;
}

struct list_head *proc_all_tasks(void)
{
	return &all_tasks;
}

pid_t task_next_pid(pid_t from)
{
	struct task *t;
	pid_t best = -1;

	spin_lock(&proc_tree_lock);
	list_for_each_entry(t, &all_tasks, all_link)
		if (t->linked && t->tid == t->tgid && t->tgid >= from &&
		    (best < 0 || t->tgid < best))
			best = t->tgid;
	spin_unlock(&proc_tree_lock);
	return best;
}

pid_t task_next_thread(pid_t tgid, pid_t from)
{
	struct task *leader, *t;
	pid_t best = -1;

	spin_lock(&proc_tree_lock);
	leader = task_find(tgid);
	if (leader && leader->tid == leader->tgid)
		list_for_each_entry(t, &leader->group->threads, thread_link)
			if (t->tid >= from && (best < 0 || t->tid < best))
				best = t->tid;
	spin_unlock(&proc_tree_lock);
	return best;
}

void task_for_each_process(void (*fn)(struct task *t, void *arg), void *arg)
{
	struct task *t;

	spin_assert_held(&proc_tree_lock);
	list_for_each_entry(t, &all_tasks, all_link)
		if (t->linked && t->tid == t->tgid && t->group->nr_live)
			fn(t, arg);
}

unsigned long nr_threads(void)
{
	struct list_head *pos;
	unsigned long n = 0;

	spin_lock(&proc_tree_lock);
	list_for_each(pos, &all_tasks)
		n++;
	spin_unlock(&proc_tree_lock);
	return n;
}

static uint64_t thread_cputime_ns(struct task *t)
{
	uint64_t ns;

	spin_lock(&sched_lock);
	ns = t->cpu_ns;
	if (t->on_cpu)		/* running now, here or on another CPU */
		ns += clock_monotonic_ns() - t->run_start_ns;
	spin_unlock(&sched_lock);
	return ns;
}

/* The group's sum takes proc_tree_lock, so callers of whole_group must
 * not hold it; a single thread's needs only sched_lock. */
uint64_t task_cputime_ns(struct task *t, bool whole_group)
{
	struct thread_group *g = t->group;
	struct task *m;
	uint64_t ns;

	if (!whole_group || !g)
		return thread_cputime_ns(t);
	spin_lock(&proc_tree_lock);
	ns = g->dead_cpu_ns;
	list_for_each_entry(m, &g->threads, thread_link)
		ns += thread_cputime_ns(m);
	spin_unlock(&proc_tree_lock);
	return ns;
}

/* The task holding pid, linked or not; proc_tree_lock held. */
static struct task *pid_owner(pid_t pid)
{
	struct task *t;

	spin_assert_held(&proc_tree_lock);
	list_for_each_entry(t, &all_tasks, all_link)
		if (t->tid == pid)
			return t;
	return NULL;
}

struct task *task_find(pid_t pid)
{
	struct task *t;

	spin_assert_held(&proc_tree_lock);
	t = pid_owner(pid);
	return t && t->linked ? t : NULL;
}

/* The next free pid after the last one given, wrapping like Linux. */
static pid_t pid_alloc(void)
{
	for (int tries = 0; tries < pid_max; tries++) {
		if (++last_pid >= pid_max)
			last_pid = 1;
		if (!pid_owner(last_pid))
			return last_pid;
	}
	return -EAGAIN;
}

struct task *task_alloc(void)
{
	struct task *t = kzalloc(sizeof(*t));
	if (!t)
		return NULL;
	struct page *stack = alloc_pages(KSTACK_ORDER);
	if (!stack) {
		kfree(t);
		return NULL;
	}
	t->kstack = page_to_virt(stack);
	t->start_ns = clock_monotonic_ns();
	list_init(&t->run_link);
	t->cpus_allowed = ~(cpumask_t)0;
	list_init(&t->timer_link);
	list_init(&t->wait_link);
	list_init(&t->children);
	list_init(&t->sibling);
	list_init(&t->thread_link);
	waitq_init(&t->child_exit, "child_exit");
	t->syscall_nr = -1;
	t->timer_slack_ns = t->default_timer_slack_ns = TIMER_SLACK_DEFAULT_NS;

	spin_lock(&proc_tree_lock);
	pid_t pid = pid_alloc();
	if (pid > 0) {
		t->tid = t->tgid = pid;
		list_add_tail(&t->all_link, &all_tasks);
		total_forks++;
	}
	spin_unlock(&proc_tree_lock);
	if (pid < 0) {
		free_pages(stack, KSTACK_ORDER);
		kfree(t);
		return NULL;
	}
	return t;
}

/* Caller has unlinked t from its parent; t no longer runs anywhere. */
void task_free(struct task *t)
{
	spin_lock(&proc_tree_lock);
	list_del(&t->all_link);
	spin_unlock(&proc_tree_lock);
	task_free_memory(t);
}

void task_free_memory(struct task *t)
{
	groups_put(t->cred.groups);
	group_put(t->group);
	sighand_put(t->sighand);
	free_pages(virt_to_page(t->kstack), KSTACK_ORDER);
	kfree(t);
}

/* The user register frame sits at the very top of the kernel stack. */
struct trapframe *task_user_frame(struct task *t)
{
	return (struct trapframe *)((char *)t->kstack + KSTACK_SIZE) - 1;
}

/*
 * Prepare t to start running at task_first_return, which leaves for
 * user mode through the trapframe at the top of t's stack.
 */
void task_prepare_first_run(struct task *t)
{
	struct context *ctx = (struct context *)task_user_frame(t) - 1;

	memset(ctx, 0, sizeof(*ctx));
	ctx->rip = (uint64_t)task_first_return;
	t->context = ctx;
}
