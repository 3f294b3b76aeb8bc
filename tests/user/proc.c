/*
 * proc.c - process trees: fork, execve, exit, wait4 and waitid.
 *
 * Children report through their exit status, which is exactly what these
 * calls carry. Where a child must still be running while the parent looks
 * (WNOHANG), a MAP_SHARED flag holds it back; no pipes or signals are used.
 *
 * The program also runs as its own exec target: "proc-LIBC --exit N" exits
 * with N, "--check-args" and "--check-pid" verify what execve handed over.
 */
#define _GNU_SOURCE
#include "t.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define LONG_ARG_LEN 3000

static long sys_gettid(void)
{
	return syscall(SYS_gettid);
}

/* waitid through the raw call: both C libraries pass rusage = NULL. */
static long sys_waitid(int idtype, pid_t id, siginfo_t *si, int options)
{
	return syscall(SYS_waitid, idtype, id, si, options, NULL);
}

/* Exec this binary with a mode argument; never returns on success. */
static void exec_self(char *const argv[], char *const envp[])
{
	execve(t_self(), argv, envp);
	T_FAIL("execve(%s) failed: errno %s", t_self(), t_errname(errno));
}

static void case_fork_exit_codes(void)
{
	enum { N = 10 };
	pid_t pids[N];

	for (int i = 0; i < N; i++) {
		pids[i] = t_fork();
		if (pids[i] == 0)
			_exit(i * 11 + 1);
	}
	/* Reap in reverse order: wait4(pid) must pick exactly that child. */
	for (int i = N - 1; i >= 0; i--) {
		int status = 0;
		CHECK_EQ(wait4(pids[i], &status, 0, NULL), pids[i]);
		CHECK(WIFEXITED(status));
		CHECK_EQ(WEXITSTATUS(status), i * 11 + 1);
	}
}

static void case_wait_any(void)
{
	enum { N = 20 };
	pid_t pids[N];
	int seen[N] = { 0 };

	for (int i = 0; i < N; i++) {
		pids[i] = t_fork();
		if (pids[i] == 0)
			_exit(100 + i);
	}
	for (int n = 0; n < N; n++) {
		int status = 0, i;
		pid_t got = wait4(-1, &status, 0, NULL);
		for (i = 0; i < N && pids[i] != got; i++)
			;
		if (i == N)
			T_FAIL("wait4(-1) returned %d, not one of our children (errno %s)",
			       (int)got, t_errname(errno));
		CHECK(!seen[i]);
		seen[i] = 1;
		CHECK_EXITED(status, 100 + i);
	}
	CHECK_ERR(wait4(-1, NULL, 0, NULL), ECHILD);
}

static void case_exit_status_masked(void)
{
	/* Only the low 8 bits of the exit code reach the parent. */
	static const int codes[][2] = { { 0x1234, 0x34 }, { 256, 0 }, { -1, 255 } };

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		pid_t pid = t_fork();
		if (pid == 0)
			_exit(codes[i][0]);
		CHECK_EXITED(t_wait(pid), codes[i][1]);
	}
}

static void case_wait4_null_status(void)
{
	pid_t pid = t_fork();

	if (pid == 0)
		_exit(5);
	CHECK_EQ(wait4(pid, NULL, 0, NULL), pid);
	CHECK_ERR(wait4(pid, NULL, 0, NULL), ECHILD);
}

static void case_grandchildren(void)
{
	pid_t child = t_fork();

	if (child == 0) {
		pid_t me = getpid();
		int sum = 0;
		for (int i = 1; i <= 3; i++) {
			pid_t g = t_fork();
			if (g == 0)
				_exit(getppid() == me ? i : 77);
			int status = t_wait(g);
			CHECK_EXITED(status, i);
			sum += WEXITSTATUS(status);
		}
		/* The grandchildren are ours to reap, not the grandparent's. */
		CHECK_ERR(wait4(-1, NULL, WNOHANG, NULL), ECHILD);
		_exit(sum);
	}
	CHECK_EXITED(t_wait(child), 6);
	CHECK_ERR(wait4(-1, NULL, WNOHANG, NULL), ECHILD);
}

