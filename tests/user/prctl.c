/*
 * prctl.c - the prctl(2) options Basalt implements, each with Linux's
 * checks: PR_SET/GET_NAME, PR_SET/GET_PDEATHSIG (sent when the parent
 * thread exits), PR_SET/GET_DUMPABLE, PR_SET/GET_CHILD_SUBREAPER
 * (orphans come to the subreaper), PR_SET/GET_NO_NEW_PRIVS (a
 * set-user-ID program then runs with the caller's ids), and
 * PR_SET/GET_TIMERSLACK; an unknown option is EINVAL. The dumpable flag
 * also decides who owns /proc/<pid>.
 */
#define _GNU_SOURCE
#include "t.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define PRINT_EUID "--exit-with-euid"
#define PRINT_DUMPABLE "--exit-with-dumpable"

static void case_name(void)
{
	char name[32];

	memset(name, 'z', sizeof(name));
	CHECK_OK(prctl(PR_SET_NAME, "short"));
	CHECK_OK(prctl(PR_GET_NAME, name));
	CHECK(strcmp(name, "short") == 0);
	/* Longer names are cut to 15 bytes and a NUL. */
	CHECK_OK(prctl(PR_SET_NAME, "a-very-long-thread-name"));
	memset(name, 'z', sizeof(name));
	CHECK_OK(prctl(PR_GET_NAME, name));
	CHECK(strcmp(name, "a-very-long-thr") == 0);
	CHECK_EQ(name[16], 'z');	/* exactly 16 bytes written */
	CHECK_ERR(prctl(PR_SET_NAME, (char *)1), EFAULT);
	CHECK_ERR(prctl(PR_GET_NAME, (char *)1), EFAULT);
}

static void case_pdeathsig_get_set(void)
{
	int sig = -1;

	CHECK_OK(prctl(PR_GET_PDEATHSIG, &sig));
	CHECK_EQ(sig, 0);
	CHECK_OK(prctl(PR_SET_PDEATHSIG, SIGUSR1));
	CHECK_OK(prctl(PR_GET_PDEATHSIG, &sig));
	CHECK_EQ(sig, SIGUSR1);
	CHECK_ERR(prctl(PR_SET_PDEATHSIG, 65), EINVAL);
	CHECK_ERR(prctl(PR_SET_PDEATHSIG, -1L), EINVAL);
	CHECK_OK(prctl(PR_SET_PDEATHSIG, 64));
	/* A child does not inherit it. */
	pid_t pid = t_fork();
	if (pid == 0) {
		sig = -1;
		prctl(PR_GET_PDEATHSIG, &sig);
		_exit(sig == 0 ? 0 : 1);
	}
	CHECK_EXITED(t_wait(pid), 0);
}

static volatile int *shared;	/* [0] ready, [1] got the signal, [2] si_pid,
				 * [3] si_code, [4] parent pid, [5] new ppid */

static void on_usr1(int sig, siginfo_t *si, void *ctx)
{
	(void)sig;
	(void)ctx;
	shared[2] = si->si_pid;
	shared[3] = si->si_code;
	shared[5] = getppid();
	shared[1] = 1;
}

/* The grandchild: waits for SIGUSR1, which its parent's death sends. */
static void grandchild_waits(void)
{
	struct sigaction sa = { .sa_sigaction = on_usr1,
				.sa_flags = SA_SIGINFO };
	sigset_t none;

	sigemptyset(&none);
	sigaction(SIGUSR1, &sa, NULL);
	if (prctl(PR_SET_PDEATHSIG, SIGUSR1))
		_exit(T_FAILED);
	t_post(&shared[0], 1);
	while (!shared[1])
		sigsuspend(&none);
	_exit(0);
}

static void case_pdeathsig_sent(void)
{
	pid_t mid;

	shared = t_shared_ints();
	mid = t_fork();
	if (mid == 0) {
		shared[4] = getpid();
		if (t_fork() == 0)
			grandchild_waits();
		t_await(&shared[0], 1);
		_exit(0);	/* the grandchild's parent dies */
	}
	CHECK_EXITED(t_wait(mid), 0);
	t_await(&shared[1], 1);
	CHECK_EQ(shared[2], mid);
	CHECK_EQ(shared[3], SI_USER);
	CHECK(shared[5] != mid);
}

