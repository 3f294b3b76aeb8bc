/*
 * Process exit. The exiting task releases its address space, files and
 * fs context itself, hands its children to init, becomes a zombie and
 * wakes its parent. What remains (task struct, kernel stack) is freed by
 * the parent's wait (task_reap), because a task cannot free the stack it
 * is running on.
 */
#include <proc/task.h>
#include <proc/futex.h>
#include <proc/sched.h>
#include "internal.h"
#include <arch/machine.h>
#include <arch/paging.h>
#include <fs/fs.h>
#include <lib/printk.h>
#include <mm/uaccess.h>
#include <mm/vm.h>
#include <syscall/syscall.h>
#include <uapi/errno.h>
#include <uapi/wait.h>
#include <proc/signal.h>

/* Tell a vfork parent that we no longer use its memory (exit or exec). */
void task_vfork_release(struct task *t)
{
	struct waitq *wq = t->vfork_done;

	if (!wq)
		return;
	spin_lock(&wq->lock);
	t->vfork_done = NULL;
	waitq_wake_all(wq);
	spin_unlock(&wq->lock);
}

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

/* Hand t's children to init; wake init if one of them already exited. */
static void reparent_children(struct task *t)
{
	struct task *init = task_find(1), *c, *n;
	bool zombie = false;

	spin_assert_held(&proc_tree_lock);
	list_for_each_entry_safe(c, n, &t->children, sibling) {
		list_del(&c->sibling);
		c->parent = init;
		list_add_tail(&c->sibling, &init->children);
		zombie |= c->exited;
	}
	if (zombie)
		waitq_wake_all(&init->child_exit);
}

/* Tell the parent: SIGCHLD with the child's wait status (CLD_*). */
static void notify_parent(struct task *t, int status)
{
	struct ksiginfo info = { .pid = t->tgid, .uid = t->cred.uid };

	spin_assert_held(&proc_tree_lock);
	if ((status & 0x7f) == 0) {
		info.code = CLD_EXITED;
		info.status = (status >> 8) & 0xff;
	} else {
		info.code = (status & 0x80) ? CLD_DUMPED : CLD_KILLED;
		info.status = status & 0x7f;
	}
	signal_send_locked(t->parent, SIGCHLD, &info);
}

noreturn void task_exit_group(int status)
{
	struct task *t = current;

	if (t->tgid == 1) {
		pr_info("init exited with status 0x%x; powering off", status);
		machine_power_off();
	}
	release_resources(t);

	spin_lock(&proc_tree_lock);
	reparent_children(t);
	t->exit_code = status;
	t->exited = true;
	waitq_wake_all(&t->parent->child_exit);
	notify_parent(t, status);
	spin_unlock(&proc_tree_lock);

	spin_lock(&sched_lock);
	t->state = TASK_ZOMBIE;
	sched_switch();
	panic("a zombie ran again");
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

/* Without threads, a task is its whole thread group. */
SYSCALL_DEFINE1(exit, int, code)
{
	task_exit_group((code & 0xff) << 8);
}
