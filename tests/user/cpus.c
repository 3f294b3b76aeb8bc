/*
 * cpus.c - what user space sees of the CPUs, on any number of them:
 * getcpu(2), the vDSO's getcpu and glibc's sched_getcpu agree on the CPU
 * a pinned thread runs on; /proc/cpuinfo, /proc/stat, /sys's CPU files,
 * sysconf and sched_getaffinity (nproc) count the same CPUs; and the
 * /sys and /proc files have Linux's exact formats. The runner mounts
 * sysfs on /sys (Linux's runner too), as a distribution's init does.
 */
#define _GNU_SOURCE
#include "t.h"

#include <dirent.h>
#include <stdbool.h>
#include <elf.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SYSFS_MAGIC	0x62656572
#define CPU_DIR		"/sys/devices/system/cpu"

/* The whole of a small file, NUL-terminated; its length or -errno. */
static long slurp(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	long len = 0, n;

	if (fd < 0)
		return -errno;
	while ((n = read(fd, buf + len, size - 1 - len)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	return n < 0 ? -errno : len;
}

/* The CPUs "online" names, counted as glibc counts them ("0-1,3"). */
static int count_cpulist(const char *s)
{
	int count = 0;

	while (*s && *s != '\n') {
		char *end;
		long a = strtol(s, &end, 10), b = a;

		if (end == s)
			return -1;
		if (*end == '-')
			b = strtol(end + 1, &end, 10);
		count += (int)(b - a + 1);
		s = end + (*end == ',');
	}
	return count;
}

static int online_count(void)
{
	char buf[256];

	if (slurp(CPU_DIR "/online", buf, sizeof(buf)) <= 0)
		return -1;
	return count_cpulist(buf);
}

/* ---- the vDSO's getcpu, found as the C library finds it ------------- */

typedef long (*getcpu_fn)(unsigned *, unsigned *, void *);

/* The version name of symbol i, through DT_VERSYM and DT_VERDEF. */
static const char *vdso_sym_version(const Elf64_Versym *versym,
				    const Elf64_Verdef *vd, const char *str,
				    size_t i)
{
	unsigned int want = versym[i] & 0x7fff;

	for (;;) {
		if (vd->vd_ndx == want) {
			const Elf64_Verdaux *aux = (const void *)((const char *)vd +
								 vd->vd_aux);
			return str + aux->vda_name;
		}
		if (!vd->vd_next)
			return NULL;
		vd = (const void *)((const char *)vd + vd->vd_next);
	}
}

/* name@version in the vDSO, or NULL. */
static void *vdso_sym(const char *name, const char *version)
{
	const Elf64_Ehdr *eh = (const void *)getauxval(AT_SYSINFO_EHDR);
	const Elf64_Phdr *ph;
	const Elf64_Dyn *dyn = NULL;
	const Elf64_Sym *sym = NULL;
	const Elf64_Versym *versym = NULL;
	const Elf64_Verdef *verdef = NULL;
	const uint32_t *hash = NULL;
	const char *str = NULL;
	uintptr_t base = (uintptr_t)eh, bias = 0;

	if (!eh)
		return NULL;
	ph = (const void *)(base + eh->e_phoff);
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_LOAD && !bias)
			bias = base + ph[i].p_offset - ph[i].p_vaddr;
		if (ph[i].p_type == PT_DYNAMIC)
			dyn = (const void *)(base + ph[i].p_offset);
	}
	for (; dyn && dyn->d_tag != DT_NULL; dyn++) {
		const void *p = (const void *)(bias + dyn->d_un.d_ptr);

		if (dyn->d_tag == DT_SYMTAB)
			sym = p;
		else if (dyn->d_tag == DT_STRTAB)
			str = p;
		else if (dyn->d_tag == DT_HASH)
			hash = p;
		else if (dyn->d_tag == DT_VERSYM)
			versym = p;
		else if (dyn->d_tag == DT_VERDEF)
			verdef = p;
	}
	if (!sym || !str || !hash || !versym || !verdef)
		return NULL;
	for (uint32_t i = 0; i < hash[1]; i++) {	/* nchain: the symbols */
		const char *v;

		if (sym[i].st_shndx == SHN_UNDEF ||
		    strcmp(str + sym[i].st_name, name))
			continue;
		v = vdso_sym_version(versym, verdef, str, i);
		if (v && !strcmp(v, version))
			return (void *)(bias + sym[i].st_value);
	}
	return NULL;
}

/* ---- getcpu ---------------------------------------------------------- */

static long sys_getcpu(unsigned *cpu, unsigned *node)
{
	return t_raw6(SYS_getcpu, (long)cpu, (long)node, 0, 0, 0, 0);
}

