/*
 * df_mountinfo.c - /proc/<pid>/mountinfo in Linux's format. Named after
 * the bug: Debian's `df` said "cannot read table of mounted file
 * systems", for want of /proc/self/mountinfo.
 */
#define _GNU_SOURCE
#include "t.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define DIR_A "/tmp/mountinfo-a"
#define DIR_B "/tmp/mountinfo-b"

static long read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	long n, len = 0;

	if (fd < 0)
		return -1;
	while ((n = read(fd, buf + len, size - 1 - (size_t)len)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	return len;
}

/* The line whose mount point (fifth field) is where, copied to out. */
static int find_line(const char *all, const char *where, char *out,
		     size_t size)
{
	char pat[256];
	const char *p;

	for (p = all; *p; p = strchr(p, '\n') + 1) {
		int id, parent;
		unsigned int ma, mi;
		char root[256], mp[256];

		if (sscanf(p, "%d %d %u:%u %255s %255s", &id, &parent, &ma,
			   &mi, root, mp) == 6 && strcmp(mp, where) == 0) {
			size_t n = (size_t)(strchr(p, '\n') - p);

			snprintf(pat, sizeof(pat), "%.*s", (int)n, p);
			snprintf(out, size, "%s", pat);
			return 1;
		}
		if (!strchr(p, '\n'))
			break;
	}
	return 0;
}

/* A tmpfs and a bind mount of a directory inside it, as df reads them. */
static void case_df_no_mountinfo(void)
{
	static char all[16384];
	char a[512], b[512], self[512];
	int id, parent, id_b, parent_b;
	unsigned int ma, mi;
	struct stat st;

	mkdir(DIR_A, 0755);
	mkdir(DIR_B, 0755);
	CHECK_OK(mount("mi-src", DIR_A, "tmpfs", MS_NOSUID | MS_NODEV, NULL));
	CHECK_OK(mkdir(DIR_A "/sub", 0755));
	CHECK_OK(mount(DIR_A "/sub", DIR_B, NULL, MS_BIND, NULL));
	CHECK(read_file("/proc/self/mountinfo", all, sizeof(all)) > 0);
	CHECK(find_line(all, DIR_A, a, sizeof(a)));
	CHECK(find_line(all, DIR_B, b, sizeof(b)));
	CHECK(find_line(all, "/", self, sizeof(self)));
	CHECK_EQ(sscanf(a, "%d %d %u:%u", &id, &parent, &ma, &mi), 4);
	CHECK_OK(stat(DIR_A, &st));
	CHECK_EQ(major(st.st_dev), ma);
	CHECK_EQ(minor(st.st_dev), mi);
	CHECK(strstr(a, " / " DIR_A " rw,nosuid,nodev,relatime - tmpfs "
		     "mi-src rw") != NULL);
	/* The bind mount: same file system, its root is /sub, its own id. */
	CHECK_EQ(sscanf(b, "%d %d", &id_b, &parent_b), 2);
	CHECK(id_b != id);
	CHECK(strstr(b, " /sub " DIR_B " rw,") != NULL);
	CHECK(strstr(b, " - tmpfs mi-src rw") != NULL);
	char dev[32];
	snprintf(dev, sizeof(dev), " %u:%u /sub ", ma, mi);
	CHECK(strstr(b, dev) != NULL);
	/* Both hang below the mount /tmp is on (here: the root). */
	CHECK(find_line(all, "/tmp", self, sizeof(self)) ||
	      find_line(all, "/", self, sizeof(self)));
	CHECK_EQ(sscanf(self, "%d", &id), 1);
	CHECK_EQ(parent, id);
	CHECK_EQ(parent_b, id);
	CHECK_OK(umount(DIR_B));
	CHECK_OK(umount(DIR_A));
	CHECK(read_file("/proc/self/mountinfo", all, sizeof(all)) > 0);
	CHECK(!find_line(all, DIR_A, a, sizeof(a)));
	rmdir(DIR_A);
	rmdir(DIR_B);
}

/* Only the caller's own process shows its mounts, as /proc/<pid>/mounts:
 * the file is there for /proc/self and has the same lines as mounts. */
static void case_same_mounts(void)
{
	static char info[16384], mounts[16384];
	int lines_info = 0, lines_mounts = 0;

	CHECK(read_file("/proc/self/mountinfo", info, sizeof(info)) > 0);
	CHECK(read_file("/proc/self/mounts", mounts, sizeof(mounts)) > 0);
	for (char *p = info; *p; p++)
		lines_info += *p == '\n';
	for (char *p = mounts; *p; p++)
		lines_mounts += *p == '\n';
	CHECK_EQ(lines_info, lines_mounts);
	CHECK(strstr(info, " /proc rw") != NULL);
	CHECK(strstr(info, " - proc proc rw") != NULL);
}

static void read_mountinfo(int rounds)
{
	static char buf[16384];

	for (int i = 0; i < rounds; i++)
		read_file("/proc/self/mountinfo", buf, sizeof(buf));
}

static void case_no_leak(void)
{
	t_check_no_leak("reading mountinfo", read_mountinfo, 50);
}

static const struct t_case cases[] = {
	{ case_df_no_mountinfo, "df-no-mountinfo" },
	{ case_same_mounts, "same_mounts" },
	{ case_no_leak, "no_leak" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
