/*
 * sched_affinity.c - sched_getaffinity and sched_setaffinity, with
 * Linux's size rules, on a machine of any number of CPUs (make test
 * boots 2, make test-smp4 4, SMP=1 one). The bug this is named after:
 * `nproc` and `sort` (glibc's CPU count) logged sched_getaffinity as not
 * implemented.
 *
 * The CPU count: every place the kernel reports it - the affinity mask
 * the runner leaves us (every online CPU), sysconf's two counts, the
 * cpuN lines of /proc/stat, the processor blocks of /proc/cpuinfo,
 * sysfs's cpu/online - must agree, and must be the number of CPUs the
 * host gave the machine (T_SMP, t_machine_cpus). BASALT-ONLY GATE,
 * until the SMP bring-up is merged: a Basalt that reports one CPU on a
 * machine of more runs one, and cpus-of-the-machine skips saying so.
 */
#define _GNU_SOURCE
#include "t.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/klog.h>
#include <fcntl.h>
#include <unistd.h>

static long get_aff(pid_t pid, long len, void *mask)
{
	return t_raw6(SYS_sched_getaffinity, pid, len, (long)mask, 0, 0, 0);
}

static long set_aff(pid_t pid, long len, const void *mask)
{
	return t_raw6(SYS_sched_setaffinity, pid, len, (long)mask, 0, 0, 0);
}

/* A pid no process has: a child that has been reaped. */
static pid_t dead_pid(void)
{
	pid_t pid = t_fork();
	int status;

	if (pid == 0)
		_exit(0);
	waitpid(pid, &status, 0);
	return pid;
}

/* A mask of CPUs 0..n-1, as one long (the test machines have < 64). */
static unsigned long first_cpus(int n)
{
	return n >= 64 ? ~0UL : (1UL << n) - 1;
}

/* nproc's call: glibc counts the CPUs of the mask, CPUs 0..n-1. */
static void case_nproc_sched_getaffinity_missing(void)
{
	cpu_set_t set;
	int n;

	CPU_ZERO(&set);
	CHECK_OK(sched_getaffinity(0, sizeof(set), &set));
	n = CPU_COUNT(&set);
	CHECK(n >= 1 && n < 64);
	for (int cpu = 0; cpu < n; cpu++)
		CHECK(CPU_ISSET(cpu, &set));
	CHECK_EQ(sysconf(_SC_NPROCESSORS_ONLN), n);
}

/* The raw call returns the bytes it wrote: whole longs, no more than
 * asked; the rest of the buffer is left alone. */
static void case_get_sizes(void)
{
	unsigned long mask[16], all = first_cpus(t_cpu_count());
	long r;

	memset(mask, 0xaa, sizeof(mask));
	r = get_aff(0, sizeof(mask), mask);
	CHECK(r >= 8 && r <= (long)sizeof(mask) && r % 8 == 0);
	CHECK_EQ(mask[0], all);
	if (r < (long)sizeof(mask))
		CHECK_EQ(mask[15], 0xaaaaaaaaaaaaaaaaUL);
	memset(mask, 0xaa, sizeof(mask));
	CHECK_EQ(get_aff(getpid(), 8, mask), 8);
	CHECK_EQ(mask[0], all);
	CHECK_EQ(mask[1], 0xaaaaaaaaaaaaaaaaUL);
}

static void case_get_errors(void)
{
	unsigned long mask[2];
	void *none = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
			  -1, 0);

	CHECK_EQ(get_aff(0, 0, mask), -EINVAL);	/* no room for CPU 0 */
	CHECK_EQ(get_aff(0, 4, mask), -EINVAL);	/* not whole longs */
	CHECK_EQ(get_aff(0, 12, mask), -EINVAL);
	CHECK_EQ(get_aff(dead_pid(), 8, mask), -ESRCH);
	CHECK_EQ(get_aff(-1, 8, mask), -ESRCH);
	CHECK_EQ(get_aff(0, 8, none), -EFAULT);
	munmap(none, 4096);
}

