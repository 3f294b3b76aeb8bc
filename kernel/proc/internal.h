/* Declarations shared by the files of kernel/proc/ only. */
#ifndef BASALT_PROC_INTERNAL_H
#define BASALT_PROC_INTERNAL_H

#include <types.h>

struct task;
struct trapframe;

struct list_head;
/* The list of all tasks with a pid (all_link); hold proc_tree_lock. A
 * task fork is still building is on it unlinked: walks skip !t->linked. */
struct list_head *proc_all_tasks(void);
struct trapframe *task_user_frame(struct task *t);
void task_prepare_first_run(struct task *t);
noreturn void sched_idle_loop(void);

/* Where execve gets its argument and environment strings. */
struct exec_strings {
	bool from_user;
	const char *const *kernel_argv, *const *kernel_envp;
	const char __user *const __user *user_argv;
	const char __user *const __user *user_envp;
};

/* Replace the current program; on success the user frame is rewritten. */
long do_execve(const char *path, const struct exec_strings *src);

/* The vDSO: made at boot; mapped into mm by execve (its address or -errno). */
struct mm;
void vdso_init(void);
uint64_t vdso_map(struct mm *mm);
/* The wall clock was set: the vDSO's copy of its base follows. */
void vdso_set_realtime_base(uint64_t ns);

/* What exit and exec do to the old image: clear_child_tid, vfork parent. */
void task_mm_release(struct task *t);
/* Wake a vfork parent: the child no longer borrows its memory. */
void task_vfork_release(struct task *t);

/* FPU/SSE state of a fresh program (arch/x86_64/cpu.c). */
extern uint8_t fpu_initial_state[512];

/* Reap a zombie: free what remains once it is off every CPU. */
void task_reap(struct task *t);
/* The same for one already unlinked from the task list (auto-reap). */
void task_reap_unlinked(struct task *t);
/* signal_stop.c: an exiting thread leaves a group stop it was asked to
 * join. proc_tree_lock held. */
void signal_stop_leave_locked(struct task *t);

/* group.c: thread groups and shared handlers (see task.h). */
struct sighand;
struct thread_group;
/* A new sighand, a copy of copy's actions (or all default). */
struct sighand *sighand_alloc(const struct sighand *copy);
void sighand_get(struct sighand *sh);
void sighand_put(struct sighand *sh);
/* A new group of one reference led by leader, in pgid/sid. */
struct thread_group *group_alloc(struct task *leader, pid_t pgid, pid_t sid);
void group_get(struct thread_group *g);
void group_put(struct thread_group *g);
/* t joins g as a live member (proc_tree_lock held). */
void group_add_thread(struct thread_group *g, struct task *t);
/* SIGKILL every member but self (proc_tree_lock held). */
void group_kill_others(struct task *self);
/*
 * self begins its group's exit with status (exit_group, a fatal signal):
 * every other thread is killed. Returns false when an exit was already
 * under way (its status stands) or a thread in execve is killing self.
 */
bool group_start_exit(struct task *self, int status);

/* task_limits.c: whether child (linked into the task list, credentials
 * set) may exist: -EAGAIN over kernel.threads-max or the caller's
 * RLIMIT_NPROC, else 0. proc_tree_lock held. */
int task_check_limits_locked(const struct task *child);

/* sys_info.c: the host name (uname's nodename), for core_pattern's %h. */
void uts_nodename(char *buf, size_t size);

/* fork.c: a new task's first step toward user mode (CLONE_CHILD_SETTID). */
void task_first_user_entry(void);
/* exec.c's de_thread: make current the only thread of its group. */
int group_make_single(void);

#endif
