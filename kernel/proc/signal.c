/*
 * Signal helpers shared by the rest of the kernel: names for messages and
 * the "should this sleep end" test. Sending is in signal_send.c, delivery
 * in signal_deliver.c and signal_frame.c, the per-task state calls in
 * sys_signal_state.c.
 */
#include <proc/task.h>
#include <proc/signal.h>

static const char *const names[32] = {
	[SIGHUP] = "SIGHUP", [SIGINT] = "SIGINT", [SIGQUIT] = "SIGQUIT",
	[SIGILL] = "SIGILL", [SIGTRAP] = "SIGTRAP", [SIGABRT] = "SIGABRT",
	[SIGBUS] = "SIGBUS", [SIGFPE] = "SIGFPE", [SIGKILL] = "SIGKILL",
	[SIGUSR1] = "SIGUSR1", [SIGSEGV] = "SIGSEGV", [SIGUSR2] = "SIGUSR2",
	[SIGPIPE] = "SIGPIPE", [SIGALRM] = "SIGALRM", [SIGTERM] = "SIGTERM",
	[SIGCHLD] = "SIGCHLD", [SIGSYS] = "SIGSYS",
};

const char *signal_name(int sig)
{
	if (sig > 0 && sig < 32 && names[sig])
		return names[sig];
	return "signal";
}

bool signal_pending(void)
{
	struct task *t = current;
	uint64_t own = __atomic_load_n(&t->pending, __ATOMIC_RELAXED);
	uint64_t shared = __atomic_load_n(&t->group->shared_pending,
					  __ATOMIC_RELAXED);

	return ((own | shared) & ~t->sigmask) || (own & sig_bit(SIGKILL));
}

/* SIGKILL is always made thread-directed to every thread it kills. */
bool fatal_signal_pending(void)
{
	return __atomic_load_n(&current->pending, __ATOMIC_RELAXED) &
	       sig_bit(SIGKILL);
}
