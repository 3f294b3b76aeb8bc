/*
 * Exit. A thread releases its address space, files and fs context itself
 * and leaves its group's live threads. The last thread out ends the
 * process: its children go to init and its parent is told (wait4 sees
 * the process only now). What remains of a task (its struct and kernel
 * stack) cannot be freed by the task itself, running on that stack: the
 * group leader's is freed by the parent's wait (task_reap), another
 * thread's by the scheduler once it has switched away (TASK_DEAD).
 *
 * exit_group and fatal signals end every thread: the first one to start
 * the group's exit records the status and sends SIGKILL to the others.
 */
#include <proc/task.h>
#include <proc/futex.h>
#include <proc/sched.h>
#include "internal.h"
#include <proc/prctl.h>
#include <proc/coredump.h>
#include <arch/machine.h>
#include <arch/paging.h>
#include <fs/fs.h>
#include <ipc/ipc.h>
#include <lib/printk.h>
#include <mm/uaccess.h>
#include <mm/vm.h>
#include <syscall/syscall.h>
#include <uapi/errno.h>
#include <uapi/wait.h>
#include <proc/signal.h>
#include <drivers/tty.h>

/*
 * What exit and exec both do to the old address space (Linux mm_release):
 * robust futexes, PI locks and clear_child_tid (futex_exit), then the
 * vfork parent.
 */
void task_mm_release(struct task *t)
{
	futex_exit(t);
	task_vfork_release(t);
}

static void release_resources(struct task *t)
{
	struct files_table *files = t->files;
	struct fs_context *fs = t->fs;

	task_mm_release(t);
	spin_lock(&proc_tree_lock);	/* procfs reads other tasks' */
	t->files = NULL;
	t->fs = NULL;
	spin_unlock(&proc_tree_lock);
	files_put(files);
	fsctx_put(fs);
	mm_activate(NULL);		/* stop using the tables we free */
	struct mm *mm = t->mm;
	spin_lock(&proc_tree_lock);	/* procfs reads other tasks' mm */
	t->mm = NULL;
	spin_unlock(&proc_tree_lock);
	mm_put(mm);
}

static void notify_parent(struct task *leader, int status);

/*
 * Hand leader's children to their reaper (init, or a child subreaper:
 * proc/prctl.c). As Linux's reparent_leader, each now signals SIGCHLD
 * when it ends, and one that already ended tells its new parent at once.
 */
static void reparent_children(struct task *leader)
{
	struct task *reaper = task_find_reaper(leader), *c, *n;
	bool zombie = false;

	spin_assert_held(&proc_tree_lock);
	list_for_each_entry_safe(c, n, &leader->children, sibling) {
		list_del(&c->sibling);
		c->parent = reaper;
		__atomic_store_n(&c->group->ppid, reaper->tgid,
				 __ATOMIC_RELAXED);
		list_add_tail(&c->sibling, &reaper->children);
		c->exit_signal = SIGCHLD;
		if (c->exited)
			notify_parent(c, c->exit_code);
		zombie |= c->exited;
		if (!c->exited)
			signal_orphan_check_locked(c, leader);
	}
	if (zombie)
		waitq_wake_all(&reaper->child_exit);
}

/*
 * Whether the parent does not wait for leader's process: SIGCHLD is its
 * exit signal and the parent ignores SIGCHLD or set SA_NOCLDWAIT. Then
 * the process is reaped at once (Linux's do_notify_parent autoreap).
 */
static bool parent_autoreaps(struct task *leader)
{
	const struct k_sigaction *ka =
		&leader->parent->sighand->action[SIGCHLD - 1];

	return leader->exit_signal == SIGCHLD &&
	       (ka->handler == SIG_IGN || (ka->flags & SA_NOCLDWAIT));
}

/* The process's CPU time for SIGCHLD's si_utime/si_stime, in clock
 * ticks (USER_HZ 100); no user/system split is kept, so all is user. */
static int64_t group_ticks(struct thread_group *g)
{
	uint64_t ns = g->dead_cpu_ns;

	return (int64_t)(ns / 10000000ULL);
}

/* Tell the parent: its exit signal with the process's wait status. */
static void notify_parent(struct task *leader, int status)
{
	struct ksiginfo info = { .pid = leader->tgid, .uid = leader->cred.uid };

	spin_assert_held(&proc_tree_lock);
	if (!leader->exit_signal)
		return;
	info.utime = group_ticks(leader->group);
	if ((status & 0x7f) == 0) {
		info.code = CLD_EXITED;
		info.status = (status >> 8) & 0xff;
	} else {
		info.code = (status & 0x80) ? CLD_DUMPED : CLD_KILLED;
		info.status = status & 0x7f;
	}
	/* Its threads have all left: their times are the group's. */
	info.utime = (int64_t)cputime_to_clock_t(leader->group->dead_time.utime);
	info.stime = (int64_t)cputime_to_clock_t(leader->group->dead_time.stime);
	signal_send_locked(leader->parent, leader->exit_signal, &info);
}