/* Each level forks the next and exits with its child's status plus one. */
static int chain(int depth)
{
	if (depth == 0)
		return 0;
	pid_t pid = t_fork();
	if (pid == 0)
		_exit(chain(depth - 1));
	int status = t_wait(pid);
	if (!WIFEXITED(status))
		return 200;
	return WEXITSTATUS(status) + 1;
}

static void case_deep_chain(void)
{
	CHECK_EQ(chain(20), 20);
}

static void case_many_zombies(void)
{
	enum { N = 100 };

	/* All children exit before any is reaped: 100 zombies at once. */
	for (int i = 0; i < N; i++)
		if (t_fork() == 0)
			_exit(i & 0x7f);
	for (int i = 0; i < N; i++) {
		int status = 0;
		CHECK(wait4(-1, &status, 0, NULL) > 0);
		CHECK(WIFEXITED(status));
	}
	CHECK_ERR(wait4(-1, NULL, 0, NULL), ECHILD);
}

static void case_exec_hello(void)
{
	char path[512];

	t_sibling(path, sizeof(path), "hello");
	pid_t pid = t_fork();
	if (pid == 0) {
		char *argv[] = { path, NULL };
		execve(path, argv, environ);
		T_FAIL("execve(%s): errno %s", path, t_errname(errno));
	}
	CHECK_EXITED(t_wait(pid), 0);
}

static void case_exec_exit_code(void)
{
	pid_t pid = t_fork();

	if (pid == 0) {
		char *argv[] = { (char *)t_self(), "--exit", "42", NULL };
		exec_self(argv, environ);
	}
	CHECK_EXITED(t_wait(pid), 42);
}

static int check_args(int argc, char **argv)
{
	int n = 0;

	if (argc != 5 || argv[argc] != NULL)
		return 1;
	if (strcmp(argv[2], "a") || strcmp(argv[3], "") ||
	    strlen(argv[4]) != LONG_ARG_LEN || argv[4][LONG_ARG_LEN - 1] != 'x')
		return 2;
	while (environ[n])
		n++;
	if (n != 2 || strcmp(environ[0], "FOO=bar") || strcmp(environ[1], "EMPTY="))
		return 3;
	if (!getenv("FOO") || strcmp(getenv("FOO"), "bar"))
		return 4;
	return 0;
}

static void case_exec_args_env(void)
{
	static char long_arg[LONG_ARG_LEN + 1];

	memset(long_arg, 'x', LONG_ARG_LEN);
	pid_t pid = t_fork();
	if (pid == 0) {
		char *argv[] = { (char *)t_self(), "--check-args", "a", "",
				 long_arg, NULL };
		char *envp[] = { "FOO=bar", "EMPTY=", NULL };
		exec_self(argv, envp);
	}
	CHECK_EXITED(t_wait(pid), 0);
}

static void case_exec_keeps_pid(void)
{
	pid_t parent = getpid();
	pid_t pid = t_fork();

	if (pid == 0) {
		char spid[16], sppid[16];
		snprintf(spid, sizeof(spid), "%d", (int)getpid());
		snprintf(sppid, sizeof(sppid), "%d", (int)parent);
		char *argv[] = { (char *)t_self(), "--check-pid", spid, sppid, NULL };
		exec_self(argv, environ);
	}
	CHECK_EXITED(t_wait(pid), 0);
}

static void write_file(const char *path, const char *data, size_t len, int mode)
{
	int fd = CHECK_OK(open(path, O_WRONLY | O_CREAT | O_TRUNC, mode));
	CHECK_EQ(write(fd, data, len), (long)len);
	CHECK_OK(close(fd));
}

static void case_exec_errors(void)
{
	char junk[64], empty[64], plain[64], below[80];
	char *argv[] = { "x", NULL };

	snprintf(junk, sizeof(junk), "/tmp/proc-junk-%d", (int)getpid());
	snprintf(empty, sizeof(empty), "/tmp/proc-empty-%d", (int)getpid());
	snprintf(plain, sizeof(plain), "/tmp/proc-plain-%d", (int)getpid());
	snprintf(below, sizeof(below), "%s/x", plain);
	write_file(junk, "\x7f" "ELX not an executable\n", 23, 0755);
	write_file(empty, "", 0, 0755);
	write_file(plain, "data\n", 5, 0644);

	CHECK_ERR(execve("/nonexistent/prog", argv, environ), ENOENT);
	CHECK_ERR(execve("/tmp", argv, environ), EACCES);	/* a directory */
	CHECK_ERR(execve(plain, argv, environ), EACCES);	/* no x bit */
	CHECK_ERR(execve(junk, argv, environ), ENOEXEC);
	CHECK_ERR(execve(empty, argv, environ), ENOEXEC);
	CHECK_ERR(execve(below, argv, environ), ENOTDIR);
	unlink(junk);
	unlink(empty);
	unlink(plain);
}

