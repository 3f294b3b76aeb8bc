/*
 * wait_thread.c - wait in a process with threads. A child belongs to the
 * thread that forked it: wait without __WNOTHREAD sees the children of
 * every thread of the process, with __WNOTHREAD only the caller's own;
 * when the forking thread exits, its children pass to another live
 * thread of the process (Linux's find_new_reaper, same-group step).
 */
#define _GNU_SOURCE
#include "t.h"
#include "threadtest.h"

#include <sys/wait.h>

#ifndef __WNOTHREAD
#define __WNOTHREAD 0x20000000
#endif

static volatile int step;
static volatile pid_t b_child, b_tid;
static pid_t a_child;

/* Thread B: forks a child that exits 2, then checks it does not see A's. */
static void *b_forks(void *arg)
{
	int st;

	(void)arg;
	b_tid = gettid();
	pid_t c = fork();
	if (c == 0)
		_exit(2);
	b_child = c;
	t_post(&step, 1);
	t_await(&step, 2);
	/* A's child is running, but it is not ours. */
	if (waitpid(a_child, &st, __WNOTHREAD | WNOHANG) != -1 ||
	    errno != ECHILD)
		return (void *)1;
	t_post(&step, 3);
	return NULL;
}

/*
 * Regression (wnothread-accepted-and-ignored): __WNOTHREAD was accepted
 * and ignored, every thread waiting for all the process's children.
 */
static void case_wnothread(void)
{
	int pfd[2], st;
	char ch;
	pthread_t b;
	void *ret;
	siginfo_t si;

	CHECK_OK(pipe(pfd));
	a_child = fork();
	CHECK(a_child >= 0);
	if (a_child == 0) {
		close(pfd[1]);
		_exit(read(pfd[0], &ch, 1) == 0 ? 1 : 9);
	}
	close(pfd[0]);
	CHECK_EQ(pthread_create(&b, NULL, b_forks, NULL), 0);
	t_await(&step, 1);
	memset(&si, 0, sizeof(si));
	CHECK_OK(waitid(P_PID, b_child, &si, WEXITED | WNOWAIT));

	/* Ours is running, B's ended: with __WNOTHREAD nothing to report. */
	CHECK_EQ(waitpid(-1, &st, __WNOTHREAD | WNOHANG), 0);
	CHECK_ERR(waitpid(b_child, &st, __WNOTHREAD | WNOHANG), ECHILD);
	/* Without it B's child is ours too. */
	memset(&si, 0, sizeof(si));
	CHECK_OK(waitid(P_ALL, 0, &si, WEXITED | WNOWAIT | WNOHANG));
	CHECK_EQ(si.si_pid, b_child);
	t_post(&step, 2);
	t_await(&step, 3);
	CHECK_EQ(pthread_join(b, &ret), 0);
	CHECK(ret == NULL);

	CHECK_EQ(waitpid(b_child, &st, 0), b_child);
	CHECK_EXITED(st, 2);
	close(pfd[1]);
	CHECK_EQ(waitpid(-1, &st, __WNOTHREAD), a_child);
	CHECK_EXITED(st, 1);
	CHECK_ERR(waitpid(-1, &st, __WNOTHREAD | WNOHANG), ECHILD);
}

static void *fork_and_leave(void *arg)
{
	(void)arg;
	b_tid = gettid();
	pid_t c = fork();
	if (c == 0)
		_exit(3);
	b_child = c;
	return NULL;
}

/* The child of a thread that exited is the caller's with __WNOTHREAD. */
static void case_heir(void)
{
	char path[64];
	pthread_t b;
	int st;

	CHECK_EQ(pthread_create(&b, NULL, fork_and_leave, NULL), 0);
	CHECK_EQ(pthread_join(b, NULL), 0);
	/* join returns when B's tid word is cleared, before B has handed
	 * its children on: wait until B is gone from the task list. */
	snprintf(path, sizeof(path), "/proc/self/task/%d", (int)b_tid);
	while (access(path, F_OK) == 0)
		usleep(1000);
	CHECK_EQ(waitpid(-1, &st, __WNOTHREAD), b_child);
	CHECK_EXITED(st, 3);
	CHECK_ERR(waitpid(-1, &st, __WNOTHREAD | WNOHANG), ECHILD);
}

static const struct t_case cases[] = {
	{ case_wnothread, "wnothread-accepted-and-ignored" },
	{ case_heir, "wnothread-heir-after-thread-exit" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
