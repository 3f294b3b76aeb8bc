/*
 * procfs_sys.c - the files of /proc about the whole machine, in Linux's
 * formats: loadavg, uptime, stat, version, cpuinfo, mounts (and that
 * statfs gives df numbers for a tmpfs it lists), filesystems; the
 * /proc/sys knobs (values, who may write them, the ranges); and
 * /proc/config.gz, a gzip stream whose stored blocks are inflated and
 * checked against the CRC in its trailer. Reading them all leaks nothing.
 *
 * Cases named after bugs of issue 10: top failed ("can't open 'stat'"),
 * /proc/cpuinfo and /proc/version did not exist.
 */
#define _GNU_SOURCE
#include "t.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NOBODY 65534

static long read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t len = 0;
	ssize_t n = 0;

	if (fd < 0)
		return -errno;
	while (len < size - 1 &&
	       (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += (size_t)n;
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	buf[len] = '\0';
	return (long)len;
}

/* Write text to path: 0 or -errno (of the open or of the write). */
static long write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	long r = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, text, strlen(text)) < 0)
		r = -errno;
	close(fd);
	return r;
}

static void case_loadavg(void)
{
	char buf[256];
	double a[3];
	int running, total, last;

	CHECK(read_file("/proc/loadavg", buf, sizeof(buf)) > 0);
	CHECK_EQ(sscanf(buf, "%lf %lf %lf %d/%d %d", &a[0], &a[1], &a[2],
			&running, &total, &last), 6);
	CHECK(a[0] >= 0 && a[1] >= 0 && a[2] >= 0);
	CHECK(running >= 1 && total >= running);
	CHECK(last >= getpid());
	/* Two decimals each, as Linux prints them. */
	CHECK(buf[1] == '.' || buf[2] == '.' || buf[3] == '.');
}

static void case_uptime(void)
{
	char buf[128];
	double up, idle;

	CHECK(read_file("/proc/uptime", buf, sizeof(buf)) > 0);
	CHECK_EQ(sscanf(buf, "%lf %lf", &up, &idle), 2);
	CHECK(up > 0 && idle >= 0);
	CHECK(strchr(buf, '\n') == buf + strlen(buf) - 1);
}

/* The lines top and vmstat read, each present once, in Linux's order. */
static void case_stat(void)
{
	static const char *const keys[] = {
		"cpu  ", "cpu0 ", "intr ", "ctxt ", "btime ", "processes ",
		"procs_running ", "procs_blocked ", "softirq ",
	};
	static char buf[16384];
	unsigned long long v[10];
	const char *at = buf, *p;
	long btime;

	CHECK(read_file("/proc/stat", buf, sizeof(buf)) > 0);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		char key[32];

		snprintf(key, sizeof(key), "%s%s", i ? "\n" : "", keys[i]);
		p = i ? strstr(at, key) : (strncmp(buf, key, 5) ? NULL : buf);
		if (!p)
			T_FAIL("/proc/stat: no \"%s\" line in order", keys[i]);
		at = p + 1;
	}
	CHECK_EQ(sscanf(buf, "cpu  %llu %llu %llu %llu %llu %llu %llu %llu "
			"%llu %llu", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
			&v[6], &v[7], &v[8], &v[9]), 10);
	CHECK(v[0] + v[2] + v[3] > 0);
	p = strstr(buf, "\nbtime ");
	btime = atol(p + 7);
	CHECK(btime > 1000000000L && btime <= (long)time(NULL));
	CHECK(atol(strstr(buf, "\nprocs_running ") + 15) >= 1);
	CHECK(atol(strstr(buf, "\nintr ") + 6) > 0);	/* the timer's */
	CHECK(atol(strstr(buf, "\nctxt ") + 6) > 0);
	CHECK(atol(strstr(buf, "\nprocesses ") + 11) >= 1);
}

/* The "cpu" line of one read of /proc/stat, and the sum of its "cpuN"
 * lines; returns how many "cpuN" lines there are. */
