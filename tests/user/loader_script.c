/*
 * loader_script.c - "#!" scripts, as Linux's binfmt_script runs them:
 * argv becomes interpreter, the optional argument (the rest of the line,
 * inner blanks kept), the script's path as given, then the caller's
 * argv[1..]; blanks around the name are skipped; the interpreter may be
 * static or dynamic, or a script itself up to 5 deep (then ELOOP);
 * AT_EXECFN is the script, /proc/self/exe the interpreter. Errors: a
 * missing interpreter ENOENT, one not executable EACCES, no name or a
 * name cut at 256 bytes ENOEXEC, a script without x permission EACCES.
 */
#include "loader.h"

#define SCRIPT "/tmp/loader-script"
#define OUT_MAX 4096

static void make_script(const char *path, const char *text, mode_t mode)
{
	write_file(path, text, strlen(text), mode);
}

/* Run SCRIPT with argv { SCRIPT, "arg1" }; output in out. */
static int run_script(char *out)
{
	char *argv[] = { SCRIPT, "arg1", NULL };

	return run_capture(SCRIPT, argv, out, OUT_MAX);
}

static void check_argv(const char *out, int argc, const char *const want[])
{
	char key[16];

	CHECK_EQ(fact_ul(out, "argc"), (unsigned long)argc);
	for (int i = 0; i < argc; i++) {
		snprintf(key, sizeof(key), "argv%d", i);
		if (strcmp(fact(out, key), want[i]))
			T_FAIL("%s is '%s', not '%s'", key, fact(out, key),
			       want[i]);
	}
}

static void case_static_interp_with_arg(void)
{
	static char out[OUT_MAX];
	const char *want[] = { PROBE_STATIC, "-x  y", SCRIPT, "arg1" };

	make_script(SCRIPT, "#!" PROBE_STATIC " -x  y \t\nignored\n", 0755);
	CHECK_EXITED(run_script(out), 0);
	check_argv(out, 4, want);
	CHECK(!strcmp(fact(out, "execfn"), SCRIPT));
	CHECK(!strcmp(fact(out, "exe"), PROBE_STATIC));
}

static void case_dynamic_interp_no_arg(void)
{
	static char out[OUT_MAX];
	const char *want[] = { PROBE_GLIBC, SCRIPT, "arg1" };

	make_script(SCRIPT, "#! \t" PROBE_GLIBC "\n", 0755);
	CHECK_EXITED(run_script(out), 0);
	check_argv(out, 3, want);
	CHECK(!strcmp(fact(out, "exe"), PROBE_GLIBC));
	CHECK_EQ(fact_ul(out, "base_is_interp"), 1);
}

/* No newline at all: the line is the whole (short) file. */
static void case_no_newline(void)
{
	static char out[OUT_MAX];
	const char *want[] = { PROBE_MUSL, "z", SCRIPT, "arg1" };

	make_script(SCRIPT, "#!" PROBE_MUSL " z", 0755);
	CHECK_EXITED(run_script(out), 0);
	check_argv(out, 4, want);
}

/* A chain: script -> script -> ... -> probe. Level i names level i+1. */
static void make_chain(int scripts)
{
	char path[64], text[128];

	for (int i = 0; i < scripts; i++) {
		snprintf(path, sizeof(path), "/tmp/chain%d", i);
		if (i + 1 < scripts)
			snprintf(text, sizeof(text), "#!/tmp/chain%d a%d\n",
				 i + 1, i);
		else
			snprintf(text, sizeof(text), "#!%s a%d\n",
				 PROBE_STATIC, i);
		make_script(path, text, 0755);
	}
}

static void case_nested_five_deep(void)
{
	static char out[OUT_MAX];
	char *argv[] = { "/tmp/chain0", NULL };
	const char *want[] = { PROBE_STATIC, "a4", "/tmp/chain4", "a3",
			       "/tmp/chain3", "a2", "/tmp/chain2", "a1",
			       "/tmp/chain1", "a0", "/tmp/chain0" };

	make_chain(5);
	CHECK_EXITED(run_capture(argv[0], argv, out, OUT_MAX), 0);
	check_argv(out, 11, want);
}

