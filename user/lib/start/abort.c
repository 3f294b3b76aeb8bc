/*
 * abort.c - abort: ends the process with SIGABRT, even if the program
 * blocked, ignored or caught it (a caught one may return: the signal is
 * then made fatal and raised again). On a kernel that cannot deliver
 * signals yet, the process still dies: by a trap instruction (SIGILL),
 * and as a last resort by exit_group(127). stdio is not flushed, as C
 * leaves it to the implementation and glibc does not either.
 */
#include <signal.h>
#include <stdlib.h>
#include "../internal/syscall.h"

void abort(void)
{
	raise(SIGABRT);

	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigset_t abrt = { { 1UL << (SIGABRT - 1) } };

	sys_call4(SYS_rt_sigaction, SIGABRT, (long)&dfl, 0, sizeof(sigset_t));
	sys_call4(SYS_rt_sigprocmask, SIG_UNBLOCK, (long)&abrt, 0,
		  sizeof(sigset_t));
	raise(SIGABRT);
	__builtin_trap();
	for (;;)
		sys_call1(SYS_exit_group, 127);
}
