/*
 * signal.c - sending and handling signals: kill, raise, sigaction,
 * signal, sigprocmask. On x86-64 a handler returns through a restorer
 * that calls rt_sigreturn (restore.S); sigaction always supplies it, as
 * the kernel requires (SA_RESTORER).
 */
#include <errno.h>
#include <signal.h>
#include <unistd.h>
#include "../internal/syscall.h"

void __basalt_restore_rt(void);

int kill(pid_t pid, int sig)
{
	return (int)__syscall_ret(sys_call2(SYS_kill, pid, sig));
}

/* To this thread, as C says: tgkill, as glibc and musl do. */
int raise(int sig)
{
	return (int)__syscall_ret(sys_call3(SYS_tgkill, getpid(), gettid(),
					    sig));
}

int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	struct sigaction k;

	if (act) {
		k = *act;
		k.sa_flags |= SA_RESTORER;
		k.sa_restorer = __basalt_restore_rt;
		act = &k;
	}
	return (int)__syscall_ret(sys_call4(SYS_rt_sigaction, sig, (long)act,
					    (long)old, sizeof(sigset_t)));
}

sighandler_t signal(int sig, sighandler_t handler)
{
	struct sigaction sa = { .sa_handler = handler, .sa_flags = SA_RESTART };
	struct sigaction old;

	if (sigaction(sig, &sa, &old) < 0)
		return SIG_ERR;
	return old.sa_handler;
}

int sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
	return (int)__syscall_ret(sys_call4(SYS_rt_sigprocmask, how,
					    (long)set, (long)old,
					    sizeof(sigset_t)));
}
