/*
 * fork, vfork, clone and clone3: create a task as a copy of the current
 * one. What the child shares and what it copies follows the clone flags,
 * as in Linux: CLONE_VM shares the address space (else a copy-on-write
 * copy), CLONE_FILES the descriptor table, CLONE_FS the cwd/root/umask,
 * CLONE_SIGHAND the signal handlers, CLONE_THREAD the thread group (the
 * new task is a thread of the caller's process: same pid, no parent of
 * its own), CLONE_SYSVSEM the System V semaphore undo list. The low byte
 * is the signal the parent gets when the child's process ends (none for
 * a thread).
 */
#include <proc/task.h>
#include <proc/sched.h>
#include "internal.h"
#include <proc/prctl.h>
#include <arch/cpu.h>
#include <arch/trapframe.h>
#include <fs/fs.h>
#include <ipc/ipc.h>
#include <lib/printk.h>
#include <lib/string.h>
#include <mm/layout.h>
#include <mm/uaccess.h>
#include <mm/vm.h>
#include <syscall/syscall.h>
#include <uapi/errno.h>
#include <uapi/sched.h>
#include <uapi/signal.h>

/* CLONE_DETACHED and CLONE_UNTRACED ask for nothing Basalt would do. */
#define CLONE_SUPPORTED (CSIGNAL | CLONE_VM | CLONE_FS | CLONE_FILES |	\
			 CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |	\
			 CLONE_VFORK |					\
			 CLONE_PARENT | CLONE_PARENT_SETTID |		\
			 CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID |	\
			 CLONE_SETTLS | CLONE_DETACHED | CLONE_UNTRACED)

struct clone_req {
	unsigned long flags;		/* without the exit signal */
	int exit_signal;
	uint64_t newsp, tls;
	int __user *parent_tid, *child_tid;
};

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

static void put_resources(struct task *child)
{
	fsctx_put(child->fs);
	files_put(child->files);
	mm_put(child->mm);
}

/* Shared or copied handlers, and the group (a new one unless a thread). */
static int copy_signal_state(struct task *child, unsigned long flags)
{
	struct task *p = current;

	if (flags & CLONE_SIGHAND) {
		sighand_get(p->sighand);
		child->sighand = p->sighand;
	} else if (!(child->sighand = sighand_alloc(p->sighand))) {
		return -ENOMEM;
	}
	if (flags & CLONE_THREAD) {
		group_get(p->group);
		child->group = p->group;
	} else if (!(child->group = group_alloc(child, task_pgid(p),
						task_sid(p)))) {
		sighand_put(child->sighand);
		child->sighand = NULL;
		return -ENOMEM;
	}
	return 0;
}

/* Registers, FPU state, identity: everything a child inherits by value. */
static void copy_thread_state(struct task *child, const struct clone_req *r)
{
	struct task *p = current;
	struct trapframe *tf = task_user_frame(child);

	*tf = *p->regs;
	tf->rax = 0;			/* the child sees 0 from the call */
	if (r->newsp)
		tf->rsp = r->newsp;
	__asm__ volatile("fxsave %0" : "=m"(child->fpu_state));
	child->fs_base = (r->flags & CLONE_SETTLS) ? r->tls : p->fs_base;
	child->gs_base = p->gs_base;
	/* Affinity is inherited; the child starts where it suits best
	 * (sched_wake), its parent's CPU as the warm guess. */
	child->cpus_allowed = __atomic_load_n(&p->cpus_allowed, __ATOMIC_RELAXED);
	child->cpu = p->cpu;
	memcpy(child->comm, p->comm, sizeof(child->comm));
	child->cred = p->cred;
	groups_get(child->cred.groups);
	child->sigmask = p->sigmask;
	if ((r->flags & (CLONE_VM | CLONE_VFORK)) != CLONE_VM)
		child->sas = p->sas;	/* a thread starts without one */
	memcpy(child->rlimits, p->rlimits, sizeof(child->rlimits));
	prctl_fork(child);
	child->regs = tf;
	task_prepare_first_run(child);
}

/*
 * Link the child into the process tree. A thread joins its group (its
 * tgid is the group's; it has no parent of its own); a process becomes a
 * child of the caller's process (its leader), or with CLONE_PARENT of
 * that process's parent. -EINTR if the caller's group is exiting (a
 * thread must not join a dying process), -EAGAIN over a task limit.
 */
