/*
 * rlimit.c - resource limits are enforced as Linux enforces them:
 * RLIMIT_FSIZE (SIGXFSZ and EFBIG, a write cut short at the limit),
 * RLIMIT_DATA and RLIMIT_AS (ENOMEM from mmap, brk and mremap),
 * RLIMIT_STACK (the stack a new program gets), RLIMIT_NPROC (fork fails
 * with EAGAIN for an unprivileged user; root is exempt), RLIMIT_CPU
 * (SIGXCPU at the soft limit, SIGKILL at the hard one), RLIMIT_CORE
 * accepted; a limit is the process's (every thread sees a change), and
 * prlimit64 reaches another process under Linux's permission rule.
 * Each case changes limits only in a child it makes.
 */
#define _GNU_SOURCE
#include "t.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <grp.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define NOBODY 65534
#define MB (1024UL * 1024)

static void set_limit(int res, rlim_t cur, rlim_t max)
{
	struct rlimit r = { cur, max };

	CHECK_OK(setrlimit(res, &r));
}

static int tmp_file(void)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/rlimit-%d", (int)getpid());
	fd = CHECK_OK(open(path, O_RDWR | O_CREAT | O_TRUNC, 0600));
	CHECK_OK(unlink(path));
	return fd;
}

static volatile sig_atomic_t xfsz;

static void on_xfsz(int sig)
{
	(void)sig;
	xfsz++;
}

/* A write is cut at the limit; past it EFBIG and SIGXFSZ. */
static void case_fsize(void)
{
	static char buf[2000];
	int fd;

	signal(SIGXFSZ, on_xfsz);
	set_limit(RLIMIT_FSIZE, 1000, RLIM_INFINITY);
	fd = tmp_file();
	CHECK_EQ(write(fd, buf, sizeof(buf)), 1000);
	CHECK_EQ(xfsz, 0);
	CHECK_ERR(write(fd, buf, 1), EFBIG);
	CHECK_EQ(xfsz, 1);
	CHECK_EQ(write(fd, buf, 0), 0);		/* nothing to write: no signal */
	CHECK_ERR(pwrite(fd, buf, 10, 5000), EFBIG);
	CHECK_EQ(pwrite(fd, buf, 10, 500), 10);
	CHECK_ERR(ftruncate(fd, 2000), EFBIG);
	CHECK_OK(ftruncate(fd, 1000));		/* up to the limit is fine */
	CHECK_OK(ftruncate(fd, 10));
	CHECK_EQ(xfsz, 3);
	CHECK_OK(close(fd));
}

/* SIGXFSZ's default action ends the process. */
static void case_fsize_kills(void)
{
	pid_t pid = t_fork();

	if (pid == 0) {
		int fd = tmp_file();

		set_limit(RLIMIT_FSIZE, 10, RLIM_INFINITY);
		if (pwrite(fd, "x", 1, 10) >= 0)
			_exit(1);
		_exit(2);
	}
	CHECK_SIGNALED(t_wait(pid), SIGXFSZ);
}

