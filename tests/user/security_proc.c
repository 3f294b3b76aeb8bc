/*
 * security_proc.c - holes in process creation and process groups that a
 * review found (issue 12), each case named after its bug:
 *
 *   clone-child-settid-readonly-vdso  CLONE_CHILD_SETTID was written with
 *       a forced write that skipped the protection check, into the one
 *       vDSO every process maps. The child's write must honour its
 *       protections: it silently fails, as on Linux.
 *   vfork-clone-parent-early-reap     with CLONE_VFORK|CLONE_PARENT the
 *       child's parent (our parent) may reap it before the vfork caller
 *       wakes; the caller then slept forever on a freed task.
 *   vfork-parent-killable             the vfork caller sleeps until the
 *       child execs or exits, but SIGKILL ends that sleep (Linux:
 *       TASK_KILLABLE); other signals wait for the child.
 *   setpgid-missing-or-foreign-group-eperm  setpgid joined a process group
 *       that does not exist, or one in another session (Linux: EPERM).
 *
 * Clones are made with the raw system call and without CLONE_VM, so the
 * child runs on its own copy of our stack, like fork.
 */
#define _GNU_SOURCE
#include "t.h"

#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define SNAPSHOT "/tmp/security-proc-vdso"

/* Leave at once, touching no C library state (raw clone children). */
static void raw_exit(int code)
{
	for (;;)
		t_raw(SYS_exit_group, code);
}

/* ---- clone-child-settid-readonly-vdso --------------------------------- */

/* "prog --vdso-same FILE": 0 if our vDSO's first page matches FILE. */
static int vdso_same(const char *file)
{
	static char saved[T_PAGE];
	const char *vdso = (const char *)getauxval(AT_SYSINFO_EHDR);
	int fd = open(file, O_RDONLY);

	if (!vdso || fd < 0 || read(fd, saved, sizeof(saved)) != T_PAGE)
		return 2;
	return memcmp(vdso, saved, T_PAGE) != 0;
}

/*
 * clone(CLONE_CHILD_SETTID) with child_tid at target: the child must find
 * target's bytes as they were (before[], len bytes) and its tid nowhere.
 */
