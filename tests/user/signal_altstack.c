/*
 * signal_altstack.c - sigaltstack and SA_ONSTACK: a SIGSEGV handler runs
 * on the alternate stack after a stack overflow; the call's errors
 * (ENOMEM below MINSIGSTKSZ, EINVAL, EPERM while on it); SS_ONSTACK and
 * SS_DISABLE as reported; uc_stack in the handler's frame;
 * SS_AUTODISARM; a fork inherits the stack, a thread does not.
 */
#define _GNU_SOURCE
#include "t.h"

#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#define ALT_SIZE (64 * 1024)
#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1U << 31)	/* musl 1.2.3 lacks it */
#endif

static char *alt;
static volatile int on_alt, handler_flags, eperm_seen;
static volatile uintptr_t uc_sp, uc_size;
static volatile int uc_flags;

static void set_alt(int flags)
{
	stack_t ss = { .ss_sp = alt, .ss_size = ALT_SIZE, .ss_flags = flags };

	CHECK_OK(sigaltstack(&ss, NULL));
}

static void setup(void)
{
	alt = t_map(ALT_SIZE, PROT_READ | PROT_WRITE);
}

static int here_on_alt(void)
{
	char local;

	return &local >= alt && &local < alt + ALT_SIZE;
}

static void on_usr1(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	stack_t cur, again = { .ss_sp = alt, .ss_size = ALT_SIZE };

	(void)sig; (void)si;
	on_alt = here_on_alt();
	sigaltstack(NULL, &cur);
	handler_flags = cur.ss_flags;
	eperm_seen = sigaltstack(&again, NULL) == -1 && errno == EPERM;
	uc_sp = (uintptr_t)uc->uc_stack.ss_sp;
	uc_size = uc->uc_stack.ss_size;
	uc_flags = uc->uc_stack.ss_flags;
}

static void install(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fn;
	sa.sa_flags = SA_SIGINFO | flags;
	CHECK_OK(sigaction(sig, &sa, NULL));
}

static void case_handler_on_altstack(void)
{
	stack_t cur;

	setup();
	set_alt(0);
	CHECK_OK(sigaltstack(NULL, &cur));
	CHECK_EQ(cur.ss_flags, 0);
	CHECK(cur.ss_sp == alt);
	CHECK_EQ(cur.ss_size, ALT_SIZE);
	install(SIGUSR1, on_usr1, SA_ONSTACK);
	CHECK_OK(raise(SIGUSR1));
	CHECK_EQ(on_alt, 1);
	CHECK_EQ(handler_flags, SS_ONSTACK);
	CHECK_EQ(eperm_seen, 1);
	CHECK_EQ(uc_sp, (uintptr_t)alt);
	CHECK_EQ(uc_size, ALT_SIZE);
	CHECK_EQ(uc_flags, 0);	/* not on it when the signal came */
}

/* Without SA_ONSTACK the handler stays on the normal stack. */
static void case_no_onstack_flag(void)
{
	setup();
	set_alt(0);
	install(SIGUSR1, on_usr1, 0);
	CHECK_OK(raise(SIGUSR1));
	CHECK_EQ(on_alt, 0);
	CHECK_EQ(handler_flags, 0);
}

static void case_errors(void)
{
	/* The kernel's MINSIGSTKSZ (glibc's may be a sysconf call). */
	stack_t ss = { .ss_sp = NULL, .ss_size = 2047 }, cur;

	setup();
	CHECK_OK(sigaltstack(NULL, &cur));
	CHECK_EQ(cur.ss_flags, SS_DISABLE);
	ss.ss_sp = alt;
	CHECK_ERR(sigaltstack(&ss, NULL), ENOMEM);
	ss.ss_size = ALT_SIZE;
	ss.ss_flags = 4;
	CHECK_ERR(sigaltstack(&ss, NULL), EINVAL);
	ss.ss_flags = SS_ONSTACK;	/* the kernel accepts it (musl not) */
	CHECK_OK(syscall(SYS_sigaltstack, &ss, NULL));
	ss.ss_flags = SS_DISABLE;
	ss.ss_size = 0;			/* size is not checked then */
	CHECK_OK(sigaltstack(&ss, NULL));
	CHECK_OK(sigaltstack(NULL, &cur));
	CHECK_EQ(cur.ss_flags, SS_DISABLE);
	CHECK_EQ(cur.ss_size, 0);
}