/* Pinned to each CPU in turn, every way of asking names that CPU. */
static void case_getcpu_agree(void)
{
	getcpu_fn vdso = (getcpu_fn)vdso_sym("__vdso_getcpu", "LINUX_2.6");
	cpu_set_t all, one;
	int ncpus = online_count();

	CHECK(vdso != NULL);
	CHECK((getcpu_fn)vdso_sym("getcpu", "LINUX_2.6") == vdso);
	CHECK_OK(sched_getaffinity(0, sizeof(all), &all));
	for (int c = 0; c < CPU_SETSIZE; c++) {
		unsigned cpu = ~0u, node = ~0u, vcpu = ~0u, vnode = ~0u;

		if (!CPU_ISSET(c, &all))
			continue;
		CHECK(c < ncpus);
		CPU_ZERO(&one);
		CPU_SET(c, &one);
		CHECK_OK(sched_setaffinity(0, sizeof(one), &one));
		CHECK_EQ(sys_getcpu(&cpu, &node), 0);
		CHECK_EQ(cpu, (unsigned)c);
		CHECK_EQ(node, 0u);
		if (vdso) {
			CHECK_EQ(vdso(&vcpu, &vnode, NULL), 0);
			CHECK_EQ(vcpu, (unsigned)c);
			CHECK_EQ(vnode, 0u);
		}
		CHECK_EQ(sched_getcpu(), c);
	}
	CHECK_OK(sched_setaffinity(0, sizeof(all), &all));
}

/* Either pointer may be NULL; a bad one is EFAULT. */
static void case_getcpu_args(void)
{
	getcpu_fn vdso = (getcpu_fn)vdso_sym("__vdso_getcpu", "LINUX_2.6");
	unsigned cpu = ~0u, node = ~0u;

	CHECK_EQ(sys_getcpu(NULL, NULL), 0);
	CHECK_EQ(sys_getcpu(&cpu, NULL), 0);
	CHECK(cpu < (unsigned)online_count());
	CHECK_EQ(sys_getcpu(NULL, &node), 0);
	CHECK_EQ(node, 0u);
	CHECK_EQ(sys_getcpu(t_unmapped_page(), NULL), -EFAULT);
	CHECK_EQ(sys_getcpu(NULL, t_unmapped_page()), -EFAULT);
	if (vdso) {
		CHECK_EQ(vdso(NULL, NULL, NULL), 0);
		cpu = ~0u;
		CHECK_EQ(vdso(&cpu, NULL, NULL), 0);
		CHECK(cpu < (unsigned)online_count());
	}
}

/* ---- the counts -------------------------------------------------------- */

/* Lines of f starting with prefix and then a digit. */
static int count_lines(const char *text, const char *prefix)
{
	size_t plen = strlen(prefix);
	int n = 0;

	for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : l)
		if (!strncmp(l, prefix, plen) && l[plen] >= '0' && l[plen] <= '9')
			n++;
	return n;
}

/* cpuN directories in /sys/devices/system/cpu, as glibc counts them. */
static int count_cpu_dirs(void)
{
	DIR *d = opendir(CPU_DIR);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (e->d_type == DT_DIR && !strncmp(e->d_name, "cpu", 3) &&
		    e->d_name[3] >= '0' && e->d_name[3] <= '9')
			n++;
	closedir(d);
	return n;
}

/* nproc, sysconf, /proc/cpuinfo, /proc/stat and /sys count alike. */
static void case_counts_agree(void)
{
	static char buf[1 << 16];
	cpu_set_t set;
	int n = online_count();

	CHECK(n >= 1);
	CHECK_OK(sched_getaffinity(0, sizeof(set), &set));
	CHECK_EQ(CPU_COUNT(&set), n);
	CHECK_EQ(sysconf(_SC_NPROCESSORS_ONLN), n);
	CHECK_EQ(sysconf(_SC_NPROCESSORS_CONF), n);
	CHECK_EQ(count_cpu_dirs(), n);
	CHECK(slurp("/proc/cpuinfo", buf, sizeof(buf)) > 0);
	CHECK_EQ(count_lines(buf, "processor\t: "), n);
	CHECK(slurp("/proc/stat", buf, sizeof(buf)) > 0);
	CHECK_EQ(count_lines(buf, "cpu"), n);
}

/* ---- /proc/cpuinfo ------------------------------------------------------ */

/* The number after "name\t...: " in block (up to the blank line). */
static long cpuinfo_field(const char *block, const char *name)
{
	size_t len = strlen(name);

	for (const char *l = block; *l && *l != '\n'; l = strchr(l, '\n') + 1) {
		if (!strncmp(l, name, len) && (l[len] == '\t' || l[len] == ' '))
			return strtol(strchr(l, ':') + 1, NULL, 10);
		if (!strchr(l, '\n'))
			break;
	}
	return -1;
}

