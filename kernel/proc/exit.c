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
	task_mm_release(t);
	files_put(t->files);
	t->files = NULL;
	fsctx_put(t->fs);
	t->fs = NULL;
	pt_switch(pt_kernel_root());	/* stop using the tables we free */
	struct mm *mm = t->mm;
	spin_lock(&proc_tree_lock);	/* procfs reads other tasks' mm */
	t->mm = NULL;
	spin_unlock(&proc_tree_lock);
	mm_put(mm);
}

/* Hand leader's children to init; wake init if one of them already exited. */
static void reparent_children(struct task *leader)
{
	struct task *init = task_find(1), *c, *n;
	bool zombie = false;

	spin_assert_held(&proc_tree_lock);
	list_for_each_entry_safe(c, n, &leader->children, sibling) {
		list_del(&c->sibling);
		c->parent = init;
		list_add_tail(&c->sibling, &init->children);
		zombie |= c->exited;
	}
	if (zombie)
		waitq_wake_all(&init->child_exit);
}

/* Tell the parent: its exit signal with the process's wait status. */
static void notify_parent(struct task *leader, int status)
{
	struct ksiginfo info = { .pid = leader->tgid, .uid = leader->cred.uid };

	spin_assert_held(&proc_tree_lock);
	if (!leader->exit_signal)
		return;
	if ((status & 0x7f) == 0) {
		info.code = CLD_EXITED;
		info.status = (status >> 8) & 0xff;
	} else {
		info.code = (status & 0x80) ? CLD_DUMPED : CLD_KILLED;
		info.status = status & 0x7f;
	}
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
	if (g->exiting)
		leader->exit_code = g->exit_code;
	leader->exited = true;
	waitq_wake_all(&leader->parent->child_exit);
	notify_parent(leader, leader->exit_code);
}

/*
 * Leave the group's live threads; true if this was the last one. A
 * thread in execve waiting for the others to go is told. proc_tree_lock.
 */
static bool leave_group(struct task *t, int status)
{
	struct thread_group *g = t->group;

	list_del(&t->thread_link);
	g->nr_live--;
	g->dead_cpu_ns += task_cputime_ns(t, false);
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
	bool last;

	spin_lock(&proc_tree_lock);
	last = t->group->nr_live == 1;
	spin_unlock(&proc_tree_lock);
	if (t->tgid == 1 && last) {
		pr_info("init exited with status 0x%x; powering off", status);
		machine_power_off();
	}
	sem_exit(t);			/* SysV SEM_UNDO adjustments */
	release_resources(t);

	spin_lock(&proc_tree_lock);
	last = leave_group(t, status);
	if (last)
		process_ended(t->group);
	if (t != t->group->leader)
		list_del(&t->all_link);	/* its tid is free; it reaps itself */
	spin_unlock(&proc_tree_lock);

	spin_lock(&sched_lock);
	t->state = t == t->group->leader ? TASK_ZOMBIE : TASK_DEAD;
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

SYSCALL_DEFINE1(exit_group, int, code)
{
	task_exit_group((code & 0xff) << 8);
}

/* One thread ends; the process ends with its last thread. */
SYSCALL_DEFINE1(exit, int, code)
{
	task_exit_thread((code & 0xff) << 8);
}