static volatile int autodisarm_flags;

static void on_autodisarm(int sig, siginfo_t *si, void *uc)
{
	stack_t cur;

	(void)sig; (void)si; (void)uc;
	on_alt = here_on_alt();
	sigaltstack(NULL, &cur);
	autodisarm_flags = cur.ss_flags;
}

/* SS_AUTODISARM: while the handler runs there is no alternate stack;
 * it comes back when the handler returns. */
static void case_autodisarm(void)
{
	stack_t cur;

	setup();
	set_alt(SS_AUTODISARM);
	install(SIGUSR1, on_autodisarm, SA_ONSTACK);
	CHECK_OK(raise(SIGUSR1));
	CHECK_EQ(on_alt, 1);
	CHECK_EQ(autodisarm_flags, SS_DISABLE);
	CHECK_OK(sigaltstack(NULL, &cur));
	CHECK_EQ(cur.ss_flags, (int)SS_AUTODISARM);
	CHECK(cur.ss_sp == alt);
}

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)sig; (void)si; (void)uc;
	_exit(here_on_alt() ? 42 : 43);
}

static volatile int depth_sink;

static int recurse(int n)
{
	volatile char pad[1024];

	pad[0] = (char)n;
	depth_sink = pad[0];
	return recurse(n + 1) + pad[0];
}

/* The classic use: a stack overflow's SIGSEGV can only be handled on
 * another stack. */
static void case_stack_overflow_handled(void)
{
	pid_t pid = t_fork();

	if (pid == 0) {
		setup();
		set_alt(0);
		install(SIGSEGV, on_segv, SA_ONSTACK);
		recurse(0);
		_exit(1);
	}
	CHECK_EXITED(t_wait(pid), 42);
}

/* Without an alternate stack the same overflow kills. */
static void case_stack_overflow_unhandled(void)
{
	pid_t pid = t_fork();

	if (pid == 0) {
		install(SIGSEGV, on_segv, SA_ONSTACK);
		recurse(0);
		_exit(1);
	}
	CHECK_SIGNALED(t_wait(pid), SIGSEGV);
}

static void *thread_query(void *arg)
{
	stack_t *cur = arg;

	sigaltstack(NULL, cur);
	return NULL;
}

static void case_inherited_by_fork_not_thread(void)
{
	stack_t cur;
	pthread_t th;

	setup();
	set_alt(0);
	pid_t pid = t_fork();
	if (pid == 0) {
		sigaltstack(NULL, &cur);
		_exit(cur.ss_sp == alt && cur.ss_flags == 0 ? 0 : 1);
	}
	CHECK_EXITED(t_wait(pid), 0);
	CHECK_EQ(pthread_create(&th, NULL, thread_query, &cur), 0);
	CHECK_EQ(pthread_join(th, NULL), 0);
	CHECK_EQ(cur.ss_flags, SS_DISABLE);
}

static const struct t_case cases[] = {
	{ case_handler_on_altstack, "handler_on_altstack" },
	{ case_no_onstack_flag, "no_onstack_flag" },
	{ case_errors, "errors" },
	{ case_autodisarm, "autodisarm" },
	{ case_stack_overflow_handled, "stack_overflow_handled" },
	{ case_stack_overflow_unhandled, "stack_overflow_unhandled" },
	{ case_inherited_by_fork_not_thread, "inherited_by_fork_not_thread" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
