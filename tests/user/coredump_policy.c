/*
 * coredump_policy.c - when a core file is made, and what it is called.
 * Linux's rules (fs/coredump.c): no core when RLIMIT_CORE is below a
 * page, when the process is not dumpable (PR_SET_DUMPABLE 0, or its ids
 * changed), when kernel.core_pattern is a pipe to a helper that cannot
 * run (Basalt runs no helper at all: docs/coredump.md), when the
 * directory cannot be written, or when something that is not a file
 * stands at the name; WCOREDUMP is set only when a core was written. The
 * name comes from core_pattern's % specifiers and core_uses_pid.
 */
#include "coredump.h"

#include <sys/utsname.h>
#include <time.h>

static void segv_now(void)
{
	*cd_bad_pointer = 1;
	_exit(T_FAILED);
}

static void case_limit_zero_no_core(void)
{
	cd_defaults();
	cd_enter_scratch();
	cd_check_not_dumped(cd_crash(segv_now, 0, NULL), SIGSEGV);
	CHECK(!cd_exists("core"));
}

/* Linux's min_coredump: a limit below one page makes no file at all. */
static void case_limit_below_page_no_core(void)
{
	cd_defaults();
	cd_enter_scratch();
	cd_check_not_dumped(cd_crash(segv_now, 4095, NULL), SIGSEGV);
	CHECK(!cd_exists("core"));
}

/* A limit too small for the whole dump: the file is cut at the limit,
 * and the status still says a core was dumped (Linux counts the dump as
 * made once the file exists). */
static void case_limit_cuts_core(void)
{
	struct stat st;

	cd_defaults();
	cd_enter_scratch();
	cd_check_dumped(cd_crash(segv_now, 8192, NULL), SIGSEGV);
	CHECK_OK(stat("core", &st));
	CHECK(st.st_size <= 8192);
}

static void not_dumpable_segv(void)
{
	prctl(PR_SET_DUMPABLE, 0);
	segv_now();
}

static void case_not_dumpable_no_core(void)
{
	cd_defaults();
	cd_enter_scratch();
	cd_check_not_dumped(cd_crash(not_dumpable_segv, RLIM_INFINITY, NULL),
			    SIGSEGV);
	CHECK(!cd_exists("core"));
}

/* Root becoming another user is no longer dumpable (Linux's
 * commit_creds with fs.suid_dumpable 0), even in a directory it may
 * write. */
static void setuid_segv(void)
{
	if (setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000))
		_exit(T_FAILED);
	if (prctl(PR_GET_DUMPABLE) != 0)
		_exit(T_FAILED);
	segv_now();
}

static void case_setuid_not_dumpable(void)
{
	if (getuid() != 0)
		t_skip("needs root");
	cd_defaults();
	cd_enter_scratch();
	cd_check_not_dumped(cd_crash(setuid_segv, RLIM_INFINITY, NULL),
			    SIGSEGV);
	CHECK(!cd_exists("core"));
}

/* Made dumpable again by prctl, the other user dumps where it may
 * write, and not where it may not. */
static void setuid_dumpable_segv(void)
{
	if (setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000) ||
	    prctl(PR_SET_DUMPABLE, 1))
		_exit(T_FAILED);
	segv_now();
}

static void case_unwritable_dir_no_core(void)
{
	struct stat st;

	if (getuid() != 0)
		t_skip("needs root");
	cd_defaults();
	cd_enter_scratch();
	cd_check_dumped(cd_crash(setuid_dumpable_segv, RLIM_INFINITY, NULL),
			SIGSEGV);
	CHECK_OK(stat("core", &st));
	CHECK_EQ(st.st_uid, 1000);
	CHECK_OK(unlink("core"));
	CHECK_OK(chmod(".", 0755));
	cd_check_not_dumped(cd_crash(setuid_dumpable_segv, RLIM_INFINITY,
				     NULL), SIGSEGV);
	CHECK(!cd_exists("core"));
}