static int stat_cpu(unsigned long long all[10], unsigned long long sum[10])
{
	static char buf[65536];
	unsigned long long v[10];
	const char *p;
	int n = 0;

	CHECK(read_file("/proc/stat", buf, sizeof(buf)) > 0);
	CHECK_EQ(sscanf(buf, "cpu  %llu %llu %llu %llu %llu %llu %llu %llu "
			"%llu %llu", &all[0], &all[1], &all[2], &all[3],
			&all[4], &all[5], &all[6], &all[7], &all[8],
			&all[9]), 10);
	memset(sum, 0, 10 * sizeof(sum[0]));
	for (p = buf; (p = strstr(p, "\ncpu")) != NULL; p++) {
		int id;

		CHECK_EQ(sscanf(p, "\ncpu%d %llu %llu %llu %llu %llu %llu "
				"%llu %llu %llu %llu", &id, &v[0], &v[1], &v[2],
				&v[3], &v[4], &v[5], &v[6], &v[7], &v[8],
				&v[9]), 11);
		CHECK_EQ(id, n);
		for (int i = 0; i < 10; i++)
			sum[i] += v[i];
		n++;
	}
	CHECK(n >= 1);
	return n;
}

/*
 * Regression (stat_cpu_system_time): the cpu line called all busy time
 * user time. User time grows with work in user mode, system time with
 * work in the kernel (reading /proc/stat is that), idle time while we
 * sleep; no field ever goes back. BASALT-ONLY: the cpu line is the sum
 * of the cpuN lines exactly, whatever the number of CPUs (Linux sums
 * its per-CPU times for each line separately, so on Linux they can
 * differ by a tick within one read, more so with more CPUs).
 */
static void case_stat_cpu_system_time(void)
{
	unsigned long long first[10], prev[10], now[10], sum[10];
	volatile unsigned long spin = 0;
	int i, rounds;

	stat_cpu(first, sum);
	memcpy(prev, first, sizeof(prev));
	for (rounds = 0; rounds < 100000; rounds++) {
		for (i = 0; i < 20000; i++)
			spin++;
		stat_cpu(now, sum);
		if (is_basalt() && memcmp(now, sum, sizeof(now)) != 0)
			T_FAIL("the cpu line is not the sum of the cpuN lines");
		for (i = 0; i < 10; i++)
			if (now[i] < prev[i])
				T_FAIL("cpu field %d went back: %llu, then %llu",
				       i, prev[i], now[i]);
		memcpy(prev, now, sizeof(prev));
		if (now[0] > first[0] && now[2] > first[2])
			break;
	}
	CHECK(now[0] > first[0]);	/* user */
	CHECK(now[2] > first[2]);	/* system */
	for (rounds = 0; rounds < 1000 && now[3] == first[3]; rounds++) {
		usleep(20000);
		stat_cpu(now, sum);
	}
	CHECK(now[3] > first[3]);	/* idle */
}

static void case_version(void)
{
	char buf[512], want[256];
	struct utsname u;

	CHECK_OK(uname(&u));
	CHECK(read_file("/proc/version", buf, sizeof(buf)) > 0);
	snprintf(want, sizeof(want), "%s version %s ", u.sysname, u.release);
	CHECK(strncmp(buf, want, strlen(want)) == 0);
	CHECK(strstr(buf, u.version) != NULL);
}

/* One block per CPU of /proc/stat, with the fields programs parse. */
static void case_cpuinfo(void)
{
	static char buf[65536], stat[16384];
	int blocks = 0, cpus = 0;
	const char *p;

	CHECK(read_file("/proc/cpuinfo", buf, sizeof(buf)) > 0);
	CHECK(read_file("/proc/stat", stat, sizeof(stat)) > 0);
	for (p = buf; (p = strstr(p, "processor\t: ")) != NULL; p++)
		blocks++;
	for (p = stat; (p = strstr(p, "\ncpu")) != NULL; p++)
		cpus++;
	CHECK_EQ(blocks, cpus);
	CHECK(strncmp(buf, "processor\t: 0\nvendor_id\t: ", 26) == 0);
	CHECK(strstr(buf, "\ncpu family\t: ") != NULL);
	CHECK(strstr(buf, "\nmodel\t\t: ") != NULL);
	CHECK(strstr(buf, "\nmodel name\t: ") != NULL);
	CHECK(strstr(buf, "\nstepping\t: ") != NULL);
	CHECK(strstr(buf, "\ncpu MHz\t\t: ") != NULL);
	p = strstr(buf, "\nflags\t\t: ");
	CHECK(p != NULL);
	CHECK(strstr(p, " fpu ") || strstr(p, ": fpu "));
	CHECK(strstr(p, " lm ") != NULL);
	CHECK(strstr(p, " sse2 ") != NULL);
	CHECK(atof(strstr(buf, "\ncpu MHz\t\t: ") + 12) > 0);
}

