/*
 * Signals as the rest of the kernel sees them (kernel/proc/signal*.c).
 * Sending sets a bit in the target's pending set (one standard signal of
 * each number, with its siginfo: they do not queue; real-time signals
 * also queue one entry per instance) and wakes the target if it sleeps
 * interruptibly; delivery happens on the target's way back to user mode
 * (signal_deliver, from exit_to_user_checks). Stop signals and SIGCONT
 * have their job-control effects when sent (signal_stop.c).
 */
#ifndef BASALT_PROC_SIGNAL_H
#define BASALT_PROC_SIGNAL_H

#include <types.h>
#include <uapi/signal.h>

struct task;
struct k_sigaction;
struct trapframe;

/*
 * Kernel-internal results of an interrupted system call (never seen by
 * user space; Linux's values). signal_deliver turns them into -EINTR or
 * a restart of the call, following Linux's rule:
 *   ERESTARTSYS:    restart unless a handler without SA_RESTART runs;
 *   ERESTARTNOINTR: always restart;
 *   ERESTARTNOHAND: restart only if no handler runs.
 */
#define ERESTARTSYS	512
#define ERESTARTNOINTR	513
#define ERESTARTNOHAND	514

static inline uint64_t sig_bit(int sig)
{
	return 1ULL << (sig - 1);
}

/* Signals that can be neither caught, ignored nor blocked. */
#define UNBLOCKABLE	(sig_bit(SIGKILL) | sig_bit(SIGSTOP))

/* What the kernel remembers about a pending signal (one per number). */
struct ksiginfo {
	int code;		/* si_code */
	int errno_val;		/* si_errno */
	pid_t pid;		/* SI_USER, SI_TKILL, SI_QUEUE, SIGCHLD: the sender */
	uid_t uid;
	int status;		/* SIGCHLD: si_status */
	int64_t utime, stime;	/* SIGCHLD: the child's CPU time, in ticks */
	uint64_t value;		/* SI_QUEUE, SI_TIMER, SI_MESGQ: si_value */
	int timerid, overrun;	/* SI_TIMER */
	unsigned int timer_seq;	/* SI_TIMER: the arming that sent it (kernel) */
	bool from_timer;	/* a POSIX timer's own (kernel, never a user's):
				 * queued even over RLIMIT_SIGPENDING */
	int64_t band;		/* SIGIO/SIGPOLL: si_band */
	int fd;			/* SIGIO/SIGPOLL: si_fd */
	uint64_t addr;		/* faults: si_addr */
	bool fault;		/* from a CPU fault: say so if it kills */
};

/*
 * Real-time signals queue: each instance sent is one entry (in order) on
 * a singly linked list, the process's or a thread's; the pending bit of
 * the number stays set while an entry of it remains. Guarded by the
 * group's siglock; zero-filled is empty.
 */
struct sigqueue {
	struct sigqueue *next;
	int sig;
	uid_t user;			/* whose RLIMIT_SIGPENDING it counts in */
	bool charged;			/* counted there (a timer's may not be) */
	struct ksiginfo info;
};

struct sigqueue_list {
	struct sigqueue *head, *last;
};

/* The alternate signal stack (sigaltstack): size 0 means none. */
struct sigaltstack_state {
	uint64_t sp, size;
	uint32_t flags;			/* SS_AUTODISARM */
};

#define SIGRTMIN	32

/*
 * signal_queue.c, with the group's siglock held: append an instance of
 * real-time signal sig for target (-EAGAIN over its user's
 * RLIMIT_SIGPENDING, unless info->from_timer, or out of memory); take the oldest instance of sig
 * (false if none; *more: another one remains); drop every entry whose
 * signal is in set.
 */
int sigqueue_add(struct sigqueue_list *q, struct task *target, int sig,
		 const struct ksiginfo *info);
bool sigqueue_take(struct sigqueue_list *q, int sig, struct ksiginfo *info,
		   bool *more);
void sigqueue_flush(struct sigqueue_list *q, uint64_t set);

/* "SIGSEGV" etc., for kernel messages. */
const char *signal_name(int sig);

/*
 * Make sig pending for t's whole process with info, unless it would be
 * ignored, and wake a thread that will take it (SIGKILL: every thread).
 * Caller holds proc_tree_lock (keeps t alive).
 */
void signal_send_locked(struct task *t, int sig, const struct ksiginfo *info);
/* The same for the thread t alone (tkill, tgkill, SIGPIPE). */
void signal_send_thread_locked(struct task *t, int sig,
			       const struct ksiginfo *info);

/*
 * signal_send_locked's work, with its result: 0, or -EAGAIN when a
 * real-time signal that did not come from kill() cannot be queued (over
 * RLIMIT_SIGPENDING). thread: for t alone. proc_tree_lock held.
 */
int signal_queue_locked(struct task *t, int sig, const struct ksiginfo *info,
			bool thread);

/* Drop the signals in set from every pending set of g's process, queued
 * instances included. g->siglock held. */
