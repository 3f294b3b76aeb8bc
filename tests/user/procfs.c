/*
 * procfs.c - what /proc/<pid> says about a process, in Linux's formats:
 * stat (52 fields, the state letters of running, sleeping, zombie and
 * stopped processes), statm, status (field names and order, ids, signal
 * masks, thread count), cmdline and comm after execve, comm writes,
 * environ and who may read it, limits, fd/ and fdinfo/, exe, the self and
 * thread-self links, and that reading every file leaks nothing.
 *
 * The program also runs as its own exec target: "procfs-LIBC --cmdline
 * ARGS..." checks its own /proc/self/cmdline and comm and exits 0 if they
 * are what execve gave it.
 */
#define _GNU_SOURCE
#include "t.h"

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define NOBODY 65534

/* The whole of a /proc file into buf (NUL-terminated); its length, or
 * -errno if it cannot be opened or read. */
static long read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t len = 0;
	ssize_t n;

	if (fd < 0)
		return -errno;
	while (len < size - 1 &&
	       (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += (size_t)n;
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	buf[len] = '\0';
	return (long)len;
}

/* The fields of a stat line after the command: f[0] is the state (field
 * 3); returns how many there are. */
static int stat_fields(const char *line, char *comm, size_t commlen,
		       char f[60][32])
{
	const char *open_paren = strchr(line, '(');
	const char *close_paren = strrchr(line, ')');
	const char *p;
	int n = 0;

	if (!open_paren || !close_paren)
		return -1;
	snprintf(comm, commlen, "%.*s", (int)(close_paren - open_paren - 1),
		 open_paren + 1);
	for (p = close_paren + 1; *p && n < 60;) {
		while (*p == ' ' || *p == '\n')
			p++;
		if (!*p)
			break;
		int k = 0;
		while (*p && *p != ' ' && *p != '\n' && k < 31)
			f[n][k++] = *p++;
		f[n++][k] = '\0';
	}
	return n;
}

static void case_stat_self(void)
{
	char buf[1024], comm[32], f[60][32];
	long len = read_file("/proc/self/stat", buf, sizeof(buf));

	CHECK(len > 0);
	CHECK_EQ(atoi(buf), getpid());
	/* 52 fields: pid and comm, then 50 more. */
	CHECK_EQ(stat_fields(buf, comm, sizeof(comm), f), 50);
	CHECK_EQ(f[0][0], 'R');
	CHECK_EQ(atoi(f[1]), getppid());
	CHECK_EQ(atoi(f[2]), getpgrp());
	CHECK_EQ(atoi(f[3]), getsid(0));
	CHECK_EQ(atoi(f[17]), 1);		/* num_threads */
	CHECK_EQ(atoi(f[35]), SIGCHLD);		/* exit_signal */
	CHECK(strlen(comm) > 0 && strlen(comm) <= 15);
}

static void case_stat_sleeping_child(void)
{
	pid_t pid = t_fork();

	if (pid == 0) {
		pause();
		_exit(0);
	}
	while (t_proc_state(pid) != 'S')
		sched_yield();
	CHECK_EQ(t_proc_state(pid), 'S');
	CHECK_OK(kill(pid, SIGKILL));
	CHECK_SIGNALED(t_wait(pid), SIGKILL);
}

/* waitid(WNOWAIT) returns once the child is a zombie, and leaves it one. */
static void case_stat_zombie_child(void)
{
	siginfo_t si;
	char path[64], buf[1024], comm[32], f[60][32];
	pid_t pid = t_fork();

	if (pid == 0)
		_exit(7);
	CHECK_OK(waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT));
	CHECK_EQ(t_proc_state(pid), 'Z');
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	CHECK(read_file(path, buf, sizeof(buf)) > 0);
	CHECK(strstr(buf, "State:\tZ (zombie)\n") != NULL);
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	CHECK(read_file(path, buf, sizeof(buf)) > 0);
	CHECK_EQ(stat_fields(buf, comm, sizeof(comm), f), 50);
	CHECK_EQ(atoi(f[49]), 7 << 8);		/* exit_code: the wait status */
	CHECK_EXITED(t_wait(pid), 7);
}

