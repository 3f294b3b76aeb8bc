/*
 * flock.c - flock(2) locks, owned by the open file description: shared
 * and exclusive conflicts between separate opens and processes, sharing
 * through dup and fork, non-atomic conversion (a failed LOCK_NB upgrade
 * leaves no lock, as Linux), release on the last close, blocking until
 * the holder unlocks, EINTR from a signal, and argument errors.
 */
#define _GNU_SOURCE
#include "t.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#define FILE_L "/tmp/flock-file"

static int open_l(void)
{
	return CHECK_OK(open(FILE_L, O_RDWR | O_CREAT, 0644));
}

/* Wait until pid sleeps in the kernel (blocked on the lock). */
static void await_sleep(pid_t pid)
{
	while (t_proc_state(pid) != 'S')
		sched_yield();
}

static void case_exclusive_conflicts(void)
{
	int a = open_l(), b = open_l();

	CHECK_OK(flock(a, LOCK_EX | LOCK_NB));
	CHECK_ERR(flock(b, LOCK_EX | LOCK_NB), EWOULDBLOCK);
	CHECK_ERR(flock(b, LOCK_SH | LOCK_NB), EWOULDBLOCK);
	CHECK_OK(flock(a, LOCK_EX | LOCK_NB));	/* held already: no-op */
	CHECK_OK(flock(a, LOCK_UN));
	CHECK_OK(flock(b, LOCK_SH | LOCK_NB));
	CHECK_OK(flock(b, LOCK_UN));
	CHECK_OK(flock(b, LOCK_UN));		/* nothing held: fine */
	CHECK_OK(close(a));
	CHECK_OK(close(b));
}

static void case_shared_locks_coexist(void)
{
	int a = open_l(), b = open_l(), c = open_l();

	CHECK_OK(flock(a, LOCK_SH | LOCK_NB));
	CHECK_OK(flock(b, LOCK_SH | LOCK_NB));
	CHECK_ERR(flock(c, LOCK_EX | LOCK_NB), EWOULDBLOCK);
	CHECK_OK(close(a));
	CHECK_OK(close(b));
	CHECK_OK(flock(c, LOCK_EX | LOCK_NB));
	CHECK_OK(close(c));
}

static void case_failed_upgrade_drops_lock(void)
{
	int a = open_l(), b = open_l();

	CHECK_OK(flock(a, LOCK_SH));
	CHECK_OK(flock(b, LOCK_SH));
	CHECK_ERR(flock(a, LOCK_EX | LOCK_NB), EWOULDBLOCK);
	/* a's shared lock went first, so b can now upgrade. */
	CHECK_OK(flock(b, LOCK_EX | LOCK_NB));
	CHECK_ERR(flock(a, LOCK_SH | LOCK_NB), EWOULDBLOCK);
	CHECK_OK(flock(b, LOCK_SH));		/* downgrade */
	CHECK_OK(flock(a, LOCK_SH | LOCK_NB));
	CHECK_OK(close(a));
	CHECK_OK(close(b));
}

static void case_dup_shares_and_last_close_releases(void)
{
	int a = open_l(), b = open_l(), d = CHECK_OK(dup(a));

	CHECK_OK(flock(a, LOCK_EX));
	CHECK_OK(flock(d, LOCK_EX | LOCK_NB));	/* the same lock */
	CHECK_OK(close(a));
	CHECK_ERR(flock(b, LOCK_EX | LOCK_NB), EWOULDBLOCK);
	CHECK_OK(close(d));			/* the last reference */
	CHECK_OK(flock(b, LOCK_EX | LOCK_NB));
	CHECK_OK(close(b));
}

static void case_fork_shares_description(void)
{
	int a = open_l();
	pid_t pid;

	CHECK_OK(flock(a, LOCK_EX));
	pid = t_fork();
	if (pid == 0) {
		int b = open_l();

		/* The inherited descriptor holds the same lock... */
		CHECK_OK(flock(a, LOCK_EX | LOCK_NB));
		CHECK_ERR(flock(b, LOCK_EX | LOCK_NB), EWOULDBLOCK);
		/* ...and unlocking it unlocks it for the parent too. */
		CHECK_OK(flock(a, LOCK_UN));
		CHECK_OK(flock(b, LOCK_EX | LOCK_NB));
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
	/* The child's own open went with it. */
	CHECK_OK(flock(a, LOCK_EX | LOCK_NB));
	CHECK_OK(close(a));
}

static void case_blocks_until_unlock(void)
{
	int a = open_l();
	volatile int *got = t_shared_ints();
	pid_t pid;

	CHECK_OK(flock(a, LOCK_EX));
	pid = t_fork();
	if (pid == 0) {
		int b = open_l();

		CHECK_OK(flock(b, LOCK_SH));
		t_post(got, 1);
		_exit(0);
	}
	await_sleep(pid);
	CHECK_EQ(*got, 0);
	CHECK_OK(flock(a, LOCK_UN));
	CHECK_EXITED(t_wait(pid), 0);
	CHECK_EQ(*got, 1);
	CHECK_OK(close(a));
}

static void on_usr1(int sig) { (void)sig; }

static void case_signal_interrupts_wait(void)
{
	int a = open_l();
	pid_t pid;

	CHECK_OK(flock(a, LOCK_EX));
	pid = t_fork();
	if (pid == 0) {
		struct sigaction sa = { .sa_handler = on_usr1 };
		int b = open_l();

		CHECK_OK(sigaction(SIGUSR1, &sa, NULL));	/* no SA_RESTART */
		CHECK_ERR(flock(b, LOCK_EX), EINTR);
		CHECK_ERR(flock(b, LOCK_EX | LOCK_NB), EWOULDBLOCK);
		_exit(0);
	}
	await_sleep(pid);
	CHECK_OK(kill(pid, SIGUSR1));
	CHECK_EXITED(t_wait(pid), 0);
	CHECK_OK(close(a));
}

static void case_bad_arguments(void)
{
	int a = open_l(), p = CHECK_OK(open(FILE_L, O_PATH));

	CHECK_ERR(flock(-1, LOCK_SH), EBADF);
	CHECK_ERR(flock(999, LOCK_SH), EBADF);
	CHECK_ERR(flock(p, LOCK_SH), EBADF);
	CHECK_ERR(flock(a, 0), EINVAL);
	CHECK_ERR(flock(a, LOCK_SH | LOCK_EX), EINVAL);
	CHECK_ERR(flock(a, LOCK_NB), EINVAL);
	CHECK_OK(close(a));
	CHECK_OK(close(p));
}

static void work(int rounds)
{
	for (int i = 0; i < rounds; i++) {
		int a = open_l(), b = open_l();

		flock(a, LOCK_SH);
		flock(b, LOCK_SH);
		flock(a, LOCK_EX | LOCK_NB);
		close(b);
		close(a);
	}
}

static void case_no_leak(void)
{
	t_check_no_leak("flock", work, 300);
}

static const struct t_case cases[] = {
	{ case_exclusive_conflicts, "exclusive_conflicts" },
	{ case_shared_locks_coexist, "shared_locks_coexist" },
	{ case_failed_upgrade_drops_lock, "failed_upgrade_drops_lock" },
	{ case_dup_shares_and_last_close_releases,
	  "dup_shares_and_last_close_releases" },
	{ case_fork_shares_description, "fork_shares_description" },
	{ case_blocks_until_unlock, "blocks_until_unlock" },
	{ case_signal_interrupts_wait, "signal_interrupts_wait" },
	{ case_bad_arguments, "bad_arguments" },
	{ case_no_leak, "no_leak" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
