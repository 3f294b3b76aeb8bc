/*
 * Tasks: the schedulable threads of the kernel (kernel/proc/). A process
 * is a thread group of tasks sharing an mm, a file table and a filesystem
 * context; each of those is a separate refcounted object owned by its
 * subsystem, shared or copied according to clone flags as in Linux.
 */
#ifndef BASALT_PROC_TASK_H
#define BASALT_PROC_TASK_H

#include <types.h>
#include <lib/list.h>
#include <sync/waitq.h>
#include <arch/cpu.h>
#include <sync/spinlock.h>
#include <proc/signal.h>

struct mm;
struct files_table;
struct fs_context;
struct trapframe;
struct context;

enum task_state {
	TASK_RUNNABLE,		/* on the run queue or running */
	TASK_SLEEPING,		/* on a wait queue */
	TASK_ZOMBIE,		/* exited, waiting for the parent */
};

struct cred {
	uid_t uid, euid, suid;
	gid_t gid, egid, sgid;
};

/* Linux's struct k_sigaction layout for rt_sigaction. */
struct k_sigaction {
	uint64_t handler;
	uint64_t flags;
	uint64_t restorer;
	uint64_t mask;
};

#define NSIG 64

struct task {
	/* Fixed at creation. */
	pid_t tid;
	pid_t tgid;			/* == tid of the group leader */
	void *kstack;			/* base of KSTACK_SIZE bytes */

	/* Guarded by sched_lock. */
	enum task_state state;
	struct list_head run_link;	/* on the run queue */
	struct list_head timer_link;	/* on the timed-sleep list */
	struct context *context;	/* saved kernel registers */
	uint64_t wake_deadline_ns;	/* timed sleeps: 0 if none */
	bool timed_out;
	bool interruptible;		/* a signal may end this sleep */
	uint32_t slice_ticks;		/* ticks left in this time slice */
	bool on_cpu;			/* its stack is in use by a CPU */
	uint64_t cpu_ns;		/* CPU time used before run_start_ns */
	uint64_t run_start_ns;		/* when it last got the CPU */
	uint64_t start_ns;		/* when it was created */

	/* Guarded by the lock of the wait queue the task sleeps on. */
	struct list_head wait_link;

	/* Owned by the task itself (only it changes them). */
	struct trapframe *regs;		/* user registers, top of kstack */
	uint64_t fs_base, gs_base;
	uint8_t fpu_state[512] __attribute__((aligned(16)));
	char comm[16];			/* executable name, for messages */
	struct mm *mm;			/* changed under proc_tree_lock */
	struct files_table *files;
	struct fs_context *fs;
	struct cred cred;
	uint64_t clear_child_tid;	/* set_tid_address */
	uint64_t robust_list, robust_len;
	uint64_t sigmask;		/* blocked signals */
	struct k_sigaction sigactions[NSIG];
	long syscall_nr;		/* the call being made, or -1 */
	uint64_t fault_trapno, fault_err, fault_cr2; /* last fault (sigcontext) */
	uint64_t rlimits[16][2];	/* RLIMIT_*: cur, max */

	/* Guarded by proc_tree_lock. */
	struct task *parent;
	struct list_head children;
	struct list_head sibling;
	struct list_head all_link;	/* every task that has a pid */
	pid_t pgid, sid;
	bool exited;			/* a zombie, for wait4 */
	bool futex_exiting;		/* futex_exit ran: no PI lock may name
					 * it as owner (proc/futex.h) */
	int exit_code;			/* wait status word once exited */
	struct waitq child_exit;	/* the parent sleeps here in wait4 */
	struct waitq *vfork_done;	/* a vfork parent waits for exec/exit */

	/*
	 * Guarded by sig_lock (pending is also read without it, atomically).
	 * Lock order: proc_tree_lock, wait queue locks, sig_lock, sched_lock.
	 */
	struct spinlock sig_lock;
	uint64_t pending;		/* pending signals, bit n-1 */
	struct ksiginfo siginfo[NSIG];	/* of each pending signal */
};

extern struct spinlock proc_tree_lock;

/* The task that is running on this CPU: `current` (arch/cpu.h). */

/* Whether the current task has a signal that interrupts sleeps. */
bool signal_pending(void);

/* Terminate the current thread group with wait status word `status`. */
noreturn void task_exit_group(int status);

/* Look up a live task by pid; NULL if none. Caller holds proc_tree_lock. */
struct task *task_find(pid_t pid);

/* The lowest process id >= from, or -1 (procfs lists /proc/<pid>). */
pid_t task_next_pid(pid_t from);

/* The number of tasks with a pid (sysinfo's procs). */
unsigned long nr_threads(void);

/* CPU time t has used, in ns; whole_group adds its thread group's. */
uint64_t task_cputime_ns(struct task *t, bool whole_group);

/* Allocate a task with a kernel stack and a fresh pid; NULL if no memory. */
struct task *task_alloc(void);
/* Free a task that never ran, or a reaped zombie. */
void task_free(struct task *t);

/* Boot: turn the running boot thread into the idle task; start init. */
void proc_init(void);
noreturn void proc_start_init(const char *const argv[],
			       const char *const envp[]);

#endif
