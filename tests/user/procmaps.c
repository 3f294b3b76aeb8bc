/*
 * procmaps.c - /proc/self/maps in Linux's exact format.
 *
 * Each line is "start-end perms offset major:minor inode", then, for a
 * named mapping, spaces up to column 72, one more space and the name from
 * column 73: the path of a mapped file (with " (deleted)" once unlinked),
 * or [heap], [stack], [vdso]. Addresses are lower-case hex of at least 8
 * digits, perms four characters ending in 's' (shared) or 'p' (private),
 * the offset 8 hex digits, the device "%02x:%02x" and the inode as stat(2)
 * reports them for the file. A line without a name ends with the inode and
 * one space. Lines are found by address and their fields checked; the
 * other lines are not compared.
 */
#define _GNU_SOURCE
#include "t.h"
#include "maptest.h"

#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>

/* Copies the /proc/self/maps line whose range holds addr into line. */
static int maps_line(unsigned long addr, char *line, size_t size)
{
	static char buf[64 * 1024];
	size_t used = 0;
	ssize_t n;
	int fd = CHECK_OK(open("/proc/self/maps", O_RDONLY));

	while (used < sizeof(buf) - 1 &&
	       (n = read(fd, buf + used, sizeof(buf) - 1 - used)) > 0)
		used += (size_t)n;
	CHECK_OK(close(fd));
	buf[used] = '\0';
	for (char *l = buf; *l; l = strchr(l, '\n') + 1) {
		char *end;
		unsigned long lo = strtoul(l, &end, 16);
		unsigned long hi = strtoul(end + 1, NULL, 16);
		size_t len = strcspn(l, "\n");
		if (lo <= addr && addr < hi && len < size) {
			memcpy(line, l, len);
			line[len] = '\0';
			return 1;
		}
		if (!l[len])
			break;
	}
	return 0;
}

/*
 * Linux's line for a file mapping: the fields, padded with spaces to
 * column 72, one more space, then the path (from column 73).
 */
static void check_file_line(char *p, size_t len, const char *perms, off_t off,
			    const struct stat *st, const char *name)
{
	char line[512], head[128];
	int n = snprintf(head, sizeof(head), "%08lx-%08lx %s %08lx %02x:%02x %lu ",
			 (unsigned long)p, (unsigned long)(p + len), perms,
			 (unsigned long)off, major(st->st_dev), minor(st->st_dev),
			 (unsigned long)st->st_ino);

	CHECK(maps_line((unsigned long)p, line, sizeof(line)));
	if (strncmp(line, head, n) != 0)
		T_FAIL("maps line \"%s\" does not start with \"%s\"", line, head);
	for (int i = n; i < 73; i++)
		if (line[i] != ' ')
			T_FAIL("maps line \"%s\": column %d is not a space", line, i);
	if (strcmp(line + 73, name) != 0)
		T_FAIL("maps line \"%s\": path is not \"%s\" at column 73", line, name);
}

static void case_file(void)
{
	char path[64], deleted[80];
	int fd = make_file("maps", 4 * T_PAGE, path);
	struct stat st;

	CHECK_OK(fstat(fd, &st));
	char *s = map_fd(2 * T_PAGE, RW, MAP_SHARED, fd, T_PAGE);
	char *v = map_fd(T_PAGE, PROT_READ, MAP_PRIVATE, fd, 2 * T_PAGE);
	char *x = map_fd(T_PAGE, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 3 * T_PAGE);

	check_file_line(s, 2 * T_PAGE, "rw-s", T_PAGE, &st, path);
	check_file_line(v, T_PAGE, "r--p", 2 * T_PAGE, &st, path);
	check_file_line(x, T_PAGE, "r-xp", 3 * T_PAGE, &st, path);
	/* A split shows both pieces, the second at its own offset. */
	CHECK_OK(mprotect(s + T_PAGE, T_PAGE, PROT_READ));
	check_file_line(s, T_PAGE, "rw-s", T_PAGE, &st, path);
	check_file_line(s + T_PAGE, T_PAGE, "r--s", 2 * T_PAGE, &st, path);
	/* After unlink the path is marked. */
	CHECK_OK(unlink(path));
	snprintf(deleted, sizeof(deleted), "%s (deleted)", path);
	check_file_line(v, T_PAGE, "r--p", 2 * T_PAGE, &st, deleted);
	CHECK_OK(munmap(s, 2 * T_PAGE));
	CHECK_OK(munmap(v, T_PAGE));
	CHECK_OK(munmap(x, T_PAGE));
	CHECK_OK(close(fd));
}

static void case_anon(void)
{
	char line[512], want[128];
	char *p = t_map(3 * T_PAGE, RW);

	/* PROT_NONE neighbours give the middle page a line of its own. */
	CHECK_OK(mprotect(p, T_PAGE, PROT_NONE));
	CHECK_OK(mprotect(p + 2 * T_PAGE, T_PAGE, PROT_NONE));
	snprintf(want, sizeof(want), "%08lx-%08lx rw-p 00000000 00:00 0 ",
		 (unsigned long)(p + T_PAGE), (unsigned long)(p + 2 * T_PAGE));
	CHECK(maps_line((unsigned long)(p + T_PAGE), line, sizeof(line)));
	if (strcmp(line, want) != 0)	/* no padding without a name */
		T_FAIL("maps line \"%s\", want \"%s\"", line, want);
	CHECK(maps_line((unsigned long)p, line, sizeof(line)));
	CHECK(strncmp(line + strcspn(line, " "), " ---p ", 6) == 0);
	CHECK_OK(munmap(p, 3 * T_PAGE));
}

static void case_shared_anon(void)
{
	char line[512];
	char *p = mmap(NULL, T_PAGE, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	/* Linux backs shared anonymous memory with an unlinked /dev/zero. */
	CHECK(p != MAP_FAILED);
	CHECK(maps_line((unsigned long)p, line, sizeof(line)));
	CHECK(strncmp(line + strcspn(line, " "), " rw-s 00000000 ", 15) == 0);
	if (strlen(line) < 73 || strcmp(line + 73, "/dev/zero (deleted)") != 0)
		T_FAIL("maps line \"%s\"", line);
	CHECK_OK(munmap(p, T_PAGE));
}

/* The line holding addr must be named name (from column 73). */
static void check_named(unsigned long addr, const char *name)
{
	char line[512];

	CHECK(maps_line(addr, line, sizeof(line)));
	if (strlen(line) < 73 || strcmp(line + 73, name) != 0 || line[72] != ' ')
		T_FAIL("maps line for %#lx is \"%s\", want name %s", addr, line, name);
}

static void case_special(void)
{
	/* Grow the heap by a few pages so that it has a line to show. */
	unsigned long base = t_raw(SYS_brk, 0);
	unsigned long top = base + 4 * T_PAGE;
	int local = 0;

	CHECK_EQ(t_raw(SYS_brk, top), top);
	*(volatile char *)(top - 1) = 1;
	check_named(top - 1, "[heap]");
	check_named((unsigned long)&local, "[stack]");
	unsigned long vdso = getauxval(AT_SYSINFO_EHDR);
	CHECK(vdso != 0);
	check_named(vdso, "[vdso]");
	CHECK_EQ(t_raw(SYS_brk, base), base);
}

static const struct t_case cases[] = {
	{ case_file, "file" },
	{ case_anon, "anon" },
	{ case_shared_anon, "shared_anon" },
	{ case_special, "special" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