static void case_waitid_p_pid(void)
{
	pid_t pid = t_fork();
	siginfo_t si;

	if (pid == 0)
		_exit(7);
	memset(&si, 0, sizeof(si));
	CHECK_EQ(sys_waitid(P_PID, pid, &si, WEXITED), 0);
	CHECK_EQ(si.si_signo, SIGCHLD);
	CHECK_EQ(si.si_code, CLD_EXITED);
	CHECK_EQ(si.si_pid, pid);
	CHECK_EQ(si.si_status, 7);
	CHECK_EQ(si.si_uid, getuid());
	CHECK_ERR(wait4(pid, NULL, WNOHANG, NULL), ECHILD);	/* it was reaped */
}

static void case_waitid_p_all(void)
{
	pid_t a = t_fork();
	if (a == 0)
		_exit(1);
	pid_t b = t_fork();
	if (b == 0)
		_exit(2);

	int got_a = 0, got_b = 0;
	for (int n = 0; n < 2; n++) {
		siginfo_t si;
		memset(&si, 0, sizeof(si));
		CHECK_EQ(sys_waitid(P_ALL, 0, &si, WEXITED), 0);
		CHECK_EQ(si.si_code, CLD_EXITED);
		if (si.si_pid == a && si.si_status == 1)
			got_a++;
		else if (si.si_pid == b && si.si_status == 2)
			got_b++;
		else
			T_FAIL("waitid(P_ALL) gave pid %d status %d", si.si_pid,
			       si.si_status);
	}
	CHECK(got_a == 1 && got_b == 1);
	siginfo_t si;
	CHECK_ERR(sys_waitid(P_ALL, 0, &si, WEXITED), ECHILD);
}

static void case_waitid_killed(void)
{
	pid_t pid = t_fork();
	siginfo_t si;

	if (pid == 0) {
		*(volatile int *)0 = 1;
		_exit(0);
	}
	memset(&si, 0, sizeof(si));
	CHECK_EQ(sys_waitid(P_PID, pid, &si, WEXITED), 0);
	CHECK_EQ(si.si_pid, pid);
	/* CLD_DUMPED only if a core file was written (RLIMIT_CORE > 0). */
	CHECK(si.si_code == CLD_KILLED || si.si_code == CLD_DUMPED);
	CHECK_EQ(si.si_status, SIGSEGV);
}

static void case_waitid_wnowait(void)
{
	pid_t pid = t_fork();
	siginfo_t si;

	if (pid == 0)
		_exit(9);
	memset(&si, 0, sizeof(si));
	CHECK_EQ(sys_waitid(P_PID, pid, &si, WEXITED | WNOWAIT), 0);
	CHECK_EQ(si.si_pid, pid);
	CHECK_EQ(si.si_status, 9);
	/* WNOWAIT left the zombie in place: it can still be reaped. */
	CHECK_EXITED(t_wait(pid), 9);
}

static void case_waitid_bad_args(void)
{
	siginfo_t si;

	CHECK_ERR(sys_waitid(P_ALL, 0, &si, 0), EINVAL);	/* no WEXITED etc */
	CHECK_ERR(sys_waitid(P_ALL, 0, &si, WEXITED | 0x100), EINVAL);
	CHECK_ERR(sys_waitid(42, 0, &si, WEXITED), EINVAL);	/* bad idtype */
	CHECK_ERR(wait4(-1, NULL, 0x100, NULL), EINVAL);	/* unknown option */
}