/* A tmpfs mounted here shows in /proc/mounts (and self/mounts) as Linux
 * prints it, and statfs gives df real numbers for it. */
static void case_mounts_tmpfs(void)
{
	static char buf[8192], self[8192];
	const char *dir = "/tmp/procfs-sys-mnt";
	struct statfs sf;
	char *line;

	mkdir(dir, 0755);
	CHECK_OK(mount("pfs-tmp", dir, "tmpfs", MS_NOSUID, "size=1m"));
	CHECK(read_file("/proc/mounts", buf, sizeof(buf)) > 0);
	CHECK(read_file("/proc/self/mounts", self, sizeof(self)) > 0);
	CHECK(strcmp(buf, self) == 0);
	line = strstr(buf, "pfs-tmp /tmp/procfs-sys-mnt tmpfs rw,nosuid");
	CHECK(line != NULL);
	CHECK(strstr(line, " 0 0\n") != NULL);
	CHECK(strstr(buf, " /proc proc ") != NULL);
	CHECK_OK(statfs(dir, &sf));
	CHECK_EQ((long)sf.f_bsize * (long)sf.f_blocks, 1L << 20);
	CHECK(sf.f_bfree <= sf.f_blocks && sf.f_bavail <= sf.f_blocks);
	CHECK_OK(umount(dir));
	rmdir(dir);
}

static void case_filesystems(void)
{
	char buf[4096];

	CHECK(read_file("/proc/filesystems", buf, sizeof(buf)) > 0);
	CHECK(strstr(buf, "nodev\tproc\n") != NULL);
	CHECK(strstr(buf, "nodev\ttmpfs\n") != NULL);
}

static void case_sys_kernel_values(void)
{
	char buf[256], buf2[256];
	struct utsname u;

	CHECK_OK(uname(&u));
	CHECK(read_file("/proc/sys/kernel/ostype", buf, sizeof(buf)) > 0);
	CHECK(strcmp(buf, "Linux\n") == 0);
	CHECK(read_file("/proc/sys/kernel/osrelease", buf, sizeof(buf)) > 0);
	CHECK(strncmp(buf, u.release, strlen(u.release)) == 0);
	CHECK(read_file("/proc/sys/kernel/version", buf, sizeof(buf)) > 0);
	CHECK(strncmp(buf, u.version, strlen(u.version)) == 0);
	CHECK(read_file("/proc/sys/kernel/hostname", buf, sizeof(buf)) > 0);
	CHECK(strncmp(buf, u.nodename, strlen(u.nodename)) == 0);
	CHECK(read_file("/proc/sys/kernel/domainname", buf, sizeof(buf)) > 0);
	CHECK(read_file("/proc/sys/kernel/ngroups_max", buf, sizeof(buf)) > 0);
	CHECK_EQ(atol(buf), 65536);
	CHECK(read_file("/proc/sys/kernel/pid_max", buf, sizeof(buf)) > 0);
	CHECK(atol(buf) >= 301);
	CHECK(read_file("/proc/sys/kernel/tainted", buf, sizeof(buf)) > 0);
	CHECK(read_file("/proc/sys/kernel/threads-max", buf, sizeof(buf)) > 0);
	CHECK(atol(buf) > 0);
	CHECK(read_file("/proc/sys/kernel/dmesg_restrict", buf,
			sizeof(buf)) > 0);
	CHECK(strcmp(buf, "0\n") == 0 || strcmp(buf, "1\n") == 0);
	/* boot_id stays; uuid is new each time; both 36 characters. */
	CHECK_EQ(read_file("/proc/sys/kernel/random/boot_id", buf,
			   sizeof(buf)), 37);
	CHECK_EQ(read_file("/proc/sys/kernel/random/boot_id", buf2,
			   sizeof(buf2)), 37);
	CHECK(strcmp(buf, buf2) == 0);
	CHECK(buf[8] == '-' && buf[13] == '-' && buf[14] == '4');
	CHECK_EQ(read_file("/proc/sys/kernel/random/uuid", buf,
			   sizeof(buf)), 37);
	CHECK_EQ(read_file("/proc/sys/kernel/random/uuid", buf2,
			   sizeof(buf2)), 37);
	CHECK(strcmp(buf, buf2) != 0);
}

