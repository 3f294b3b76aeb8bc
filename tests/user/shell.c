/*
 * shell.c - scripted busybox sh sessions (tests/shell/), compared with
 * the output Linux gives.
 *
 * Each case runs /tests/shell/NAME.sh under busybox sh in an empty
 * directory of its own, standard input /dev/null, standard output and
 * error into one file; passes that through the filter
 * (/tests/shell/filter.sed, see docs/testing.md) and compares it byte for
 * byte with /tests/shell/NAME.out, which is what the same script printed
 * on Linux. A difference prints the output (lines "  | ...", which
 * scripts/shell-expect.sh collects to remake NAME.out from a Linux run)
 * and the diff against NAME.out.
 *
 * The test does not judge what the shell does: the expected output does.
 * So a new script is added with an empty NAME.out, run on Linux, and its
 * output reviewed by a person before it is committed as NAME.out.
 */
#define _GNU_SOURCE
#include "t.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define BUSYBOX "/bin/busybox"
#define DIR "/tests/shell"
#define LIMIT_MS 120000		/* for one script */

static char *const shell_env[] = {
	"PATH=/bin:/sbin:/usr/bin:/usr/sbin", "HOME=/", "LC_ALL=C", NULL
};

/* Wait for pid; after LIMIT_MS kill its process group (a hung script
 * fails its case instead of the whole boot). */
static int bounded_wait(pid_t pid)
{
	int status;

	setpgid(pid, pid);
	for (int ms = 0; ms < LIMIT_MS; ms += 10) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			return status;
		CHECK(r == 0);
		usleep(10000);
	}
	kill(-pid, SIGKILL);
	T_FAIL("still running after %d s: killed", LIMIT_MS / 1000);
	return 0;
}

/* Run busybox with argv in directory dir, output (1 and 2) to out (or
 * to ours if NULL); returns its wait status. */
static int busybox(const char *dir, const char *out, char *const argv[])
{
	pid_t pid = t_fork();

	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY);
		int fd = out ? open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644)
			     : 1;

		if (in < 0 || fd < 0 || chdir(dir) < 0)
			_exit(126);
		dup2(in, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		setpgid(0, 0);	/* so that a hung script goes as a whole */
		execve(BUSYBOX, argv, shell_env);
		_exit(127);
	}
	return bounded_wait(pid);
}

/* The whole of a file (at most size - 1 bytes), NUL-terminated. */
static size_t slurp(const char *path, char *buf, size_t size)
{
	int fd = CHECK_OK(open(path, O_RDONLY));
	size_t n = 0;
	ssize_t r;

	while (n < size - 1 && (r = read(fd, buf + n, size - 1 - n)) > 0)
		n += (size_t)r;
	close(fd);
	buf[n] = 0;
	return n;
}

/* Show what the script printed, a line at a time, for the log. */
static void show(const char *name, const char *text)
{
	char line[600];
	const char *p = text;

	snprintf(line, sizeof(line), "  --- %s: output\n", name);
	write(1, line, strlen(line));
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if (len > sizeof(line) - 8)
			len = sizeof(line) - 8;
		snprintf(line, sizeof(line), "  | %.*s\n", (int)len, p);
		write(1, line, strlen(line));
		p = nl ? nl + 1 : p + strlen(p);
	}
	snprintf(line, sizeof(line), "  --- %s: end\n", name);
	write(1, line, strlen(line));
}

static void run_script(const char *name)
{
	static char got[65536], want[65536];
	char dir[64], script[96], raw[96], out[96], expect[96];
	int status;

	snprintf(dir, sizeof(dir), "/tmp/shell.%s", name);
	snprintf(script, sizeof(script), DIR "/%s.sh", name);
	snprintf(expect, sizeof(expect), DIR "/%s.out", name);
	snprintf(raw, sizeof(raw), "%s/.raw", dir);
	snprintf(out, sizeof(out), "%s/.out", dir);
	busybox("/", "/dev/null", (char *const[]){ "busybox", "rm", "-rf",
		dir, NULL });	/* what a failed run left */
	CHECK_OK(mkdir(dir, 0755));

	status = busybox(dir, raw, (char *const[]){ "busybox", "sh",
		script, NULL });
	CHECK_EXITED(busybox(dir, out, (char *const[]){ "busybox", "sed",
		"-f", DIR "/filter.sed", raw, NULL }), 0);

	slurp(out, got, sizeof(got));
	slurp(expect, want, sizeof(want));
	if (strcmp(got, want)) {
		show(name, got);
		busybox("/", NULL, (char *const[]){ "busybox",
			"diff", "-u", expect, out, NULL });
		T_FAIL("%s printed something else than on Linux (exit "
		       "status %#x)", script, status);
	}
	busybox("/", "/dev/null", (char *const[]){ "busybox", "rm", "-rf",
		dir, NULL });
}

#define SCRIPT(name) \
	static void case_##name(void) { run_script(#name); }

SCRIPT(pipeline)
SCRIPT(redirect)
SCRIPT(subshell)
SCRIPT(builtins)
SCRIPT(trap)
SCRIPT(jobs)
SCRIPT(text)
SCRIPT(vi)
SCRIPT(procps)

static const struct t_case cases[] = {
	{ case_pipeline, "pipeline" },
	{ case_redirect, "redirect" },
	{ case_subshell, "subshell" },
	{ case_builtins, "builtins" },
	{ case_trap, "trap" },
	{ case_jobs, "jobs" },
	{ case_text, "text" },
	{ case_vi, "vi" },
	{ case_procps, "procps" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
