/*
 * syslog.c - syslog(2) (klogctl) over the kernel log, as `dmesg` uses it:
 * records "<level>[    s.usec] text\n" in READ_ALL; CLEAR and
 * READ_CLEAR; the destructive READ and SIZE_UNREAD agreeing; the console
 * level actions and their bounds; and Linux's permission rules (with
 * kernel.dmesg_restrict 0 anyone may READ_ALL and SIZE_BUFFER; every
 * other action is root's; an unknown action is EPERM before EINVAL).
 * "dmesg-syslog-enosys" is issue 10's bug: dmesg failed, syslog was ENOSYS.
 */
#define _GNU_SOURCE
#include "t.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define NOBODY 65534

enum {
	ACT_CLOSE, ACT_OPEN, ACT_READ, ACT_READ_ALL, ACT_READ_CLEAR,
	ACT_CLEAR, ACT_CONSOLE_OFF, ACT_CONSOLE_ON, ACT_CONSOLE_LEVEL,
	ACT_SIZE_UNREAD, ACT_SIZE_BUFFER,
};

static long sys_syslog(int type, char *buf, int len)
{
	return t_raw(SYS_syslog, type, buf, len);
}

static int dmesg_restrict(void)
{
	char c = '0';
	int fd = open("/proc/sys/kernel/dmesg_restrict", O_RDONLY);

	if (fd >= 0) {
		if (read(fd, &c, 1) != 1)
			c = '0';
		close(fd);
	}
	return c == '1';
}

static long set_dmesg_restrict(const char *v)
{
	int fd = open("/proc/sys/kernel/dmesg_restrict", O_WRONLY);
	long r = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, v, strlen(v)) < 0)
		r = -errno;
	close(fd);
	return r;
}

/* One record: "<d>[%5lu.%06lu] " then text, ending in '\n'. */
static void check_record(const char *rec, size_t len)
{
	const char *p = rec;

	size_t digits = strspn(p + 1, "0123456789");

	if (len < 17 || p[0] != '<' || digits == 0 || p[1 + digits] != '>' ||
	    p[2 + digits] != '[' || rec[len - 1] != '\n')
		T_FAIL("bad record: %.*s", (int)len, rec);
	p += 3 + digits;
	while (*p == ' ')
		p++;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p != '.' || strspn(p + 1, "0123456789") != 6 || p[7] != ']' ||
	    p[8] != ' ')
		T_FAIL("bad timestamp: %.*s", (int)len, rec);
}

static void check_records(const char *buf, long len)
{
	long at = 0;

	while (at < len) {
		const char *nl = memchr(buf + at, '\n', (size_t)(len - at));

		CHECK(nl != NULL);
		check_record(buf + at, (size_t)(nl - buf - at + 1));
		at = nl - buf + 1;
	}
}

/* A /dev/kmsg node (1:11) made here, for tests that need a record. */
static int kmsg_open(int flags)
{
	const char *path = "/tmp/syslog-test-kmsg";
	int fd;

	unlink(path);
	CHECK_OK(mknod(path, S_IFCHR | 0600, makedev(1, 11)));
	fd = open(path, flags | O_CLOEXEC);
	CHECK(fd >= 0);
	unlink(path);
	return fd;
}

/* Log text through /dev/kmsg (level 6, facility user: "<14>"). */
static void kmsg_log(const char *text)
{
	char line[256];
	int fd = kmsg_open(O_WRONLY);
	int n = snprintf(line, sizeof(line), "<6>%s\n", text);

	CHECK_EQ(write(fd, line, (size_t)n), n);
	close(fd);
}

static void case_read_all_format(void)
{
	long size = sys_syslog(ACT_SIZE_BUFFER, NULL, 0);
	char *buf;
	long n;

	CHECK(size > 0);
	kmsg_log("syslog-test read_all_format");
	buf = malloc((size_t)size);
	CHECK(buf != NULL);
	n = sys_syslog(ACT_READ_ALL, buf, (int)size);
	CHECK(n > 0 && n <= size);
	check_records(buf, n);
	buf[n - 1] = '\0';
	CHECK(strstr(buf, "<14>[") != NULL);
	CHECK(strstr(buf, "] syslog-test read_all_format") != NULL);
	/* A small buffer gets the newest whole records that fit. */
	n = sys_syslog(ACT_READ_ALL, buf, 200);
	CHECK(n >= 0 && n <= 200);
	check_records(buf, n);
	free(buf);
}

