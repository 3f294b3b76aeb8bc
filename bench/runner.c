/*
 * The benchmark runner: /init of the bench initramfs (build/bench.cpio).
 *
 * Its very first line is the marker the host waits for to measure boot
 * time (QEMU's start to the first line from /init). Then it runs every
 * program named in /bench/LIST (one name a line), each in its own child
 * with the runner's environment (so BENCH_REPS and BENCH_REP_MS given on
 * the kernel command line reach the harness), and powers the machine off.
 * scripts/bench.sh reads its console lines back from the serial log:
 *
 *   BENCH-INIT                 /init has started (printed first of all)
 *   BENCH-CPUS n               the CPUs /init may run on (its affinity
 *                              mask); "?" if the kernel cannot say
 *   RUN name                   the child is about to exec /bench/name
 *   BENCH name=... ...         the program's result (bench/lib/bench.h)
 *   DONE name exit=N           the program exited with status N
 *   DONE name signal=N         it was killed by signal N
 *   DONE name error=WHY        the runner could not run it
 *   BENCH-END                  all done; the machine powers off next
 *
 * Like the test runner it asks little of a young kernel: fork, execve,
 * wait4, write, open, read, close, sched_getaffinity and reboot; no
 * stdio, no signals. A
 * program that never ends is caught by the host's bound on the boot.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/reboot.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define LIST_PATH "/bench/LIST"
#define MAX_LIST 4096
#define MAX_NAME 100

extern char **environ;

/* printf into one buffer, then one write(), so that a line never mixes
 * with a child's output. No stdio buffer is involved. */
static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (len < 0)
		return;
	if (len > (int)sizeof(line) - 2)
		len = (int)sizeof(line) - 2;
	line[len++] = '\n';
	(void)!write(1, line, (size_t)len);
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

/* Runs /bench/name in a child and says how it ended. */
static void run_one(const char *name)
{
	char path[MAX_NAME + 8];
	char *argv[] = { (char *)name, NULL };
	int status;
	long pid;

	snprintf(path, sizeof(path), "/bench/%s", name);
	say("RUN %s", name);
	/* The raw fork, as in the test runner: the child only execs. */
	pid = syscall(SYS_fork);
	if (pid < 0) {
		say("DONE %s error=fork: %s", name, strerror(errno));
		return;
	}
	if (pid == 0) {
		execve(path, argv, environ);
		say("DONE %s error=execve: %s", name, strerror(errno));
		_exit(127);
	}
	while (wait4((pid_t)pid, &status, 0, NULL) < 0) {
		if (errno != EINTR) {
			say("DONE %s error=wait4: %s", name, strerror(errno));
			return;
		}
	}
	/* Reap what the program left behind (we are init). */
	while (wait4(-1, NULL, WNOHANG, NULL) > 0)
		;
	if (WIFEXITED(status))
		say("DONE %s exit=%d", name, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		say("DONE %s signal=%d", name, WTERMSIG(status));
	else
		say("DONE %s error=wait status 0x%x", name, status);
}

/* How many CPUs the kernel will run us on: with -smp 2, a kernel that
 * brought up only one CPU says 1, which the host notes beside the
 * numbers of that boot. */
static void say_cpus(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) < 0)
		say("BENCH-CPUS ?");
	else
		say("BENCH-CPUS %d", CPU_COUNT(&set));
}

static void power_off(void)
{
	syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
		LINUX_REBOOT_CMD_POWER_OFF, 0);
	say("runner: power off failed: %s", strerror(errno));
	for (;;)
		pause();
}

int main(void)
{
	static char list[MAX_LIST];
	char *name, *next;

	ensure_console();
	say("BENCH-INIT");
	say_cpus();
	if (read_list(list, sizeof(list)) < 0) {
		say("runner: cannot read %s: %s", LIST_PATH, strerror(errno));
		power_off();
	}
	for (name = list; *name; name = next) {
		next = name + strcspn(name, "\n");
		if (*next)
			*next++ = '\0';
		if (*name && strlen(name) <= MAX_NAME)
			run_one(name);
	}
	say("BENCH-END");
	power_off();
}
