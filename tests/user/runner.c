/*
 * The in-VM test runner: /init of the test initramfs (build/tests.cpio).
 *
 * It runs every program named in /tests/LIST (one name a line), each in its
 * own child, and reports on the console with this line protocol, which
 * scripts/run-tests.sh reads back from the serial log:
 *
 *   RUN name                   the child is about to exec /tests/name
 *   (the test's own output)
 *   PASS name                  it exited with status 0
 *   SKIP name                  it exited with T_SKIPPED (77): no case
 *                              failed, some skipped (lib/t.h)
 *   FAIL name (exit N)         it exited with any other status N
 *   FAIL name (signal N)       it was killed by signal N
 *   SUMMARY passed=N failed=M skipped=K
 *                              all done; then the machine powers off
 *
 * It also prints "CLOCK ns", CLOCK_MONOTONIC in nanoseconds, before the
 * first test and after the last: the host notes when each arrives and
 * reports how far the guest's clock drifted from its own over the run
 * (scripts/run-tests.sh).
 *
 * Before SUMMARY it also prints "MEMFREE before=A after=B" (kB, from
 * /proc/meminfo, when the kernel has it): on Basalt, where nothing caches
 * pages behind the tests' backs, a difference hints at a leak somewhere
 * in the suite. It is information, not a verdict; the tests themselves
 * assert leaks per case.
 *
 * Before the tests it mounts /proc, sysfs on /sys (the CPU count glibc
 * reads), and a tmpfs on /dev/shm (where shm_open(3) keeps POSIX
 * shared memory objects); a mount that fails is
 * reported and the tests run anyway. A test's environment is PATH, HOME
 * and the runner's own T_SMP=N, if it has one (see smp_word).
 *
 * It must work on a kernel that is still young, so it uses only fork,
 * execve, wait4, write, open, read, close, mkdir, mount, reboot and
 * clock_gettime: no stdio buffers, no signals, no timers. A test that never finishes is caught by
 * the time bound on the whole boot, and the host reports the test whose
 * RUN line has no result.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/reboot.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/t.h"	/* T_SKIPPED only */

#define LIST_PATH "/tests/LIST"
#define MAX_LIST (64 * 1024)
#define MAX_NAME 200

/* A line is built in one buffer and written with one write(), so it never
 * mixes with a child's output. */
struct line {
	char buf[512];
	size_t len;
};

static void add_str(struct line *l, const char *s)
{
	while (*s && l->len < sizeof(l->buf) - 1)
		l->buf[l->len++] = *s++;
}

static void add_num(struct line *l, long n)
{
	char digits[24];
	int i = 0;

	if (n < 0) {
		add_str(l, "-");
		n = -n;
	}
	do
		digits[i++] = (char)('0' + n % 10);
	while ((n /= 10) && i < (int)sizeof(digits));
	while (i > 0 && l->len < sizeof(l->buf) - 1)
		l->buf[l->len++] = digits[--i];
}

static void emit(struct line *l)
{
	l->buf[l->len++] = '\n';
	(void)!write(1, l->buf, l->len);
	l->len = 0;
}

/* say("word", name, "rest") prints one line: word name rest. */
static void say(const char *word, const char *name, const char *rest)
{
	struct line l = { .len = 0 };

	add_str(&l, word);
	if (name) {
		add_str(&l, " ");
		add_str(&l, name);
	}
	if (rest)
		add_str(&l, rest);
	emit(&l);
}

/* If the kernel gave us no console descriptors, open them ourselves. */
static void ensure_console(void)
{
	if (write(1, "", 0) == 0)
		return;
	for (int fd = 0; fd < 3; fd++)
		if (open("/dev/console", O_RDWR) < 0)
			return;
}

/* Reads the whole list into buf (NUL-terminated); returns 0 or -1. */
static int read_list(char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;
	int fd = open(LIST_PATH, O_RDONLY);

	if (fd < 0)
		return -1;
	while (len < size - 1 && (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	buf[len] = '\0';
	return n < 0 ? -1 : 0;
}

/* MemFree in kB from /proc/meminfo, or -1 if the kernel has none. */
static long mem_free(void)
{
	char buf[2048];
	const char *p;
	long kb = 0;
	ssize_t n;
	int fd = open("/proc/meminfo", O_RDONLY);

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = strstr(buf, "MemFree:");
	if (!p)
		return -1;
	for (p += 8; *p == ' '; p++)
		;
	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++)
		kb = kb * 10 + (*p - '0');
	return kb;
}

/* Our "T_SMP=N" word (the CPUs the host gave the machine, put on the
 * kernel command line by scripts/run-tests.sh), passed on to the tests
 * (t.h, t_machine_cpus); NULL without one. */
static char *smp_word(void)
{
	extern char **environ;

	for (char **e = environ; *e; e++)
		if (strncmp(*e, "T_SMP=", 6) == 0)
			return *e;
	return NULL;
}

/* Runs /tests/name in a child; returns its wait status, or -1. */
static int run_one(const char *name)
{
	char path[MAX_NAME + 8] = "/tests/";
	char *argv[] = { (char *)name, NULL };
	char *envp[] = { "PATH=/tests:/bin", "HOME=/", smp_word(), NULL };
	int status;
	long pid;

	strcat(path, name);
	/* The raw fork: a young kernel may have it before the full clone
	 * that glibc's fork() uses. The child only calls execve and _exit,
	 * which need none of the thread state that fork() would fix up. */
	pid = syscall(SYS_fork);
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execve(path, argv, envp);
		say("runner: cannot exec", path, "");
		_exit(127);
	}
	/* Reap orphans as they come while the test runs (we are init): the
	 * fuzzer's leak check waits for its orphans' memory to come back.
	 * __WALL: an orphan's exit signal may not be SIGCHLD. */
	for (;;) {
		long w = wait4(-1, &status, __WALL, NULL);

		if (w == pid)
			break;
		if (w < 0 && errno != EINTR)
			return -1;
	}
	/* Reap orphans the test left to us; harmless if the kernel lacks
	 * WNOHANG. */
	while (wait4(-1, NULL, WNOHANG, NULL) > 0)
		;
	return status;
}