/* Sizes, and masks that name no CPU that exists; works on any count. */
static void case_set(void)
{
	unsigned long mask[128] = { 1 };
	int n = t_cpu_count();
	unsigned long beyond = n < 64 ? 1UL << n : 0, empty = 0, got = 0;
	unsigned char byte = 1;

	CHECK_EQ(set_aff(0, 8, mask), 0);
	CHECK_EQ(set_aff(0, sizeof(mask), mask), 0);	/* longer: cut */
	CHECK_EQ(set_aff(0, 1, &byte), 0);		/* shorter: extended */
	CHECK_EQ(set_aff(getpid(), 8, mask), 0);
	/* No CPU of the mask exists. */
	CHECK_EQ(set_aff(0, 8, &beyond), -EINVAL);
	CHECK_EQ(set_aff(0, 8, &empty), -EINVAL);
	CHECK_EQ(set_aff(0, 0, mask), -EINVAL);
	/* Still on CPU 0 after the failures. */
	CHECK_EQ(get_aff(0, 8, &got), 8);
	CHECK_EQ(got, 1UL);
	/* A mask with CPUs that exist and one that does not: the ones that
	 * exist. */
	got = first_cpus(n) | beyond;
	CHECK_EQ(set_aff(0, 8, &got), 0);
	CHECK_EQ(get_aff(0, 8, &got), 8);
	CHECK_EQ(got, first_cpus(n));
}

/* Pinned to each CPU in turn, the thread runs there (getcpu says so)
 * and its mask is that CPU; a child made meanwhile inherits the mask. */
static void case_pinned_runs_there(void)
{
	int n = t_cpu_count(), have_getcpu = t_getcpu() >= 0;

	for (int cpu = 0; cpu < n; cpu++) {
		unsigned long got = 0;
		pid_t pid;

		t_pin(cpu);
		sched_yield();
		if (have_getcpu)
			CHECK_EQ(t_getcpu(), cpu);
		CHECK_EQ(get_aff(0, 8, &got), 8);
		CHECK_EQ(got, 1UL << cpu);
		pid = t_fork();
		if (pid == 0) {
			got = 0;
			_exit(get_aff(0, 8, &got) == 8 && got == 1UL << cpu &&
			      (!have_getcpu || t_getcpu() == cpu) ? 0 : 1);
		}
		CHECK_EXITED(t_wait(pid), 0);
	}
	if (!have_getcpu)
		t_skip("getcpu: ENOSYS (the masks were right)");
}

static long read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	long n, used = 0;

	if (fd < 0)
		T_FAIL("open %s: errno %s", path, t_errname(errno));
	while (used < (long)len - 1 &&
	       (n = read(fd, buf + used, len - 1 - used)) > 0)
		used += n;
	close(fd);
	buf[used] = '\0';
	return used;
}

/* How many lines of text start with prefix and a number, which must be
 * "prefix<i>suffix", i = 0, 1, ... in order (else the case fails). */
static int count_numbered(const char *text, const char *prefix,
			  const char *suffix)
{
	char want[64];
	int n = 0;

	for (const char *p = text; (p = strstr(p, prefix)) != NULL; p++) {
		size_t len = strlen(prefix);

		if ((p != text && p[-1] != '\n') || p[len] < '0' ||
		    p[len] > '9')
			continue;
		snprintf(want, sizeof(want), "%s%d%s", prefix, n, suffix);
		if (strncmp(p, want, strlen(want)) != 0)
			T_FAIL("expected \"%s\" at \"%.20s\"", want, p);
		n++;
	}
	return n;
}

/*
 * Every count of online CPUs the kernel offers is the same: the mask,
 * sysconf (glibc reads sysfs or /proc/stat, musl the mask), the cpuN
 * lines of /proc/stat and the processor blocks of /proc/cpuinfo, each
 * numbered 0..n-1.
 */
static void case_cpu_counts_agree(void)
{
	static char stat[65536], info[262144];
	int n = t_cpu_count();

	read_file("/proc/stat", stat, sizeof(stat));
	read_file("/proc/cpuinfo", info, sizeof(info));
	CHECK_EQ(count_numbered(stat, "cpu", " "), n);
	CHECK_EQ(count_numbered(info, "processor\t: ", "\n"), n);
	CHECK_EQ(sysconf(_SC_NPROCESSORS_ONLN), n);
	CHECK_EQ(sysconf(_SC_NPROCESSORS_CONF), n);
}

/* ...and it is the number of CPUs the machine has (see the top). */
static void case_cpus_of_the_machine(void)
{
	int want = t_machine_cpus(), n = t_cpu_count();

	if (want == 0)
		t_skip("T_SMP is not set: run by hand, the count is unknown");
	CHECK_EQ(n, want);
}

