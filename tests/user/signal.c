/*
 * signal.c - sending and delivering signals: kill/raise with handlers and
 * siginfo, masks, pending sets, default actions, faults caught by a
 * handler, SIGCHLD, EINTR versus SA_RESTART, and state kept across a
 * handler. Events are ordered with pipes, never with timing.
 */
#define _GNU_SOURCE
#include "t.h"

#include <setjmp.h>
#include <stdbool.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t hits, last_sig, last_code, last_pid, nested;
static volatile sig_atomic_t blocked_in_handler;

static void on_info(int sig, siginfo_t *si, void *uc)
{
	(void)sig; (void)uc;
	hits++;
	last_sig = si->si_signo;
	last_code = si->si_code;
	last_pid = si->si_pid;
}

static void install(int sig, void (*fn)(int, siginfo_t *, void *),
		    int flags, const sigset_t *mask)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fn;
	sa.sa_flags = flags | SA_SIGINFO;
	if (mask)
		sa.sa_mask = *mask;
	CHECK_OK(sigaction(sig, &sa, NULL));
}

static void case_kill_self_siginfo(void)
{
	install(SIGUSR1, on_info, 0, NULL);
	CHECK_OK(kill(getpid(), SIGUSR1));
	CHECK_EQ(hits, 1);
	CHECK_EQ(last_sig, SIGUSR1);
	CHECK_EQ(last_code, SI_USER);
	CHECK_EQ(last_pid, getpid());
}

static void case_raise_tkill(void)
{
	install(SIGUSR2, on_info, 0, NULL);
	CHECK_OK(raise(SIGUSR2));
	CHECK_EQ(hits, 1);
	CHECK_EQ(last_code, SI_TKILL);
	CHECK_OK(syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGUSR2));
	CHECK_EQ(hits, 2);
}

/* Records whether SIGUSR2 and SIGUSR1 are blocked while it runs. */
static void on_mask(int sig, siginfo_t *si, void *uc)
{
	sigset_t cur;

	(void)si; (void)uc;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	blocked_in_handler = (sigismember(&cur, SIGUSR2) ? 1 : 0) |
			     (sigismember(&cur, SIGUSR1) ? 2 : 0);
	hits++;
	if (hits == 1 && nested) {
		nested = 0;
		raise(sig);	/* runs at once only with SA_NODEFER */
		blocked_in_handler |= hits == 2 ? 4 : 0;
	}
}

static void case_handler_masks(void)
{
	sigset_t m, cur;

	sigemptyset(&m);
	sigaddset(&m, SIGUSR2);
	install(SIGUSR1, on_mask, 0, &m);
	CHECK_OK(raise(SIGUSR1));
	CHECK_EQ(blocked_in_handler, 3);
	sigprocmask(SIG_BLOCK, NULL, &cur);
	CHECK(!sigismember(&cur, SIGUSR1) && !sigismember(&cur, SIGUSR2));

	hits = 0;
	nested = 1;
	install(SIGUSR1, on_mask, SA_NODEFER, NULL);
	CHECK_OK(raise(SIGUSR1));
	CHECK_EQ(hits, 2);
	CHECK(blocked_in_handler & 4);

	struct sigaction old;
	hits = 0;
	install(SIGUSR1, on_mask, SA_RESETHAND, NULL);
	CHECK_OK(raise(SIGUSR1));
	CHECK_EQ(hits, 1);
	CHECK_OK(sigaction(SIGUSR1, NULL, &old));
	CHECK(old.sa_handler == SIG_DFL);
}

static void case_block_pending_unblock(void)
{
	sigset_t m, pend;

	install(SIGUSR1, on_info, 0, NULL);
	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);
	CHECK_OK(sigprocmask(SIG_BLOCK, &m, NULL));
	CHECK_OK(kill(getpid(), SIGUSR1));
	CHECK_EQ(hits, 0);
	CHECK_OK(sigpending(&pend));
	CHECK(sigismember(&pend, SIGUSR1));
	CHECK_OK(sigprocmask(SIG_UNBLOCK, &m, NULL));
	CHECK_EQ(hits, 1);
	CHECK_OK(sigpending(&pend));
	CHECK(!sigismember(&pend, SIGUSR1));
}

static void case_kill_child_default(void)
{
	int p[2];
	char c;

	CHECK_OK(pipe(p));
	pid_t pid = t_fork();
	if (pid == 0) {
		close(p[0]);
		write(p[1], "r", 1);
		for (;;)
			pause();
	}
	close(p[1]);
	CHECK_EQ(read(p[0], &c, 1), 1);
	CHECK_OK(kill(pid, SIGTERM));
	CHECK_SIGNALED(t_wait(pid), SIGTERM);
}