/* The verdicts a test program can have, counted in the SUMMARY line. */
enum verdict { PASSED, FAILED, SKIPPED };

static enum verdict report(const char *name, int status)
{
	struct line l = { .len = 0 };

	if (status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		say("PASS", name, NULL);
		return PASSED;
	}
	if (status >= 0 && WIFEXITED(status) &&
	    WEXITSTATUS(status) == T_SKIPPED) {
		say("SKIP", name, NULL);
		return SKIPPED;
	}
	add_str(&l, "FAIL ");
	add_str(&l, name);
	if (status < 0) {
		add_str(&l, " (runner error ");
		add_num(&l, errno);
	} else if (WIFEXITED(status)) {
		add_str(&l, " (exit ");
		add_num(&l, WEXITSTATUS(status));
	} else if (WIFSIGNALED(status)) {
		add_str(&l, " (signal ");
		add_num(&l, WTERMSIG(status));
	} else {
		add_str(&l, " (status ");
		add_num(&l, status);
	}
	add_str(&l, ")");
	emit(&l);
	return FAILED;
}

/* /proc, /sys, and /dev/shm for shm_open(3); failures are reported, not
 * fatal. */
static void mount_filesystems(void)
{
	if (mount("proc", "/proc", "proc", 0, NULL) < 0 && errno != EBUSY)
		say("runner: mount /proc failed", NULL, NULL);
	if (mkdir("/sys", 0555) < 0 && errno != EEXIST)
		say("runner: mkdir /sys failed", NULL, NULL);
	else if (mount("sysfs", "/sys", "sysfs", 0, NULL) < 0 && errno != EBUSY)
		say("runner: mount /sys failed", NULL, NULL);
	if (mkdir("/dev/shm", 01777) < 0 && errno != EEXIST)
		say("runner: mkdir /dev/shm failed", NULL, NULL);
	else if (mount("tmpfs", "/dev/shm", "tmpfs", 0, "mode=1777") < 0 &&
		 errno != EBUSY)
		say("runner: mount /dev/shm failed", NULL, NULL);
}

/* "CLOCK ns": CLOCK_MONOTONIC, for the host's drift report. */
static void say_clock(void)
{
	struct line l = { .len = 0 };
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
		return;
	add_str(&l, "CLOCK ");
	add_num(&l, ts.tv_sec * 1000000000L + ts.tv_nsec);
	emit(&l);
}

static void power_off(void)
{
	syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
		LINUX_REBOOT_CMD_POWER_OFF, 0);
	say("runner: power off failed", NULL, NULL);
	for (;;)
		pause();
}

int main(void)
{
	static char list[MAX_LIST];
	struct line l = { .len = 0 };
	long count[3] = { 0 };	/* by enum verdict */
	long free_before, free_after;
	char *name, *next;

	ensure_console();
	mount_filesystems();
	free_before = mem_free();
	if (read_list(list, sizeof(list)) < 0) {
		say("runner: cannot read", LIST_PATH, NULL);
		power_off();
	}
	say_clock();

	for (name = list; *name; name = next) {
		next = name + strcspn(name, "\n");
		if (*next)
			*next++ = '\0';
		if (*name == '\0')
			continue;
		say("RUN", name, NULL);
		if (strlen(name) > MAX_NAME) {
			say("FAIL", name, " (name too long)");
			count[FAILED]++;
			continue;
		}
		count[report(name, run_one(name))]++;
	}
	say_clock();

	free_after = mem_free();
	if (free_before >= 0 && free_after >= 0) {
		add_str(&l, "MEMFREE before=");
		add_num(&l, free_before);
		add_str(&l, " after=");
		add_num(&l, free_after);
		emit(&l);
	}
	add_str(&l, "SUMMARY passed=");
	add_num(&l, count[PASSED]);
	add_str(&l, " failed=");
	add_num(&l, count[FAILED]);
	add_str(&l, " skipped=");
	add_num(&l, count[SKIPPED]);
	emit(&l);
	power_off();
}