/* sysfs's cpu/online, which glibc's sysconf reads first: "0" or "0-N". */
static void case_sys_cpu_online(void)
{
	const char *dir = "/tmp/sched-affinity-sys";
	char buf[64], want[32];
	int n = t_cpu_count();

	CHECK(mkdir(dir, 0755) == 0 || errno == EEXIST);
	if (mount("sysfs", dir, "sysfs", 0, NULL) != 0)
		T_FAIL("mount sysfs: errno %s", t_errname(errno));
	read_file("/tmp/sched-affinity-sys/devices/system/cpu/online", buf,
		  sizeof(buf));
	CHECK_OK(umount(dir));
	rmdir(dir);
	if (n == 1)
		snprintf(want, sizeof(want), "0\n");
	else
		snprintf(want, sizeof(want), "0-%d\n", n - 1);
	if (strcmp(buf, want) != 0)
		T_FAIL("cpu/online is \"%s\", want \"%s\" (%d CPUs)", buf,
		       want, n);
}

static void case_set_errors(void)
{
	unsigned long one = 1, all = first_cpus(t_cpu_count());
	pid_t parent = getpid();
	pid_t pid;
	int status;

	CHECK_EQ(set_aff(dead_pid(), 8, &one), -ESRCH);
	CHECK_EQ(set_aff(0, 8, (void *)8), -EFAULT);
	/* The mask is read before the task is looked up, as in Linux. */
	CHECK_EQ(set_aff(dead_pid(), 8, (void *)8), -EFAULT);
	/* Another user's process may be looked at but not changed. */
	pid = t_fork();
	if (pid == 0) {
		unsigned long m = 0;

		if (setuid(65534) != 0)
			_exit(2);
		if (get_aff(parent, 8, &m) != 8 || m != all)
			_exit(3);
		_exit(set_aff(parent, 8, &one) == -EPERM ? 0 : 4);
	}
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK_EXITED(status, 0);
}

/*
 * Regression (idle-cpu-stall-warning): an idle CPU whose reschedule had
 * become moot (another CPU took the woken task first) counted ticks as
 * if a task ignored it, and the kernel log filled with "idle (pid 0)
 * kept the CPU for 25 ticks in the kernel" warnings. Many cross-CPU
 * wake-ups (pipe ping-pong between unpinned processes, with sleeps in
 * between so that CPUs go idle), then the log must hold no such line
 * (Linux never writes one either).
 */
static void case_idle_cpu_stall_warning(void)
{
	static char log[1 << 16];
	int ab[2], ba[2];
	char c = 0;
	pid_t pid;

	CHECK_OK(pipe(ab));
	CHECK_OK(pipe(ba));
	pid = t_fork();
	if (pid == 0) {
		while (read(ab[0], &c, 1) == 1 && c)
			if (write(ba[1], &c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	for (int i = 1; i <= 3000; i++) {
		c = 1;
		CHECK_EQ(write(ab[1], &c, 1), 1);
		CHECK_EQ(read(ba[0], &c, 1), 1);
		if (i % 500 == 0)
			usleep(20 * 1000);	/* let the CPUs go idle */
	}
	c = 0;
	CHECK_EQ(write(ab[1], &c, 1), 1);
	CHECK_EXITED(t_wait(pid), 0);
	int n = klogctl(3, log, sizeof(log) - 1);	/* SYSLOG_ACTION_READ_ALL */
	CHECK(n >= 0);
	log[n] = '\0';
	CHECK(strstr(log, "idle (pid 0) kept the CPU") == NULL);
	close(ab[0]); close(ab[1]); close(ba[0]); close(ba[1]);
}

static const struct t_case cases[] = {
	{ case_nproc_sched_getaffinity_missing,
	  "nproc-sched-getaffinity-missing" },
	{ case_get_sizes, "get_sizes" },
	{ case_get_errors, "get_errors" },
	{ case_set, "set" },
	{ case_set_errors, "set_errors" },
	{ case_pinned_runs_there, "pinned-runs-there" },
	{ case_cpu_counts_agree, "cpu-counts-agree" },
	{ case_cpus_of_the_machine, "cpus-of-the-machine" },
	{ case_sys_cpu_online, "sys-cpu-online" },
	{ case_idle_cpu_stall_warning, "idle-cpu-stall-warning" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