/* The parent *thread* exiting sends it, though its process lives on. */
static void *thread_forks(void *arg)
{
	if (t_fork() == 0)
		grandchild_waits();
	t_await(&shared[0], 1);
	return arg;
}

static void case_pdeathsig_parent_thread(void)
{
	pthread_t th;

	shared = t_shared_ints();
	CHECK_EQ(pthread_create(&th, NULL, thread_forks, NULL), 0);
	CHECK_EQ(pthread_join(th, NULL), 0);
	t_await(&shared[1], 1);
	CHECK_EQ(shared[2], getpid());
	CHECK_EQ(shared[5], getpid());	/* still our child */
	CHECK(wait(NULL) > 0);
}

static void case_dumpable(void)
{
	CHECK_EQ(prctl(PR_GET_DUMPABLE), 1);
	CHECK_OK(prctl(PR_SET_DUMPABLE, 0));
	CHECK_EQ(prctl(PR_GET_DUMPABLE), 0);
	CHECK_ERR(prctl(PR_SET_DUMPABLE, 2), EINVAL);
	CHECK_ERR(prctl(PR_SET_DUMPABLE, 3), EINVAL);
	/* fork copies it */
	pid_t pid = t_fork();
	if (pid == 0)
		_exit(prctl(PR_GET_DUMPABLE) == 0 ? 0 : 1);
	CHECK_EXITED(t_wait(pid), 0);
	CHECK_OK(prctl(PR_SET_DUMPABLE, 1));
	CHECK_EQ(prctl(PR_GET_DUMPABLE), 1);
}

/* An unprivileged id change makes the process non-dumpable. */
static void case_dumpable_lost_on_setuid(void)
{
	if (getuid() != 0)
		t_skip("needs root");
	CHECK_OK(setresuid(0, 1000, 0));	/* the effective id changes */
	CHECK_EQ(prctl(PR_GET_DUMPABLE), 0);
}

/* /proc/<pid> belongs to the process's effective ids while it is
 * dumpable, to root otherwise. */
static void case_dumpable_proc_owner(void)
{
	struct stat st;
	pid_t pid;

	if (getuid() != 0)
		t_skip("needs root");
	pid = t_fork();
	if (pid == 0) {
		if (setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000))
			_exit(T_FAILED);
		CHECK_OK(stat("/proc/self/stat", &st));
		CHECK_EQ(st.st_uid, 0);		/* the uid change */
		CHECK_OK(prctl(PR_SET_DUMPABLE, 1));
		CHECK_OK(stat("/proc/self/stat", &st));
		CHECK_EQ(st.st_uid, 1000);
		CHECK_EQ(st.st_gid, 1000);
		CHECK_OK(stat("/proc/self/fd", &st));
		CHECK_EQ(st.st_uid, 1000);
		CHECK_OK(prctl(PR_SET_DUMPABLE, 0));
		CHECK_OK(stat("/proc/self/stat", &st));
		CHECK_EQ(st.st_uid, 0);
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
}

static void case_subreaper(void)
{
	int flag = -1;
	pid_t mid, orphan, got;
	int status;

	shared = t_shared_ints();
	CHECK_OK(prctl(PR_GET_CHILD_SUBREAPER, &flag));
	CHECK_EQ(flag, 0);
	CHECK_OK(prctl(PR_SET_CHILD_SUBREAPER, 1));
	CHECK_OK(prctl(PR_GET_CHILD_SUBREAPER, &flag));
	CHECK_EQ(flag, 1);
	mid = t_fork();
	if (mid == 0) {
		int f = -1;

		prctl(PR_GET_CHILD_SUBREAPER, &f);
		if (f != 0)
			_exit(T_FAILED);	/* not inherited */
		orphan = t_fork();
		if (orphan == 0) {
			t_await(&shared[0], 1);	/* its parent is gone */
			_exit(getppid() == shared[4] ? 7 : 8);
		}
		shared[1] = orphan;
		_exit(0);
	}
	shared[4] = getpid();
	CHECK_EXITED(t_wait(mid), 0);
	t_post(&shared[0], 1);
	/* The orphan is ours now: wait finds it. */
	got = waitpid(shared[1], &status, 0);
	CHECK_EQ(got, shared[1]);
	CHECK_EXITED(status, 7);
	CHECK_OK(prctl(PR_SET_CHILD_SUBREAPER, 0));
}