static void case_nested_six_deep_eloop(void)
{
	char *argv[] = { "/tmp/chain0", NULL };
	char *envp[] = { NULL };

	make_chain(6);
	CHECK_ERR(execve(argv[0], argv, envp), ELOOP);
}

static void case_missing_interp_enoent(void)
{
	char *argv[] = { SCRIPT, NULL };
	char *envp[] = { NULL };

	make_script(SCRIPT, "#!/tmp/no-such-interpreter\n", 0755);
	CHECK_ERR(execve(SCRIPT, argv, envp), ENOENT);
}

static void case_interp_not_executable_eacces(void)
{
	char *argv[] = { SCRIPT, NULL };
	char *envp[] = { NULL };

	copy_file(PROBE_STATIC, "/tmp/loader-noexec", 0644);
	make_script(SCRIPT, "#!/tmp/loader-noexec\n", 0755);
	CHECK_ERR(execve(SCRIPT, argv, envp), EACCES);
}

static void case_script_not_executable_eacces(void)
{
	char *argv[] = { SCRIPT, NULL };
	char *envp[] = { NULL };

	make_script(SCRIPT, "#!" PROBE_STATIC "\n", 0644);
	CHECK_ERR(execve(SCRIPT, argv, envp), EACCES);
}

static void case_no_interpreter_enoexec(void)
{
	char *argv[] = { SCRIPT, NULL };
	char *envp[] = { NULL };

	make_script(SCRIPT, "#!\n", 0755);
	CHECK_ERR(execve(SCRIPT, argv, envp), ENOEXEC);
	make_script(SCRIPT, "#!   \t \n/bin/sh\n", 0755);
	CHECK_ERR(execve(SCRIPT, argv, envp), ENOEXEC);
}

/* A name that runs past the 256 bytes Linux reads might be cut:
 * ENOEXEC. One that ends before them, with an argument that runs on,
 * works (the argument is cut). */
static void case_long_line(void)
{
	static char text[400], out[OUT_MAX];
	char *argv[] = { SCRIPT, NULL };
	char *envp[] = { NULL };

	memset(text, 'a', sizeof(text) - 1);
	memcpy(text, "#!/", 3);
	make_script(SCRIPT, text, 0755);
	CHECK_ERR(execve(SCRIPT, argv, envp), ENOEXEC);
	memcpy(text, "#!" PROBE_STATIC " ", strlen(PROBE_STATIC) + 3);
	make_script(SCRIPT, text, 0755);
	CHECK_EXITED(run_capture(SCRIPT, argv, out, OUT_MAX), 0);
	CHECK_EQ(strlen(fact(out, "argv1")), 256 - 3 - strlen(PROBE_STATIC) - 1);
}

/* Neither ELF nor "#!": ENOEXEC, and the caller goes on. */
static void case_plain_text_enoexec(void)
{
	char *argv[] = { SCRIPT, NULL };
	char *envp[] = { NULL };

	make_script(SCRIPT, "echo hello\n", 0755);
	CHECK_ERR(execve(SCRIPT, argv, envp), ENOEXEC);
}

static const struct t_case cases[] = {
	{ case_static_interp_with_arg, "static-interp-with-arg" },
	{ case_dynamic_interp_no_arg, "dynamic-interp-no-arg" },
	{ case_no_newline, "no-newline" },
	{ case_nested_five_deep, "nested-five-deep" },
	{ case_nested_six_deep_eloop, "nested-six-deep-eloop" },
	{ case_missing_interp_enoent, "missing-interp-enoent" },
	{ case_interp_not_executable_eacces, "interp-not-executable-eacces" },
	{ case_script_not_executable_eacces, "script-not-executable-eacces" },
	{ case_no_interpreter_enoexec, "no-interpreter-enoexec" },
	{ case_long_line, "long-line" },
	{ case_plain_text_enoexec, "plain-text-enoexec" },
};

int main(int argc, char **argv)
{
	int status = T_RUN(argc, argv, cases);
	char path[32];

	unlink(SCRIPT);
	unlink("/tmp/loader-noexec");
	for (int i = 0; i < 6; i++) {
		snprintf(path, sizeof(path), "/tmp/chain%d", i);
		unlink(path);
	}
	return status;
}
