/*
 * Delivering signals, on the way back to user mode (exit_to_user_checks):
 * take the pending signals the task does not block, lowest first (fault
 * signals before the rest, as Linux does), and for each one ignore it,
 * apply its default action, or start its handler (signal_frame.c). A
 * system call cut short by a signal is restarted or fails with EINTR here,
 * following Linux's rule (see ERESTARTSYS in proc/signal.h).
 */
#include <proc/signal.h>
#include <proc/task.h>
#include <proc/coredump.h>
#include <arch/trapframe.h>
#include <lib/printk.h>
#include <uapi/errno.h>

/* Synchronous (fault) signals go first, like Linux's SYNCHRONOUS_MASK. */
#define SYNCHRONOUS (sig_bit(SIGSEGV) | sig_bit(SIGBUS) | sig_bit(SIGILL) | \
		     sig_bit(SIGTRAP) | sig_bit(SIGFPE) | sig_bit(SIGSYS))

/* The signal to take next of those allowed (0: none), SIGKILL and faults
 * first. */
static int next_signal(uint64_t pending, uint64_t allowed)
{
	uint64_t ready = pending & allowed;

	if (ready & sig_bit(SIGKILL))
		ready = sig_bit(SIGKILL);
	else if (ready & SYNCHRONOUS)
		ready &= SYNCHRONOUS;
	return ready ? __builtin_ctzll(ready) + 1 : 0;
}

/* Take sig off one pending set: a real-time signal's oldest instance
 * (the bit stays while others remain), or the standard signal. */
static void take(uint64_t *bits, const struct ksiginfo *slots,
		 struct sigqueue_list *q, int sig, struct ksiginfo *info)
{
	bool more = false;

	if (sig < SIGRTMIN || !sigqueue_take(q, sig, info, &more))
		*info = slots[sig - 1];	/* standard, or queued without info */
	if (!more)
		__atomic_and_fetch(bits, ~sig_bit(sig), __ATOMIC_RELAXED);
}

/* The thread's own signals first, then the process's (Linux's order);
 * only those in allowed. */
static int dequeue_allowed(uint64_t allowed, struct ksiginfo *info)
{
	struct task *t = current;
	struct thread_group *g = t->group;
	int sig;

	spin_lock(&g->siglock);
	sig = next_signal(t->pending, allowed);
	if (sig)
		take(&t->pending, t->siginfo, &t->rtq, sig, info);
	else if ((sig = next_signal(g->shared_pending, allowed)))
		take(&g->shared_pending, g->shared_info, &g->shared_rtq, sig,
		     info);
	/* A SIGCONT from another CPU between here and the stop cancels it
	 * (signal_stop_self looks). */
	if (sig && signal_is_stop(sig))
		t->stop_dequeued = true;
	spin_unlock(&g->siglock);
	return sig;
}

/* A timer's signal starts a periodic timer again (time/proc_timers.h). */
static int dequeued(int sig, struct ksiginfo *info)
{
	if (sig && info->code == SI_TIMER)
		posix_timer_dequeued(info);
	return sig;
}

int signal_dequeue_mask(uint64_t allowed, struct ksiginfo *info)
{
	return dequeued(dequeue_allowed(allowed, info), info);
}

int signal_dequeue(struct ksiginfo *info)
{
	return dequeued(dequeue_allowed(~current->sigmask | UNBLOCKABLE, info),
			info);
}

/* SIGKILL and SIGSTOP are never taken this way (Linux drops them). */
int signal_dequeue_set(uint64_t set, struct ksiginfo *info)
{
	return dequeued(dequeue_allowed(set & ~UNBLOCKABLE, info), info);
}

void signal_force_fault(int sig, int code, uint64_t addr, uint64_t trapno,
			uint64_t err)
{
	struct task *t = current;
	struct k_sigaction *ka = &t->sighand->action[sig - 1];

	t->fault_trapno = trapno;
	t->fault_err = err;
	if (sig == SIGSEGV && code > 0)
		t->fault_cr2 = addr;
	/* Linux force_sig_info: a blocked or ignored fault kills. */
	if ((t->sigmask & sig_bit(sig)) || ka->handler == SIG_IGN) {
		ka->handler = SIG_DFL;
		t->sigmask &= ~sig_bit(sig);
	}
	spin_lock(&t->group->siglock);
	t->siginfo[sig - 1] = (struct ksiginfo){
		.code = code, .addr = addr, .fault = trapno != 0 || err != 0 ||
		code != SI_KERNEL || addr != 0,
	};
	__atomic_or_fetch(&t->pending, sig_bit(sig), __ATOMIC_RELAXED);
	spin_unlock(&t->group->siglock);
}

