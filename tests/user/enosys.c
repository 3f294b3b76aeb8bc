/*
 * enosys.c - system-call numbers that do not exist fail with ENOSYS.
 *
 * Only numbers that are invalid on every x86-64 Linux are used: 403-423,
 * which all architectures reserve for the 32-bit time64 calls and 64-bit
 * ones leave empty, numbers past the end of the table, and negative
 * numbers (-1 is what a tracer uses to skip a call). Not 335: Linux 6.11
 * made it uretprobe, which kills a caller outside a trampoline with
 * SIGILL. A kernel that silently "succeeds" here has a stub, which
 * MISSION.md forbids. Linux looks only at the low 32 bits of the number,
 * so no case uses numbers above 2^32.
 */
#define _GNU_SOURCE
#include "t.h"

#include <sys/syscall.h>
#include <unistd.h>

static const long bad_numbers[] = {
	403, 423,		/* reserved for 32-bit time64 calls */
	1000, 9999, 0x3fffffff,	/* beyond the table */
	-1, -2, -1000,
};

static void case_libc_syscall(void)
{
	for (size_t i = 0; i < sizeof(bad_numbers) / sizeof(bad_numbers[0]); i++) {
		errno = 0;
		long r = syscall(bad_numbers[i], 1, 2, 3, 4, 5, 6);
		if (r != -1 || errno != ENOSYS)
			T_FAIL("syscall(%ld): got %ld (errno %s), want ENOSYS",
			       bad_numbers[i], r, t_errname(errno));
	}
}

static void case_raw_return_value(void)
{
	/* What the kernel itself puts in rax. */
	for (size_t i = 0; i < sizeof(bad_numbers) / sizeof(bad_numbers[0]); i++)
		CHECK_EQ(t_raw6(bad_numbers[i], 1, 2, 3, 4, 5, 6), -ENOSYS);
}

static void case_still_works_after(void)
{
	/* A refused number leaves the process and the next call intact. */
	pid_t me = getpid();

	CHECK_EQ(t_raw(9999, 0, 0, 0), -ENOSYS);
	CHECK_EQ(t_raw(SYS_getpid, 0, 0, 0), me);
	CHECK_EQ(t_raw(-1, 0, 0, 0), -ENOSYS);
	CHECK_EQ(t_raw(SYS_getpid, 0, 0, 0), me);
}

static const struct t_case cases[] = {
	{ case_libc_syscall, "libc_syscall" },
	{ case_raw_return_value, "raw_return_value" },
	{ case_still_works_after, "still_works_after" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
