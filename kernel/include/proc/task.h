/*
 * Tasks: the schedulable threads of the kernel (kernel/proc/). A process
 * is a thread group of tasks (CLONE_THREAD) sharing a struct thread_group
 * (pid, process group, session, process-directed signals, the group's
 * exit) and usually an mm, a file table, a filesystem context and signal
 * handlers (struct sighand); each of those is a separate refcounted object,
 * shared or copied according to clone flags as in Linux.
 */
#ifndef BASALT_PROC_TASK_H
#define BASALT_PROC_TASK_H

#include <types.h>
#include <arch/smp.h>
#include <lib/list.h>
#include <sync/waitq.h>
#include <arch/cpu.h>
#include <sync/spinlock.h>
#include <sync/lockdep.h>
#include <proc/signal.h>
#include <proc/cputime.h>
#include <time/proc_timers.h>

struct mm;
struct files_table;
struct fs_context;
struct sem_undo_list;
struct trapframe;
struct context;

enum task_state {
	TASK_RUNNABLE,		/* on the run queue or running */
	TASK_SLEEPING,		/* on a wait queue */
	TASK_ZOMBIE,		/* exited, waiting for the parent */
	TASK_DEAD,		/* an exited thread: freed once switched out */
};

/* Supplementary groups: immutable once made, shared by reference. */
struct group_info {
	uint32_t refcount;		/* atomic */
	unsigned int ngroups;
	gid_t gid[];
};

struct cred {
	uid_t uid, euid, suid;
	gid_t gid, egid, sgid;
	struct group_info *groups;	/* NULL: none */
};

/* Whether c's effective group or one of its supplementary groups is gid
 * (Linux's in_group_p); and the supplementary groups alone. */
bool cred_in_group(const struct cred *c, gid_t gid);
bool cred_in_supplementary(const struct cred *c, gid_t gid);
void groups_get(struct group_info *gi);
void groups_put(struct group_info *gi);

/* Linux's struct k_sigaction layout for rt_sigaction. */
struct k_sigaction {
	uint64_t handler;
	uint64_t flags;
	uint64_t restorer;
	uint64_t mask;
};

#define NSIG 64

/* Signal dispositions, shared by CLONE_SIGHAND (Linux's sighand_struct). */
struct sighand {
	uint32_t refcount;		/* atomic: tasks using it */
	struct spinlock lock;		/* guards changes to action[] */
	struct k_sigaction action[NSIG];
};

/* A vfork parent's completion, in its stack frame: done once the child
 * no longer uses its memory (execve or exit). done is written under
 * vfork_lock and wq.lock (the handshake is in proc/fork.c). */
struct vfork_done {
	struct waitq wq;
	bool done;
};

/*
 * A process: what the threads of a thread group share (Linux's
 * signal_struct). Every task has one; a task made without CLONE_THREAD
 * starts a new group of which it is the leader (tid == tgid).
 */
struct thread_group {
	uint32_t refcount;		/* atomic: member tasks, live or zombie */
	/* Guards every member's pending set and siginfo, and these: */
	struct spinlock siglock;
	uint64_t shared_pending;	/* process-directed signals, bit n-1 */
	struct ksiginfo shared_info[NSIG];

	/* The parent's tgid (0: none), for getppid without a lock: written
	 * under proc_tree_lock with the leader's parent link (fork,
	 * reparenting), read with a relaxed load. */
	pid_t ppid;

	/* Guarded by proc_tree_lock: */
	struct task *leader;		/* tid == tgid; stays until reaped */
	struct list_head threads;	/* members that have not exited */
	unsigned int nr_live;		/* their number */
	bool exiting;			/* exit_group or a fatal signal */
	int exit_code;			/* wait status, once exiting */
	struct task *exec_task;		/* a thread in execve, killing the rest */
	struct waitq exec_wait;		/* it waits here for them to go */
	pid_t pgid, sid;		/* process group and session */
	bool did_exec;			/* execve since fork (setpgid: EACCES) */
	uint64_t dead_cpu_ns;		/* CPU time of members gone */
	bool child_subreaper;		/* PR_SET_CHILD_SUBREAPER */

	/* prctl and core dumps (proc/prctl.c, proc/coredump.c): */
	int dumpable;			/* atomic: PR_SET_DUMPABLE, 0 or 1 */
	struct waitq core_wait;		/* its lock guards the two below */
	struct task *core_dumper;	/* the thread writing a core, or NULL */
	unsigned int core_parked;	/* threads waiting for it to finish */