/* SIG_DFL: ignore, stop, or end the process with wait status sig (with
 * a core file for the signals that dump one: proc/coredump.c). */
static void default_action(struct trapframe *tf, int sig,
			   const struct ksiginfo *info)
{
	struct task *t = current;

	if (sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH ||
	    sig == SIGCONT)
		return;
	if (signal_is_stop(sig)) {
		signal_stop_self(sig);
		return;
	}
	if (info->fault)
		pr_info("%s[%d]: %s at %lx ip %lx sp %lx error %lx (vector %lu)",
			t->comm, t->tid, signal_name(sig),
			(unsigned long)info->addr, (unsigned long)tf->rip,
			(unsigned long)tf->rsp, (unsigned long)t->fault_err,
			(unsigned long)t->fault_trapno);
	if (coredump_signal(sig))	/* status | 0x80 if a core was written */
		sig = coredump_write(sig, info);
	task_exit_group(sig);
}

/* A handler is about to run: does the interrupted call fail or restart? */
static void restart_for_handler(struct trapframe *tf,
				const struct k_sigaction *ka)
{
	switch ((long)tf->rax) {
	case -ERESTARTNOHAND:
		tf->rax = -EINTR;
		break;
	case -ERESTARTSYS:
		if (!(ka->flags & SA_RESTART)) {
			tf->rax = -EINTR;
			break;
		}
		/* fall through */
	case -ERESTARTNOINTR:
		tf->rax = current->syscall_nr;
		tf->rip -= 2;		/* back onto the SYSCALL instruction */
		break;
	}
}

static bool is_restart_code(long r)
{
	return r == -ERESTARTSYS || r == -ERESTARTNOINTR || r == -ERESTARTNOHAND;
}

bool signal_restart_pending(const struct trapframe *tf)
{
	return tf->vector == TF_VECTOR_SYSCALL && current->syscall_nr >= 0 &&
	       is_restart_code((long)tf->rax);
}

/* No handler ran: every kind of interrupted call restarts. */
static void restart_silently(struct trapframe *tf)
{
	if (is_restart_code((long)tf->rax)) {
		tf->rax = current->syscall_nr;
		tf->rip -= 2;
	}
}

/* Run ka's handler for sig; a frame that cannot be built is a SIGSEGV. */
static void handle_signal(struct trapframe *tf, int sig,
			  const struct ksiginfo *info, struct k_sigaction *ka)
{
	struct task *t = current;

	if (!(ka->flags & SA_RESTORER) ||
	    !signal_frame_setup(tf, sig, info, ka)) {
		if (sig == SIGSEGV)
			ka->handler = SIG_DFL;
		signal_force_fault(SIGSEGV, SI_KERNEL, 0, 0, 0);
		return;
	}
	/* The frame kept rt_sigsuspend's saved mask; the handler runs
	 * with the suspend mask plus its own (Linux's signal_delivered). */
	t->restore_sigmask = false;
	t->sigmask |= ka->mask;
	if (!(ka->flags & SA_NODEFER))
		t->sigmask |= sig_bit(sig);
	t->sigmask &= ~UNBLOCKABLE;
	if (ka->flags & SA_RESETHAND)
		ka->handler = SIG_DFL;
}

/*
 * Deliver at most one handler (the caller loops while signals remain, so
 * several handlers stack their frames as on Linux). Interrupts are on.
 */
void signal_deliver(struct trapframe *tf)
{
	struct task *t = current;
	bool in_syscall = tf->vector == TF_VECTOR_SYSCALL && t->syscall_nr >= 0;
	struct ksiginfo info;
	int sig;

	for (;;) {
		if (__atomic_load_n(&t->jobctl_stop, __ATOMIC_RELAXED))
			signal_stop_participate();
		sig = signal_dequeue(&info);
		if (!sig)
			break;
		struct k_sigaction *ka = &t->sighand->action[sig - 1];

		if (sig == SIGKILL)
			task_exit_group(SIGKILL);
		if (ka->handler == SIG_IGN)
			continue;
		if (ka->handler == SIG_DFL) {
			default_action(tf, sig, &info);
			continue;
		}
		if (in_syscall)
			restart_for_handler(tf, ka);
		t->syscall_nr = -1;
		handle_signal(tf, sig, &info, ka);
		return;
	}
	if (in_syscall)
		restart_silently(tf);
	t->syscall_nr = -1;
	if (t->restore_sigmask) {	/* rt_sigsuspend, and no handler ran */
		t->restore_sigmask = false;
		t->sigmask = t->saved_sigmask;
	}
}
