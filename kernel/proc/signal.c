/*
 * Signal state shared by the rest of the kernel. Handlers and masks are
 * stored by rt_sigaction/rt_sigprocmask (sys_signal_state.c); delivery to
 * user handlers comes with the signals issue. Until then the only signal
 * that is ever sent is a fatal one from a CPU fault.
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
	uint64_t pending = __atomic_load_n(&t->pending, __ATOMIC_RELAXED);

	return (pending & ~t->sigmask) || (pending & (1UL << (SIGKILL - 1)));
}
