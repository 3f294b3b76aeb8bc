/*
 * dynexec.c - execve of dynamically linked programs: the interpreter
 * named by PT_INTERP is loaded beside the program and started, with the
 * auxiliary vector Linux gives (AT_BASE where the interpreter is,
 * AT_ENTRY the program's entry, AT_PHDR its headers, AT_EXECFN, ...);
 * PIEs go to ELF_ET_DYN_BASE plus a random offset, none with
 * randomize_va_space 0; ld.so can be run as a program; /proc/self/exe
 * names the program. The programs are glibc's (PIE and not) and musl's,
 * whatever libc this test itself is built for.
 */
#include "loader.h"

#define OUT_MAX 4096

/* Run a probe; check it exited 0, reported no bad auxv entry and got
 * its arguments. The output stays in out. */
static void run_probe(const char *path, char *out)
{
	char *argv[] = { (char *)path, "one", "two words", NULL };
	int status = run_capture(path, argv, out, OUT_MAX);

	if (status < 0)
		T_FAIL("execve %s: %s", path, t_errname(-status));
	CHECK_EXITED(status, 0);
	CHECK(!strstr(out, "bad="));
	CHECK_EQ(fact_ul(out, "argc"), 3);
	CHECK(!strcmp(fact(out, "argv0"), path));
	CHECK(!strcmp(fact(out, "argv2"), "two words"));
	CHECK(!strcmp(fact(out, "execfn"), path));
}

/* What any dynamic program sees: the interpreter at AT_BASE, its own
 * entry in AT_ENTRY, itself in /proc/self/exe. */
static void check_dynamic(const char *path, const char *out)
{
	CHECK(fact_ul(out, "base") != 0);
	CHECK_EQ(fact_ul(out, "base") % T_PAGE, 0);
	CHECK_EQ(fact_ul(out, "base_is_interp"), 1);
	CHECK_EQ(fact_ul(out, "entry_ok"), 1);
	CHECK(!strcmp(fact(out, "exe"), path));
}

static void case_glibc_pie_runs(void)
{
	static char out[OUT_MAX];

	run_probe(PROBE_GLIBC, out);
	check_dynamic(PROBE_GLIBC, out);
	CHECK(fact_ul(out, "bias") >= ET_DYN_BASE);
}

static void case_glibc_non_pie_runs(void)
{
	static char out[OUT_MAX];

	run_probe(PROBE_NOPIE, out);
	check_dynamic(PROBE_NOPIE, out);
	CHECK_EQ(fact_ul(out, "bias"), 0);	/* ET_EXEC: where it says */
}

static void case_musl_runs(void)
{
	static char out[OUT_MAX];

	run_probe(PROBE_MUSL, out);
	check_dynamic(PROBE_MUSL, out);
	CHECK(fact_ul(out, "bias") >= ET_DYN_BASE);
}

/* A static program still gets AT_BASE 0. */
static void case_static_has_no_base(void)
{
	static char out[OUT_MAX];

	run_probe(PROBE_STATIC, out);
	CHECK_EQ(fact_ul(out, "base"), 0);
	CHECK(!strcmp(fact(out, "exe"), PROBE_STATIC));
}

/* Run argv[0] with randomize_va_space at level, restoring it after. */
static int run_at_level(char *const argv[], int level, char *out)
{
	int old = aslr_get(), status;

	if (old < 0)
		t_skip("no %s", ASLR_KNOB);
	aslr_set(level);
	status = run_capture(argv[0], argv, out, OUT_MAX);
	aslr_set(old);
	return status;
}

static int probe_at_level(const char *path, int level, char *out)
{
	char *argv[] = { (char *)path, NULL };

	return run_at_level(argv, level, out);
}

/* Without randomisation a PIE is at ELF_ET_DYN_BASE and the break right
 * after it. */