/* One block per CPU: processor numbers in order, one package of n
 * single-thread cores (QEMU's -smp n), distinct APIC ids. */
static void case_cpuinfo_topology(void)
{
	static char buf[1 << 16];
	long apic[CPU_SETSIZE];
	const char *b = buf;
	int n = online_count();

	CHECK(slurp("/proc/cpuinfo", buf, sizeof(buf)) > 0);
	for (int i = 0; i < n && b; i++) {
		CHECK_EQ(cpuinfo_field(b, "processor"), i);
		CHECK_EQ(cpuinfo_field(b, "physical id"), 0);
		CHECK_EQ(cpuinfo_field(b, "siblings"), n);
		CHECK_EQ(cpuinfo_field(b, "cpu cores"), n);
		CHECK_EQ(cpuinfo_field(b, "core id"), i);
		apic[i] = cpuinfo_field(b, "apicid");
		CHECK(apic[i] >= 0);
		CHECK_EQ(cpuinfo_field(b, "initial apicid"), apic[i]);
		for (int j = 0; j < i; j++)
			CHECK(apic[j] != apic[i]);
		b = strstr(b, "\n\n");
		b = b ? b + 2 : NULL;
	}
	CHECK(b != NULL && *b == '\0');
}

/* ---- /proc/stat ---------------------------------------------------------- */

/* The ten numbers of the line starting with name; false if none. */
static bool stat_line(const char *text, const char *name,
		      unsigned long long v[10])
{
	size_t len = strlen(name);

	for (const char *l = text; l; l = strchr(l, '\n'), l = l ? l + 1 : l)
		if (!strncmp(l, name, len) && l[len] == ' ')
			return sscanf(l + len, "%llu %llu %llu %llu %llu %llu "
				      "%llu %llu %llu %llu", &v[0], &v[1],
				      &v[2], &v[3], &v[4], &v[5], &v[6], &v[7],
				      &v[8], &v[9]) == 10;
	return false;
}

/*
 * "cpu" has the ten fields of Linux, and so has each "cpuN"; the first
 * line is the sum of the others. Basalt makes both from one reading, in
 * ticks, so the sum is exact. Linux reads the CPUs' counters once for
 * the sum and again for the lines (which can only have grown), and
 * converts the sum to ticks after adding nanoseconds: each of the n
 * lines may have dropped a fraction of a tick that the sum kept, so the
 * sum exceeds the lines' total by at most n - 1.
 */
static void case_stat_cpu_lines(void)
{
	static char buf[1 << 16];
	unsigned long long all[10], one[10], sum[10] = { 0 };
	int n = online_count();
	char name[16];

	CHECK(slurp("/proc/stat", buf, sizeof(buf)) > 0);
	CHECK(!strncmp(buf, "cpu  ", 5));
	CHECK(stat_line(buf, "cpu ", all));
	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "cpu%d", i);
		CHECK(stat_line(buf, name, one));
		for (int k = 0; k < 10; k++)
			sum[k] += one[k];
	}
	snprintf(name, sizeof(name), "cpu%d", n);
	CHECK(!stat_line(buf, name, one));
	for (int k = 0; k < 10; k++) {
		CHECK(all[k] <= sum[k] + (unsigned long long)(n - 1));
		if (is_basalt())
			CHECK_EQ(all[k], sum[k]);
	}
	CHECK(strstr(buf, "\nprocs_running ") != NULL);
	CHECK(strstr(buf, "\nctxt ") != NULL);
}

/* ---- /sys ----------------------------------------------------------------- */

/* online, possible, present as Linux prints a set of CPUs: 0-1. */
static void case_sys_cpu_files(void)
{
	char buf[64], want[64];
	struct stat st;
	int n = online_count();
	long max;

	CHECK(n >= 1);
	if (n == 1)
		snprintf(want, sizeof(want), "0\n");
	else
		snprintf(want, sizeof(want), "0-%d\n", n - 1);
	CHECK_EQ(slurp(CPU_DIR "/online", buf, sizeof(buf)), (long)strlen(want));
	CHECK_EQ(strcmp(buf, want), 0);
	CHECK(slurp(CPU_DIR "/possible", buf, sizeof(buf)) > 0);
	CHECK_EQ(strcmp(buf, want), 0);
	CHECK(slurp(CPU_DIR "/present", buf, sizeof(buf)) > 0);
	CHECK_EQ(strcmp(buf, want), 0);
	CHECK_EQ(slurp(CPU_DIR "/offline", buf, sizeof(buf)), 1);
	CHECK_EQ(strcmp(buf, "\n"), 0);
	CHECK(slurp(CPU_DIR "/kernel_max", buf, sizeof(buf)) > 1);
	max = strtol(buf, NULL, 10);
	CHECK(max >= n - 1);
	CHECK_EQ(buf[strlen(buf) - 1], '\n');
	/* A sysfs attribute: r--r--r--, the size of a page. */
	CHECK_OK(stat(CPU_DIR "/online", &st));
	CHECK_EQ(st.st_mode, (mode_t)(S_IFREG | 0444));
	CHECK_EQ(st.st_size, 4096);
	CHECK_ERR(open(CPU_DIR "/online", O_WRONLY), EACCES);
}