static int link_child(struct task *child, const struct clone_req *r)
{
	struct task *p = current, *leader = p->group->leader;
	int err;

	spin_lock(&proc_tree_lock);
	if (p->group->exiting || p->group->exec_task) {
		spin_unlock(&proc_tree_lock);
		return -EINTR;
	}
	err = task_check_limits_locked(child);	/* EAGAIN: too many tasks */
	if (err) {
		spin_unlock(&proc_tree_lock);
		return err;
	}
	if (r->flags & CLONE_THREAD) {
		child->tgid = p->tgid;
		child->exit_signal = 0;
		group_add_thread(child->group, child);
	} else {
		child->parent = (r->flags & CLONE_PARENT) && leader->parent ?
			leader->parent : leader;
		/* A CLONE_PARENT child gets the caller's own exit signal, as
		 * on Linux: its parent never asked for the one requested. */
		child->exit_signal = child->parent == leader ? r->exit_signal :
				     leader->exit_signal;
		list_add_tail(&child->sibling, &child->parent->children);
		__atomic_store_n(&child->group->ppid, child->parent->tgid,
				 __ATOMIC_RELAXED);
		group_add_thread(child->group, child);
	}
	child->pdeath_parent = (r->flags & (CLONE_THREAD | CLONE_PARENT)) ?
			       p->pdeath_parent : p;
	spin_unlock(&proc_tree_lock);
	return 0;
}

/* Linux's copy_process checks on the flags, in its order. */
static int clone_flags_valid(unsigned long flags)
{
	if (flags & ~(unsigned long)CLONE_SUPPORTED & ~(unsigned long)CSIGNAL) {
		pr_warn("clone: flags %lx not supported",
			flags & ~(unsigned long)CLONE_SUPPORTED);
		return -EINVAL;
	}
	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return -EINVAL;
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return -EINVAL;
	/* init's parent is nobody: it may not make siblings. */
	if ((flags & CLONE_PARENT) && current->tgid == 1)
		return -EINVAL;
	return 0;
}

/*
 * The vfork handshake. The parent owns the completion, in its stack
 * frame; the child points at it through child->vfork_done. That pointer
 * is read and cleared only under vfork_lock, by whichever side lets go
 * first: the child when it stops using the parent's memory (exec or
 * exit: task_vfork_release), or the parent when SIGKILL ends its wait and
 * its frame is about to go. While done is false the child has not passed
 * task_vfork_release, so it has not exited and cannot have been reaped
 * (with CLONE_PARENT someone else reaps it): the parent may still touch
 * it. Lock order: vfork_lock, then vfork->wq.lock.
 */
static struct spinlock vfork_lock = SPINLOCK_INIT("vfork");

/* Sleep until the child lets go of our memory, or we are killed. */
static void vfork_wait(struct task *child, struct vfork_done *vfork)
{
	int err = 0;

	spin_lock(&vfork->wq.lock);
	while (!vfork->done && !err)
		err = waitq_sleep_killable(&vfork->wq);
	spin_unlock(&vfork->wq.lock);
	if (!err)
		return;
	/* Killed: we never return to user space; the child runs on. */
	spin_lock(&vfork_lock);
	if (!vfork->done)
		child->vfork_done = NULL;
	spin_unlock(&vfork_lock);
}

void task_vfork_release(struct task *t)
{
	struct vfork_done *vd;

	spin_lock(&vfork_lock);
	vd = t->vfork_done;
	t->vfork_done = NULL;
	if (vd) {
		spin_lock(&vd->wq.lock);
		vd->done = true;
		waitq_wake_all(&vd->wq);
		spin_unlock(&vd->wq.lock);
	}
	spin_unlock(&vfork_lock);
}

static long do_clone(const struct clone_req *r)
{
	struct vfork_done vfork = { .done = false };
	struct task *child;
	pid_t pid;
	int err = clone_flags_valid(r->flags);

	if (err)
		return err;
	/* The TLS base is checked as ARCH_SET_FS checks it (Linux's
	 * copy_thread). */
	if ((r->flags & CLONE_SETTLS) && r->tls >= USER_TOP)
		return -EPERM;
	child = task_alloc();
	if (!child)
		return -EAGAIN;
	err = copy_resources(child, r->flags);
	if (err)
		goto fail_task;
	err = sem_copy_undo(r->flags, child);	/* ipc/sem_undo.c */
	if (err)
		goto fail_resources;
	err = copy_signal_state(child, r->flags);
	if (err)
		goto fail_sem;
	copy_thread_state(child, r);
	pid = child->tid;
	if (r->flags & CLONE_CHILD_CLEARTID)
		child->clear_child_tid = (uint64_t)r->child_tid;
	if (r->flags & CLONE_CHILD_SETTID)	/* written by the child */
		child->set_child_tid = (uint64_t)r->child_tid;
	/* As in Linux's kernel_clone, a parent_tid that cannot be written
	 * does not fail the call: the child exists either way. */
	if (r->flags & CLONE_PARENT_SETTID)
		(void)put_user(pid, r->parent_tid);
	err = link_child(child, r);
	if (err)
		goto fail_signal;

	if (r->flags & CLONE_VFORK) {
		waitq_init(&vfork.wq, "vfork_done");
		child->vfork_done = &vfork;
	}
	child->state = TASK_SLEEPING;
	sched_wake(child);
	if (r->flags & CLONE_VFORK)
		vfork_wait(child, &vfork);
	return pid;

fail_signal:
	group_put(child->group);
	sighand_put(child->sighand);
	child->group = NULL;
	child->sighand = NULL;
fail_sem:
	sem_exit(child);
fail_resources:
	put_resources(child);
fail_task:
	task_free(child);
	return err;
}