/* An orphan that had already exited when its parent died is announced
 * to the subreaper with SIGCHLD at once (before the parent's own). */
static volatile sig_atomic_t chld_pid;

static void on_chld(int sig, siginfo_t *si, void *ctx)
{
	(void)sig;
	(void)ctx;
	if (!chld_pid)
		chld_pid = si->si_pid;
}

static void case_subreaper_gets_zombie_sigchld(void)
{
	struct sigaction sa = { .sa_sigaction = on_chld,
				.sa_flags = SA_SIGINFO };
	sigset_t block, old;
	pid_t mid;
	int status;

	shared = t_shared_ints();
	CHECK_OK(prctl(PR_SET_CHILD_SUBREAPER, 1));
	CHECK_OK(sigaction(SIGCHLD, &sa, NULL));
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	CHECK_OK(sigprocmask(SIG_BLOCK, &block, &old));
	mid = t_fork();
	if (mid == 0) {
		pid_t orphan = t_fork();

		if (orphan == 0)
			_exit(5);
		shared[1] = orphan;
		while (t_proc_state(orphan) != 'Z')
			sched_yield();
		_exit(0);		/* its zombie goes to the subreaper */
	}
	CHECK_EQ(waitpid(mid, &status, 0), mid);
	CHECK_OK(sigprocmask(SIG_SETMASK, &old, NULL));	/* delivered now */
	CHECK_EQ(chld_pid, shared[1]);
	CHECK_EQ(waitpid(shared[1], &status, 0), shared[1]);
	CHECK_EXITED(status, 5);
}

static void case_no_new_privs(void)
{
	CHECK_EQ(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0), 0);
	CHECK_ERR(prctl(PR_SET_NO_NEW_PRIVS, 0, 0, 0, 0), EINVAL);
	CHECK_ERR(prctl(PR_SET_NO_NEW_PRIVS, 1, 1, 0, 0), EINVAL);
	CHECK_ERR(prctl(PR_GET_NO_NEW_PRIVS, 1, 0, 0, 0), EINVAL);
	CHECK_OK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
	CHECK_EQ(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0), 1);
	pid_t pid = t_fork();
	if (pid == 0)
		_exit(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1 ? 0 : 1);
	CHECK_EXITED(t_wait(pid), 0);
}

/* Run a set-user-ID-root copy of this program as user 1000: its
 * effective id is 0 unless no_new_privs is set. */
static int run_setuid_copy(const char *copy, bool nnp)
{
	pid_t pid = t_fork();

	if (pid == 0) {
		if (setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000))
			_exit(T_FAILED);
		if (nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
			_exit(T_FAILED);
		execl(copy, copy, PRINT_EUID, (char *)NULL);
		_exit(T_FAILED);
	}
	return t_wait(pid);
}

static void copy_file(const char *from, const char *to)
{
	char buf[65536];
	int in = CHECK_OK(open(from, O_RDONLY));
	int out = CHECK_OK(open(to, O_CREAT | O_WRONLY | O_TRUNC, 0755));
	ssize_t n;

	while ((n = CHECK_OK(read(in, buf, sizeof(buf)))) > 0)
		CHECK_EQ(write(out, buf, (size_t)n), n);
	close(in);
	close(out);
}

static void case_no_new_privs_setuid_exec(void)
{
	char dir[] = "/tmp/nnpXXXXXX", copy[64];

	if (getuid() != 0)
		t_skip("needs root");
	mkdir("/tmp", 01777);
	CHECK(mkdtemp(dir) != NULL);
	CHECK_OK(chmod(dir, 0755));
	snprintf(copy, sizeof(copy), "%s/prog", dir);
	copy_file(t_self(), copy);
	CHECK_OK(chmod(copy, 04755));
	CHECK_EXITED(run_setuid_copy(copy, false), 0);	/* euid 0 */
	CHECK_EXITED(run_setuid_copy(copy, true), 1);	/* euid 1000 */
	CHECK_OK(unlink(copy));
	CHECK_OK(rmdir(dir));
}

/* A program its user may run but not read is not dumpable (its memory
 * would be readable in the core); a readable one is. */
