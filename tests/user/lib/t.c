/*
 * t.c - the case runner, failure reporting and small helpers behind t.h.
 *
 * Everything here prints with write(2) and allocates nothing with malloc,
 * so the harness neither disturbs the memory a test measures nor leaves
 * stdio buffers to be flushed twice after fork.
 */
#define _GNU_SOURCE
#include "t.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *t_case_name;	/* the case running in this process tree */
static pid_t t_case_pid;	/* the process that runs the case itself */
static const char *t_argv0;
static char t_self_buf[512];

static void t_vsay(const char *prefix, const char *fmt, va_list ap)
{
	char buf[1024];
	int n = snprintf(buf, sizeof(buf), "%s", prefix);

	n += vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	for (int off = 0; off < n;) {
		ssize_t w = write(1, buf + off, n - off);
		if (w <= 0)
			break;
		off += w;
	}
}

static void t_say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	t_vsay("", fmt, ap);
	va_end(ap);
}

void t_note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	t_vsay("      note: ", fmt, ap);
	va_end(ap);
}

/* "  WORD case: " (with "[child N] " in a process the case forked). */
static void t_case_prefix(char *buf, size_t len, const char *word)
{
	if (t_case_pid && getpid() != t_case_pid)
		snprintf(buf, len, "  %s %s: [child %d] ", word, t_case_name,
			 (int)getpid());
	else
		snprintf(buf, len, "  %s %s: ", word,
			 t_case_name ? t_case_name : "(harness)");
}

void t_fail_at(const char *file, int line, const char *fmt, ...)
{
	char prefix[256];
	size_t n;
	va_list ap;

	t_case_prefix(prefix, sizeof(prefix), "FAIL");
	n = strlen(prefix);
	snprintf(prefix + n, sizeof(prefix) - n, "%s:%d: ", file, line);
	va_start(ap, fmt);
	t_vsay(prefix, fmt, ap);
	va_end(ap);
	_exit(T_FAILED);
}

void t_skip(const char *fmt, ...)
{
	char prefix[256];
	va_list ap;

	t_case_prefix(prefix, sizeof(prefix), "skip");
	va_start(ap, fmt);
	t_vsay(prefix, fmt, ap);
	va_end(ap);
	_exit(T_SKIPPED);
}

const char *t_errname(int err)
{
	static const struct { int err; const char *name; } names[] = {
		{ 0, "0" }, { EPERM, "EPERM" }, { ENOENT, "ENOENT" },
		{ ESRCH, "ESRCH" }, { EINTR, "EINTR" }, { EIO, "EIO" },
		{ ENXIO, "ENXIO" }, { E2BIG, "E2BIG" }, { ENOEXEC, "ENOEXEC" },
		{ EBADF, "EBADF" }, { ECHILD, "ECHILD" }, { EAGAIN, "EAGAIN" },
		{ ENOMEM, "ENOMEM" }, { EACCES, "EACCES" }, { EFAULT, "EFAULT" },
		{ EBUSY, "EBUSY" }, { EEXIST, "EEXIST" }, { EXDEV, "EXDEV" },
		{ ENODEV, "ENODEV" }, { ENOTDIR, "ENOTDIR" }, { EISDIR, "EISDIR" },
		{ EINVAL, "EINVAL" }, { ENFILE, "ENFILE" }, { EMFILE, "EMFILE" },
		{ ENOTTY, "ENOTTY" }, { EFBIG, "EFBIG" }, { ENOSPC, "ENOSPC" },
		{ ESPIPE, "ESPIPE" }, { EROFS, "EROFS" }, { EPIPE, "EPIPE" },
		{ ERANGE, "ERANGE" }, { ENAMETOOLONG, "ENAMETOOLONG" },
		{ ENOSYS, "ENOSYS" }, { ENOTEMPTY, "ENOTEMPTY" },
		{ ELOOP, "ELOOP" }, { EOVERFLOW, "EOVERFLOW" },
		{ EIDRM, "EIDRM" }, { EOPNOTSUPP, "EOPNOTSUPP" },
	};
	static char buf[16];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].err == err)
			return names[i].name;
	snprintf(buf, sizeof(buf), "%d", err);
	return buf;
}