static void case_pie_base_fixed_without_aslr(void)
{
	static char out[OUT_MAX];

	CHECK_EXITED(probe_at_level(PROBE_GLIBC, 0, out), 0);
	CHECK_EQ(fact_ul(out, "bias"), ET_DYN_BASE);
	CHECK_EQ(fact_ul(out, "brk"), fact_ul(out, "end"));
	CHECK_EXITED(probe_at_level(PROBE_MUSL, 0, out), 0);
	CHECK_EQ(fact_ul(out, "bias"), ET_DYN_BASE);
}

/* With it (Linux's default, 2): the base moves by whole pages within
 * 2^28 pages, the break by less than 1 GiB, and two runs differ (the
 * odds of the same base twice are 2^-28). */
static void case_pie_base_randomised(void)
{
	static char out[OUT_MAX];
	unsigned long bias, brk, end;

	CHECK_EXITED(probe_at_level(PROBE_GLIBC, 2, out), 0);
	bias = fact_ul(out, "bias");
	brk = fact_ul(out, "brk");
	end = fact_ul(out, "end");
	CHECK(bias >= ET_DYN_BASE && bias < ET_DYN_BASE + (1UL << 40));
	CHECK_EQ(bias % T_PAGE, 0);
	if (brk < end || brk >= end + (1UL << 30))
		T_FAIL("brk %#lx, end %#lx", brk, end);
	CHECK_EQ(brk % T_PAGE, 0);
	CHECK_EXITED(probe_at_level(PROBE_GLIBC, 2, out), 0);
	CHECK(fact_ul(out, "bias") != bias);
}

/* ld.so run as a program loads the one it is given. */
static void case_ldso_runs_program(void)
{
	static char out[OUT_MAX];
	char *argv[] = { LDSO_GLIBC, PROBE_GLIBC, "x", NULL };

	CHECK_EXITED(run_capture(LDSO_GLIBC, argv, out, OUT_MAX), 0);
	CHECK_EQ(fact_ul(out, "argc"), 2);
	CHECK(!strcmp(fact(out, "argv0"), PROBE_GLIBC));
	CHECK(!strcmp(fact(out, "argv1"), "x"));
	CHECK(!strcmp(fact(out, "exe"), LDSO_GLIBC_REAL));
}

/* As Linux, the break of an ET_DYN without an interpreter is moved to
 * ELF_ET_DYN_BASE, out of the mmap area where the loader itself went
 * (and with randomize_va_space 2 up by less than 1 GiB). */
static void case_ldso_direct_brk(void)
{
	static char out[OUT_MAX];
	char *argv[] = { LDSO_GLIBC, PROBE_GLIBC, NULL };
	unsigned long brk;

	CHECK_EXITED(run_at_level(argv, 2, out), 0);
	brk = fact_ul(out, "brk");
	if (brk < ET_DYN_BASE + T_PAGE ||
	    brk >= ET_DYN_BASE + T_PAGE + (1UL << 30))
		T_FAIL("brk %#lx", brk);
	CHECK_EXITED(run_at_level(argv, 0, out), 0);
	CHECK_EQ(fact_ul(out, "brk"), ET_DYN_BASE + T_PAGE);
}

static void case_musl_ldso_runs_program(void)
{
	static char out[OUT_MAX];
	char *argv[] = { LDSO_MUSL, PROBE_MUSL, "y", NULL };

	CHECK_EXITED(run_capture(LDSO_MUSL, argv, out, OUT_MAX), 0);
	CHECK(!strcmp(fact(out, "argv1"), "y"));
}

static const struct t_case cases[] = {
	{ case_glibc_pie_runs, "glibc-pie-runs" },
	{ case_glibc_non_pie_runs, "glibc-non-pie-runs" },
	{ case_musl_runs, "musl-runs" },
	{ case_static_has_no_base, "static-has-no-base" },
	{ case_pie_base_fixed_without_aslr, "pie-base-fixed-without-aslr" },
	{ case_pie_base_randomised, "pie-base-randomised" },
	{ case_ldso_runs_program, "ldso-runs-program" },
	{ case_ldso_direct_brk, "ldso-direct-brk" },
	{ case_musl_ldso_runs_program, "musl-ldso-runs-program" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
