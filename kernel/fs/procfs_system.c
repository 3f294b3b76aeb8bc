/*
 * The files of /proc about the whole machine, in Linux 6.1's formats:
 *
 *   /proc/version   the uname fields and the compiler, one line
 *   /proc/uptime    seconds since boot, and seconds the CPUs were idle
 *                   (summed over the CPUs, as Linux does)
 *   /proc/loadavg   the load average (kernel/proc/loadavg.c), runnable
 *                   tasks / all tasks, and the last pid given
 *   /proc/stat      CPU time by kind, for all CPUs ("cpu") and for each
 *                   ("cpuN"), context switches, boot time, forks,
 *                   runnable and blocked tasks
 *   /proc/cpuinfo   what the processors are (arch_cpuinfo)
 *   /proc/interrupts interrupts per CPU, by line and kind (arch)
 *
 * CPU time is in USER_HZ ticks: each CPU's busy time split into user and
 * system time (proc/cputime.c's cputime_of_cpu), its idle time exact;
 * the "cpu" line is the sum of the cpuN lines, as in Linux, and nice,
 * iowait, irq, softirq, steal and guest time are not kept (0).
 * Interrupts are counted per CPU, per legacy line and per kind of local
 * interrupt; softirqs do not exist (0).
 */
#include "procfs.h"
#include <arch/cpu.h>
#include <arch/smp.h>
#include <lib/printk.h>
#include <proc/cputime.h>
#include <proc/sched.h>
#include <proc/task.h>
#include <proc/uts.h>

#define USER_HZ		100
#define NS_PER_TICK	(1000000000ULL / USER_HZ)
#define NS_PER_SEC	1000000000ULL

static long show_done(int len, size_t size)
{
	return (len < 0 || (size_t)len >= size) ? -ENOMEM : len;
}

long version_show(char *buf, size_t size, pid_t pid)
{
	struct utsname u;

	uts_get(&u);
	return show_done(snprintf(buf, size,
				  "%s version %s (basalt@basalt) (gcc version "
				  "%d.%d.%d) %s\n", u.sysname, u.release,
				  __GNUC__, __GNUC_MINOR__, __GNUC_PATCHLEVEL__,
				  u.version), size);
}

/* Seconds with two decimals, as Linux prints uptime. */
long uptime_show(char *buf, size_t size, pid_t pid)
{
	uint64_t up = clock_monotonic_ns(), idle = 0;
	struct cpu_usage u;

	for_each_online_cpu(n) {
		cputime_of_cpu(n, &u);
		idle += u.idle_ns;
	}
	return show_done(snprintf(buf, size, "%lu.%02lu %lu.%02lu\n",
		(unsigned long)(up / NS_PER_SEC),
		(unsigned long)(up / (NS_PER_SEC / 100) % 100),
		(unsigned long)(idle / NS_PER_SEC),
		(unsigned long)(idle / (NS_PER_SEC / 100) % 100)), size);
}

/* Linux's LOAD_INT/LOAD_FRAC, rounded to two decimals (+ FIXED_1/200). */
long loadavg_show(char *buf, size_t size, pid_t pid)
{
	struct sched_stats st;
	unsigned long avg[3];
	uint64_t forks;
	pid_t last;

	loadavg_get(avg);
	sched_get_stats(&st);
	task_pid_stats(&last, &forks);
	for (int i = 0; i < 3; i++)
		avg[i] += FIXED_1 / 200;
#define LOAD_INT(x)	((x) >> FSHIFT)
#define LOAD_FRAC(x)	LOAD_INT(((x) & (FIXED_1 - 1)) * 100)
	return show_done(snprintf(buf, size,
		"%lu.%02lu %lu.%02lu %lu.%02lu %lu/%lu %d\n",
		LOAD_INT(avg[0]), LOAD_FRAC(avg[0]),
		LOAD_INT(avg[1]), LOAD_FRAC(avg[1]),
		LOAD_INT(avg[2]), LOAD_FRAC(avg[2]),
		st.nr_running, nr_threads(), last), size);
#undef LOAD_INT
#undef LOAD_FRAC
}

/* "intr": every interrupt (the local ones too, as on Linux), then the
 * count of each ISA line. */
static int stat_intr(char *buf, size_t size)
{
	uint64_t irqs[16];
	int len;

	arch_irq_counts(irqs);
	len = snprintf(buf, size, "intr %lu", (unsigned long)arch_irq_total());
	for (int i = 0; i < 16; i++)
		len += snprintf(buf + len, (size_t)len < size ? size - len : 0,
				" %lu", (unsigned long)irqs[i]);
	return len;
}

/* One "cpu" line: name, user, nice, system, idle, iowait, irq, softirq,
 * steal, guest, guest_nice. */
static int stat_cpu_line(char *buf, size_t size, const char *name,
			 const unsigned long t[3])
{
	return snprintf(buf, size, "%s %lu 0 %lu %lu 0 0 0 0 0 0\n",
			name, t[0], t[1], t[2]);
}

/*
 * The "cpu" line and a "cpuN" line per CPU. Each CPU's times are
 * converted to ticks before they are summed, as Linux sums them, so the
 * first line is exactly the sum of the others.
 */
static int stat_cpus(char *buf, size_t size)
{
	unsigned long t[MAX_CPUS][3], sum[3] = { 0, 0, 0 };
	struct cpu_usage u;
	char name[16];
	int len;

	for_each_online_cpu(n) {
		cputime_of_cpu(n, &u);
		t[n][0] = (unsigned long)(u.user_ns / NS_PER_TICK);
		t[n][1] = (unsigned long)(u.system_ns / NS_PER_TICK);
		t[n][2] = (unsigned long)(u.idle_ns / NS_PER_TICK);
		for (int k = 0; k < 3; k++)
			sum[k] += t[n][k];
	}
	len = stat_cpu_line(buf, size, "cpu ", sum);
	for_each_online_cpu(n) {
		snprintf(name, sizeof(name), "cpu%u", n);
		len += stat_cpu_line(buf + len, (size_t)len < size ?
				     size - len : 0, name, t[n]);
	}
	return len;
}

long stat_show(char *buf, size_t size, pid_t pid)
{
	struct sched_stats st;
	uint64_t forks, boot;
	pid_t last;
	int len;

	sched_get_stats(&st);
	boot = (clock_realtime_ns() - st.now_ns) / NS_PER_SEC;
	task_pid_stats(&last, &forks);
	len = stat_cpus(buf, size);
	len += stat_intr(buf + len, (size_t)len < size ? size - len : 0);
	len += snprintf(buf + len, (size_t)len < size ? size - len : 0,
		"\nctxt %lu\nbtime %lu\nprocesses %lu\n"
		"procs_running %lu\nprocs_blocked %lu\n"
		"softirq 0 0 0 0 0 0 0 0 0 0 0\n",
		(unsigned long)st.nr_switches, (unsigned long)boot,
		(unsigned long)forks, st.nr_running, st.nr_uninterruptible);
	return show_done(len, size);
}

/* /proc/interrupts: per CPU, each ISA line in use and each kind of
 * local interrupt (arch/x86_64/irq_stat.c). */
long interrupts_show(char *buf, size_t size, pid_t pid)
{
	(void)pid;
	return show_done(arch_interrupts(buf, size), size);
}

long cpuinfo_show(char *buf, size_t size, pid_t pid)
{
	return show_done(arch_cpuinfo(buf, size), size);
}
