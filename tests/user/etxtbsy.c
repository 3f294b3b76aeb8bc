/*
 * etxtbsy.c - a running program's file cannot be written, and a file
 * open for writing cannot be run (ETXTBSY), as on Linux. Before this,
 * Basalt mapped a program's file pages copy-on-write while tmpfs wrote
 * into the same pages, so writing to a running program's file changed
 * the code it ran (regression: write-to-running-executable-etxtbsy).
 */
#define _GNU_SOURCE
#include "t.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define COPY "/tmp/etxtbsy-copy"

/* A copy of this program at COPY, executable; returns nothing. */
static void copy_self(void)
{
	static char buf[65536];
	int in = CHECK_OK(open(t_self(), O_RDONLY));
	int out = CHECK_OK(open(COPY, O_WRONLY | O_CREAT | O_TRUNC, 0755));
	ssize_t n;

	while ((n = read(in, buf, sizeof(buf))) > 0)
		CHECK_EQ(write(out, buf, (size_t)n), n);
	CHECK_EQ(n, 0);
	CHECK_OK(close(in));
	CHECK_OK(close(out));
}

/* The bug's regression test: this program's own file is busy. */
static void case_write_to_running_executable_etxtbsy(void)
{
	CHECK_ERR(open(t_self(), O_WRONLY), ETXTBSY);
	CHECK_ERR(open(t_self(), O_RDWR), ETXTBSY);
	CHECK_ERR(truncate(t_self(), 0), ETXTBSY);
	/* Reading it is fine. */
	CHECK_OK(close(CHECK_OK(open(t_self(), O_RDONLY))));
}

/* While a file is open for writing, execve of it fails. */
static void case_exec_of_file_open_for_writing(void)
{
	char *argv[] = { COPY, NULL };
	int fd;

	copy_self();
	fd = CHECK_OK(open(COPY, O_WRONLY));
	CHECK_ERR(execve(COPY, argv, environ), ETXTBSY);
	CHECK_OK(close(fd));
	CHECK_OK(unlink(COPY));
}

/* The hold ends with the program: after it exits, writing works. */
static void case_released_at_exit(void)
{
	char *argv[] = { COPY, "no-such-case", NULL };
	pid_t pid;

	copy_self();
	pid = t_fork();
	if (pid == 0) {
		execve(COPY, argv, environ);
		_exit(98);
	}
	t_wait(pid);		/* the copy ran (and failed: no such case) */
	CHECK_OK(close(CHECK_OK(open(COPY, O_WRONLY))));
	CHECK_OK(unlink(COPY));
}

static const struct t_case cases[] = {
	{ case_write_to_running_executable_etxtbsy,
	  "write-to-running-executable-etxtbsy" },
	{ case_exec_of_file_open_for_writing, "exec_of_file_open_for_writing" },
	{ case_released_at_exit, "released_at_exit" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
