/*
 * Signals as the rest of the kernel sees them (kernel/proc/signal*.c).
 * Sending sets a bit in the target's pending set (one signal of each
 * number, with its siginfo: standard signals do not queue) and wakes the
 * target if it sleeps interruptibly; delivery happens on the target's way
 * back to user mode (signal_deliver, from exit_to_user_checks).
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
	int64_t band;		/* SIGIO/SIGPOLL: si_band */
	int fd;			/* SIGIO/SIGPOLL: si_fd */
	uint64_t addr;		/* faults: si_addr */
	bool fault;		/* from a CPU fault: say so if it kills */
};

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

/* Build the rt_sigframe for a handler of sig; false if it cannot. */
bool signal_frame_setup(struct trapframe *tf, int sig,
			const struct ksiginfo *info,
			const struct k_sigaction *ka);

/* Pipes call this for SIGPIPE; the tty for ^C and friends. */
void signal_raise(int sig);
int signal_kill_pgrp(pid_t pgrp, int sig);

#endif