	/*
	 * Job control (proc/signal_stop.c). Guarded by siglock; the
	 * stop_report/cont_report pair is written with proc_tree_lock held
	 * too, so wait reads it under proc_tree_lock alone.
	 */
	bool stop_active;		/* a group stop is under way or done */
	bool stopped;			/* ...done: every thread parked */
	int stop_sig;			/* the signal that stops it */
	unsigned int stop_count;	/* threads yet to park */
	unsigned int stop_gen;		/* bumped by every SIGCONT */
	int stop_report;		/* wait's WSTOPPED: stop_sig, once */
	bool cont_report;		/* wait's WCONTINUED, once */
	struct waitq stop_wait;		/* stopped threads park here */
	struct sigqueue_list shared_rtq; /* queued real-time signals */
	struct waitq signalfd_wait;	/* signalfd readers (signalfd.c) */

	/* Usage (proc/cputime.c), guarded by proc_tree_lock: of members
	 * gone, and of reaped children with theirs (Linux's signal_struct
	 * sums). maxrss in KiB. */
	struct cputime dead_time, child_time;
	uint64_t dead_nvcsw, dead_nivcsw, child_nvcsw, child_nivcsw;
	uint64_t dead_minflt, child_minflt;
	uint64_t maxrss, child_maxrss;
	/* The tick's samples of the group's user and system time, in ns
	 * (ITIMER_VIRTUAL, ITIMER_PROF, RLIMIT_CPU); atomic. */
	uint64_t tick_utime, tick_stime;
	/* alarm, interval timers, POSIX timers (time/proc_timers.h). */
	struct proc_timers timers;
};

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
	bool killable;			/* SIGKILL may end this sleep */
	bool load_counted;		/* in the uninterruptible count (loadavg.c) */
	uint32_t slice_ticks;		/* ticks left in this time slice */
	bool on_cpu;			/* its stack is in use by a CPU */
	unsigned int cpu;		/* the CPU it runs on, is queued on
					 * or last ran on */
	cpumask_t cpus_allowed;		/* sched_setaffinity's set (all ones
					 * by default: any CPU online) */
	uint64_t cpu_ns;		/* CPU time used before run_start_ns */
	uint64_t run_start_ns;		/* when it last got the CPU */
	uint64_t start_ns;		/* when it was created */
	uint64_t nvcsw, nivcsw;		/* voluntary/forced switches away */
	struct cputime reported;	/* last split given out (cputime.c) */

	/* Tick samples: user mode, kernel (atomic; cputime.c). */
	uint64_t user_ticks, system_ticks;
	uint64_t minflt;		/* page faults (the task's own) */

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
	uint64_t set_child_tid;		/* CLONE_CHILD_SETTID, written at start */
	uint64_t clear_child_tid;	/* set_tid_address */
	uint64_t robust_list, robust_len;
	uint64_t sigmask;		/* blocked signals */
	struct sighand *sighand;	/* fixed after clone (execve may unshare) */
	struct thread_group *group;	/* fixed */
	long syscall_nr;		/* the call being made, or -1 */
	uint64_t fault_trapno, fault_err, fault_cr2; /* last fault (sigcontext) */
	uint64_t rlimits[16][2];	/* RLIMIT_*: cur, max */
	struct sem_undo_list *sysvsem;	/* SEM_UNDO list (sem_undo.c) or NULL */
	bool in_syscall;		/* in syscall_dispatch's handler call */
	unsigned int fail_nth;		/* fault injection (mm/fault_inject.h) */
	bool no_new_privs;		/* PR_SET_NO_NEW_PRIVS (sticky) */
	uint64_t timer_slack_ns;	/* PR_SET_TIMERSLACK */
	uint64_t default_timer_slack_ns; /* what PR_SET_TIMERSLACK 0 restores */

	/*
	 * Guarded by proc_tree_lock. A process's children hang off its group
	 * leader (children made by any thread), whose parent is the
	 * process's parent; other threads have no parent link.
	 */
	struct task *parent;		/* leaders: who waits for the group */
	struct list_head children;	/* leaders: the processes we made */
	struct list_head sibling;	/* in the parent's children */
	struct list_head all_link;	/* every task that has a pid */
	bool linked;			/* joined the tree (group_add_thread):
					 * until then its pid is only taken,
					 * and task_find and walks of all_link
					 * skip it (fork builds it, and may
					 * yield, after taking the pid) */
	struct list_head thread_link;	/* in group->threads while live */
	int exit_signal;		/* to the parent at the end (0: none) */
	bool exited;			/* leaders: the group ended, for wait4 */
	bool autoreap;			/* leaders: ended, reaped without wait */
	bool futex_exiting;		/* futex_exit ran: no PI lock may name
					 * it as owner (proc/futex.h) */
	int exit_code;			/* wait status word */
	struct waitq child_exit;	/* leaders: threads sleep here in wait4 */
	struct vfork_done *vfork_done;	/* a vfork parent waits for exec/exit;
					 * guarded by vfork_lock (fork.c) */
	int pdeath_signal;		/* PR_SET_PDEATHSIG: sent when */
	struct task *pdeath_parent;	/* this thread exits (or NULL); the
					 * thread that forked us, kept live
					 * (prctl_thread_exit): Linux's
					 * real_parent, for __WNOTHREAD */

	/*
	 * Guarded by group->siglock (pending is also read without it,
	 * atomically). Lock order: proc_tree_lock, wait queue locks,
	 * group->siglock, sched_lock.
	 */
	uint64_t pending;		/* thread-directed signals, bit n-1 */
	struct ksiginfo siginfo[NSIG];	/* of each pending signal */
	struct sigqueue_list rtq;	/* queued real-time signals */
	bool jobctl_stop;		/* must join the group stop */
	bool stop_dequeued;		/* took a stop signal, no SIGCONT since
					 * (Linux's JOBCTL_STOP_DEQUEUED) */
	bool job_stopped;		/* parked in a group stop ('T') */

	/* Owned by the task itself: rt_sigsuspend's mask to restore after
	 * the handler, and the alternate signal stack (sigaltstack). */
	uint64_t saved_sigmask;
	bool restore_sigmask;
	uint64_t real_blocked;		/* sigtimedwait: the mask it lifted */
	struct sigaltstack_state sas;

	/* Owned by the task itself (and interrupts taken over it): the
	 * locks it holds, for lockdep (sync/lockdep.h). */
	struct lockdep_task lockdep;
};