/*
 * 'D': a vfork parent waits for its child uninterruptibly (killable, which
 * Linux also shows as D). The child blocks in pause() in the parent's
 * memory; the test process watches the parent, then kills the child.
 */
static void case_stat_uninterruptible(void)
{
	volatile int *child_pid = t_shared_ints();
	pid_t parent = t_fork();

	if (parent == 0) {
		pid_t c = vfork();

		if (c == 0) {
			child_pid[0] = getpid();
			t_raw(SYS_pause);
			_exit(0);
		}
		_exit(c > 0 ? 0 : 1);
	}
	while (!child_pid[0] || t_proc_state(parent) != 'D')
		sched_yield();
	CHECK_EQ(t_proc_state(parent), 'D');
	CHECK_OK(kill(child_pid[0], SIGKILL));
	CHECK_EXITED(t_wait(parent), 0);
}

static void case_stat_stopped_child(void)
{
	int status;
	pid_t pid;

	pid = t_fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	CHECK_OK(kill(pid, SIGSTOP));
	CHECK_EQ(waitpid(pid, &status, WUNTRACED), pid);
	CHECK(WIFSTOPPED(status));
	CHECK_EQ(t_proc_state(pid), 'T');
	CHECK_OK(kill(pid, SIGKILL));
	CHECK_SIGNALED(t_wait(pid), SIGKILL);
}

static void case_statm(void)
{
	char buf[256];
	unsigned long v[7];

	CHECK(read_file("/proc/self/statm", buf, sizeof(buf)) > 0);
	CHECK_EQ(sscanf(buf, "%lu %lu %lu %lu %lu %lu %lu", &v[0], &v[1],
			&v[2], &v[3], &v[4], &v[5], &v[6]), 7);
	CHECK(v[0] >= v[1] && v[1] > 0);
}

/* The value of "Name:\t..." in a status text, or NULL. */
static const char *status_value(const char *text, const char *name,
				char *out, size_t size)
{
	char key[64];
	const char *p;

	snprintf(key, sizeof(key), "\n%s:\t", name);
	p = strncmp(text, key + 1, strlen(key + 1)) ? strstr(text, key)
						    : text - 1;
	if (!p)
		return NULL;
	p += strlen(key);
	snprintf(out, size, "%.*s", (int)strcspn(p, "\n"), p);
	return out;
}

static void case_status_fields(void)
{
	static const char *const order[] = {
		"Name", "Umask", "State", "Tgid", "Ngid", "Pid", "PPid",
		"TracerPid", "Uid", "Gid", "FDSize", "Groups", "NStgid",
		"NSpid", "NSpgid", "NSsid", "VmPeak", "VmSize", "VmLck",
		"VmPin", "VmHWM", "VmRSS", "RssAnon", "RssFile", "RssShmem",
		"VmData", "VmStk", "VmExe", "VmLib", "VmPTE", "VmSwap",
		"HugetlbPages", "CoreDumping", "THP_enabled", "Threads",
		"SigQ", "SigPnd", "ShdPnd", "SigBlk", "SigIgn", "SigCgt",
		"CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb",
		"NoNewPrivs", "Seccomp", "Cpus_allowed", "Cpus_allowed_list",
		"voluntary_ctxt_switches", "nonvoluntary_ctxt_switches",
	};
	char buf[8192], v[256], want[128];
	const char *at = buf;

	CHECK(read_file("/proc/self/status", buf, sizeof(buf)) > 0);
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		char key[64];
		const char *p;

		snprintf(key, sizeof(key), "%s:\t", order[i]);
		p = strstr(at, key);
		if (!p)
			T_FAIL("status: no %s after the previous field", key);
		at = p + strlen(key);
	}
	CHECK_EQ(atoi(status_value(buf, "Pid", v, sizeof(v))), getpid());
	CHECK_EQ(atoi(status_value(buf, "Tgid", v, sizeof(v))), getpid());
	CHECK_EQ(atoi(status_value(buf, "PPid", v, sizeof(v))), getppid());
	CHECK_EQ(atoi(status_value(buf, "Threads", v, sizeof(v))), 1);
	CHECK(strcmp(status_value(buf, "State", v, sizeof(v)),
		     "R (running)") == 0);
	snprintf(want, sizeof(want), "%u\t%u\t%u\t%u", getuid(), geteuid(),
		 geteuid(), geteuid());
	CHECK(strcmp(status_value(buf, "Uid", v, sizeof(v)), want) == 0);
	snprintf(want, sizeof(want), "%u\t%u\t%u\t%u", getgid(), getegid(),
		 getegid(), getegid());
	CHECK(strcmp(status_value(buf, "Gid", v, sizeof(v)), want) == 0);
}