static const char *t_signame(int sig)
{
	switch (sig) {
	case SIGSEGV: return "SIGSEGV";
	case SIGBUS: return "SIGBUS";
	case SIGILL: return "SIGILL";
	case SIGFPE: return "SIGFPE";
	case SIGTRAP: return "SIGTRAP";
	case SIGABRT: return "SIGABRT";
	case SIGKILL: return "SIGKILL";
	default: return "signal";
	}
}

static void t_describe(char *buf, size_t len, int status)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "exited with %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "killed by %s (%d)",
			 t_signame(WTERMSIG(status)), WTERMSIG(status));
	else
		snprintf(buf, len, "status %#x", status);
}

pid_t t_fork(void)
{
	pid_t pid = fork();

	if (pid < 0)
		T_FAIL("fork failed: errno %s", t_errname(errno));
	return pid;
}

int t_wait(pid_t pid)
{
	int status = 0;
	pid_t got;

	do
		got = waitpid(pid, &status, 0);
	while (got == -1 && errno == EINTR);
	if (got != pid)
		T_FAIL("waitpid(%d) returned %d (errno %s)", (int)pid,
		       (int)got, t_errname(errno));
	return status;
}

/*
 * A child that already printed its failure (or its skip): end this process
 * the same way, quietly, so the case reports it once.
 */
static void t_pass_on_failure(int status)
{
	if (WIFEXITED(status) && WEXITSTATUS(status) == T_FAILED)
		_exit(T_FAILED);
	if (WIFEXITED(status) && WEXITSTATUS(status) == T_SKIPPED)
		_exit(T_SKIPPED);
}

void t_check_exited(const char *file, int line, int status, int code)
{
	char what[64];

	if (WIFEXITED(status) && WEXITSTATUS(status) == code)
		return;
	t_pass_on_failure(status);
	t_describe(what, sizeof(what), status);
	t_fail_at(file, line, "child %s, want exit status %d", what, code);
}

void t_check_signaled(const char *file, int line, int status, int sig)
{
	char what[64];

	if (WIFSIGNALED(status) && WTERMSIG(status) == sig)
		return;
	t_pass_on_failure(status);
	t_describe(what, sizeof(what), status);
	t_fail_at(file, line, "child %s, want killed by %s (%d)", what,
		  t_signame(sig), sig);
}

