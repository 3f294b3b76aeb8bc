/*
 * clone_regressions.c - clone bugs found by a syscall fuzzer run (the
 * fuzzer itself is still being written), each as the smallest program
 * that showed it, named after the bug.
 */
#define _GNU_SOURCE
#include "t.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int usr1_count;

static void count_usr1(int sig)
{
	(void)sig;
	usr1_count++;
}

/*
 * The fuzzer's supervisor received signals it never asked for. A child
 * made with CLONE_PARENT is its grandparent's child, and Linux then
 * ignores the exit signal the caller asked for: the child gets the
 * caller's own (copy_process: "p->exit_signal =
 * current->group_leader->exit_signal"), so the new parent hears SIGCHLD,
 * not whatever the caller chose. Basalt sent the caller's choice.
 */
static void case_clone_parent_exit_signal_is_callers(void)
{
	struct sigaction sa;
	volatile int *grandchild = t_shared_ints();
	pid_t child;
	int status;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = count_usr1;
	CHECK_OK(sigaction(SIGUSR1, &sa, NULL));
	child = t_fork();
	if (child == 0) {
		/* Raw clone: the new process exits at once. */
		long pid = syscall(SYS_clone, CLONE_PARENT | SIGUSR1, 0, 0, 0,
				   0);

		if (pid == 0)
			_exit(7);
		t_post(grandchild, (int)pid);
		_exit(pid > 0 ? 0 : 1);
	}
	CHECK_EXITED(t_wait(child), 0);	/* it posted the pid first */
	/* Its exit signal is SIGCHLD: a plain wait (no __WALL) finds it. */
	CHECK_EQ(waitpid(grandchild[0], &status, 0), grandchild[0]);
	CHECK_EXITED(status, 7);
	CHECK_EQ(usr1_count, 0);
}

static const struct t_case cases[] = {
	{ case_clone_parent_exit_signal_is_callers,
	  "clone-parent-exit-signal-is-callers" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