static void case_sys_fs_vm_values(void)
{
	char buf[128];
	unsigned long a, b, c;

	CHECK(read_file("/proc/sys/fs/file-max", buf, sizeof(buf)) > 0);
	CHECK(atol(buf) >= 8192);
	CHECK(read_file("/proc/sys/fs/nr_open", buf, sizeof(buf)) > 0);
	CHECK_EQ(atol(buf), 1048576);
	CHECK(read_file("/proc/sys/fs/file-nr", buf, sizeof(buf)) > 0);
	CHECK_EQ(sscanf(buf, "%lu\t%lu\t%lu\n", &a, &b, &c), 3);
	CHECK_EQ(b, 0UL);
	CHECK(c >= 8192);
	CHECK(read_file("/proc/sys/vm/max_map_count", buf, sizeof(buf)) > 0);
	CHECK_EQ(atol(buf), 65530);
	CHECK(read_file("/proc/sys/vm/overcommit_memory", buf,
			sizeof(buf)) > 0);
}

/* Root sets the host name through the file; uname sees it. */
static void case_sys_hostname_write(void)
{
	char old[128], buf[128];
	struct utsname u;

	CHECK(read_file("/proc/sys/kernel/hostname", old, sizeof(old)) > 0);
	CHECK_OK(write_file("/proc/sys/kernel/hostname", "procfs-test\n"));
	CHECK_OK(uname(&u));
	CHECK(strcmp(u.nodename, "procfs-test") == 0);
	CHECK(read_file("/proc/sys/kernel/hostname", buf, sizeof(buf)) > 0);
	CHECK(strcmp(buf, "procfs-test\n") == 0);
	CHECK_OK(write_file("/proc/sys/kernel/hostname", old));
}

/*
 * Regression (shell-echo-into-proc-sys-einval): a shell's redirection
 * opens with O_TRUNC, which Basalt refused on /proc files (EINVAL), so
 * "echo 40000 > /proc/sys/kernel/pid_max" failed; Linux ignores it.
 */
static void case_sys_write_with_trunc(void)
{
	char old[64], buf[64];
	int fd;

	CHECK(read_file("/proc/sys/kernel/pid_max", old, sizeof(old)) > 0);
	fd = open("/proc/sys/kernel/pid_max", O_WRONLY | O_CREAT | O_TRUNC,
		  0666);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, "40000\n", 6), 6);
	CHECK_OK(close(fd));
	CHECK(read_file("/proc/sys/kernel/pid_max", buf, sizeof(buf)) > 0);
	CHECK(strcmp(buf, "40000\n") == 0);
	CHECK_OK(write_file("/proc/sys/kernel/pid_max", old));
}

/*
 * /proc/sysrq-trigger: root only (mode 0200), an empty write does
 * nothing. (No key is written: the ones Basalt has crash, reboot or
 * power off; tests/console/panic.session uses 'c'.)
 */
static void case_sysrq_trigger(void)
{
	struct stat st;
	pid_t pid;
	int fd;

	CHECK_OK(stat("/proc/sysrq-trigger", &st));
	CHECK_EQ(st.st_mode, S_IFREG | 0200);
	CHECK_EQ(st.st_uid, 0);
	fd = open("/proc/sysrq-trigger", O_WRONLY);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, "", 0), 0);
	CHECK_OK(close(fd));
	pid = t_fork();
	if (pid == 0) {
		CHECK_OK(setresuid(NOBODY, NOBODY, NOBODY));
		CHECK_ERR(open("/proc/sysrq-trigger", O_WRONLY), EACCES);
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
}

