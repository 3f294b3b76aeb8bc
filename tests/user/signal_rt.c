/*
 * signal_rt.c - queued real-time signals and the calls around them:
 * every instance of a real-time signal is delivered, in order, with its
 * si_value (sigqueue), up to RLIMIT_SIGPENDING (then EAGAIN); standard
 * signals still merge; rt_sigqueueinfo's permission rule; sigwaitinfo,
 * sigtimedwait and rt_sigsuspend; SA_RESETHAND.
 */
#define _GNU_SOURCE
#include "t.h"

#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t hits;
static volatile int seen_sig[16], seen_val[16];
static volatile int seen_code, seen_pid, seen_uid;

static void on_record(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (hits < 16) {
		seen_sig[hits] = sig;
		seen_val[hits] = si->si_value.sival_int;
	}
	seen_code = si->si_code;
	seen_pid = si->si_pid;
	seen_uid = (int)si->si_uid;
	hits++;
}

static void install(int sig, int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_record;
	sa.sa_flags = SA_SIGINFO | flags;
	CHECK_OK(sigaction(sig, &sa, NULL));
}

static void block(int sig, sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, sig);
	CHECK_OK(sigprocmask(SIG_BLOCK, set, NULL));
}

static void queue(int sig, int value)
{
	union sigval v = { .sival_int = value };

	CHECK_OK(sigqueue(getpid(), sig, v));
}

/* Blocked instances wait in order; the handler sees each one. */
static void case_rt_every_instance_in_order(void)
{
	sigset_t set;

	install(SIGRTMIN, 0);
	block(SIGRTMIN, &set);
	for (int i = 0; i < 5; i++)
		queue(SIGRTMIN, 100 + i);
	CHECK_EQ(hits, 0);
	CHECK_OK(sigprocmask(SIG_UNBLOCK, &set, NULL));
	CHECK_EQ(hits, 5);
	for (int i = 0; i < 5; i++) {
		CHECK_EQ(seen_sig[i], SIGRTMIN);
		CHECK_EQ(seen_val[i], 100 + i);
	}
	CHECK_EQ(seen_code, SI_QUEUE);
	CHECK_EQ(seen_pid, getpid());
	CHECK_EQ(seen_uid, (int)getuid());
}

/* Lower numbers first; within one number, the order they were sent. */
static void case_rt_sigwaitinfo_order(void)
{
	sigset_t set;
	siginfo_t si;
	static const int want[][2] = {
		{ 0, 2 }, { 0, 3 }, { 1, 1 }, { 1, 4 },
	};

	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN);
	sigaddset(&set, SIGRTMIN + 1);
	CHECK_OK(sigprocmask(SIG_BLOCK, &set, NULL));
	queue(SIGRTMIN + 1, 1);
	queue(SIGRTMIN, 2);
	queue(SIGRTMIN, 3);
	queue(SIGRTMIN + 1, 4);
	for (int i = 0; i < 4; i++) {
		CHECK_EQ(sigwaitinfo(&set, &si), SIGRTMIN + want[i][0]);
		CHECK_EQ(si.si_value.sival_int, want[i][1]);
		CHECK_EQ(si.si_code, SI_QUEUE);
	}
	struct timespec zero = { 0, 0 };
	CHECK_ERR(sigtimedwait(&set, &si, &zero), EAGAIN);
}

/* kill() of a real-time signal queues too, with SI_USER. */
static void case_rt_kill_queues(void)
{
	sigset_t set;
	siginfo_t si;

	block(SIGRTMAX, &set);
	CHECK_OK(kill(getpid(), SIGRTMAX));
	CHECK_OK(kill(getpid(), SIGRTMAX));
	CHECK_EQ(sigwaitinfo(&set, &si), SIGRTMAX);
	CHECK_EQ(si.si_code, SI_USER);
	CHECK_EQ(si.si_pid, getpid());
	CHECK_EQ(sigwaitinfo(&set, &si), SIGRTMAX);
	struct timespec zero = { 0, 0 };
	CHECK_ERR(sigtimedwait(&set, &si, &zero), EAGAIN);
}