static void settid_into(void *target, const void *before, size_t len)
{
	long pid = t_raw(SYS_clone, CLONE_CHILD_SETTID | SIGCHLD, 0, 0,
			 target, 0);
	int status;

	if (pid == 0)
		raw_exit(memcmp(target, before, len) != 0);
	CHECK(pid > 0);
	CHECK_EQ(waitpid((pid_t)pid, &status, 0), pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		T_FAIL("the child saw its tid written at %p (status %#x)",
		       target, status);
	CHECK(memcmp(target, before, len) == 0);
}

static void case_clone_child_settid_readonly_vdso(void)
{
	static char saved[T_PAGE], zeros[T_PAGE];
	char *vdso = (char *)getauxval(AT_SYSINFO_EHDR);
	char *ro = t_map(T_PAGE, PROT_READ);
	char *argv[] = { (char *)t_self(), "--vdso-same", SNAPSHOT, NULL };
	char path[] = "/tmp/security-proc-roXXXXXX";
	char *shared;
	int fd, status;

	CHECK(vdso != NULL);
	memcpy(saved, vdso, T_PAGE);
	settid_into(vdso + 64, saved + 64, 4);
	settid_into(vdso + T_PAGE - 4, saved + T_PAGE - 4, 4);
	settid_into(ro, zeros, T_PAGE);
	/* A read-only shared mapping: a forced write would reach the file. */
	fd = CHECK_OK(mkstemp(path));
	CHECK_EQ(write(fd, zeros, T_PAGE), T_PAGE);
	shared = mmap(NULL, T_PAGE, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(shared != MAP_FAILED);
	settid_into(shared + 8, zeros, 4);
	CHECK_EQ(pread(fd, saved, 16, 0), 16);
	CHECK(memcmp(saved, zeros, 16) == 0);
	CHECK_OK(close(fd));
	CHECK_OK(unlink(path));

	/* Our vDSO is unchanged, and so is a program started afterwards. */
	memcpy(saved, vdso, T_PAGE);	/* still the original: checked above */
	fd = CHECK_OK(open(SNAPSHOT, O_WRONLY | O_CREAT | O_TRUNC, 0600));
	CHECK_EQ(write(fd, saved, T_PAGE), T_PAGE);
	CHECK_OK(close(fd));
	pid_t pid = t_fork();
	if (pid == 0) {
		execve(argv[0], argv, environ);
		_exit(3);
	}
	status = t_wait(pid);
	CHECK_OK(unlink(SNAPSHOT));
	CHECK_EXITED(status, 0);
}

/* The first nonzero value posted at flag (a pid or tid). */
static pid_t await_nonzero(volatile int *flag)
{
	for (long spins = 0; spins < (1L << 24); spins++) {
		int v = __atomic_load_n(flag, __ATOMIC_SEQ_CST);

		if (v)
			return v;
		sched_yield();
	}
	T_FAIL("gave up waiting for the other task to post");
}

/* ---- vfork-clone-parent-early-reap ------------------------------------ */

/* One round: we are A; B vforks C as our child; we reap C, then B. */
static void early_reap_round(int unused)
{
	volatile int *s = t_shared_ints();
	pid_t b = t_fork(), c;
	int status;

	(void)unused;
	if (b == 0) {
		long r = t_raw(SYS_clone, CLONE_VFORK | CLONE_PARENT | SIGCHLD,
			       0, 0, 0, 0);
		if (r == 0) {	/* C: gone at once, reaped by A */
			t_post(&s[0], (int)t_raw(SYS_getpid));
			raw_exit(7);
		}
		_exit(r == s[0] ? 0 : 1);
	}
	c = await_nonzero(&s[0]);
	CHECK_EQ(waitpid(c, &status, 0), c);
	CHECK_EXITED(status, 7);
	CHECK_EQ(waitpid(b, &status, 0), b);
	CHECK_EXITED(status, 0);
	munmap((void *)s, T_PAGE);
}

static void early_reap_rounds(int rounds)
{
	for (int i = 0; i < rounds; i++)
		early_reap_round(i);
}

static void case_vfork_clone_parent_early_reap(void)
{
	early_reap_rounds(20);
	t_check_no_leak("vfork with CLONE_PARENT", early_reap_rounds, 50);
}

/* ---- vfork-parent-killable -------------------------------------------- */

static volatile sig_atomic_t usr1_seen;

static void on_usr1(int sig)
{
	(void)sig;
	usr1_seen = 1;
}

/*
 * B: vforks C (our child, through CLONE_PARENT) and waits for it. C
 * posts its pid in s[0], waits for s[1] and exits with status 5. B exits
 * 0 if clone returned C's pid and SIGUSR1 came only after.
 */
static void vfork_waiter(volatile int *s)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	long r;

	sigaction(SIGUSR1, &sa, NULL);
	r = t_raw(SYS_clone, CLONE_VFORK | CLONE_PARENT | SIGCHLD, 0, 0, 0,
		  0);
	if (r == 0) {
		t_post(&s[0], (int)t_raw(SYS_getpid));
		t_await(&s[1], 1);
		raw_exit(5);
	}
	_exit(r == s[0] && usr1_seen ? 0 : 1);
}

static void kill_vfork_parent_once(int unused)
{
	volatile int *s = t_shared_ints();
	pid_t b, c;
	int status;

	(void)unused;
	b = t_fork();
	if (b == 0)
		vfork_waiter(s);
	c = await_nonzero(&s[0]);	/* B is in, or entering, its wait */
	CHECK_OK(kill(b, SIGKILL));
	CHECK_EQ(waitpid(b, &status, 0), b);
	CHECK_SIGNALED(status, SIGKILL);
	/* C outlives the parent whose completion it held, and ends well. */
	t_post(&s[1], 1);
	CHECK_EQ(waitpid(c, &status, 0), c);
	CHECK_EXITED(status, 5);
	munmap((void *)s, T_PAGE);
}

static void kill_rounds(int rounds)
{
	for (int i = 0; i < rounds; i++)
		kill_vfork_parent_once(i);
}

static void case_vfork_parent_killable(void)
{
	volatile int *s = t_shared_ints();
	pid_t b, c;
	int status;

	/* SIGKILL ends the wait. */
	kill_rounds(5);
	t_check_no_leak("killed vfork parents", kill_rounds, 20);

	/* Another signal does not: B returns C's pid once C is gone. */
	b = t_fork();
	if (b == 0)
		vfork_waiter(s);
	c = await_nonzero(&s[0]);
	CHECK_OK(kill(b, SIGUSR1));
	t_post(&s[1], 1);
	CHECK_EQ(waitpid(c, &status, 0), c);
	CHECK_EXITED(status, 5);
	CHECK_EQ(waitpid(b, &status, 0), b);
	CHECK_EXITED(status, 0);
}

/* ---- setpgid-missing-or-foreign-group-eperm --------------------------- */

/* A child that runs fn(s) and then waits for s[1] == 1 to exit. */
static pid_t linger(volatile int *s, void (*fn)(volatile int *))
{
	pid_t pid = t_fork();

	if (pid == 0) {
		fn(s);
		t_post(&s[0], 1);
		t_await(&s[1], 1);
		_exit(0);
	}
	t_await(&s[0], 1);
	return pid;
}

static void become_session_leader(volatile int *s)
{
	(void)s;
	CHECK(setsid() > 0);
}

static void become_group_leader(volatile int *s)
{
	(void)s;
	CHECK_OK(setpgid(0, 0));
}

/* s[0]: the thread's tid, posted; it leaves when s[1] is 1. */
static void *thread_idle(void *arg)
{
	volatile int *s = arg;

	t_post(&s[0], (int)t_raw(SYS_gettid));
	t_await(&s[1], 1);
	return NULL;
}

static void case_setpgid_missing_or_foreign_group_eperm(void)
{
	volatile int *other_session = t_shared_ints();
	volatile int *own_group = t_shared_ints();
	pid_t x = linger(other_session, become_session_leader);
	pid_t z = linger(own_group, become_group_leader);
	pid_t y = t_fork();

	if (y == 0) {
		/* A group nobody is in: no process has our pid + a big gap. */
		CHECK_ERR(setpgid(0, 0x3ffff0), EPERM);
		/* A group that exists, in another session. */
		CHECK_ERR(setpgid(0, x), EPERM);
		/* A group of our own session: joined. */
		CHECK_OK(setpgid(0, z));
		CHECK_EQ(getpgrp(), z);
		/* Our own pid names a new group. */
		CHECK_OK(setpgid(0, getpid()));
		CHECK_EQ(getpgrp(), getpid());
		_exit(0);
	}
	CHECK_EXITED(t_wait(y), 0);
	/* A child of ours in another session cannot move (EPERM), nor can
	 * a session leader; a pid that is no child of ours is ESRCH. */
	CHECK_ERR(setpgid(x, x), EPERM);
	CHECK_ERR(setpgid(getppid(), 0), ESRCH);
	t_post(&other_session[1], 1);
	t_post(&own_group[1], 1);
	CHECK_EXITED(t_wait(x), 0);
	CHECK_EXITED(t_wait(z), 0);
}

/* setpgid names a process: a thread's id that is not a leader's is EINVAL,
 * and a child that has called execve may no longer be moved (EACCES). */
static void case_setpgid_thread_and_execed_child(void)
{
	static volatile int th_sync[2];
	pthread_t th;
	pid_t child;
	char *argv[] = { (char *)t_self(), "--pause", NULL };
	volatile int *s = t_shared_ints();

	CHECK_EQ(pthread_create(&th, NULL, thread_idle, (void *)th_sync), 0);
	CHECK(await_nonzero(&th_sync[0]) != getpid());
	CHECK_ERR(setpgid(th_sync[0], 0), EINVAL);
	t_post(&th_sync[1], 1);
	CHECK_EQ(pthread_join(th, NULL), 0);

	child = t_fork();
	if (child == 0) {
		t_post(&s[0], 1);
		execve(argv[0], argv, environ);
		_exit(3);
	}
	t_await(&s[0], 1);
	/* Until its exec is done the answer may still be 0: wait for it. */
	for (int i = 0; i < 1000000; i++) {
		errno = 0;
		if (setpgid(child, child) == -1 && errno == EACCES)
			break;
		CHECK(errno == 0);
		sched_yield();
	}
	CHECK_ERR(setpgid(child, child), EACCES);
	CHECK_OK(kill(child, SIGKILL));
	CHECK_SIGNALED(t_wait(child), SIGKILL);
}

static const struct t_case cases[] = {
	{ case_clone_child_settid_readonly_vdso,
	  "clone-child-settid-readonly-vdso" },
	{ case_vfork_clone_parent_early_reap, "vfork-clone-parent-early-reap" },
	{ case_vfork_parent_killable, "vfork-parent-killable" },
	{ case_setpgid_missing_or_foreign_group_eperm,
	  "setpgid-missing-or-foreign-group-eperm" },
	{ case_setpgid_thread_and_execed_child,
	  "setpgid-thread-einval-execed-child-eacces" },
};

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--vdso-same") == 0)
		return vdso_same(argv[2]);
	if (argc == 2 && strcmp(argv[1], "--pause") == 0) {
		for (;;)
			pause();
	}
	return T_RUN(argc, argv, cases);
}