/* Another user's file in a sticky directory cannot be removed, so the
 * exclusive create fails: no core, and that file is untouched. */
static void case_other_users_file_in_sticky_dir(void)
{
	struct stat st;
	int fd;

	if (getuid() != 0)
		t_skip("needs root");
	cd_defaults();
	cd_enter_scratch();
	CHECK_OK(chmod(".", 01777));
	fd = CHECK_OK(open("core", O_CREAT | O_WRONLY, 0666));
	close(fd);
	cd_check_not_dumped(cd_crash(setuid_dumpable_segv, RLIM_INFINITY,
				     NULL), SIGSEGV);
	CHECK_OK(stat("core", &st));
	CHECK_EQ(st.st_uid, 0);
	CHECK_EQ(st.st_size, 0);
}

static void case_directory_in_the_way(void)
{
	struct stat st;

	cd_defaults();
	cd_enter_scratch();
	CHECK_OK(mkdir("core", 0755));
	cd_check_not_dumped(cd_crash(segv_now, RLIM_INFINITY, NULL), SIGSEGV);
	CHECK_OK(stat("core", &st));
	CHECK(S_ISDIR(st.st_mode));
	CHECK_OK(rmdir("core"));
}

/* An old core, or a symlink planted at the name, is replaced by a new
 * file: the symlink's target is never written. */
static void case_old_file_and_symlink_replaced(void)
{
	struct stat st;
	struct core c;
	int fd;

	cd_defaults();
	cd_enter_scratch();
	fd = CHECK_OK(open("core", O_CREAT | O_WRONLY, 0644));
	CHECK_EQ(write(fd, "old", 3), 3);
	close(fd);
	cd_check_dumped(cd_crash(segv_now, RLIM_INFINITY, NULL), SIGSEGV);
	core_load(&c, "core");
	core_free(&c);

	CHECK_OK(unlink("core"));
	fd = CHECK_OK(open("target", O_CREAT | O_WRONLY, 0644));
	close(fd);
	CHECK_OK(symlink("target", "core"));
	cd_check_dumped(cd_crash(segv_now, RLIM_INFINITY, NULL), SIGSEGV);
	CHECK_OK(lstat("core", &st));
	CHECK(S_ISREG(st.st_mode));
	CHECK_OK(stat("target", &st));
	CHECK_EQ(st.st_size, 0);
}

/* A pipe pattern: Linux runs the helper (here one that does not exist,
 * so nothing is dumped); Basalt never runs one. No core either way. */
static void case_pipe_pattern_no_core(void)
{
	cd_defaults();
	cd_enter_scratch();
	cd_write_knob("core_pattern", "|/nonexistent-core-helper %p");
	cd_check_not_dumped(cd_crash(segv_now, RLIM_INFINITY, NULL), SIGSEGV);
	cd_defaults();
	CHECK(!cd_exists("core"));
}

static void named_segv(void)
{
	prctl(PR_SET_NAME, "a/b");
	segv_now();
}

/* %p %i %u %g %s %e %h %% and an unknown specifier (dropped). */
static void case_pattern_expansion(void)
{
	struct utsname u;
	char want[256];
	pid_t pid;

	cd_defaults();
	cd_enter_scratch();
	CHECK_OK(uname(&u));
	cd_write_knob("core_pattern", "c.%p.%i.%u.%g.%s.%e.%h.%%.%y.x%");
	cd_check_dumped(cd_crash(named_segv, RLIM_INFINITY, &pid), SIGSEGV);
	cd_defaults();
	snprintf(want, sizeof(want), "c.%d.%d.%u.%u.%d.a!b.%s.%%..x", pid, pid,
		 getuid(), getgid(), SIGSEGV, u.nodename);
	if (!cd_exists(want))
		T_FAIL("no core named \"%s\"", want);
	CHECK_OK(unlink(want));
}

