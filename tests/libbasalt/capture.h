/*
 * capture.h - for the libbasalt tests: run a piece of code with its
 * standard output going into a buffer, compare texts with a readable
 * report of the first difference, and expect a piece of code to abort
 * with a message. Header-only (static functions), so each test takes
 * what it uses.
 */
#ifndef BASALT_TESTS_CAPTURE_H
#define BASALT_TESTS_CAPTURE_H

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "t.h"

/*
 * Runs fn(arg) in a child whose stdout is a pipe; returns the child's
 * wait status and leaves what it printed (NUL-terminated) in out. The
 * child ends with exit(), so its stdio buffers are flushed.
 */
static inline int capture_child(int (*fn)(void *), void *arg, char *out, size_t cap)
{
	int fds[2];
	size_t got = 0;

	CHECK_OK(pipe(fds));
	pid_t pid = t_fork();
	if (pid == 0) {
		close(fds[0]);
		dup2(fds[1], 1);
		close(fds[1]);
		exit(fn(arg));
	}
	close(fds[1]);
	for (;;) {
		ssize_t n = read(fds[0], out + got, cap - 1 - got);

		if (n <= 0)
			break;
		got += (size_t)n;
	}
	out[got] = '\0';
	close(fds[0]);
	return t_wait(pid);
}

/* Fails the case, showing where got and want first differ. */
static inline void check_text(const char *got, const char *want)
{
	size_t i = 0;

	if (strcmp(got, want) == 0)
		return;
	while (got[i] && got[i] == want[i])
		i++;
	T_FAIL("output differs at byte %zu:\n--- got:\n%s\n--- want:\n%s",
	       i, got, want);
}

/* Runs fn in a child that must abort, saying want on stderr. */
static inline void expect_abort(void (*fn)(void), const char *want)
{
	int fds[2];
	char out[512];
	size_t got = 0;

	CHECK_OK(pipe(fds));
	pid_t pid = t_fork();
	if (pid == 0) {
		dup2(fds[1], 2);
		fn();
		_exit(0);
	}
	close(fds[1]);
	for (ssize_t n; (n = read(fds[0], out + got, sizeof(out) - 1 - got)) > 0;)
		got += (size_t)n;
	out[got] = '\0';
	close(fds[0]);
	int status = t_wait(pid);
	if (!strstr(out, want))
		T_FAIL("want \"%s\" on stderr, got \"%s\"", want, out);
	CHECK_SIGNALED(status, SIGABRT);	/* on both kernels */
}

#endif
