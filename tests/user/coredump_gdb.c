/*
 * coredump_gdb.c - a core file for gdb on the host. A child dies of
 * SIGSEGV three calls deep (gdb_level1 -> gdb_level2 -> gdb_level3); the
 * case checks the core exists, then prints it on the console so the host
 * can rebuild it: "COREHEX-BEGIN <libc> <size>", a "COREHEX <offset>
 * <hex>" line per 32-byte run that is not all zero, "COREHEX-END <libc>".
 * scripts/coredump-gdb.sh (a `make test` step) reads those lines from the
 * serial log of each kernel, writes the file and asks gdb for the
 * backtrace with this very program: it must name the three functions,
 * for Basalt's core as for Linux's.
 */
#include "coredump.h"

#include <stdbool.h>

#define ROW 32

/* Which build this is, as the host names the program: glibc, musl or
 * pie-glibc (static PIE, loaded at a random address). */
static const char *build_name(void)
{
	/* Debian's gcc defines __PIE__ for every build: ask the name. */
	return strstr(t_self(), "-pie-") ? "pie-glibc" : t_libc();
}

static volatile int sink;
static int *volatile null_pointer;	/* the compiler cannot know it */

static void __attribute__((noinline)) gdb_level3(int depth)
{
	*null_pointer = depth;
	sink = depth;
}

static void __attribute__((noinline)) gdb_level2(int depth)
{
	gdb_level3(depth + 1);
	sink = depth;
}

static void __attribute__((noinline)) gdb_level1(void)
{
	gdb_level2(1);
	sink = 0;
}

static void print_core(const struct core *c)
{
	char line[32 + 2 * ROW];
	int n;

	n = snprintf(line, sizeof(line), "COREHEX-BEGIN %s %zu\n", build_name(),
		     c->size);
	CHECK_EQ(write(1, line, (size_t)n), n);
	for (size_t off = 0; off < c->size; off += ROW) {
		size_t len = c->size - off < ROW ? c->size - off : ROW;
		bool zero = true;

		for (size_t i = 0; i < len; i++)
			zero &= c->data[off + i] == 0;
		if (zero)
			continue;
		n = snprintf(line, sizeof(line), "COREHEX %zx ", off);
		for (size_t i = 0; i < len; i++)
			n += snprintf(line + n, sizeof(line) - n, "%02x",
				      c->data[off + i]);
		line[n++] = '\n';
		CHECK_EQ(write(1, line, (size_t)n), n);
	}
	n = snprintf(line, sizeof(line), "COREHEX-END %s\n", build_name());
	CHECK_EQ(write(1, line, (size_t)n), n);
}

static void case_core_for_gdb(void)
{
	struct core c;

	cd_defaults();
	cd_enter_scratch();
	cd_check_dumped(cd_crash(gdb_level1, RLIM_INFINITY, NULL), SIGSEGV);
	core_load(&c, "core");
	print_core(&c);
	core_free(&c);
}

static const struct t_case cases[] = {
	{ case_core_for_gdb, "core_for_gdb" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