static int run_copy_as_user(const char *copy)
{
	pid_t pid = t_fork();

	if (pid == 0) {
		if (setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000) ||
		    prctl(PR_SET_DUMPABLE, 1))
			_exit(T_FAILED);
		execl(copy, copy, PRINT_DUMPABLE, (char *)NULL);
		_exit(T_FAILED);
	}
	return t_wait(pid);
}

static void case_exec_unreadable_not_dumpable(void)
{
	char dir[] = "/tmp/nodumpXXXXXX", copy[64];

	if (getuid() != 0)
		t_skip("needs root");
	mkdir("/tmp", 01777);
	CHECK(mkdtemp(dir) != NULL);
	CHECK_OK(chmod(dir, 0755));
	snprintf(copy, sizeof(copy), "%s/prog", dir);
	copy_file(t_self(), copy);
	CHECK_OK(chmod(copy, 0711));
	CHECK_EXITED(run_copy_as_user(copy), 10);
	CHECK_OK(chmod(copy, 0755));
	CHECK_EXITED(run_copy_as_user(copy), 11);
	CHECK_OK(unlink(copy));
	CHECK_OK(rmdir(dir));
}

static void case_timerslack(void)
{
	CHECK_EQ(prctl(PR_GET_TIMERSLACK), 50000);
	CHECK_OK(prctl(PR_SET_TIMERSLACK, 1000));
	CHECK_EQ(prctl(PR_GET_TIMERSLACK), 1000);
	pid_t pid = t_fork();
	if (pid == 0) {
		/* The child's default is the parent's current slack. */
		if (prctl(PR_GET_TIMERSLACK) != 1000 ||
		    prctl(PR_SET_TIMERSLACK, 5) || prctl(PR_SET_TIMERSLACK, 0) ||
		    prctl(PR_GET_TIMERSLACK) != 1000)
			_exit(1);
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
	CHECK_OK(prctl(PR_SET_TIMERSLACK, 0));
	CHECK_EQ(prctl(PR_GET_TIMERSLACK), 50000);
}

static void case_unknown_options(void)
{
	CHECK_ERR(prctl(0, 0, 0, 0, 0), EINVAL);
	CHECK_ERR(prctl(0x7fff, 0, 0, 0, 0), EINVAL);
	CHECK_ERR(prctl(-1, 0, 0, 0, 0), EINVAL);
}

static void orphan_rounds(int rounds)
{
	for (int i = 0; i < rounds; i++) {
		pid_t mid = t_fork();

		if (mid == 0) {
			if (t_fork() == 0)
				_exit(3);
			_exit(0);
		}
		CHECK_EXITED(t_wait(mid), 0);
		int status;
		CHECK(wait(&status) > 0);	/* the orphan, adopted */
		CHECK_EXITED(status, 3);
	}
}

static void case_subreaper_leaks_nothing(void)
{
	CHECK_OK(prctl(PR_SET_CHILD_SUBREAPER, 1));
	t_check_no_leak("orphans adopted", orphan_rounds, 50);
}

static const struct t_case cases[] = {
	{ case_name, "name" },
	{ case_pdeathsig_get_set, "pdeathsig_get_set" },
	{ case_pdeathsig_sent, "pdeathsig_sent" },
	{ case_pdeathsig_parent_thread, "pdeathsig_parent_thread" },
	{ case_dumpable, "dumpable" },
	{ case_dumpable_lost_on_setuid, "dumpable_lost_on_setuid" },
	{ case_dumpable_proc_owner, "dumpable_proc_owner" },
	{ case_subreaper, "subreaper" },
	{ case_subreaper_gets_zombie_sigchld, "subreaper_gets_zombie_sigchld" },
	{ case_no_new_privs, "no_new_privs" },
	{ case_no_new_privs_setuid_exec, "no_new_privs_setuid_exec" },
	{ case_exec_unreadable_not_dumpable, "exec_unreadable_not_dumpable" },
	{ case_timerslack, "timerslack" },
	{ case_unknown_options, "unknown_options" },
	{ case_subreaper_leaks_nothing, "subreaper_leaks_nothing" },
};

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], PRINT_EUID) == 0)
		return geteuid() == 0 ? 0 : 1;
	if (argc > 1 && strcmp(argv[1], PRINT_DUMPABLE) == 0)
		return 10 + prctl(PR_GET_DUMPABLE);
	return T_RUN(argc, argv, cases);
}
