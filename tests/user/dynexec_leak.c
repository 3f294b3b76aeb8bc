/*
 * dynexec_leak.c - running a dynamically linked program (its loader,
 * libc mapped from files, relocations written into private copies) a
 * thousand times gives back every page: MemFree returns to where it
 * started (exactly, on Basalt; t_check_no_leak). glibc's ld.so 1000
 * times, musl's 200 (they share the code paths; Linux under QEMU takes
 * a minute for the thousand).
 */
#include "loader.h"

static void run_true(const char *path, int rounds)
{
	char *argv[] = { (char *)path, NULL };
	char *envp[] = { NULL };

	for (int i = 0; i < rounds; i++) {
		pid_t pid = t_fork();

		if (pid == 0) {
			execve(path, argv, envp);
			_exit(127);
		}
		CHECK_EXITED(t_wait(pid), 0);
	}
}

static void glibc_rounds(int rounds)
{
	run_true(TRUE_GLIBC, rounds);
}

static void musl_rounds(int rounds)
{
	run_true(TRUE_MUSL, rounds);
}

static void case_glibc_1000_runs_no_leak(void)
{
	t_check_no_leak("dynamic glibc runs", glibc_rounds, 1000);
}

static void case_musl_200_runs_no_leak(void)
{
	t_check_no_leak("dynamic musl runs", musl_rounds, 200);
}

static const struct t_case cases[] = {
	{ case_glibc_1000_runs_no_leak, "glibc-1000-runs-no-leak" },
	{ case_musl_200_runs_no_leak, "musl-200-runs-no-leak" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