static void case_standard_signals_merge(void)
{
	sigset_t set;

	install(SIGUSR1, 0);
	block(SIGUSR1, &set);
	for (int i = 0; i < 3; i++)
		CHECK_OK(kill(getpid(), SIGUSR1));
	CHECK_OK(sigprocmask(SIG_UNBLOCK, &set, NULL));
	CHECK_EQ(hits, 1);
}

/*
 * RLIMIT_SIGPENDING counts per user: as an unprivileged user of its own
 * the child can queue exactly the limit, then sigqueue fails with
 * EAGAIN; kill() still succeeds, but its signal merges with the queued
 * ones (no room for its siginfo).
 */
static void case_rt_sigpending_limit(void)
{
	pid_t pid = t_fork();

	if (pid == 0) {
		struct rlimit rl = { 8, 8 };
		union sigval v = { .sival_int = 0 };
		sigset_t set;
		siginfo_t si;
		int n = 0;

		block(SIGRTMIN, &set);
		if (setresgid(65533, 65533, 65533) ||
		    setresuid(65533, 65533, 65533) ||
		    setrlimit(RLIMIT_SIGPENDING, &rl))
			_exit(2);
		while (n < 20 && sigqueue(getpid(), SIGRTMIN, v) == 0)
			n++;
		if (n != 8 || errno != EAGAIN)
			_exit(10 + n);
		if (kill(getpid(), SIGRTMIN))
			_exit(3);
		for (int i = 0; i < 8; i++)
			if (sigwaitinfo(&set, &si) != SIGRTMIN)
				_exit(4);
		struct timespec zero = { 0, 0 };
		if (sigtimedwait(&set, &si, &zero) != -1 || errno != EAGAIN)
			_exit(6);
		/* Taken off: the user may queue again. */
		if (sigqueue(getpid(), SIGRTMIN, v))
			_exit(5);
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
}

static long raw_sigqueueinfo(pid_t pid, int sig, int code)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	si.si_signo = sig;
	si.si_code = code;
	si.si_pid = getpid();
	si.si_uid = getuid();
	return syscall(SYS_rt_sigqueueinfo, pid, sig, &si);
}

/* Only the kernel and kill()/tgkill() may claim si_code >= 0 or
 * SI_TKILL towards another process; to oneself anything goes. */
static void case_sigqueueinfo_permission(void)
{
	sigset_t set;
	siginfo_t si;
	pid_t pid;

	block(SIGUSR2, &set);
	pid = t_fork();
	if (pid == 0)
		for (;;)
			pause();
	CHECK_ERR(raw_sigqueueinfo(pid, SIGUSR2, SI_USER), EPERM);
	CHECK_ERR(raw_sigqueueinfo(pid, SIGUSR2, SI_TKILL), EPERM);
	CHECK_ERR(raw_sigqueueinfo(pid, SIGUSR2, SI_KERNEL), EPERM);
	CHECK_ERR(raw_sigqueueinfo(pid, 65, SI_QUEUE), EINVAL);
	CHECK_OK(kill(pid, SIGKILL));
	CHECK_SIGNALED(t_wait(pid), SIGKILL);
	CHECK_ERR(raw_sigqueueinfo(pid, SIGUSR2, SI_QUEUE), ESRCH);
	CHECK_OK(raw_sigqueueinfo(getpid(), SIGUSR2, SI_USER));
	CHECK_EQ(sigwaitinfo(&set, &si), SIGUSR2);
	CHECK_EQ(si.si_code, SI_USER);
}