static void case_bad_arguments(void)
{
	char buf[64];

	CHECK_EQ(sys_syslog(ACT_READ_ALL, NULL, 64), -EINVAL);
	CHECK_EQ(sys_syslog(ACT_READ_ALL, buf, -1), -EINVAL);
	CHECK_EQ(sys_syslog(ACT_READ_ALL, buf, 0), 0);
	CHECK_EQ(sys_syslog(ACT_READ, NULL, 64), -EINVAL);
	CHECK_EQ(sys_syslog(ACT_READ, buf, 0), 0);
	CHECK_EQ(sys_syslog(ACT_READ_ALL, T_KERNEL_TEXT, 64), -EFAULT);
	CHECK_EQ(sys_syslog(99, buf, 64), -EINVAL);
	CHECK_EQ(sys_syslog(-1, buf, 64), -EINVAL);
	CHECK_EQ(sys_syslog(ACT_CLOSE, NULL, 0), 0);
	CHECK_EQ(sys_syslog(ACT_OPEN, NULL, 0), 0);
}

/* After CLEAR, READ_ALL starts after what was there; READ_CLEAR reads
 * and clears in one step. Nothing else is logged meanwhile: no call here
 * makes the kernel print. */
static void case_clear(void)
{
	static char buf[1 << 16];
	long n;

	CHECK_OK(sys_syslog(ACT_CLEAR, NULL, 0));
	CHECK_EQ(sys_syslog(ACT_READ_ALL, buf, sizeof(buf)), 0);
	kmsg_log("syslog-test after clear");
	n = sys_syslog(ACT_READ_CLEAR, buf, sizeof(buf));
	CHECK(n > 0);
	check_records(buf, n);
	buf[n] = '\0';
	CHECK(strstr(buf, "] syslog-test after clear\n") != NULL);
	CHECK_EQ(sys_syslog(ACT_READ_ALL, buf, sizeof(buf)), 0);
}

/* /dev/kmsg reads one record per read, "pri,seq,usec,-;text\n", from the
 * oldest kept; a record written is found there with its priority. */
static void case_kmsg_read(void)
{
	static char rec[2048];
	unsigned long pri, seq, usec, last_seq = 0;
	int fd, found = 0, records = 0;
	ssize_t n;

	kmsg_log("syslog-test kmsg record");
	fd = kmsg_open(O_RDONLY | O_NONBLOCK);
	while ((n = read(fd, rec, sizeof(rec) - 1)) != 0) {
		if (n < 0 && errno == EPIPE)
			continue;	/* dropped meanwhile: go on */
		if (n < 0)
			break;
		rec[n] = '\0';
		CHECK_EQ(sscanf(rec, "%lu,%lu,%lu,", &pri, &seq, &usec), 3);
		CHECK(strchr(rec, ';') != NULL);
		CHECK_EQ(rec[n - 1], '\n');
		CHECK(records == 0 || seq > last_seq);
		last_seq = seq;
		records++;
		if (strstr(rec, ";syslog-test kmsg record\n")) {
			CHECK_EQ(pri, 14UL);
			found = 1;
		}
	}
	CHECK_EQ(errno, EAGAIN);
	CHECK(found);
	/* A buffer too small for the record: EINVAL. */
	close(fd);
	fd = kmsg_open(O_RDONLY | O_NONBLOCK);
	CHECK_ERR(read(fd, rec, 4), EINVAL);
	close(fd);
}

/* READ consumes: SIZE_UNREAD falls by what it returned. */
static void case_read_consumes(void)
{
	static char buf[1 << 16];
	long before = sys_syslog(ACT_SIZE_UNREAD, NULL, 0), n, after;

	CHECK(before >= 0);
	if (before == 0)
		t_skip("nothing unread (READ would wait for a message)");
	n = sys_syslog(ACT_READ, buf, (int)(before < (long)sizeof(buf) ?
					    before : (long)sizeof(buf)));
	CHECK(n > 0 && n <= before);
	after = sys_syslog(ACT_SIZE_UNREAD, NULL, 0);
	CHECK_EQ(after, before - n);
	/* Whole records, the first one from where the reader stood. */
	if (buf[n - 1] == '\n' && buf[0] == '<')
		check_records(buf, n);
}

