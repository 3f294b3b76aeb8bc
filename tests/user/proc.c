/*
 * proc.c - process trees: fork, execve, exit, wait4 and waitid; and what
 * /proc/<pid>/maps and smaps_rollup say about a process's memory.
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
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
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

/* ---- /proc/<pid>/maps and smaps_rollup ------------------------------- */

/* One line of /proc/<pid>/maps. */
struct maps_line {
	unsigned long start, end;
	char perms[5];
	unsigned long long offset;
	unsigned int major, minor;
	unsigned long ino;
	char name[256];			/* "" when the area has none */
};

/*
 * The whole of path, read `chunk` bytes at a time into buf (NUL-ended).
 * Only read(2): nothing here may map memory while the maps are read.
 */
static size_t read_text(const char *path, char *buf, size_t size,
			size_t chunk)
{
	int fd = CHECK_OK(open(path, O_RDONLY | O_CLOEXEC));
	size_t len = 0;
	ssize_t n;

	while ((n = read(fd, buf + len, chunk < size - 1 - len ?
						 chunk : size - 1 - len)) > 0)
		len += (size_t)n;
	CHECK_OK(n);
	CHECK(len < size - 1);		/* the buffer was big enough */
	CHECK_OK(close(fd));
	buf[len] = '\0';
	return len;
}

/*
 * Parse the line at *pos and move past it, checking Linux 6.1's exact
 * layout: "%08lx-%08lx %s %08llx %02x:%02x %lu " in lower-case hex, then
 * either the newline or spaces up to column 72, one more, and the name.
 */
static void maps_next(const char **pos, struct maps_line *l)
{
	const char *s = *pos, *nl = strchr(s, '\n');
	char want[128];
	int head = -1;

	memset(l, 0, sizeof(*l));
	if (!nl || sscanf(s, "%lx-%lx %4s %llx %x:%x %lu%n", &l->start,
			  &l->end, l->perms, &l->offset, &l->major, &l->minor,
			  &l->ino, &head) != 7 || head < 0)
		T_FAIL("unparsable maps line: %.*s", (int)(nl ? nl - s : 80), s);
	snprintf(want, sizeof(want), "%08lx-%08lx %s %08llx %02x:%02x %lu ",
		 l->start, l->end, l->perms, l->offset, l->major, l->minor,
		 l->ino);
	if (strncmp(s, want, strlen(want)))
		T_FAIL("maps line \"%.*s\" is not laid out as \"%s\"",
		       (int)(nl - s), s, want);
	const char *name = s + strlen(want);
	if (name < nl) {
		for (; name < s + 73; name++)	/* padding to column 73 */
			if (*name != ' ')
				T_FAIL("name not at column 73: %.*s",
				       (int)(nl - s), s);
		CHECK(name < nl && *name != ' ');
		CHECK((size_t)(nl - name) < sizeof(l->name));
		memcpy(l->name, name, (size_t)(nl - name));
	}
	*pos = nl + 1;
}

/* The line of the area holding addr; fails the case if there is none. */
static void maps_find(const char *text, unsigned long addr,
		      struct maps_line *l)
{
	const char *pos = text;

	while (*pos) {
		maps_next(&pos, l);
		if (l->start <= addr && addr < l->end)
			return;
	}
	T_FAIL("no maps line holds %#lx", addr);
}

static char maps_text[1 << 20];

static void case_maps_file_mapping(void)
{
	char path[64];
	struct maps_line l;
	struct stat st;
	int local = 0;

	snprintf(path, sizeof(path), "/tmp/proc-maps-%d", (int)getpid());
	int fd = CHECK_OK(open(path, O_RDWR | O_CREAT | O_TRUNC, 0600));
	CHECK_OK(ftruncate(fd, 4 * T_PAGE));
	CHECK_OK(fstat(fd, &st));
	char *priv = mmap(NULL, 2 * T_PAGE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE, fd, T_PAGE);
	CHECK(priv != MAP_FAILED);
	priv[0] = 1;
	/* A read-only descriptor mapped MAP_SHARED is still 's'. */
	int ro = CHECK_OK(open(path, O_RDONLY));
	char *shr = mmap(NULL, T_PAGE, PROT_READ, MAP_SHARED, ro, 2 * T_PAGE);
	CHECK(shr != MAP_FAILED);
	unsigned long brk0 = t_raw(SYS_brk, 0);
	unsigned long brk1 = brk0 + 3 * T_PAGE + 100;
	CHECK_EQ(t_raw(SYS_brk, brk1), brk1);

	read_text("/proc/self/maps", maps_text, sizeof(maps_text),
		  sizeof(maps_text));
	maps_find(maps_text, (unsigned long)priv, &l);
	CHECK_EQ(l.start, (unsigned long)priv);
	CHECK_EQ(l.end, (unsigned long)priv + 2 * T_PAGE);
	CHECK(!strcmp(l.perms, "rw-p"));
	CHECK_EQ(l.offset, T_PAGE);
	CHECK_EQ(l.major, major(st.st_dev));
	CHECK_EQ(l.minor, minor(st.st_dev));
	CHECK_EQ(l.ino, st.st_ino);
	CHECK(!strcmp(l.name, path));
	maps_find(maps_text, (unsigned long)shr, &l);
	CHECK(!strcmp(l.perms, "r--s"));
	CHECK_EQ(l.offset, 2 * T_PAGE);
	CHECK_EQ(l.ino, st.st_ino);
	CHECK(!strcmp(l.name, path));
	maps_find(maps_text, brk1 - 1, &l);
	CHECK(!strcmp(l.name, "[heap]"));
	maps_find(maps_text, (unsigned long)&local, &l);
	CHECK(!strcmp(l.name, "[stack]"));
	maps_find(maps_text, getauxval(AT_SYSINFO_EHDR), &l);
	CHECK(!strcmp(l.name, "[vdso]") && !strcmp(l.perms, "r-xp"));

	/* Unlinked: the path says so. */
	CHECK_OK(unlink(path));
	read_text("/proc/self/maps", maps_text, sizeof(maps_text),
		  sizeof(maps_text));
	maps_find(maps_text, (unsigned long)shr, &l);
	CHECK(strstr(l.name, path) == l.name &&
	      !strcmp(l.name + strlen(path), " (deleted)"));
	t_raw(SYS_brk, brk0);
	CHECK_OK(munmap(priv, 2 * T_PAGE));
	CHECK_OK(munmap(shr, T_PAGE));
	CHECK_OK(close(ro));
	CHECK_OK(close(fd));
}