/* Private writable memory counts as data; shared or read-only does not. */
static void case_data(void)
{
	void *p;

	set_limit(RLIMIT_DATA, 32 * MB, RLIM_INFINITY);
	CHECK(mmap(NULL, 64 * MB, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED);
	CHECK_EQ(errno, ENOMEM);
	p = mmap(NULL, 64 * MB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	CHECK_OK(munmap(p, 64 * MB));
	p = mmap(NULL, 64 * MB, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	CHECK_OK(munmap(p, 64 * MB));
	p = mmap(NULL, 1 * MB, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	/* brk itself: musl's sbrk refuses every increment. */
	long cur = syscall(SYS_brk, 0);
	CHECK_EQ(syscall(SYS_brk, cur + 64 * MB), cur);
	CHECK_EQ(syscall(SYS_brk, cur + 4096), cur + 4096);
}

/* Every mapping counts against RLIMIT_AS, growth by mremap too. */
static void case_as(void)
{
	void *p, *q;

	set_limit(RLIMIT_AS, 256 * MB, RLIM_INFINITY);
	CHECK(mmap(NULL, 512 * MB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		   -1, 0) == MAP_FAILED);
	CHECK_EQ(errno, ENOMEM);
	p = mmap(NULL, 1 * MB, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	q = mremap(p, 1 * MB, 512 * MB, MREMAP_MAYMOVE);
	CHECK(q == MAP_FAILED);
	CHECK_EQ(errno, ENOMEM);
	q = mremap(p, 1 * MB, 2 * MB, MREMAP_MAYMOVE);
	CHECK(q != MAP_FAILED);
}

/* Uses about 1 MiB of stack: fine with 8 MiB, not with 256 KiB. */
static int deep(int n)
{
	volatile char pad[1024];

	pad[0] = (char)n;
	return n ? deep(n - 1) + (pad[0] & 1) : 0;
}

static void case_stack_hog(void)
{
	CHECK(deep(1000) >= 0);
}

/* RLIMIT_STACK sizes the stack a new program gets at execve. */
static int run_hog_with_stack(rlim_t limit)
{
	pid_t pid = t_fork();

	if (pid == 0) {
		char *argv[] = { (char *)t_self(), "stack_hog", NULL };
		struct rlimit r = { limit, RLIM_INFINITY };

		if (setrlimit(RLIMIT_STACK, &r))
			_exit(3);
		int null = open("/dev/null", O_WRONLY);	/* quiet its report */
		dup2(null, 1);
		execv(argv[0], argv);
		_exit(4);
	}
	return t_wait(pid);
}

static void case_stack(void)
{
	int status = run_hog_with_stack(16 * MB);

	CHECK_EXITED(status, 0);
	status = run_hog_with_stack(256 * 1024);
	CHECK(!WIFEXITED(status) || WEXITSTATUS(status) != 0);
}

static void drop_to_nobody(void)
{
	CHECK_OK(setgroups(0, NULL));
	CHECK_OK(setgid(NOBODY));
	CHECK_OK(setuid(NOBODY));
}

/* A user at its process limit cannot fork (EAGAIN); root can. */
static void case_nproc(void)
{
	pid_t kids[4];
	int n = 0;

	set_limit(RLIMIT_NPROC, 3, 3);
	pid_t root_kid = t_fork();	/* root is exempt */
	if (root_kid == 0)
		_exit(0);
	CHECK_EXITED(t_wait(root_kid), 0);
	drop_to_nobody();
	for (; n < 4; n++) {
		kids[n] = fork();
		if (kids[n] == 0) {
			pause();
			_exit(0);
		}
		if (kids[n] < 0)
			break;
	}
	CHECK_EQ(n, 2);		/* this process and two children */
	CHECK_EQ(errno, EAGAIN);
	for (int i = 0; i < n; i++) {
		kill(kids[i], SIGKILL);
		waitpid(kids[i], NULL, 0);
	}
	pid_t again = fork();	/* room again once they are reaped */
	if (again == 0)
		_exit(0);
	CHECK(again > 0);
	waitpid(again, NULL, 0);
}

static int xcpu_pipe[2];

static void on_xcpu(int sig)
{
	(void)sig;
	if (write(xcpu_pipe[1], "x", 1) != 1)
		_exit(5);
}

/* SIGXCPU at the soft limit (1 s of CPU), SIGKILL at the hard one (2 s). */
static void case_cpu(void)
{
	char c;

	CHECK_OK(pipe(xcpu_pipe));
	pid_t pid = t_fork();
	if (pid == 0) {
		volatile unsigned long x = 0;

		signal(SIGXCPU, on_xcpu);
		set_limit(RLIMIT_CPU, 1, 2);
		for (;;)
			x++;
	}
	CHECK_OK(close(xcpu_pipe[1]));
	CHECK_SIGNALED(t_wait(pid), SIGKILL);
	CHECK_EQ(read(xcpu_pipe[0], &c, 1), 1);	/* at least one SIGXCPU */
}

static void case_cpu_default(void)
{
	pid_t pid = t_fork();

	if (pid == 0) {
		volatile unsigned long x = 0;

		set_limit(RLIMIT_CPU, 1, RLIM_INFINITY);
		for (;;)
			x++;
	}
	CHECK_SIGNALED(t_wait(pid), SIGXCPU);
}

static void case_core_accepted(void)
{
	struct rlimit r;

	set_limit(RLIMIT_CORE, 1 * MB, RLIM_INFINITY);
	CHECK_OK(getrlimit(RLIMIT_CORE, &r));
	CHECK_EQ(r.rlim_cur, 1 * MB);
	set_limit(RLIMIT_CORE, 0, 0);
	CHECK_OK(getrlimit(RLIMIT_CORE, &r));
	CHECK_EQ(r.rlim_max, 0);
}

static void *set_in_thread(void *arg)
{
	(void)arg;
	set_limit(RLIMIT_NOFILE, 100, 200);
	return NULL;
}

/* Limits belong to the process: a thread's change is everyone's. */
static void case_thread_shares(void)
{
	pthread_t th;
	struct rlimit r;

	CHECK_EQ(pthread_create(&th, NULL, set_in_thread, NULL), 0);
	CHECK_EQ(pthread_join(th, NULL), 0);
	CHECK_OK(getrlimit(RLIMIT_NOFILE, &r));
	CHECK_EQ(r.rlim_cur, 100);
	CHECK_EQ(r.rlim_max, 200);
}

/* prlimit64 on another process: same ids or privilege, else EPERM. */
static void case_prlimit_other(void)
{
	int go[2], done[2];
	struct rlimit r = { 77, 88 }, old;
	char c = 0;

	CHECK_OK(pipe(go));
	CHECK_OK(pipe(done));
	pid_t pid = t_fork();
	if (pid == 0) {
		struct rlimit mine;

		if (read(go[0], &c, 1) != 1 || getrlimit(RLIMIT_NOFILE, &mine))
			_exit(1);
		_exit(mine.rlim_cur == 77 && mine.rlim_max == 88 ? 0 : 2);
	}
	CHECK_OK(prlimit(pid, RLIMIT_NOFILE, &r, &old));
	CHECK_OK(prlimit(pid, RLIMIT_NOFILE, NULL, &old));
	CHECK_EQ(old.rlim_cur, 77);
	CHECK_EQ(write(go[1], &c, 1), 1);
	CHECK_EXITED(t_wait(pid), 0);
	CHECK_ERR(prlimit(pid, RLIMIT_NOFILE, NULL, &old), ESRCH);
	drop_to_nobody();
	CHECK_ERR(prlimit(1, RLIMIT_NOFILE, NULL, &old), EPERM);
	CHECK_OK(prlimit(0, RLIMIT_NOFILE, NULL, &old));
	CHECK_ERR(prlimit(getpid(), 99, NULL, &old), EINVAL);
}

static const struct t_case cases[] = {
	{ case_fsize, "fsize" },
	{ case_fsize_kills, "fsize_kills" },
	{ case_data, "data" },
	{ case_as, "as" },
	{ case_stack_hog, "stack_hog" },
	{ case_stack, "stack" },
	{ case_nproc, "nproc" },
	{ case_cpu, "cpu" },
	{ case_cpu_default, "cpu_default" },
	{ case_core_accepted, "core_accepted" },
	{ case_thread_shares, "setrlimit-in-a-thread-is-process-wide" },
	{ case_prlimit_other, "prlimit-other-process-was-esrch" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