/* %E is the program's path with '/' as '!'; %t the time in seconds. */
static void case_pattern_exe_and_time(void)
{
	char want[256], *p;
	time_t before = time(NULL);
	int fd;

	cd_defaults();
	cd_enter_scratch();
	cd_write_knob("core_pattern", "%E");
	cd_check_dumped(cd_crash(segv_now, RLIM_INFINITY, NULL), SIGSEGV);
	cd_write_knob("core_pattern", "t%t");
	cd_check_dumped(cd_crash(segv_now, RLIM_INFINITY, NULL), SIGSEGV);
	cd_defaults();
	snprintf(want, sizeof(want), "%s", t_self());
	for (p = want; *p; p++)
		if (*p == '/')
			*p = '!';
	if (!cd_exists(want))
		T_FAIL("no core named \"%s\"", want);
	CHECK_OK(unlink(want));
	/* The time is one of a few seconds; find it without measuring. */
	for (time_t t = before; t <= time(NULL); t++) {
		snprintf(want, sizeof(want), "t%lld", (long long)t);
		fd = open(want, O_RDONLY);
		if (fd >= 0) {
			close(fd);
			CHECK_OK(unlink(want));
			return;
		}
	}
	T_FAIL("no core named t<time>");
}

static void case_core_uses_pid(void)
{
	char want[64];
	pid_t pid;

	cd_defaults();
	cd_enter_scratch();
	cd_write_knob("core_uses_pid", "1");
	cd_check_dumped(cd_crash(segv_now, RLIM_INFINITY, &pid), SIGSEGV);
	snprintf(want, sizeof(want), "core.%d", pid);
	CHECK(cd_exists(want));
	CHECK_OK(unlink(want));
	/* With %p in the pattern nothing more is added. */
	cd_write_knob("core_pattern", "x%p");
	cd_check_dumped(cd_crash(segv_now, RLIM_INFINITY, &pid), SIGSEGV);
	cd_defaults();
	snprintf(want, sizeof(want), "x%d", pid);
	CHECK(cd_exists(want));
	CHECK_OK(unlink(want));
}

/* The knobs read back as written, with a newline; a pattern is cut at
 * its first newline; non-root may not write them. */
static void case_knobs_read_back(void)
{
	char buf[256];

	cd_write_knob("core_pattern", "abc.%p\nrest");
	cd_read_knob("core_pattern", buf, sizeof(buf));
	CHECK(strcmp(buf, "abc.%p\n") == 0);
	cd_write_knob("core_uses_pid", "1");
	cd_read_knob("core_uses_pid", buf, sizeof(buf));
	CHECK(strcmp(buf, "1\n") == 0);
	cd_defaults();
	cd_read_knob("core_pattern", buf, sizeof(buf));
	CHECK(strcmp(buf, "core\n") == 0);
}

static const struct t_case cases[] = {
	{ case_limit_zero_no_core, "limit_zero_no_core" },
	{ case_limit_below_page_no_core, "limit_below_page_no_core" },
	{ case_limit_cuts_core, "limit_cuts_core" },
	{ case_not_dumpable_no_core, "not_dumpable_no_core" },
	{ case_setuid_not_dumpable, "setuid_not_dumpable" },
	{ case_unwritable_dir_no_core, "unwritable_dir_no_core" },
	{ case_other_users_file_in_sticky_dir,
	  "other_users_file_in_sticky_dir" },
	{ case_directory_in_the_way, "directory_in_the_way" },
	{ case_old_file_and_symlink_replaced, "old_file_and_symlink_replaced" },
	{ case_pipe_pattern_no_core, "pipe_pattern_no_core" },
	{ case_pattern_expansion, "pattern_expansion" },
	{ case_pattern_exe_and_time, "pattern_exe_and_time" },
	{ case_core_uses_pid, "core_uses_pid" },
	{ case_knobs_read_back, "knobs_read_back" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