static void case_tgsigqueueinfo(void)
{
	union sigval v = { .sival_int = 77 };
	sigset_t set;
	siginfo_t si, out;

	block(SIGRTMIN + 2, &set);
	memset(&si, 0, sizeof(si));
	si.si_signo = SIGRTMIN + 2;
	si.si_code = SI_QUEUE;
	si.si_value = v;
	si.si_pid = getpid();
	CHECK_OK(syscall(SYS_rt_tgsigqueueinfo, getpid(), syscall(SYS_gettid),
			 SIGRTMIN + 2, &si));
	CHECK_EQ(sigwaitinfo(&set, &out), SIGRTMIN + 2);
	CHECK_EQ(out.si_value.sival_int, 77);
	CHECK_EQ(out.si_code, SI_QUEUE);
	CHECK_ERR(syscall(SYS_rt_tgsigqueueinfo, 0, 1, SIGRTMIN, &si), EINVAL);
	CHECK_ERR(syscall(SYS_rt_tgsigqueueinfo, getpid(), getpid() + 100000,
			  SIGRTMIN, &si), ESRCH);
}

static volatile int mask_in_handler;

static void on_suspend(int sig)
{
	sigset_t cur;

	(void)sig;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	mask_in_handler = (sigismember(&cur, SIGUSR1) ? 1 : 0) |
			  (sigismember(&cur, SIGUSR2) ? 2 : 0);
	hits++;
}

/* The handler runs with the suspend mask (plus its signal); the old
 * mask comes back afterwards. */
static void case_sigsuspend_masks(void)
{
	sigset_t both, none, cur;

	signal(SIGUSR1, on_suspend);
	sigemptyset(&both);
	sigaddset(&both, SIGUSR1);
	sigaddset(&both, SIGUSR2);
	CHECK_OK(sigprocmask(SIG_BLOCK, &both, NULL));
	CHECK_OK(kill(getpid(), SIGUSR1));
	CHECK_EQ(hits, 0);
	sigemptyset(&none);
	CHECK_ERR(sigsuspend(&none), EINTR);
	CHECK_EQ(hits, 1);
	CHECK_EQ(mask_in_handler, 1);
	CHECK_OK(sigprocmask(SIG_BLOCK, NULL, &cur));
	CHECK(sigismember(&cur, SIGUSR1));
	CHECK(sigismember(&cur, SIGUSR2));
	CHECK_ERR(syscall(SYS_rt_sigsuspend, &none, 4), EINVAL);
}

/* sigsuspend sleeps until a child's signal arrives. */
static void case_sigsuspend_waits(void)
{
	sigset_t usr1, none;

	signal(SIGUSR1, on_suspend);
	block(SIGUSR1, &usr1);
	pid_t parent = getpid();
	pid_t pid = t_fork();
	if (pid == 0) {
		while (t_proc_state(parent) != 'S')
			sched_yield();
		kill(parent, SIGUSR1);
		_exit(0);
	}
	sigemptyset(&none);
	CHECK_ERR(sigsuspend(&none), EINTR);
	CHECK_EQ(hits, 1);
	CHECK_EXITED(t_wait(pid), 0);
}

static void case_sa_resethand(void)
{
	struct sigaction old;

	install(SIGUSR1, SA_RESETHAND);
	CHECK_OK(raise(SIGUSR1));
	CHECK_EQ(hits, 1);
	CHECK_OK(sigaction(SIGUSR1, NULL, &old));
	CHECK(old.sa_handler == SIG_DFL);
}

static void queue_work(int rounds)
{
	sigset_t set;
	siginfo_t si;

	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN + 3);
	sigprocmask(SIG_BLOCK, &set, NULL);
	for (int i = 0; i < rounds; i++) {
		union sigval v = { .sival_int = i };

		sigqueue(getpid(), SIGRTMIN + 3, v);
		sigqueue(getpid(), SIGRTMIN + 3, v);
		sigwaitinfo(&set, &si);
		sigwaitinfo(&set, &si);
	}
}