static void case_wnohang_running(void)
{
	volatile int *flag = t_shared_ints();
	pid_t pid = t_fork();
	siginfo_t si;
	int status = 12345;

	if (pid == 0) {
		t_await(flag, 1);
		_exit(3);
	}
	CHECK_EQ(wait4(pid, &status, WNOHANG, NULL), 0);
	CHECK_EQ(wait4(-1, &status, WNOHANG, NULL), 0);
	/* Linux clears the siginfo when WNOHANG finds nothing to report. */
	memset(&si, 0xff, sizeof(si));
	CHECK_EQ(sys_waitid(P_PID, pid, &si, WEXITED | WNOHANG), 0);
	CHECK_EQ(si.si_pid, 0);
	CHECK_EQ(si.si_signo, 0);
	t_post(flag, 1);
	CHECK_EXITED(t_wait(pid), 3);
}

static void case_echild(void)
{
	siginfo_t si;

	CHECK_ERR(wait4(-1, NULL, 0, NULL), ECHILD);
	CHECK_ERR(wait4(-1, NULL, WNOHANG, NULL), ECHILD);
	CHECK_ERR(wait4(getppid(), NULL, 0, NULL), ECHILD);	/* not our child */
	CHECK_ERR(wait4(getpid(), NULL, 0, NULL), ECHILD);
	CHECK_ERR(sys_waitid(P_ALL, 0, &si, WEXITED), ECHILD);
	CHECK_ERR(sys_waitid(P_PID, getppid(), &si, WEXITED), ECHILD);

	pid_t pid = t_fork();
	if (pid == 0)
		_exit(0);
	CHECK_EXITED(t_wait(pid), 0);
	CHECK_ERR(wait4(pid, NULL, 0, NULL), ECHILD);	/* already reaped */
}

static void case_pid_relations(void)
{
	volatile int *ids = t_shared_ints();
	pid_t me = getpid();

	CHECK_EQ(sys_gettid(), me);	/* a single-threaded process */
	pid_t pid = t_fork();
	if (pid == 0) {
		ids[0] = getpid();
		ids[1] = getppid();
		ids[2] = sys_gettid();
		ids[3] = syscall(SYS_getpid);
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
	CHECK(pid != me);
	CHECK_EQ(ids[0], pid);
	CHECK_EQ(ids[1], me);
	CHECK_EQ(ids[2], pid);
	CHECK_EQ(ids[3], pid);
	CHECK_EQ(getpid(), me);
}

static void case_exit_vs_exit_group(void)
{
	/* With one thread, exit and exit_group both end the process. */
	pid_t pid = t_fork();
	if (pid == 0) {
		t_raw(SYS_exit, 3, 0, 0);
		_exit(77);
	}
	CHECK_EXITED(t_wait(pid), 3);

	pid = t_fork();
	if (pid == 0) {
		t_raw(SYS_exit_group, 4, 0, 0);
		_exit(77);
	}
	CHECK_EXITED(t_wait(pid), 4);
}

static const struct t_case cases[] = {
	{ case_fork_exit_codes, "fork_exit_codes" },
	{ case_wait_any, "wait_any" },
	{ case_exit_status_masked, "exit_status_masked" },
	{ case_wait4_null_status, "wait4_null_status" },
	{ case_grandchildren, "grandchildren" },
	{ case_deep_chain, "deep_chain" },
	{ case_many_zombies, "many_zombies" },
	{ case_exec_hello, "exec_hello" },
	{ case_exec_exit_code, "exec_exit_code" },
	{ case_exec_args_env, "exec_args_env" },
	{ case_exec_keeps_pid, "exec_keeps_pid" },
	{ case_exec_errors, "exec_errors" },
	{ case_waitid_p_pid, "waitid_p_pid" },
	{ case_waitid_p_all, "waitid_p_all" },
	{ case_waitid_killed, "waitid_killed" },
	{ case_waitid_wnowait, "waitid_wnowait" },
	{ case_waitid_bad_args, "waitid_bad_args" },
	{ case_wnohang_running, "wnohang_running" },
	{ case_echild, "echild" },
	{ case_pid_relations, "pid_relations" },
	{ case_exit_vs_exit_group, "exit_vs_exit_group" },
};

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--exit") == 0)
		return atoi(argv[2]);
	if (argc >= 2 && strcmp(argv[1], "--check-args") == 0)
		return check_args(argc, argv);
	if (argc == 4 && strcmp(argv[1], "--check-pid") == 0)
		return getpid() == atoi(argv[2]) && getppid() == atoi(argv[3]) ? 0 : 1;
	return T_RUN(argc, argv, cases);
}