/*
 * The last thread of a process is gone: the process is a zombie for its
 * parent now. Its status is the group's exit status, or (threads ended
 * one by one) the leader's own, as Linux reports it. proc_tree_lock held.
 */
static void process_ended(struct thread_group *g)
{
	struct task *leader = g->leader;

	spin_assert_held(&proc_tree_lock);
	reparent_children(leader);
	signal_orphan_check_locked(leader, NULL);
	if (g->exiting)
		leader->exit_code = g->exit_code;
	leader->exited = true;
	notify_parent(leader, leader->exit_code);
	if (parent_autoreaps(leader)) {
		list_del(&leader->sibling);	/* no longer waitable */
		list_init(&leader->sibling);
		list_del(&leader->all_link);	/* its pid is free */
		leader->autoreap = true;
	}
	waitq_wake_all(&leader->parent->child_exit);
}

/*
 * Leave the group's live threads; true if this was the last one. A
 * thread in execve waiting for the others to go is told. proc_tree_lock.
 */
static bool leave_group(struct task *t, int status)
{
	struct thread_group *g = t->group;

	signal_stop_leave_locked(t);
	spin_lock(&g->siglock);
	sigqueue_flush(&t->rtq, ~0ULL);		/* its own queued signals */
	spin_unlock(&g->siglock);
	list_del(&t->thread_link);
	g->nr_live--;
	g->dead_cpu_ns += task_cputime_ns(t, false);
	cputime_thread_exit(t);
	if (t == g->leader)
		t->exit_code = status;
	if (g->exec_task) {
		spin_lock(&g->exec_wait.lock);
		waitq_wake_all(&g->exec_wait);
		spin_unlock(&g->exec_wait.lock);
	}
	return g->nr_live == 0;
}

/* The end of every exit: give everything back, then stop for good. */
static noreturn void do_exit(int status)
{
	struct task *t = current;
	bool last, session_leader;

	spin_lock(&proc_tree_lock);
	last = t->group->nr_live == 1;
	session_leader = task_sid(t) == t->tgid;
	spin_unlock(&proc_tree_lock);
	if (t->tgid == 1 && last) {
		pr_info("init exited with status 0x%x; powering off", status);
		machine_power_off();
	}
	coredump_wait_done(t);		/* a dump of the process is under way */
	if (last && session_leader)	/* its terminal hangs up on the session */
		tty_session_exit(t->tgid);
	sem_exit(t);			/* SysV SEM_UNDO adjustments */
	cputime_note_rss(t);		/* getrusage's maxrss */
	release_resources(t);

	struct task *leader = t->group->leader;
	bool reap_leader;

	spin_lock(&proc_tree_lock);
	prctl_thread_exit(t);		/* parent-death signals */
	last = leave_group(t, status);
	if (last)
		process_ended(t->group);
	if (t != leader)
		list_del(&t->all_link);	/* its tid is free; it reaps itself */
	/* Auto-reaped: the leader frees itself as a thread would, or this
	 * last thread frees the leader, a zombie already off its CPU. */
	reap_leader = last && leader->autoreap && t != leader;
	spin_unlock(&proc_tree_lock);
	if (last)	/* our group reference keeps the timers alive */
		proc_timers_exit(&t->group->timers);
	if (reap_leader)
		task_reap_unlinked(leader);

	spin_lock(&sched_lock);
	t->state = t == leader && !leader->autoreap ? TASK_ZOMBIE : TASK_DEAD;
	sched_switch();
	panic("a zombie ran again");
}

noreturn void task_exit_group(int status)
{
	struct thread_group *g = current->group;

	if (!group_start_exit(current, status)) {
		spin_lock(&proc_tree_lock);
		if (g->exiting)
			status = g->exit_code;
		spin_unlock(&proc_tree_lock);
	}
	do_exit(status);
}

noreturn void task_exit_thread(int status)
{
	do_exit(status);
}

void task_reap(struct task *t)
{
	while (__atomic_load_n(&t->on_cpu, __ATOMIC_ACQUIRE))
		cpu_relax();
	task_free(t);
}

/* Free a zombie already out of the task list (auto-reaped). */
void task_reap_unlinked(struct task *t)
{
	while (__atomic_load_n(&t->on_cpu, __ATOMIC_ACQUIRE))
		cpu_relax();
	task_free_memory(t);
}

SYSCALL_DEFINE1(exit_group, int, code)
{
	task_exit_group((code & 0xff) << 8);
}

/* One thread ends; the process ends with its last thread. */
SYSCALL_DEFINE1(exit, int, code)
{
	task_exit_thread((code & 0xff) << 8);
}
