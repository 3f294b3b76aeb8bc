/*
 * The files of /proc about the whole machine, in Linux 6.1's formats:
 *
 *   /proc/version   the uname fields and the compiler, one line
 *   /proc/uptime    seconds since boot, and seconds the CPU was idle
 *   /proc/loadavg   the load average (kernel/proc/loadavg.c), runnable
 *                   tasks / all tasks, and the last pid given
 *   /proc/stat      CPU time by kind, context switches, boot time, forks,
 *                   runnable and blocked tasks
 *   /proc/cpuinfo   what the processor is (arch_cpuinfo)
 *
 * CPU time is in USER_HZ ticks. Basalt does not split busy time into
 * user, system and interrupt time yet: all of it is counted as user time
 * (as /proc/<pid>/stat does). Interrupts are counted per legacy line;
 * softirqs do not exist (0).
 */
#include "procfs.h"
#include <arch/cpu.h>
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
	struct sched_stats st;
	uint64_t up = clock_monotonic_ns();

	sched_get_stats(&st);
	return show_done(snprintf(buf, size, "%lu.%02lu %lu.%02lu\n",
		(unsigned long)(up / NS_PER_SEC),
		(unsigned long)(up / (NS_PER_SEC / 100) % 100),
		(unsigned long)(st.idle_ns / NS_PER_SEC),
		(unsigned long)(st.idle_ns / (NS_PER_SEC / 100) % 100)), size);
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

/* "intr": the total, then the count of each interrupt line. */
static int stat_intr(char *buf, size_t size)
{
	uint64_t irqs[16], total = 0;
	int len;

	arch_irq_counts(irqs);
	for (int i = 0; i < 16; i++)
		total += irqs[i];
	len = snprintf(buf, size, "intr %lu", (unsigned long)total);
	for (int i = 0; i < 16; i++)
		len += snprintf(buf + len, (size_t)len < size ? size - len : 0,
				" %lu", (unsigned long)irqs[i]);
	return len;
}

long stat_show(char *buf, size_t size, pid_t pid)
{
	struct sched_stats st;
	struct cputime busy;
	uint64_t forks, boot;
	unsigned long user, sys, idle;
	pid_t last;
	int len;

	sched_get_stats(&st);
	boot = (clock_realtime_ns() - st.now_ns) / NS_PER_SEC;
	task_pid_stats(&last, &forks);
	/* Busy and idle read at one instant: busy never goes back. */
	cputime_of_system(st.now_ns > st.idle_ns ? st.now_ns - st.idle_ns : 0,
			  &busy);
	user = (unsigned long)(busy.utime / NS_PER_TICK);
	sys = (unsigned long)(busy.stime / NS_PER_TICK);
	idle = (unsigned long)(st.idle_ns / NS_PER_TICK);
	/* One CPU: cpu0 is the total. */
	len = snprintf(buf, size,
		"cpu  %lu 0 %lu %lu 0 0 0 0 0 0\n"
		"cpu0 %lu 0 %lu %lu 0 0 0 0 0 0\n",
		user, sys, idle, user, sys, idle);
	len += stat_intr(buf + len, (size_t)len < size ? size - len : 0);
	len += snprintf(buf + len, (size_t)len < size ? size - len : 0,
		"\nctxt %lu\nbtime %lu\nprocesses %lu\n"
		"procs_running %lu\nprocs_blocked %lu\n"
		"softirq 0 0 0 0 0 0 0 0 0 0 0\n",
		(unsigned long)st.nr_switches, (unsigned long)boot,
		(unsigned long)forks, st.nr_running, st.nr_uninterruptible);
	return show_done(len, size);
}

long cpuinfo_show(char *buf, size_t size, pid_t pid)
{
	return show_done(arch_cpuinfo(buf, size), size);
}