struct thread_group;
void signal_flush_locked(struct thread_group *g, uint64_t set);

/*
 * Job control (signal_stop.c). Before sig is made pending for t's
 * process: a stop signal discards a pending SIGCONT, SIGCONT discards
 * pending stop signals and continues a stopped process (proc_tree_lock
 * held).
 */
void signal_prepare_locked(struct task *t, int sig);
/* Whether sig is SIGSTOP, SIGTSTP, SIGTTIN or SIGTTOU. */
bool signal_is_stop(int sig);
/* The default action of stop signal sig: stop the whole process. */
void signal_stop_self(int sig);
/* current was asked to join its process's group stop: park until
 * SIGCONT or SIGKILL. */
void signal_stop_participate(void);
/*
 * For a sleep that ends only for a handled or fatal signal (nanosleep):
 * if what interrupted it is a job-control stop, stop here and return
 * true (the caller sleeps on); false otherwise.
 */
bool signal_stop_in_sleep(void);
/*
 * Whether process group pgrp is orphaned (Linux's
 * will_become_orphaned_pgrp): no member but ignore has a parent in
 * another group of the same session. proc_tree_lock held.
 */
bool signal_pgrp_orphaned_locked(pid_t pgrp, const struct task *ignore);
/*
 * A process is gone (exit.c): its own group, and that of each child it
 * had (now init's, reparented from dead), may just have become orphaned;
 * one with a stopped member gets SIGHUP then SIGCONT, as on Linux.
 * proc_tree_lock held.
 */
void signal_orphan_check_locked(struct task *p, struct task *dead_parent);
/*
 * The terminal's job-control rule for the caller (Linux's
 * __tty_check_change): 0 if it is in the foreground group fg_pgrp (or
 * none is set); else SIGTTIN/SIGTTOU to its group and -ERESTARTSYS, or
 * -EIO when the signal is ignored or blocked (only for SIGTTIN; SIGTTOU
 * then allows the operation: 0) or the group is orphaned.
 */
int signal_job_control(pid_t fg_pgrp, int sig);

/* The session of process group pgrp's members, or -ESRCH if it has
 * none (TIOCSPGRP's check). */
int signal_pgrp_session(pid_t pgrp);

/* signalfd.c: whether any signalfd is open (senders then wake pollers). */
bool signalfd_exists(void);

/* Whether t's action for sig (1..64) discards it on arrival. */
bool signal_is_ignored(struct task *t, int sig);

/* Drop sig from t's process's pending sets (its action became "ignore"). */
void signal_discard(struct task *t, int sig);

/*
 * A CPU fault in user mode: sig for the current task, which must not be
 * blocked or ignored (else it is reset to the default action, which kills).
 * trapno/err are reported in the handler's sigcontext.
 */
void signal_force_fault(int sig, int code, uint64_t addr, uint64_t trapno,
			uint64_t err);

/* Take one deliverable signal of current off its pending set; 0 if none. */
int signal_dequeue(struct ksiginfo *info);
/* Take the lowest pending signal of current in allowed, SIGKILL and
 * SIGSTOP included; 0 if none. */
int signal_dequeue_mask(uint64_t allowed, struct ksiginfo *info);
/* Take the lowest pending signal of current in set (its own, then its
 * process's), blocked or not; 0 if none. */
int signal_dequeue_set(uint64_t set, struct ksiginfo *info);
/* The siginfo user space sees (a handler, sigtimedwait), zeroed first by
 * the caller, from what the sender recorded. */
struct siginfo;
void signal_fill_siginfo(struct siginfo *si, int sig,
			 const struct ksiginfo *info);

/* Whether tf ends a system call that returned an ERESTART* code. */
bool signal_restart_pending(const struct trapframe *tf);

/* Handle the current task's pending signals before it returns to tf. */
void signal_deliver(struct trapframe *tf);

/* signal_altstack.c: whether sp is on current's alternate stack; the
 * ss_flags it reports for sp; uc_stack for a frame (SS_AUTODISARM then
 * disarms); install *ss as sigaltstack does (sp: the user's rsp). */
struct user_stack;
bool signal_on_altstack(uint64_t sp);
bool signal_within_altstack(uint64_t sp);	/* ignoring SS_AUTODISARM */
int signal_altstack_flags(uint64_t sp);
void signal_altstack_save(struct user_stack *us, uint64_t sp);
int signal_altstack_set(const struct user_stack *ss, uint64_t sp);

/* Build the rt_sigframe for a handler of sig; false if it cannot. */
bool signal_frame_setup(struct trapframe *tf, int sig,
			const struct ksiginfo *info,
			const struct k_sigaction *ka);

/* Pipes call this for SIGPIPE; the tty for ^C and friends. */
void signal_raise(int sig);
int signal_kill_pgrp(pid_t pgrp, int sig);
/* kill(-pgrp) with info: 0 if any member got it. proc_tree_lock held. */
int signal_kill_pgrp_locked(pid_t pgrp, int sig, const struct ksiginfo *info);

#endif
