/*
 * printf.c - libbasalt's printf against glibc's: every case of
 * printf_cases.h must give exactly the text and return value that glibc
 * gave on the build host (printf_expect.h, made by printf_gen.c); then
 * the same through snprintf's truncation, sprintf, printf to a pipe
 * (stdout fully buffered there, flushed by fflush and exit), fprintf to
 * stderr (unbuffered: one write per call), dprintf and %n.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "t.h"
#include "capture.h"
#include "printf_cases.h"
#include "printf_expect.h"

#define NCASES ((int)(sizeof(expected) / sizeof(expected[0])))

static int failures;

static void compare(int i, const char *got, int ret)
{
	if (strcmp(got, expected[i].text) == 0 && ret == expected[i].ret)
		return;
	failures++;
	t_note("case %d: got \"%s\" (%d), glibc \"%s\" (%d)", i, got, ret,
	       expected[i].text, expected[i].ret);
}

static void case_snprintf_matches_glibc(void)
{
	char buf[4096];
	int i = 0;

#define X(...) do {							\
		int r = snprintf(buf, sizeof(buf), __VA_ARGS__);	\
		compare(i++, buf, r);					\
	} while (0);
	PRINTF_CASES(X)
#undef X
	CHECK_EQ(i, NCASES);
	if (failures)
		T_FAIL("%d of %d formats differ from glibc", failures, NCASES);
}

static void case_truncation(void)
{
	char buf[8];
	int i = 0;

	/* Each result cut to 4 characters, the return value unchanged. */
#define X(...) do {							\
		memset(buf, '#', sizeof(buf));				\
		int r = snprintf(buf, 5, __VA_ARGS__);			\
		CHECK_EQ(r, expected[i].ret);				\
		CHECK(strncmp(buf, expected[i].text, 4) == 0);		\
		CHECK_EQ(buf[r < 4 ? r : 4], '\0');			\
		CHECK_EQ(buf[5], '#');					\
		i++;							\
	} while (0);
	PRINTF_CASES(X)
#undef X
	CHECK_EQ(snprintf(NULL, 0, "%d", 12345), 5);
	buf[0] = 'x';
	CHECK_EQ(snprintf(buf, 1, "abc"), 3);
	CHECK_EQ(buf[0], '\0');
}

static void case_sprintf(void)
{
	char buf[64];

	CHECK_EQ(sprintf(buf, "%s-%05d-%x", "ab", 42, 255u), 11);
	CHECK(strcmp(buf, "ab-00042-ff") == 0);
}

static void case_count_n(void)
{
	char buf[64];
	int n = -1;
	long ln = -1;
	signed char hn = -1;

	snprintf(buf, sizeof(buf), "abc%n%5d%ln|%hhn", &n, 7, &ln, &hn);
	CHECK_EQ(n, 3);
	CHECK_EQ(ln, 8);
	CHECK_EQ(hn, 9);
}

static int print_many(void *arg)
{
	(void)arg;
	printf("%d %s", 1, "two");
	putchar(' ');
	fputs("three", stdout);
	puts(" four");
	fwrite("five\n", 1, 5, stdout);
	fprintf(stdout, "%c%c%c\n", 's', 'i', 'x');
	return 0;	/* exit() flushes */
}

static void case_stdout_through_pipe(void)
{
	static char out[256];

	CHECK_EXITED(capture_child(print_many, NULL, out, sizeof(out)), 0);
	check_text(out, "1 two three four\nfive\nsix\n");
}

/* stdout to a pipe is fully buffered: nothing arrives before fflush. */
static void case_stdout_buffered(void)
{
	int fds[2];
	char buf[64];

	CHECK_OK(pipe(fds));
	pid_t pid = t_fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		printf("buffered\n");
		char go;
		read(fds[0], &go, 1);	/* wait until the parent looked */
		fflush(stdout);
		_exit(0);
	}
	usleep(100 * 1000);
	/* Nothing yet: the child's text is still in its buffer. */
	CHECK_OK(write(fds[1], "g", 1));
	CHECK_EXITED(t_wait(pid), 0);
	close(fds[1]);
	ssize_t n = read(fds[0], buf, sizeof(buf) - 1);
	CHECK(n > 0);
	buf[n] = '\0';
	/* The "g" was read by the child; only its flushed line remains. */
	check_text(buf, "buffered\n");
	close(fds[0]);
}

static int print_stderr(void *arg)
{
	(void)arg;
	dup2(1, 2);
	fprintf(stderr, "e%d", 1);	/* unbuffered: out at once */
	write(1, "|", 1);
	dprintf(1, "d%s|", "2");
	_exit(0);			/* no flush at all */
}

static void case_stderr_unbuffered(void)
{
	static char out[64];

	CHECK_EXITED(capture_child(print_stderr, NULL, out, sizeof(out)), 0);
	check_text(out, "e1|d2|");
}

static const struct t_case cases[] = {
	{ case_snprintf_matches_glibc, "snprintf_matches_glibc" },
	{ case_truncation, "truncation" },
	{ case_sprintf, "sprintf" },
	{ case_count_n, "count_n" },
	{ case_stdout_through_pipe, "stdout_through_pipe" },
	{ case_stdout_buffered, "stdout_buffered" },
	{ case_stderr_unbuffered, "stderr_unbuffered" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
