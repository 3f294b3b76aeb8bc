/*
 * dynexec_leak.c - running a dynamically linked program (its loader,
 * libc mapped from files, relocations written into private copies) a
 * thousand times gives back every page: MemFree returns to where it
 * started (exactly, on Basalt; t_check_no_leak). The program is the
 * dynamic true of this test's own C library (glibc's ld.so for the
 * -glibc build, musl's for -musl).
 *
 * On Linux, where t_check_no_leak only reports, 20 runs show the program
 * works; a thousand would take the oracle a minute under QEMU for
 * nothing it could assert.
 */
#include "loader.h"

static void run_true(int rounds)
{
	const char *path = strcmp(t_libc(), "musl") ? TRUE_GLIBC : TRUE_MUSL;
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

static void case_dynamic_1000_runs_no_leak(void)
{
	t_check_no_leak("dynamic program runs", run_true,
			is_basalt() ? 1000 : 20);
}

static const struct t_case cases[] = {
	{ case_dynamic_1000_runs_no_leak, "dynamic-1000-runs-no-leak" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