/* The process group and session of t's process. */
static inline pid_t task_pgid(const struct task *t)
{
	return __atomic_load_n(&t->group->pgid, __ATOMIC_RELAXED);
}

static inline pid_t task_sid(const struct task *t)
{
	return __atomic_load_n(&t->group->sid, __ATOMIC_RELAXED);
}

extern struct spinlock proc_tree_lock;

/* The task that is running on this CPU: `current` (arch/cpu.h). */

/* Whether the current task has a signal that interrupts sleeps. */
bool signal_pending(void);
/* Whether the current task has been killed (SIGKILL pending): it will
 * never return to user space, so killable sleeps end. */
bool fatal_signal_pending(void);

/* Terminate the current thread group with wait status word `status`:
 * every other thread is killed, and the parent sees `status`. */
noreturn void task_exit_group(int status);
/* Terminate the current thread only (exit(2)); the last one out ends the
 * process. */
noreturn void task_exit_thread(int status);

/* The process t belongs to: its parent (NULL for init). proc_tree_lock. */
struct task *task_parent(const struct task *t);

/* Look up a task by pid (not one fork is still building); NULL if none.
 * Caller holds proc_tree_lock. */
struct task *task_find(pid_t pid);

/* The lowest process id >= from, or -1 (procfs lists /proc/<pid>). */
pid_t task_next_pid(pid_t from);
/* The lowest tid >= from of a live thread of process tgid, or -1
 * (/proc/<pid>/task). */
pid_t task_next_thread(pid_t tgid, pid_t from);

/*
 * Call fn for every process that has a live thread: t is its leader
 * (whose thread_link is empty if only other threads still run). Caller
 * holds proc_tree_lock, so fn must not sleep (the OOM killer's walk).
 */
void task_for_each_process(void (*fn)(struct task *t, void *arg), void *arg);

/* The last pid given and the number of tasks made since boot
 * (/proc/loadavg, /proc/stat). */
void task_pid_stats(pid_t *last, uint64_t *forks);
/* /proc/sys/kernel/pid_max: as snprintf; 0 or -errno. */
int task_pid_max_read(char *buf, size_t size);
int task_pid_max_write(const char *text, size_t len);

/* The number of tasks with a pid (sysinfo's procs). */
unsigned long nr_threads(void);

/* CPU time t has used, in ns; whole_group: its whole thread group's. */
uint64_t task_cputime_ns(struct task *t, bool whole_group);

/* Allocate a task with a kernel stack and a fresh pid; NULL if no memory. */
struct task *task_alloc(void);
/* Free a task that never ran, or a reaped zombie. */
void task_free(struct task *t);
/* The memory of a task no longer in the task list and off every CPU:
 * kernel stack, struct, group and sighand references. Takes no lock but
 * the allocators' (the scheduler calls it with sched_lock held). */
void task_free_memory(struct task *t);

/* Boot: turn the running boot thread into the idle task; start init. */
void proc_init(void);
/* An application processor's boot thread, on stack [stack, stack + size),
 * becomes the idle task of c (c->idle = c->running). */
struct cpu;
void proc_init_ap_idle(struct cpu *c, void *stack, size_t size);
noreturn void proc_start_init(const char *const argv[],
			       const char *const envp[]);

#endif
