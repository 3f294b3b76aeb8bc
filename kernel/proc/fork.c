/*
 * fork, vfork and clone: create a task as a copy of the current one. What
 * the child shares and what it copies follows the clone flags, as in
 * Linux: CLONE_VM shares the address space (else a copy-on-write copy),
 * CLONE_FILES the descriptor table, CLONE_FS the cwd/root/umask.
 * Threads (CLONE_THREAD, CLONE_SIGHAND) arrive with the threads issue;
 * until then those flags are refused with -EINVAL and logged.
 */
#include <proc/task.h>
#include <proc/sched.h>
#include "internal.h"
#include <arch/trapframe.h>
#include <fs/fs.h>
#include <lib/printk.h>
#include <lib/string.h>
#include <mm/uaccess.h>
#include <mm/vm.h>
#include <syscall/syscall.h>
#include <uapi/errno.h>
#include <uapi/sched.h>
#include <uapi/signal.h>

#define CLONE_SUPPORTED (CSIGNAL | CLONE_VM | CLONE_FS | CLONE_FILES |	\
			 CLONE_VFORK | CLONE_PARENT | CLONE_PARENT_SETTID | \
			 CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID |	\
			 CLONE_SETTLS)

/* Give the child its own or shared address space, files and fs context. */
static int copy_resources(struct task *child, unsigned long flags)
{
	struct task *p = current;

	if (flags & CLONE_VM) {
		mm_get(p->mm);
		child->mm = p->mm;
	} else if (!(child->mm = mm_fork(p->mm))) {
		return -ENOMEM;
	}
	if (flags & CLONE_FILES) {
		files_get(p->files);
		child->files = p->files;
	} else if (!(child->files = files_dup(p->files))) {
		goto fail_mm;
	}
	if (flags & CLONE_FS) {
		fsctx_get(p->fs);
		child->fs = p->fs;
	} else if (!(child->fs = fsctx_dup(p->fs))) {
		goto fail_files;
	}
	return 0;

fail_files:
	files_put(child->files);
fail_mm:
	mm_put(child->mm);
	return -ENOMEM;
}

/* Registers, FPU state, identity: everything a child inherits by value. */
static void copy_thread_state(struct task *child, unsigned long flags,
			      uint64_t newsp, uint64_t tls)
{
	struct task *p = current;
	struct trapframe *tf = task_user_frame(child);

	*tf = *p->regs;
	tf->rax = 0;			/* the child sees 0 from the call */
	if (newsp)
		tf->rsp = newsp;
	__asm__ volatile("fxsave %0" : "=m"(child->fpu_state));
	child->fs_base = (flags & CLONE_SETTLS) ? tls : p->fs_base;
	child->gs_base = p->gs_base;
	memcpy(child->comm, p->comm, sizeof(child->comm));
	child->cred = p->cred;
	child->sigmask = p->sigmask;
	memcpy(child->sigactions, p->sigactions, sizeof(child->sigactions));
	memcpy(child->rlimits, p->rlimits, sizeof(child->rlimits));
	child->regs = tf;
	task_prepare_first_run(child);
}

static void link_child(struct task *child, unsigned long flags)
{
	struct task *p = current;

	spin_lock(&proc_tree_lock);
	child->parent = (flags & CLONE_PARENT) && p->parent ? p->parent : p;
	child->pgid = p->pgid;
	child->sid = p->sid;
	list_add_tail(&child->sibling, &child->parent->children);
	spin_unlock(&proc_tree_lock);
}

static long do_clone(unsigned long flags, uint64_t newsp,
		     int __user *parent_tid, int __user *child_tid,
		     uint64_t tls)
{
	if (flags & ~(unsigned long)CLONE_SUPPORTED) {
		pr_warn("clone: flags %lx not supported yet",
			flags & ~(unsigned long)CLONE_SUPPORTED);
		return -EINVAL;
	}
	struct task *child = task_alloc();
	if (!child)
		return -EAGAIN;
	int err = copy_resources(child, flags);
	if (err) {
		task_free(child);
		return err;
	}
	copy_thread_state(child, flags, newsp, tls);
	pid_t pid = child->tid;
	if (flags & CLONE_CHILD_CLEARTID)
		child->clear_child_tid = (uint64_t)child_tid;
	if (flags & CLONE_CHILD_SETTID)
		vm_write(child->mm, (uint64_t)child_tid, &pid, sizeof(pid));
	if (flags & CLONE_PARENT_SETTID)
		put_user(pid, parent_tid);
	link_child(child, flags);

	struct waitq vfork_wq;
	if (flags & CLONE_VFORK) {
		waitq_init(&vfork_wq, "vfork");
		child->vfork_done = &vfork_wq;
		spin_lock(&vfork_wq.lock);
	}
	child->state = TASK_SLEEPING;
	sched_wake(child);
	if (flags & CLONE_VFORK) {
		/* Until the child execs or exits it borrows our memory. */
		while (child->vfork_done)
			waitq_sleep_uninterruptible(&vfork_wq);
		spin_unlock(&vfork_wq.lock);
	}
	return pid;
}

SYSCALL_DEFINE0(fork)
{
	return do_clone(SIGCHLD, 0, NULL, NULL, 0);
}

SYSCALL_DEFINE0(vfork)
{
	return do_clone(CLONE_VM | CLONE_VFORK | SIGCHLD, 0, NULL, NULL, 0);
}

SYSCALL_DEFINE5(clone, unsigned long, flags, uint64_t, newsp,
		int __user *, parent_tid, int __user *, child_tid,
		uint64_t, tls)
{
	return do_clone(flags, newsp, parent_tid, child_tid, tls);
}