static void on_hup(int sig)
{
	(void)sig;
}

/* Signal n is bit n-1 of the 16-digit hex masks. */
static unsigned long long status_mask(const char *text, const char *name)
{
	char v[64];

	return strtoull(status_value(text, name, v, sizeof(v)), NULL, 16);
}

static void case_status_signal_masks(void)
{
	struct sigaction sa = { .sa_handler = on_hup };
	sigset_t set;
	char buf[8192];

	sigemptyset(&sa.sa_mask);
	CHECK_OK(sigaction(SIGHUP, &sa, NULL));
	signal(SIGUSR2, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	CHECK_OK(sigprocmask(SIG_BLOCK, &set, NULL));
	CHECK_OK(kill(getpid(), SIGUSR1));	/* blocked: stays pending */
	CHECK(read_file("/proc/self/status", buf, sizeof(buf)) > 0);
	CHECK(status_mask(buf, "SigCgt") & (1ULL << (SIGHUP - 1)));
	CHECK(status_mask(buf, "SigIgn") & (1ULL << (SIGUSR2 - 1)));
	CHECK(status_mask(buf, "SigBlk") & (1ULL << (SIGUSR1 - 1)));
	CHECK((status_mask(buf, "SigPnd") | status_mask(buf, "ShdPnd")) &
	      (1ULL << (SIGUSR1 - 1)));
	CHECK(!(status_mask(buf, "SigCgt") & (1ULL << (SIGUSR2 - 1))));
}

static volatile int thread_go;

static void *thread_wait(void *arg)
{
	(void)arg;
	while (!__atomic_load_n(&thread_go, __ATOMIC_ACQUIRE))
		sched_yield();
	return NULL;
}

/* A second thread: Threads 2, two entries in task/, each with a stat
 * whose first field is its own tid. */
static void case_status_threads(void)
{
	char buf[8192], v[64], path[96];
	pthread_t th;
	int tids = 0;

	CHECK_EQ(pthread_create(&th, NULL, thread_wait, NULL), 0);
	CHECK(read_file("/proc/self/status", buf, sizeof(buf)) > 0);
	CHECK_EQ(atoi(status_value(buf, "Threads", v, sizeof(v))), 2);
	for (int tid = getpid(); tid < getpid() + 1000 && tids < 2; tid++) {
		snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
		if (read_file(path, buf, sizeof(buf)) <= 0)
			continue;
		CHECK_EQ(atoi(buf), tid);
		tids++;
	}
	CHECK_EQ(tids, 2);
	__atomic_store_n(&thread_go, 1, __ATOMIC_RELEASE);
	CHECK_EQ(pthread_join(th, NULL), 0);
}

/* The exec target: is /proc/self/cmdline exactly argv, comm the name? */
static int check_cmdline(int argc, char **argv)
{
	char buf[4096], want[4096], comm[64], exe[256];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	const char *base;
	size_t wlen = 0;
	long len = read_file("/proc/self/cmdline", buf, sizeof(buf));

	if (n <= 0)
		return 3;
	exe[n] = '\0';
	base = strrchr(exe, '/');

	for (int i = 0; i < argc; i++) {
		size_t n = strlen(argv[i]) + 1;

		memcpy(want + wlen, argv[i], n);
		wlen += n;
	}
	if (len != (long)wlen || memcmp(buf, want, wlen))
		return 1;
	/* The name of the file execve ran, not argv[0]. */
	snprintf(comm, sizeof(comm), "%.15s\n", base ? base + 1 : exe);
	if (read_file("/proc/self/comm", buf, sizeof(buf)) <= 0 ||
	    strcmp(buf, comm))
		return 2;
	return 0;
}

/* execve changes what ps shows: the new argv and the program's name. */
static void case_cmdline_after_exec(void)
{
	pid_t pid = t_fork();

	if (pid == 0) {
		char *argv[] = { "renamed-argv0", "--cmdline", "two words",
				 "", "last", NULL };
		char *envp[] = { "A=1", NULL };

		execve(t_self(), argv, envp);
		_exit(100);
	}
	CHECK_EXITED(t_wait(pid), 0);
}

static void case_environ_self(void)
{
	char buf[16384];
	long len = read_file("/proc/self/environ", buf, sizeof(buf));
	extern char **environ;

	CHECK(len >= 0);
	if (environ[0])
		CHECK(strncmp(buf, environ[0], strlen(environ[0])) == 0);
}

static void drop_to_nobody(void)
{
	CHECK_OK(setgroups(0, NULL));
	CHECK_OK(setresgid(NOBODY, NOBODY, NOBODY));
	CHECK_OK(setresuid(NOBODY, NOBODY, NOBODY));
}

/* Another user's environ is private (Linux: EACCES); its status is not. */
static void case_environ_other_user(void)
{
	char path[64], buf[4096];
	pid_t parent = getpid(), pid = t_fork();

	if (pid == 0) {
		drop_to_nobody();
		snprintf(path, sizeof(path), "/proc/%d/environ", (int)parent);
		CHECK_EQ(read_file(path, buf, sizeof(buf)), -EACCES);
		snprintf(path, sizeof(path), "/proc/%d/status", (int)parent);
		CHECK(read_file(path, buf, sizeof(buf)) > 0);
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
}

/* A thread group may rename itself through comm; another's: EINVAL. */
static void case_comm_write(void)
{
	char buf[64], path[64];
	pid_t parent = getpid(), pid;
	int fd = open("/proc/self/comm", O_WRONLY);

	CHECK(fd >= 0);
	CHECK_EQ(write(fd, "renamed-by-comm-write", 21), 21);
	close(fd);
	CHECK(read_file("/proc/self/comm", buf, sizeof(buf)) > 0);
	CHECK(strcmp(buf, "renamed-by-comm\n") == 0);	/* cut at 15 */
	pid = t_fork();
	if (pid == 0) {
		snprintf(path, sizeof(path), "/proc/%d/comm", (int)parent);
		fd = open(path, O_WRONLY);
		CHECK(fd >= 0);
		CHECK_ERR(write(fd, "x", 1), EINVAL);
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
}

static void case_limits(void)
{
	char buf[4096], line[256], want[64];
	struct rlimit rl;
	const char *p;
	int lines = 0;

	CHECK(read_file("/proc/self/limits", buf, sizeof(buf)) > 0);
	CHECK(strncmp(buf, "Limit                     Soft Limit           "
		      "Hard Limit           Units     \n", 79) == 0);
	for (p = buf; *p; p = strchr(p, '\n') + 1)
		lines++;
	CHECK_EQ(lines, 17);
	CHECK_OK(getrlimit(RLIMIT_NOFILE, &rl));
	snprintf(want, sizeof(want), "%-20lu %-20lu", (unsigned long)rl.rlim_cur,
		 (unsigned long)rl.rlim_max);
	p = strstr(buf, "Max open files");
	CHECK(p != NULL);
	snprintf(line, sizeof(line), "%.*s", (int)strcspn(p, "\n"), p);
	CHECK(strstr(line, want) != NULL);
	CHECK(strstr(buf, "Max cpu time              unlimited") != NULL);
}

/* fd/<n> names the file; fdinfo/<n> has its offset and flags. */
static void case_fd_and_fdinfo(void)
{
	char path[64], buf[512], link[256], v[64];
	int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
	unsigned long flags;

	CHECK(fd >= 0);
	CHECK_EQ(read(fd, buf, 5), 5);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(path, link, sizeof(link) - 1);
	CHECK(n > 0);
	link[n] = '\0';
	snprintf(v, sizeof(v), "/proc/%d/stat", (int)getpid());
	CHECK(strcmp(link, v) == 0);
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	CHECK(read_file(path, buf, sizeof(buf)) > 0);
	CHECK(strncmp(buf, "pos:\t5\nflags:\t0", 15) == 0);
	flags = strtoul(buf + 14, NULL, 8);
	CHECK(flags & O_CLOEXEC);
	CHECK_EQ(flags & O_ACCMODE, (unsigned long)O_RDONLY);
	CHECK(strstr(buf, "\nmnt_id:\t") != NULL);
	close(fd);
	CHECK_EQ(read_file(path, buf, sizeof(buf)), -ENOENT);
}

/* Another process's fd/ and fdinfo/, as lsof walks them: root sees
 * them; another user may not (EACCES). */
static void case_fd_other_process(void)
{
	volatile int *flag = t_shared_ints();
	char path[64], buf[512], link[256];
	pid_t pid = t_fork();
	DIR *d;
	struct dirent *de;
	int seen = 0;

	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		CHECK(fd >= 0);
		CHECK_EQ(dup2(fd, 9), 9);
		t_post(flag, 1);
		t_await(flag, 2);
		_exit(0);
	}
	t_await(flag, 1);
	snprintf(path, sizeof(path), "/proc/%d/fd/9", (int)pid);
	ssize_t n = readlink(path, link, sizeof(link) - 1);
	CHECK(n > 0);
	link[n] = '\0';
	CHECK(strcmp(link, "/dev/null") == 0);
	snprintf(path, sizeof(path), "/proc/%d/fdinfo/9", (int)pid);
	CHECK(read_file(path, buf, sizeof(buf)) > 0);
	CHECK(strncmp(buf, "pos:\t0\nflags:\t0", 15) == 0);
	CHECK_EQ(strtoul(buf + 14, NULL, 8) & O_ACCMODE,
		 (unsigned long)O_WRONLY);
	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	d = opendir(path);
	CHECK(d != NULL);
	while ((de = readdir(d)) != NULL)
		seen += strcmp(de->d_name, "9") == 0;
	closedir(d);
	CHECK_EQ(seen, 1);
	pid_t other = t_fork();
	if (other == 0) {
		drop_to_nobody();
		CHECK(opendir(path) == NULL && errno == EACCES);
		snprintf(path, sizeof(path), "/proc/%d/fdinfo/9", (int)pid);
		CHECK_EQ(read_file(path, buf, sizeof(buf)), -EACCES);
		_exit(0);
	}
	CHECK_EXITED(t_wait(other), 0);
	t_post(flag, 2);
	CHECK_EXITED(t_wait(pid), 0);
}

/* Another process's cwd and root: root reads them, another user may
 * not (EACCES). */
static void case_cwd_other_process(void)
{
	volatile int *flag = t_shared_ints();
	char path[64], link[256];
	pid_t pid = t_fork(), other;
	ssize_t n;

	if (pid == 0) {
		CHECK_OK(chdir("/tmp"));
		t_post(flag, 1);
		t_await(flag, 2);
		_exit(0);
	}
	t_await(flag, 1);
	snprintf(path, sizeof(path), "/proc/%d/cwd", (int)pid);
	n = readlink(path, link, sizeof(link) - 1);
	CHECK(n > 0);
	link[n] = '\0';
	CHECK(strcmp(link, "/tmp") == 0);
	snprintf(path, sizeof(path), "/proc/%d/root", (int)pid);
	n = readlink(path, link, sizeof(link) - 1);
	CHECK(n == 1 && link[0] == '/');
	other = t_fork();
	if (other == 0) {
		drop_to_nobody();
		CHECK_ERR(readlink(path, link, sizeof(link)), EACCES);
		_exit(0);
	}
	CHECK_EXITED(t_wait(other), 0);
	t_post(flag, 2);
	CHECK_EXITED(t_wait(pid), 0);
}

static void case_links(void)
{
	char buf[256], want[256], real[4096];
	ssize_t n;

	n = readlink("/proc/self", buf, sizeof(buf) - 1);
	CHECK(n > 0);
	buf[n] = '\0';
	CHECK_EQ(atoi(buf), getpid());
	n = readlink("/proc/thread-self", buf, sizeof(buf) - 1);
	CHECK(n > 0);
	buf[n] = '\0';
	snprintf(want, sizeof(want), "%d/task/%ld", (int)getpid(),
		 (long)syscall(SYS_gettid));
	CHECK(strcmp(buf, want) == 0);
	n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	CHECK(n > 0);
	buf[n] = '\0';
	CHECK(realpath(t_self(), real) != NULL);
	CHECK(strcmp(buf, real) == 0);
	n = readlink("/proc/self/cwd", buf, sizeof(buf) - 1);
	CHECK(n > 0);
	buf[n] = '\0';
	CHECK(getcwd(real, sizeof(real)) != NULL);
	CHECK(strcmp(buf, real) == 0);
}

/* Every file of the own pid directory, read whole. */
static void read_pid_files(int rounds)
{
	static const char *const files[] = {
		"stat", "statm", "status", "cmdline", "comm", "environ",
		"limits", "maps", "smaps_rollup", "mounts", "fdinfo/0",
		"task",
	};
	static char buf[65536];
	char path[64];

	for (int r = 0; r < rounds; r++)
		for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
			snprintf(path, sizeof(path), "/proc/self/%s",
				 files[i]);
			read_file(path, buf, sizeof(buf));
			readlink("/proc/self/exe", buf, 256);
		}
}

static void case_no_leak_pid_files(void)
{
	t_check_no_leak("reading /proc/self/*", read_pid_files, 20);
}

static const struct t_case cases[] = {
	{ case_stat_self, "stat_self" },
	{ case_stat_sleeping_child, "stat_sleeping_child" },
	{ case_stat_zombie_child, "stat_zombie_child" },
	{ case_stat_uninterruptible, "stat_uninterruptible" },
	{ case_stat_stopped_child, "stat_stopped_child" },
	{ case_statm, "statm" },
	{ case_status_fields, "status_fields" },
	{ case_status_signal_masks, "status_signal_masks" },
	{ case_status_threads, "status_threads" },
	{ case_cmdline_after_exec, "cmdline_after_exec" },
	{ case_environ_self, "environ_self" },
	{ case_environ_other_user, "environ_other_user" },
	{ case_comm_write, "comm_write" },
	{ case_limits, "limits" },
	{ case_fd_and_fdinfo, "fd_and_fdinfo" },
	{ case_fd_other_process, "fd_other_process" },
	{ case_cwd_other_process, "cwd_other_process" },
	{ case_links, "links" },
	{ case_no_leak_pid_files, "no_leak_pid_files" },
};

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "--cmdline") == 0)
		return check_cmdline(argc, argv);
	return T_RUN(argc, argv, cases);
}