static void case_console_level(void)
{
	CHECK_EQ(sys_syslog(ACT_CONSOLE_LEVEL, NULL, 0), -EINVAL);
	CHECK_EQ(sys_syslog(ACT_CONSOLE_LEVEL, NULL, 9), -EINVAL);
	CHECK_OK(sys_syslog(ACT_CONSOLE_OFF, NULL, 0));
	CHECK_OK(sys_syslog(ACT_CONSOLE_OFF, NULL, 0));
	CHECK_OK(sys_syslog(ACT_CONSOLE_ON, NULL, 0));
	CHECK_OK(sys_syslog(ACT_CONSOLE_ON, NULL, 0));
	/* 4: the level both kernels boot the tests with. */
	CHECK_OK(sys_syslog(ACT_CONSOLE_LEVEL, NULL, 4));
}

/* Without privilege: only READ_ALL and SIZE_BUFFER, and those only while
 * dmesg_restrict is 0. */
static void case_permissions(void)
{
	int restricted = dmesg_restrict();
	pid_t pid = t_fork();

	if (pid == 0) {
		static char buf[4096];

		CHECK_OK(setresuid(NOBODY, NOBODY, NOBODY));
		/* >= 0: an earlier case may have cleared the log. */
		long n = sys_syslog(ACT_READ_ALL, buf, sizeof(buf));
		CHECK(restricted ? n == -EPERM : n >= 0);
		n = sys_syslog(ACT_SIZE_BUFFER, NULL, 0);
		CHECK(restricted ? n == -EPERM : n > 0);
		CHECK_EQ(sys_syslog(ACT_READ, buf, sizeof(buf)), -EPERM);
		CHECK_EQ(sys_syslog(ACT_READ_CLEAR, buf, sizeof(buf)), -EPERM);
		CHECK_EQ(sys_syslog(ACT_CLEAR, NULL, 0), -EPERM);
		CHECK_EQ(sys_syslog(ACT_CONSOLE_LEVEL, NULL, 4), -EPERM);
		CHECK_EQ(sys_syslog(ACT_SIZE_UNREAD, NULL, 0), -EPERM);
		CHECK_EQ(sys_syslog(ACT_CLOSE, NULL, 0), -EPERM);
		CHECK_EQ(sys_syslog(99, buf, 1), -EPERM);
		CHECK_EQ(set_dmesg_restrict("0"), -EACCES);
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
}

/* Root flips dmesg_restrict; 0 and 1 are the only values. */
static void case_dmesg_restrict(void)
{
	const char *old = dmesg_restrict() ? "1" : "0";
	pid_t pid;

	CHECK_EQ(set_dmesg_restrict("2"), -EINVAL);
	CHECK_OK(set_dmesg_restrict("1"));
	CHECK_EQ(dmesg_restrict(), 1);
	pid = t_fork();
	if (pid == 0) {
		char buf[256];

		CHECK_OK(setresuid(NOBODY, NOBODY, NOBODY));
		CHECK_EQ(sys_syslog(ACT_READ_ALL, buf, sizeof(buf)), -EPERM);
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
	CHECK_OK(set_dmesg_restrict(old));
}

/* klogctl, glibc's and musl's name for it, reaches the same call. */
static void case_klogctl(void)
{
	CHECK(klogctl(ACT_SIZE_BUFFER, NULL, 0) > 0);
}

static void read_log(int rounds)
{
	static char buf[1 << 16];

	for (int i = 0; i < rounds; i++) {
		sys_syslog(ACT_READ_ALL, buf, sizeof(buf));
		sys_syslog(ACT_SIZE_UNREAD, NULL, 0);
	}
}

static void case_no_leak(void)
{
	t_check_no_leak("syslog READ_ALL", read_log, 50);
}

static const struct t_case cases[] = {
	{ case_read_all_format, "dmesg-syslog-enosys" },
	{ case_bad_arguments, "bad_arguments" },
	{ case_read_consumes, "read_consumes" },
	{ case_clear, "clear" },
	{ case_kmsg_read, "kmsg_read" },
	{ case_console_level, "console_level" },
	{ case_permissions, "permissions" },
	{ case_dmesg_restrict, "dmesg_restrict" },
	{ case_klogctl, "klogctl" },
	{ case_no_leak, "no_leak" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