static void queue_exit_work(int rounds)
{
	for (int i = 0; i < rounds; i++) {
		pid_t pid = fork();

		if (pid == 0) {	/* dies with instances still queued */
			union sigval v = { .sival_int = i };
			sigset_t set;

			sigemptyset(&set);
			sigaddset(&set, SIGRTMIN);
			sigprocmask(SIG_BLOCK, &set, NULL);
			for (int j = 0; j < 4; j++)
				sigqueue(getpid(), SIGRTMIN, v);
			syscall(SYS_tgkill, getpid(), getpid(), SIGRTMIN + 1);
			_exit(0);
		}
		waitpid(pid, NULL, 0);
	}
}

static void case_rt_queue_no_leak(void)
{
	t_check_no_leak("queue and take real-time signals", queue_work, 200);
	t_check_no_leak("exit with queued signals", queue_exit_work, 50);
}

/*
 * Regression (timer-signal-dropped-over-sigpending): a POSIX timer's
 * signal was dropped when its user was over RLIMIT_SIGPENDING (and a
 * periodic timer then never started again). Linux preallocates the
 * timer's entry at timer_create, so the signal always comes, while
 * sigqueue fails with EAGAIN.
 */
static void case_timer_over_sigpending(void)
{
	pid_t pid = t_fork();

	if (pid == 0) {
		struct rlimit rl = { 0, 0 };
		union sigval v = { .sival_int = 0 };
		struct sigevent ev;
		struct itimerspec its = { { 0, 1000000 }, { 0, 1000000 } };
		struct timespec wait = { 30, 0 };	/* not hang if lost */
		sigset_t set;
		siginfo_t si;
		int id;

		block(SIGRTMIN + 1, &set);
		sigaddset(&set, SIGRTMIN);
		CHECK_OK(sigprocmask(SIG_BLOCK, &set, NULL));
		sigdelset(&set, SIGRTMIN);
		if (setresgid(65533, 65533, 65533) ||
		    setresuid(65533, 65533, 65533))
			_exit(2);
		memset(&ev, 0, sizeof(ev));
		ev.sigev_notify = SIGEV_SIGNAL;
		ev.sigev_signo = SIGRTMIN + 1;
		ev.sigev_value.sival_int = 77;
		if (syscall(SYS_timer_create, CLOCK_MONOTONIC, &ev, &id))
			_exit(3);
		if (setrlimit(RLIMIT_SIGPENDING, &rl))
			_exit(4);
		if (sigqueue(getpid(), SIGRTMIN, v) != -1 || errno != EAGAIN)
			_exit(5);
		if (syscall(SYS_timer_settime, id, 0, &its, NULL))
			_exit(6);
		for (int i = 0; i < 2; i++) {	/* it goes on, too */
			memset(&si, 0, sizeof(si));
			if (sigtimedwait(&set, &si, &wait) != SIGRTMIN + 1)
				_exit(10 + i);
			if (si.si_code != SI_TIMER || si.si_value.sival_int != 77)
				_exit(20 + i);
		}
		if (syscall(SYS_timer_delete, id))
			_exit(7);
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
}

static const struct t_case cases[] = {
	{ case_rt_every_instance_in_order, "rt_every_instance_in_order" },
	{ case_rt_sigwaitinfo_order, "rt_sigwaitinfo_order" },
	{ case_rt_kill_queues, "rt_kill_queues" },
	{ case_standard_signals_merge, "standard_signals_merge" },
	{ case_rt_sigpending_limit, "rt_sigpending_limit" },
	{ case_timer_over_sigpending, "timer-signal-dropped-over-sigpending" },
	{ case_sigqueueinfo_permission, "sigqueueinfo_permission" },
	{ case_tgsigqueueinfo, "tgsigqueueinfo" },
	{ case_sigsuspend_masks, "sigsuspend_masks" },
	{ case_sigsuspend_waits, "sigsuspend_waits" },
	{ case_sa_resethand, "sa_resethand" },
	{ case_rt_queue_no_leak, "rt_queue_no_leak" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
