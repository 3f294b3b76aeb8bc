/*
 * sched_affinity.c - sched_getaffinity and sched_setaffinity, with
 * Linux's size rules, on a machine of one CPU (the test VMs have one:
 * scripts/qemu.sh -smp 1). The bug this is named after: `nproc` and
 * `sort` (glibc's CPU count) logged sched_getaffinity as not implemented.
 */
#define _GNU_SOURCE
#include "t.h"

#include <sched.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
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

/* nproc's call: glibc counts one CPU, CPU 0. */
static void case_nproc_sched_getaffinity_missing(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CHECK_OK(sched_getaffinity(0, sizeof(set), &set));
	CHECK_EQ(CPU_COUNT(&set), 1);
	CHECK(CPU_ISSET(0, &set));
	CHECK_EQ(sysconf(_SC_NPROCESSORS_ONLN), 1);
}

/* The raw call returns the bytes it wrote: whole longs, no more than
 * asked; the rest of the buffer is left alone. */
static void case_get_sizes(void)
{
	unsigned long mask[16];
	long r;

	memset(mask, 0xaa, sizeof(mask));
	r = get_aff(0, sizeof(mask), mask);
	CHECK(r >= 8 && r <= (long)sizeof(mask) && r % 8 == 0);
	CHECK_EQ(mask[0], 1UL);
	if (r < (long)sizeof(mask))
		CHECK_EQ(mask[15], 0xaaaaaaaaaaaaaaaaUL);
	memset(mask, 0xaa, sizeof(mask));
	CHECK_EQ(get_aff(getpid(), 8, mask), 8);
	CHECK_EQ(mask[0], 1UL);
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

static void case_set(void)
{
	unsigned long mask[128] = { 1 };
	unsigned long cpu1 = 2, empty = 0;
	unsigned char byte = 1;

	CHECK_EQ(set_aff(0, 8, mask), 0);
	CHECK_EQ(set_aff(0, sizeof(mask), mask), 0);	/* longer: cut */
	CHECK_EQ(set_aff(0, 1, &byte), 0);		/* shorter: extended */
	CHECK_EQ(set_aff(getpid(), 8, mask), 0);
	/* No CPU of the mask exists. */
	CHECK_EQ(set_aff(0, 8, &cpu1), -EINVAL);
	CHECK_EQ(set_aff(0, 8, &empty), -EINVAL);
	CHECK_EQ(set_aff(0, 0, mask), -EINVAL);
	/* Still on CPU 0 after the failures. */
	CHECK_EQ(get_aff(0, 8, &empty), 8);
	CHECK_EQ(empty, 1UL);
}

static void case_set_errors(void)
{
	unsigned long one = 1;
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
		if (get_aff(parent, 8, &m) != 8 || m != 1)
			_exit(3);
		_exit(set_aff(parent, 8, &one) == -EPERM ? 0 : 4);
	}
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK_EXITED(status, 0);
}

static const struct t_case cases[] = {
	{ case_nproc_sched_getaffinity_missing,
	  "nproc-sched-getaffinity-missing" },
	{ case_get_sizes, "get_sizes" },
	{ case_get_errors, "get_errors" },
	{ case_set, "set" },
	{ case_set_errors, "set_errors" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
