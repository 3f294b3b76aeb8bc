/*
 * signal_chld.c - SIGCHLD and the parent: with SIGCHLD ignored or
 * SA_NOCLDWAIT, children are reaped as they exit (wait blocks until all
 * are gone, then ECHILD; no zombie is left), SA_NOCLDWAIT with a handler
 * still delivers SIGCHLD; the SIGCHLD siginfo of exits and kills.
 */
#define _GNU_SOURCE
#include "t.h"

#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t hits;

static void on_chld(int sig)
{
	(void)sig;
	hits++;
}

/* Children that exit after the parent is asleep in wait. */
static void spawn_three(pid_t *pids)
{
	for (int i = 0; i < 3; i++) {
		pids[i] = t_fork();
		if (pids[i] == 0) {
			for (int j = 0; j < 50; j++)
				sched_yield();
			_exit(i);
		}
	}
}

/*
 * An auto-reaped child is gone: kill(pid, 0) says ESRCH. Not at once
 * after wait's ECHILD, with more than one CPU: Linux's wait stops seeing
 * a child when it marks itself dead, and the child frees its pid a
 * moment later, on its own CPU. So the check waits (the bound only
 * turns a zombie that stays into a failure).
 */
static void check_gone(pid_t pid)
{
	for (long spins = 0; spins < (1L << 20); spins++) {
		if (kill(pid, 0) == -1 && errno == ESRCH)
			return;
		sched_yield();
	}
	CHECK_ERR(kill(pid, 0), ESRCH);
}

static void check_reaped(const pid_t *pids)
{
	int status;

	CHECK_ERR(wait(&status), ECHILD);
	for (int i = 0; i < 3; i++)
		check_gone(pids[i]);
}

static void case_sig_ign_autoreaps(void)
{
	pid_t pids[3];

	signal(SIGCHLD, SIG_IGN);
	spawn_three(pids);
	check_reaped(pids);
}

static void case_sa_nocldwait_autoreaps(void)
{
	struct sigaction sa;
	pid_t pids[3];
	sigset_t chld;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_chld;
	sa.sa_flags = SA_NOCLDWAIT;
	CHECK_OK(sigaction(SIGCHLD, &sa, NULL));
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	CHECK_OK(sigprocmask(SIG_BLOCK, &chld, NULL));
	spawn_three(pids);
	check_reaped(pids);
	/* The signal still comes (merged: at least one). */
	CHECK_OK(sigprocmask(SIG_UNBLOCK, &chld, NULL));
	CHECK(hits >= 1);
}

/* SIGCHLD at its default is no auto-reap: a zombie waits. Bug: kill()
 * of a zombie was ESRCH; Linux succeeds (and nothing happens). */
static void case_kill_zombie_succeeds(void)
{
	pid_t pid = t_fork();

	if (pid == 0)
		_exit(4);
	while (t_proc_state(pid) != 'Z')
		sched_yield();
	CHECK_OK(kill(pid, 0));
	CHECK_EXITED(t_wait(pid), 4);
}

/* Bug: kill(-pgrp) of a group whose only member is a zombie was ESRCH;
 * Linux counts the zombie (and nothing happens to it). */
static void case_kill_pgrp_of_zombie_succeeds(void)
{
	pid_t pid = t_fork();

	if (pid == 0) {
		setpgid(0, 0);
		_exit(6);
	}
	setpgid(pid, pid);	/* fails once it has exited: then it did */
	while (t_proc_state(pid) != 'Z')
		sched_yield();
	CHECK_OK(kill(-pid, 0));
	CHECK_OK(kill(-pid, SIGTERM));
	CHECK_EXITED(t_wait(pid), 6);
}

/* Bug: a SIGCHLD that came while sigwaitinfo slept was dropped (its
 * default is "ignore" and the wait had lifted the block); Linux keeps
 * it (real_blocked). Also the siginfo of an exit and of a kill. */
static void case_sigwaitinfo_sigchld_not_dropped(void)
{
	sigset_t chld;
	siginfo_t si;
	pid_t pid;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	CHECK_OK(sigprocmask(SIG_BLOCK, &chld, NULL));
	pid = t_fork();
	if (pid == 0)
		_exit(33);
	CHECK_EQ(sigwaitinfo(&chld, &si), SIGCHLD);
	CHECK_EQ(si.si_code, CLD_EXITED);
	CHECK_EQ(si.si_status, 33);
	CHECK_EQ(si.si_pid, pid);
	CHECK_EQ(si.si_uid, getuid());
	CHECK_EXITED(t_wait(pid), 33);
	pid = t_fork();
	if (pid == 0)
		for (;;)
			pause();
	CHECK_OK(kill(pid, SIGTERM));
	CHECK_EQ(sigwaitinfo(&chld, &si), SIGCHLD);
	CHECK_EQ(si.si_code, CLD_KILLED);
	CHECK_EQ(si.si_status, SIGTERM);
	CHECK_SIGNALED(t_wait(pid), SIGTERM);
}

static void *outlive_leader(void *arg)
{
	(void)arg;
	for (int i = 0; i < 100; i++)
		sched_yield();
	syscall(SYS_exit_group, 0);
	return NULL;
}

/* A process whose leader thread exits first is auto-reaped by its last
 * thread (the zombie leader is freed then). */
static void leader_first_child(void)
{
	pthread_t th;

	if (pthread_create(&th, NULL, outlive_leader, NULL))
		_exit(1);
	syscall(SYS_exit, 0);	/* the leader alone */
}

static void case_autoreap_leader_exits_first(void)
{
	pid_t pid;

	signal(SIGCHLD, SIG_IGN);
	pid = t_fork();
	if (pid == 0)
		leader_first_child();
	CHECK_ERR(wait(NULL), ECHILD);
	check_gone(pid);
}

static void autoreap_work(int rounds)
{
	signal(SIGCHLD, SIG_IGN);
	for (int i = 0; i < rounds; i++)
		if (fork() == 0)
			_exit(0);
	for (int i = 0; i < rounds / 4; i++)
		if (fork() == 0)
			leader_first_child();
	while (wait(NULL) > 0)
		;
	signal(SIGCHLD, SIG_DFL);
}

static void case_autoreap_no_leak(void)
{
	t_check_no_leak("auto-reaped children", autoreap_work, 60);
}

static const struct t_case cases[] = {
	{ case_sig_ign_autoreaps, "sig_ign_autoreaps" },
	{ case_sa_nocldwait_autoreaps, "sa_nocldwait_autoreaps" },
	{ case_kill_zombie_succeeds, "kill_zombie_succeeds" },
	{ case_kill_pgrp_of_zombie_succeeds, "kill_pgrp_of_zombie_succeeds" },
	{ case_sigwaitinfo_sigchld_not_dropped,
	  "sigwaitinfo_sigchld_not_dropped" },
	{ case_autoreap_leader_exits_first, "autoreap_leader_exits_first" },
	{ case_autoreap_no_leak, "autoreap_no_leak" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