/* pid_max: root within 301..4194304; others may not open it to write. */
static void case_sys_pid_max_write(void)
{
	char old[64], buf[64];
	pid_t pid;

	CHECK(read_file("/proc/sys/kernel/pid_max", old, sizeof(old)) > 0);
	CHECK_EQ(write_file("/proc/sys/kernel/pid_max", "300"), -EINVAL);
	CHECK_EQ(write_file("/proc/sys/kernel/pid_max", "4194305"), -EINVAL);
	CHECK_OK(write_file("/proc/sys/kernel/pid_max", "40000"));
	CHECK(read_file("/proc/sys/kernel/pid_max", buf, sizeof(buf)) > 0);
	CHECK(strcmp(buf, "40000\n") == 0);
	CHECK_OK(write_file("/proc/sys/kernel/pid_max", old));
	pid = t_fork();
	if (pid == 0) {
		CHECK_OK(setresuid(NOBODY, NOBODY, NOBODY));
		CHECK_EQ(write_file("/proc/sys/kernel/pid_max", "40000"),
			 -EACCES);
		CHECK_EQ(write_file("/proc/sys/kernel/hostname", "x"), -EACCES);
		CHECK(read_file("/proc/sys/kernel/pid_max", buf,
				sizeof(buf)) > 0);
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
}

/* fs.nr_open bounds RLIMIT_NOFILE's hard limit (EPERM above it). */
static void case_sys_nr_open(void)
{
	char old[64];
	struct rlimit rl = { 4096, 8192 };
	pid_t pid;

	CHECK(read_file("/proc/sys/fs/nr_open", old, sizeof(old)) > 0);
	CHECK_EQ(write_file("/proc/sys/fs/nr_open", "63"), -EINVAL);
	CHECK_OK(write_file("/proc/sys/fs/nr_open", "4096"));
	pid = t_fork();
	if (pid == 0) {
		CHECK_ERR(setrlimit(RLIMIT_NOFILE, &rl), EPERM);
		rl.rlim_max = 4096;
		CHECK_OK(setrlimit(RLIMIT_NOFILE, &rl));
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
	CHECK_OK(write_file("/proc/sys/fs/nr_open", old));
}

/* vm.max_map_count: a process with that many areas gets no more. */
static void case_sys_max_map_count(void)
{
	static char maps[65536], buf[32];
	char old[64];
	int areas = 0, mapped = 0;
	pid_t pid;

	CHECK(read_file("/proc/sys/vm/max_map_count", old, sizeof(old)) > 0);
	CHECK_EQ(write_file("/proc/sys/vm/max_map_count", "-1"), -EINVAL);
	CHECK(read_file("/proc/self/maps", maps, sizeof(maps)) > 0);
	for (const char *p = maps; (p = strchr(p, '\n')) != NULL; p++)
		areas++;
	snprintf(buf, sizeof(buf), "%d", areas + 4);
	pid = t_fork();
	if (pid == 0) {
		CHECK_OK(write_file("/proc/sys/vm/max_map_count", buf));
		/* Alternate protections: neighbours never merge. */
		for (int i = 0; i < 16; i++) {
			void *m = mmap(NULL, 4096, i % 2 ? PROT_READ :
				       PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (m == MAP_FAILED) {
				CHECK_EQ(errno, ENOMEM);
				break;
			}
			mapped++;
		}
		write_file("/proc/sys/vm/max_map_count", old);
		CHECK(mapped >= 1 && mapped < 16);
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
	CHECK(read_file("/proc/sys/vm/max_map_count", buf, sizeof(buf)) > 0);
	CHECK(strcmp(buf, old) == 0);
}

/* The files that cannot change: no write, even for root. */
static void case_sys_read_only(void)
{
	CHECK_EQ(write_file("/proc/sys/kernel/ostype", "Unix"), -EACCES);
	CHECK_EQ(write_file("/proc/sys/kernel/osrelease", "1"), -EACCES);
}

/* deflate's stored blocks: copy them out; -1 at a compressed block. */
static long inflate_stored(const uint8_t *in, size_t len, uint8_t *out,
			   size_t outsize, size_t *used)
{
	size_t at = 0, outlen = 0;

	for (;;) {
		if (at + 5 > len || (in[at] & 6) != 0)
			return -1;
		int final = in[at] & 1;
		size_t n = in[at + 1] | (size_t)in[at + 2] << 8;
		size_t nn = in[at + 3] | (size_t)in[at + 4] << 8;

		if ((n ^ 0xffff) != nn || at + 5 + n > len ||
		    outlen + n > outsize)
			return -2;
		memcpy(out + outlen, in + at + 5, n);
		outlen += n;
		at += 5 + n;
		if (final)
			break;
	}
	*used = at;
	return (long)outlen;
}

static uint32_t crc32(const uint8_t *p, size_t n)
{
	uint32_t crc = 0xffffffffU;

	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320U & -(crc & 1));
	}
	return ~crc;
}

static uint32_t le32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void case_config_gz(void)
{
	static uint8_t gz[262144], text[1 << 20];
	int fd = open("/proc/config.gz", O_RDONLY);
	size_t len = 0, used = 0;
	ssize_t n;
	long tlen;

	if (fd < 0 && errno == ENOENT && !is_basalt())
		t_skip("this Linux was built without CONFIG_IKCONFIG_PROC");
	CHECK(fd >= 0);
	while ((n = read(fd, gz + len, sizeof(gz) - len)) > 0)
		len += (size_t)n;
	close(fd);
	CHECK(len > 18);
	CHECK(gz[0] == 0x1f && gz[1] == 0x8b && gz[2] == 8);
	CHECK_EQ(gz[3] & 0xe0, 0);		/* reserved flags */
	tlen = inflate_stored(gz + 10, len - 18, text, sizeof(text) - 1,
			      &used);
	if (tlen == -1 && !is_basalt())
		t_skip("Linux compresses it: only the header was checked");
	CHECK(tlen > 0);
	CHECK_EQ(10 + used + 8, len);
	CHECK_EQ(le32(gz + len - 8), crc32(text, (size_t)tlen));
	CHECK_EQ(le32(gz + len - 4), (uint32_t)tlen);
	text[tlen] = '\0';
	CHECK(strstr((char *)text, "\nCONFIG_SYSVIPC=y\n") != NULL);
	CHECK(strstr((char *)text, "\nCONFIG_PROC_FS=y\n") != NULL);
	CHECK(strstr((char *)text, "\nCONFIG_FUTEX=y\n") != NULL);
	CHECK(strstr((char *)text, "\n# CONFIG_SMP is not set\n") != NULL);
}

static void read_system_files(int rounds)
{
	static const char *const files[] = {
		"/proc/loadavg", "/proc/uptime", "/proc/stat",
		"/proc/version", "/proc/cpuinfo", "/proc/mounts",
		"/proc/filesystems", "/proc/meminfo", "/proc/config.gz",
		"/proc/sys/kernel/hostname", "/proc/sys/kernel/pid_max",
		"/proc/sys/kernel/random/boot_id",
		"/proc/sys/kernel/random/uuid", "/proc/sys/fs/file-nr",
		"/proc/sys/vm/max_map_count",
	};
	static char buf[65536];

	for (int r = 0; r < rounds; r++)
		for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
			read_file(files[i], buf, sizeof(buf));
}

static void case_no_leak_system_files(void)
{
	t_check_no_leak("reading /proc's machine files", read_system_files,
			20);
}

static const struct t_case cases[] = {
	{ case_loadavg, "loadavg" },
	{ case_uptime, "uptime" },
	{ case_stat, "top-cannot-open-proc-stat" },
	{ case_stat_cpu_system_time, "stat_cpu_system_time" },
	{ case_version, "proc-version-missing" },
	{ case_cpuinfo, "proc-cpuinfo-missing" },
	{ case_mounts_tmpfs, "df-lists-mounts-with-sizes" },
	{ case_filesystems, "filesystems" },
	{ case_sys_kernel_values, "sys_kernel_values" },
	{ case_sys_fs_vm_values, "sys_fs_vm_values" },
	{ case_sys_hostname_write, "sys_hostname_write" },
	{ case_sys_pid_max_write, "sys_pid_max_write" },
	{ case_sys_write_with_trunc, "shell-echo-into-proc-sys-einval" },
	{ case_sysrq_trigger, "sysrq_trigger" },
	{ case_sys_read_only, "sys_read_only" },
	{ case_sys_nr_open, "sys_nr_open" },
	{ case_sys_max_map_count, "sys_max_map_count" },
	{ case_config_gz, "config_gz" },
	{ case_no_leak_system_files, "no_leak_system_files" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