volatile int *t_shared_ints(void)
{
	void *p = mmap(NULL, T_PAGE, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		T_FAIL("mmap(MAP_SHARED|MAP_ANONYMOUS) failed: errno %s",
		       t_errname(errno));
	return p;
}

void t_post(volatile int *flag, int value)
{
	__atomic_store_n(flag, value, __ATOMIC_SEQ_CST);
}

void t_await(volatile int *flag, int value)
{
	for (long spins = 0; spins < (1L << 24); spins++) {
		if (__atomic_load_n(flag, __ATOMIC_SEQ_CST) == value)
			return;
		sched_yield();
	}
	T_FAIL("gave up waiting for the other process (flag %d, want %d)",
	       *flag, value);
}

void *t_map(size_t len, int prot)
{
	void *p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		T_FAIL("mmap(%zu) failed: errno %s", len, t_errname(errno));
	return p;
}

void *t_unmapped_page(void)
{
	void *p = t_map(T_PAGE, PROT_READ | PROT_WRITE);

	if (munmap(p, T_PAGE) != 0)
		T_FAIL("munmap failed: errno %s", t_errname(errno));
	return p;
}

void t_check_no_leak(const char *what, void (*work)(int), int rounds)
{
	long before, after;

	work(rounds / 10);
	before = t_memfree_kb();
	work(rounds);
	after = t_memfree_kb();
	if (is_basalt()) {
		if (after != before)
			T_FAIL("%s: MemFree %ld kB before, %ld kB after (%+ld kB)",
			       what, before, after, after - before);
	} else {
		t_note("%s: MemFree %+ld kB (Linux: reported, not asserted)",
		       what, after - before);
	}
}

char t_proc_state(pid_t pid)
{
	char path[64], buf[512];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	/* The command may hold spaces and parentheses: the state follows
	 * the last ')'. */
	char *paren = strrchr(buf, ')');
	return paren && paren[1] == ' ' ? paren[2] : 0;
}

long t_memfree_kb(void)
{
	static char buf[8192];	/* static: the measurement must not allocate */
	size_t used = 0;
	ssize_t n;

	t_visit_cpus();

	/*
	 * Fault the buffer in before asking: the kernel computes MemFree
	 * before it copies the text out, so a first touch inside read()
	 * would make the first reading one page too high.
	 */
	memset(buf, 0, sizeof(buf));
	int fd = open("/proc/meminfo", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		T_FAIL("open /proc/meminfo: errno %s", t_errname(errno));
	while (used < sizeof(buf) - 1 &&
	       (n = read(fd, buf + used, sizeof(buf) - 1 - used)) > 0)
		used += n;
	close(fd);
	buf[used] = '\0';

	char *line = strstr(buf, "MemFree:");
	if (!line)
		T_FAIL("no MemFree line in /proc/meminfo");
	return strtol(line + strlen("MemFree:"), NULL, 10);
}

int is_basalt(void)
{
	struct utsname u;

	return uname(&u) == 0 && strstr(u.release, "basalt") != NULL;
}

const char *t_self(void)
{
	if (!t_self_buf[0]) {
		const char *a = t_argv0 ? t_argv0 : "";
		/* The runner may pass a bare name; the tests live in /tests. */
		snprintf(t_self_buf, sizeof(t_self_buf), "%s%s",
			 strchr(a, '/') ? "" : "/tests/", a);
	}
	return t_self_buf;
}

const char *t_libc(void)
{
#ifdef __GLIBC__
	return "glibc";
#else
	return "musl";
#endif
}

void t_sibling(char *buf, size_t len, const char *test)
{
	const char *self = t_self();
	const char *slash = strrchr(self, '/');
	int dirlen = (int)(slash - self);

	snprintf(buf, len, "%.*s/%s-%s", dirlen, self, test, t_libc());
}

/* Runs one case in a child; returns its wait status, or -1 (reported). */
static int t_run_case(const struct t_case *c)
{
	int status = 0;
	pid_t pid = fork(), got;

	if (pid < 0) {
		t_say("  FAIL %s: fork failed: errno %s", c->name,
		      t_errname(errno));
		return -1;
	}
	if (pid == 0) {
		t_case_name = c->name;
		t_case_pid = getpid();
		c->fn();
		_exit(0);
	}
	do
		got = waitpid(pid, &status, 0);
	while (got == -1 && errno == EINTR);
	if (got != pid) {
		t_say("  FAIL %s: waitpid failed: errno %s", c->name,
		      t_errname(errno));
		return -1;
	}
	return status;
}

int t_main(int argc, char **argv, const struct t_case *cases, int ncases)
{
	const char *only = argc > 1 ? argv[1] : NULL;
	int ran = 0, failed = 0, skipped = 0;
	char what[64];

	t_argv0 = argv[0];
	for (int i = 0; i < ncases; i++) {
		if (only && strcmp(only, cases[i].name) != 0)
			continue;
		ran++;
		int status = t_run_case(&cases[i]);
		int code = status >= 0 && WIFEXITED(status) ?
			WEXITSTATUS(status) : -1;

		if (code == 0) {
			t_say("  ok  %s", cases[i].name);
		} else if (code == T_SKIPPED) {
			skipped++;	/* t_skip printed the reason */
		} else {
			failed++;
			/* T_FAILED: the case printed its own reason already. */
			if (status >= 0 && code != T_FAILED) {
				t_describe(what, sizeof(what), status);
				t_say("  FAIL %s: case %s", cases[i].name, what);
			}
		}
	}
	if (only && ran == 0) {
		t_say("  FAIL %s: no such case", only);
		return 1;
	}
	t_say("  (%d of %d cases ok, %d skipped)", ran - failed - skipped, ran,
	      skipped);
	if (failed)
		return 1;
	return skipped ? T_SKIPPED : 0;
}