/*
 * A new task's first step toward user mode, in its own context (entry.S,
 * interrupts off): CLONE_CHILD_SETTID is written through the checked
 * user copy into the child's own address space, honouring its
 * protections, as Linux's schedule_tail does.
 */
void task_first_user_entry(void)
{
	struct task *t = current;

	if (t->set_child_tid) {
		irq_enable();		/* the write may fault a page in */
		put_user(t->tid, (int __user *)t->set_child_tid);
		irq_disable();
		t->set_child_tid = 0;
	}
}

SYSCALL_DEFINE0(fork)
{
	struct clone_req r = { .exit_signal = SIGCHLD };

	return do_clone(&r);
}

SYSCALL_DEFINE0(vfork)
{
	struct clone_req r = { .flags = CLONE_VM | CLONE_VFORK,
			       .exit_signal = SIGCHLD };

	return do_clone(&r);
}

SYSCALL_DEFINE5(clone, unsigned long, flags, uint64_t, newsp,
		int __user *, parent_tid, int __user *, child_tid,
		uint64_t, tls)
{
	struct clone_req r = {
		.flags = flags & ~(unsigned long)CSIGNAL,
		.exit_signal = (int)(flags & CSIGNAL),
		.newsp = newsp, .tls = tls,
		.parent_tid = parent_tid, .child_tid = child_tid,
	};

	if (r.exit_signal > NSIG)
		return -EINVAL;
	if (flags & CLONE_THREAD)
		r.exit_signal = 0;
	return do_clone(&r);
}

/* Linux's struct clone_args, version 0 (64 bytes) and 2 (88 bytes). */
struct clone_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal;
	uint64_t stack, stack_size, tls, set_tid, set_tid_size, cgroup;
};
#define CLONE_ARGS_SIZE_VER0	64

/* clone3's argument checks (copy_clone_args_from_user, clone3_args_valid). */
static long clone3_args(const void __user *uargs, size_t size,
			struct clone_args *a)
{
	if (size > PAGE_SIZE)
		return -E2BIG;
	if (size < CLONE_ARGS_SIZE_VER0)
		return -EINVAL;
	memset(a, 0, sizeof(*a));
	if (copy_from_user(a, uargs, MIN(size, sizeof(*a))))
		return -EFAULT;
	for (size_t off = sizeof(*a); off < size; off++) {
		uint8_t c;

		if (get_user(c, (const uint8_t __user *)uargs + off))
			return -EFAULT;
		if (c)
			return -E2BIG;	/* a newer field we do not know */
	}
	/* pid namespaces and cgroups (pidfd is read only with CLONE_PIDFD,
	 * which clone_flags_valid refuses). */
	if (a->set_tid || a->set_tid_size || a->cgroup)
		return -EINVAL;
	if ((a->flags & CSIGNAL) || a->exit_signal > NSIG)
		return -EINVAL;
	if ((a->stack == 0) != (a->stack_size == 0))
		return -EINVAL;
	return 0;
}

SYSCALL_DEFINE2(clone3, const void __user *, uargs, size_t, size)
{
	struct clone_args a;
	struct clone_req r;
	long err = clone3_args(uargs, size, &a);

	if (err)
		return err;
	r = (struct clone_req){
		.flags = a.flags,
		.exit_signal = (a.flags & CLONE_THREAD) ? 0 : (int)a.exit_signal,
		.newsp = a.stack ? a.stack + a.stack_size : 0,
		.tls = a.tls,
		.parent_tid = (int __user *)a.parent_tid,
		.child_tid = (int __user *)a.child_tid,
	};
	return do_clone(&r);
}