/* Linux shows shared anonymous memory as its unlinked shmem file. */
static void case_maps_shared_anon(void)
{
	char *p = mmap(NULL, 2 * T_PAGE, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char *q = mmap(NULL, T_PAGE, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct maps_line a, b, c;

	CHECK(p != MAP_FAILED && q != MAP_FAILED);
	CHECK_OK(mprotect(p + T_PAGE, T_PAGE, PROT_READ));
	read_text("/proc/self/maps", maps_text, sizeof(maps_text),
		  sizeof(maps_text));
	maps_find(maps_text, (unsigned long)p, &a);
	maps_find(maps_text, (unsigned long)p + T_PAGE, &b);
	maps_find(maps_text, (unsigned long)q, &c);
	CHECK(!strcmp(a.perms, "rw-s") && !strcmp(b.perms, "r--s"));
	CHECK(!strcmp(a.name, "/dev/zero (deleted)"));
	CHECK(!strcmp(b.name, "/dev/zero (deleted)"));
	CHECK_EQ(a.offset, 0);
	CHECK_EQ(b.offset, T_PAGE);		/* the second page of it */
	CHECK(a.major == 0 && a.minor == b.minor && a.minor == c.minor);
	CHECK(a.ino != 0 && a.ino == b.ino && c.ino != a.ino);
	CHECK_OK(munmap(p, 2 * T_PAGE));
	CHECK_OK(munmap(q, T_PAGE));
}

/* An area with no name ends with its inode and one space. */
static void case_maps_anon_line(void)
{
	char *p = t_map(T_PAGE, PROT_NONE);
	struct maps_line l;
	char tail[32];

	read_text("/proc/self/maps", maps_text, sizeof(maps_text),
		  sizeof(maps_text));
	maps_find(maps_text, (unsigned long)p, &l);
	CHECK(!strcmp(l.perms, "---p") && l.offset == 0 && l.ino == 0);
	CHECK(l.major == 0 && l.minor == 0 && l.name[0] == '\0');
	snprintf(tail, sizeof(tail), "%08lx ---p 00000000 00:00 0 \n", l.end);
	CHECK(strstr(maps_text, tail));
	CHECK_OK(munmap(p, T_PAGE));
}

/*
 * Hundreds of areas: the text is whole and the same however it is read,
 * in one read, in odd small pieces, or with pread at any offset.
 */
static void case_maps_many_areas(void)
{
	enum { N = 600 };
	static char pieces[1 << 20];
	char *base = t_map((2 * N + 2) * T_PAGE, PROT_READ | PROT_WRITE);
	char *area = base + T_PAGE;
	const char *pos;
	struct maps_line l;
	char small[97];
	int n = 0;

	/* Holes on both sides: no neighbour merges with the first or last. */
	CHECK_OK(munmap(base, T_PAGE));
	CHECK_OK(munmap(area + 2 * N * T_PAGE, T_PAGE));
	for (int i = 0; i < N; i++)
		CHECK_OK(mprotect(area + 2 * i * T_PAGE, T_PAGE, PROT_READ));
	size_t len = read_text("/proc/self/maps", maps_text, sizeof(maps_text),
			       sizeof(maps_text));
	for (pos = maps_text; *pos;) {
		maps_next(&pos, &l);
		if (l.start < (unsigned long)area ||
		    l.start >= (unsigned long)area + 2 * N * T_PAGE)
			continue;
		CHECK_EQ(l.start, (unsigned long)area + n * T_PAGE);
		CHECK_EQ(l.end, l.start + T_PAGE);
		CHECK(!strcmp(l.perms, n % 2 ? "rw-p" : "r--p"));
		n++;
	}
	CHECK_EQ(n, 2 * N);
	CHECK_EQ(read_text("/proc/self/maps", pieces, sizeof(pieces), 7), len);
	CHECK(!memcmp(pieces, maps_text, len));
	int fd = CHECK_OK(open("/proc/self/maps", O_RDONLY | O_CLOEXEC));
	for (size_t off = 0; off < len; off += 7919) {
		size_t want = len - off < sizeof(small) ? len - off
							: sizeof(small);
		CHECK_EQ(pread(fd, small, sizeof(small), (off_t)off),
			 (long)want);
		CHECK(!memcmp(small, maps_text + off, want));
	}
	CHECK_EQ(pread(fd, small, sizeof(small), (off_t)len), 0);
	CHECK_OK(close(fd));
	CHECK_OK(munmap(area, 2 * N * T_PAGE));
}

/* Another user's process is off limits (Linux's ptrace read check). */
static void case_maps_access(void)
{
	char path[64];
	pid_t parent = getpid();
	pid_t pid = t_fork();

	if (pid == 0) {
		CHECK_OK(setgid(1000));
		CHECK_OK(setuid(1000));
		CHECK_OK(close(CHECK_OK(open("/proc/self/maps", O_RDONLY))));
		snprintf(path, sizeof(path), "/proc/%d/maps", (int)parent);
		CHECK_ERR(open(path, O_RDONLY), EACCES);
		snprintf(path, sizeof(path), "/proc/%d/smaps_rollup",
			 (int)parent);
		CHECK_ERR(open(path, O_RDONLY), EACCES);
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
	/* Root may look at its child's. */
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)getpid());
	CHECK_OK(close(CHECK_OK(open(path, O_RDONLY))));
}

/* Linux's smaps_rollup fields, in its order. */
static const char *const rollup_fields[] = {
	"Rss", "Pss", "Pss_Dirty", "Pss_Anon", "Pss_File", "Pss_Shmem",
	"Shared_Clean", "Shared_Dirty", "Private_Clean", "Private_Dirty",
	"Referenced", "Anonymous", "LazyFree", "AnonHugePages",
	"ShmemPmdMapped", "FilePmdMapped", "Shared_Hugetlb",
	"Private_Hugetlb", "Swap", "SwapPss", "Locked",
};
#define ROLLUP_N (sizeof(rollup_fields) / sizeof(rollup_fields[0]))

static void case_smaps_rollup(void)
{
	enum { PAGES = 64 };
	char *p = t_map(PAGES * T_PAGE, PROT_READ | PROT_WRITE);
	unsigned long kb[ROLLUP_N];
	const char *pos = maps_text;
	struct maps_line l;
	char want[64];

	memset(p, 1, PAGES * T_PAGE);
	read_text("/proc/self/smaps_rollup", maps_text, sizeof(maps_text),
		  sizeof(maps_text));
	maps_next(&pos, &l);
	CHECK(!strcmp(l.perms, "---p") && l.offset == 0 && l.ino == 0);
	CHECK(!strcmp(l.name, "[rollup]"));
	CHECK(l.start <= (unsigned long)p);
	CHECK(l.end >= (unsigned long)p + PAGES * T_PAGE);
	for (size_t i = 0; i < ROLLUP_N; i++) {
		char name[32], label[40];
		int used = -1;

		if (sscanf(pos, "%31[^:]: %lu kB%n", name, &kb[i],
			   &used) != 2 || used < 0 ||
		    strcmp(name, rollup_fields[i]))
			T_FAIL("smaps_rollup line %zu: %.40s", i + 2, pos);
		/* "%-16s%8lu kB": Linux's SEQ_PUT_DEC layout */
		snprintf(label, sizeof(label), "%s:", name);
		snprintf(want, sizeof(want), "%-16s%8lu kB\n", label, kb[i]);
		CHECK(!strncmp(pos, want, strlen(want)));
		pos += strlen(want);
	}
	CHECK_EQ(*pos, '\0');
	unsigned long rss = kb[0], pss = kb[1];
	CHECK(rss >= PAGES * 4 && kb[11] >= PAGES * 4);	/* Rss, Anonymous */
	CHECK(pss <= rss && kb[3] >= PAGES * 4);	/* Pss_Anon */
	/* Pss is split by kind, and Rss by sharing and dirtiness. */
	long parts = (long)(kb[3] + kb[4] + kb[5]);
	CHECK(parts >= (long)pss - 2 && parts <= (long)pss);
	CHECK_EQ(kb[6] + kb[7] + kb[8] + kb[9], rss);
	CHECK_OK(munmap(p, PAGES * T_PAGE));
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
	{ case_maps_file_mapping, "maps_file_mapping" },
	{ case_maps_shared_anon, "maps_shared_anon" },
	{ case_maps_anon_line, "maps_anon_line" },
	{ case_maps_many_areas, "maps_many_areas" },
	{ case_maps_access, "maps_access" },
	{ case_smaps_rollup, "smaps_rollup" },
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