/* cpuN/topology/NAME holds want. */
static void check_topology(int cpu, const char *name, const char *want)
{
	char path[128], buf[64];

	snprintf(path, sizeof(path), CPU_DIR "/cpu%d/topology/%s", cpu, name);
	if (slurp(path, buf, sizeof(buf)) < 0 || strcmp(buf, want))
		T_FAIL("%s: \"%s\", want \"%s\"", path, buf, want);
}

/*
 * Where each CPU sits, as QEMU's -smp n shows it: one package of n
 * single-thread cores, CPU i being core i. Sets of CPUs as a mask
 * ("%*pb": hexadecimal, one digit per four CPU ids) and as a list.
 */
static void check_cpu_topology(int i, int n)
{
	char one[16], all[16], list[16], mask[16];

	snprintf(one, sizeof(one), "%d\n", i);
	snprintf(mask, sizeof(mask), "%0*lx\n", (n + 3) / 4, 1UL << i);
	check_topology(i, "core_id", one);
	check_topology(i, "physical_package_id", "0\n");
	check_topology(i, "die_id", "0\n");
	check_topology(i, "thread_siblings_list", one);
	check_topology(i, "core_cpus_list", one);
	check_topology(i, "thread_siblings", mask);
	check_topology(i, "core_cpus", mask);
	snprintf(all, sizeof(all), "%0*lx\n", (n + 3) / 4, (1UL << n) - 1);
	if (n == 1)
		snprintf(list, sizeof(list), "0\n");
	else
		snprintf(list, sizeof(list), "0-%d\n", n - 1);
	check_topology(i, "core_siblings", all);
	check_topology(i, "package_cpus", all);
	check_topology(i, "die_cpus", all);
	check_topology(i, "core_siblings_list", list);
	check_topology(i, "package_cpus_list", list);
	check_topology(i, "die_cpus_list", list);
}

/* cpuN/ for each CPU; cpuN/online ("1") for N > 0 only, as on x86. */
static void case_sys_cpu_dirs(void)
{
	char path[128], buf[16];
	struct stat st;
	int n = online_count();

	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof(path), CPU_DIR "/cpu%d", i);
		CHECK_OK(stat(path, &st));
		CHECK(S_ISDIR(st.st_mode));
		check_cpu_topology(i, n);
		snprintf(path, sizeof(path), CPU_DIR "/cpu%d/online", i);
		if (i == 0) {
			CHECK_ERR(stat(path, &st), ENOENT);
			continue;
		}
		CHECK_EQ(slurp(path, buf, sizeof(buf)), 2);
		CHECK_EQ(strcmp(buf, "1\n"), 0);
	}
	snprintf(path, sizeof(path), CPU_DIR "/cpu%d", n);
	CHECK_ERR(stat(path, &st), ENOENT);
}

/* Mounted on /sys, listed as Linux lists it. */
static void case_sys_mounted(void)
{
	static char buf[1 << 14];
	struct statfs sf;

	CHECK_OK(statfs("/sys", &sf));
	CHECK_EQ(sf.f_type, SYSFS_MAGIC);
	CHECK(slurp("/proc/filesystems", buf, sizeof(buf)) > 0);
	CHECK(!strncmp(buf, "nodev\tsysfs\n", 12));
	CHECK(slurp("/proc/mounts", buf, sizeof(buf)) > 0);
	CHECK(strstr(buf, "\nsysfs /sys sysfs rw,relatime 0 0\n") != NULL);
}

static const struct t_case cases[] = {
	{ case_getcpu_agree, "getcpu_agree" },
	{ case_getcpu_args, "getcpu_args" },
	{ case_counts_agree, "counts_agree" },
	{ case_cpuinfo_topology, "cpuinfo_topology" },
	{ case_stat_cpu_lines, "stat_cpu_lines" },
	{ case_sys_cpu_files, "sys_cpu_files" },
	{ case_sys_cpu_dirs, "sys_cpu_dirs" },
	{ case_sys_mounted, "sys_mounted" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
