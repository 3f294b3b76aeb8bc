/*
 * loader.h - what the loader tests (dynexec*.c, loader*.c) share: running
 * a program with its output captured, and reading the "key=value" facts
 * the probe (tests/user/dynexec/probe.c) prints. The dynamic helpers live
 * in /tests/dyn/ (tests/user/dynexec/dynexec.mk).
 */
#ifndef BASALT_TESTS_LOADER_H
#define BASALT_TESTS_LOADER_H

#define _GNU_SOURCE
#include "t.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define PROBE_GLIBC	"/tests/dyn/probe-glibc"
#define PROBE_NOPIE	"/tests/dyn/probe-glibc-nopie"
#define PROBE_MUSL	"/tests/dyn/probe-musl"
#define PROBE_STATIC	"/tests/dyn/probe-static"
#define TRUE_GLIBC	"/tests/dyn/true-glibc"
#define TRUE_MUSL	"/tests/dyn/true-musl"
#define LDSO_GLIBC	"/lib64/ld-linux-x86-64.so.2"
#define LDSO_GLIBC_REAL	"/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"
#define LDSO_MUSL	"/lib/ld-musl-x86_64.so.1"
#define ASLR_KNOB	"/proc/sys/kernel/randomize_va_space"
/* Linux's ELF_ET_DYN_BASE on x86-64, rounded down to a page. */
#define ET_DYN_BASE	0x555555554000UL

/*
 * Run path with argv (environment: none) and its standard output into
 * out (NUL-terminated); returns the wait status, or -errno if execve
 * failed (the child reports it through the pipe's first byte).
 */
static inline int run_capture(const char *path, char *const argv[],
			      char *out, size_t len)
{
	int p[2], status;
	size_t got = 0;
	ssize_t n;
	pid_t pid;

	CHECK_OK(pipe2(p, O_CLOEXEC));
	pid = t_fork();
	if (pid == 0) {
		char *envp[] = { NULL };
		char e;

		dup2(p[1], 1);
		execve(path, argv, envp);
		e = (char)errno;
		write(1, "!", 1);
		write(1, &e, 1);
		_exit(127);
	}
	close(p[1]);
	while (got + 1 < len && (n = read(p[0], out + got, len - 1 - got)) > 0)
		got += (size_t)n;
	out[got] = '\0';
	close(p[0]);
	status = t_wait(pid);
	if (got == 2 && out[0] == '!' && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 127)
		return -out[1];
	return status;
}

/* The value of "key=..." in a probe's output (static copy), or "". */
static inline const char *fact(const char *out, const char *key)
{
	static char val[256];
	size_t klen = strlen(key);
	const char *p = out;

	val[0] = '\0';
	while (p && *p) {
		if (!strncmp(p, key, klen) && p[klen] == '=') {
			size_t n = strcspn(p + klen + 1, "\n");
			if (n >= sizeof(val))
				n = sizeof(val) - 1;
			memcpy(val, p + klen + 1, n);
			val[n] = '\0';
			return val;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return val;
}

static inline unsigned long fact_ul(const char *out, const char *key)
{
	return strtoul(fact(out, key), NULL, 0);
}

/* randomize_va_space's value, or -1 if the knob is missing. */
static inline int aslr_get(void)
{
	char buf[16] = "";
	int fd = open(ASLR_KNOB, O_RDONLY);

	if (fd < 0)
		return -1;
	read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return atoi(buf);
}

static inline void aslr_set(int level)
{
	char c = (char)('0' + level);
	int fd = CHECK_OK(open(ASLR_KNOB, O_WRONLY));

	CHECK_EQ(write(fd, &c, 1), 1);
	close(fd);
}

/* Copy src to dst with mode; then the caller may patch it. */
static inline void copy_file(const char *src, const char *dst, mode_t mode)
{
	static char buf[65536];
	int in = CHECK_OK(open(src, O_RDONLY));
	int out = CHECK_OK(open(dst, O_WRONLY | O_CREAT | O_TRUNC, mode));
	ssize_t n;

	while ((n = read(in, buf, sizeof(buf))) > 0)
		CHECK_EQ(write(out, buf, (size_t)n), n);
	CHECK_EQ(n, 0);
	close(in);
	close(out);
	CHECK_OK(chmod(dst, mode));
}

/* Write text to path with mode. */
static inline void write_file(const char *path, const char *text,
			      size_t len, mode_t mode)
{
	int fd = CHECK_OK(open(path, O_WRONLY | O_CREAT | O_TRUNC, mode));

	CHECK_EQ(write(fd, text, len), (ssize_t)len);
	close(fd);
	CHECK_OK(chmod(path, mode));
}

#endif