/* SIGKILL ends a child asleep in a pipe read, then one in nanosleep. */
static void case_sigkill_sleeper(void)
{
	for (int mode = 0; mode < 2; mode++) {
		int p[2], q[2];
		char c;

		CHECK_OK(pipe(p));
		CHECK_OK(pipe(q));
		pid_t pid = t_fork();
		if (pid == 0) {
			struct timespec ts = { 1000, 0 };
			write(q[1], "r", 1);
			if (mode == 0)
				read(p[0], &c, 1);
			else
				nanosleep(&ts, NULL);
			_exit(1);
		}
		CHECK_EQ(read(q[0], &c, 1), 1);
		CHECK_OK(kill(pid, SIGKILL));
		CHECK_SIGNALED(t_wait(pid), SIGKILL);
		close(p[0]); close(p[1]); close(q[0]); close(q[1]);
	}
}

static sigjmp_buf segv_env;
/* Unmapped; volatile so the compiler cannot see the store is bad. */
static int *volatile bad_ptr = (int *)8;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	last_sig = sig;
	last_code = si->si_code;
	siglongjmp(segv_env, 1);
}

static void case_segv_longjmp(void)
{
	install(SIGSEGV, on_segv, 0, NULL);
	if (sigsetjmp(segv_env, 1) == 0) {
		*bad_ptr = 1;
		T_FAIL("the store did not fault");
	}
	CHECK_EQ(last_sig, SIGSEGV);
	CHECK_EQ(last_code, SEGV_MAPERR);
	/* The mask was restored by siglongjmp: a second fault is caught. */
	if (sigsetjmp(segv_env, 1) == 0)
		*bad_ptr = 1;
	CHECK_EQ(last_sig, SIGSEGV);
}

static void case_sigchld_handler(void)
{
	install(SIGCHLD, on_info, 0, NULL);
	pid_t pid = t_fork();
	if (pid == 0)
		_exit(3);
	CHECK_EXITED(t_wait(pid), 3);
	CHECK_EQ(hits, 1);
	CHECK_EQ(last_sig, SIGCHLD);
	CHECK_EQ(last_code, CLD_EXITED);
	CHECK_EQ(last_pid, pid);
}

/* A child signals us while we block in read(); restart decides the rest. */
static void read_interrupted(int flags, bool want_restart)
{
	int p[2];
	char c;

	install(SIGUSR1, on_info, flags, NULL);
	CHECK_OK(pipe(p));
	pid_t parent = getpid();
	pid_t pid = t_fork();
	if (pid == 0) {
		kill(parent, SIGUSR1);
		/* With SA_RESTART the read must go on and get this byte. */
		if (want_restart)
			write(p[1], "x", 1);
		_exit(0);
	}
	close(p[1]);
	ssize_t n = read(p[0], &c, 1);
	if (want_restart) {
		CHECK_EQ(n, 1);
	} else if (n < 0) {
		CHECK_EQ(errno, EINTR);
	}
	CHECK_EXITED(t_wait(pid), 0);
	CHECK_EQ(hits, 1);
}

static void case_read_eintr(void)
{
	read_interrupted(0, false);
}

static void case_read_sa_restart(void)
{
	read_interrupted(SA_RESTART, true);
}

static void on_fpu(int sig, siginfo_t *si, void *uc)
{
	volatile double x = 1e300;

	(void)sig; (void)si; (void)uc;
	for (int i = 0; i < 10; i++)
		x = x * 3.0 / 7.0;
	hits++;
}

static void case_fpu_preserved(void)
{
	volatile double a = 1.5, b = 2.25;
	double before = a * b + 0.125;

	install(SIGUSR1, on_fpu, 0, NULL);
	register double live = a * b;
	CHECK_OK(raise(SIGUSR1));
	CHECK_EQ(hits, 1);
	CHECK(live + 0.125 == before);
	CHECK(a * b + 0.125 == before);
}

static void case_abort_sigabrt(void)
{
	pid_t pid = t_fork();
	if (pid == 0)
		abort();
	CHECK_SIGNALED(t_wait(pid), SIGABRT);
}

static void case_kill_errors(void)
{
	CHECK_ERR(kill(getpid(), 65), EINVAL);
	CHECK_ERR(kill(getpid(), -1), EINVAL);
	pid_t pid = t_fork();
	if (pid == 0)
		_exit(0);
	CHECK_EXITED(t_wait(pid), 0);
	CHECK_ERR(kill(pid, 0), ESRCH);	/* reaped: gone */
	CHECK_OK(kill(getpid(), 0));
	CHECK_OK(kill(0, 0));
}

static const struct t_case cases[] = {
	{ case_kill_self_siginfo, "kill_self_siginfo" },
	{ case_raise_tkill, "raise_tkill" },
	{ case_handler_masks, "handler_masks" },
	{ case_block_pending_unblock, "block_pending_unblock" },
	{ case_kill_child_default, "kill_child_default" },
	{ case_sigkill_sleeper, "sigkill_sleeper" },
	{ case_segv_longjmp, "segv_longjmp" },
	{ case_sigchld_handler, "sigchld_handler" },
	{ case_read_eintr, "read_eintr" },
	{ case_read_sa_restart, "read_sa_restart" },
	{ case_fpu_preserved, "fpu_preserved" },
	{ case_abort_sigabrt, "abort_sigabrt" },
	{ case_kill_errors, "kill_errors" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
