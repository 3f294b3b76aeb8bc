/*
 * cpu.c - the CPUs a test may use, and pinning to them (t.h, "CPUs").
 *
 * Only raw system calls: the file is built for glibc, musl and
 * libbasalt alike, and libbasalt has no CPU_SET macros. The CPUs are
 * those of init's affinity mask (the runner's: every online CPU), not
 * the caller's, so that a test that pinned itself still counts them all.
 */
#include "t.h"

#include <stdlib.h>

#define T_NR_SCHED_SETAFFINITY 203
#define T_NR_SCHED_GETAFFINITY 204
#define T_NR_GETCPU            309
#define T_MASK_LONGS           (T_MAX_CPUS / 64)

/* init's affinity mask (ours if init's cannot be read); its CPU count. */
static int t_affinity(unsigned long mask[T_MASK_LONGS])
{
	long r;
	int n = 0;

	for (int i = 0; i < T_MASK_LONGS; i++)
		mask[i] = 0;
	r = t_raw(T_NR_SCHED_GETAFFINITY, 1,
		  T_MASK_LONGS * sizeof(unsigned long), mask);
	if (r < 0)
		r = t_raw(T_NR_SCHED_GETAFFINITY, 0,
			  T_MASK_LONGS * sizeof(unsigned long), mask);
	if (r < 0)
		T_FAIL("sched_getaffinity: errno %s", t_errname((int)-r));
	for (int cpu = 0; cpu < T_MAX_CPUS; cpu++)
		n += (int)(mask[cpu / 64] >> (cpu % 64) & 1);
	return n;
}

int t_cpu_count(void)
{
	unsigned long mask[T_MASK_LONGS];

	return t_affinity(mask);
}

int t_cpu_nth(int n)
{
	unsigned long mask[T_MASK_LONGS];
	int count = t_affinity(mask);

	n %= count;
	for (int cpu = 0; cpu < T_MAX_CPUS; cpu++)
		if ((mask[cpu / 64] >> (cpu % 64) & 1) && n-- == 0)
			return cpu;
	T_FAIL("no CPU %d in the affinity mask", n);
}

void t_pin(int cpu)
{
	unsigned long mask[T_MASK_LONGS] = { 0 };
	long r;

	if (cpu < 0 || cpu >= T_MAX_CPUS)
		T_FAIL("t_pin(%d): no such CPU", cpu);
	mask[cpu / 64] = 1UL << (cpu % 64);
	r = t_raw(T_NR_SCHED_SETAFFINITY, 0, sizeof(mask), mask);
	if (r < 0)
		T_FAIL("sched_setaffinity(CPU %d): errno %s", cpu,
		       t_errname((int)-r));
}

void t_need_cpus(int n)
{
	int have = t_cpu_count();

	if (have < n)
		t_skip("needs %d CPUs, this machine has %d", n, have);
}

int t_getcpu(void)
{
	unsigned int cpu = ~0u;
	long r = t_raw(T_NR_GETCPU, &cpu, 0, 0);

	if (r == -ENOSYS)
		return -1;
	if (r < 0)
		T_FAIL("getcpu: errno %s", t_errname((int)-r));
	return (int)cpu;
}

int t_machine_cpus(void)
{
	const char *s = getenv("T_SMP");
	int n = 0;

	if (!s || !*s)
		return 0;
	for (; *s >= '0' && *s <= '9'; s++)
		n = n * 10 + (*s - '0');
	return *s ? 0 : n;
}

/*
 * Run once on every CPU we may use, then go back to our own mask. A
 * task that exited on another CPU is freed when that CPU next switches
 * (its stack is in use until then): after our visit every task that had
 * finished exiting there is gone, so MemFree no longer depends on how
 * far the other CPUs got. Static masks: nothing here may fault a page
 * in between two MemFree readings.
 */
void t_visit_cpus(void)
{
	static unsigned long mine[T_MASK_LONGS], one[T_MASK_LONGS];

	if (t_raw(T_NR_SCHED_GETAFFINITY, 0, sizeof(mine), mine) < 0)
		return;
	for (int cpu = 0; cpu < T_MAX_CPUS; cpu++) {
		if (!(mine[cpu / 64] >> (cpu % 64) & 1))
			continue;
		for (int i = 0; i < T_MASK_LONGS; i++)
			one[i] = 0;
		one[cpu / 64] = 1UL << (cpu % 64);
		t_raw(T_NR_SCHED_SETAFFINITY, 0, sizeof(one), one);
	}
	t_raw(T_NR_SCHED_SETAFFINITY, 0, sizeof(mine), mine);
}
