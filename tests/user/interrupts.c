/*
 * interrupts.c - /proc/interrupts, per CPU: a column for each online
 * CPU, the rows of the local interrupts Linux names (NMI, LOC, RES, CAL,
 * TLB), /proc/stat's "intr" total covering them, and the counters
 * moving when the thing they count happens: every CPU's tick (LOC), a
 * thread woken on another CPU (RES or CAL: Linux sends either, by how
 * the target CPU idles), and munmap in a process running on two CPUs
 * (TLB: the other CPU's shoot-down).
 */
#define _GNU_SOURCE
#include "t.h"

#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MAX_COLS 64

static char text[1 << 16];

static void read_interrupts(void)
{
	int fd = open("/proc/interrupts", O_RDONLY);
	long len = 0, n;

	CHECK(fd >= 0);
	while ((n = read(fd, text + len, sizeof(text) - 1 - len)) > 0)
		len += n;
	CHECK_OK(n);
	CHECK_OK(close(fd));
	text[len] = '\0';
}

static int online_cpus(void)
{
	return (int)sysconf(_SC_NPROCESSORS_ONLN);
}

/*
 * The per-CPU numbers of the row named sym ("LOC"), into v; how many
 * there were (-1 if no such row). The row's description must follow.
 */
static int row(const char *sym, unsigned long long v[MAX_COLS])
{
	size_t len = strlen(sym);
	int n = 0;

	for (const char *l = text; l; l = strchr(l, '\n'), l = l ? l + 1 : l) {
		const char *p = l;
		char *end;

		while (*p == ' ')
			p++;
		if (strncmp(p, sym, len) || p[len] != ':')
			continue;
		p += len + 1;
		for (;;) {
			unsigned long long x = strtoull(p, &end, 10);

			if (end == p || (*end != ' ' && *end != '\n'))
				break;
			if (n < MAX_COLS)
				v[n] = x;
			n++;
			p = end;
		}
		while (*p == ' ')
			p++;
		CHECK(*p != '\n' && *p != '\0');	/* a description */
		return n;
	}
	return -1;
}

static unsigned long long count_on(const char *sym, int cpu)
{
	unsigned long long v[MAX_COLS];

	read_interrupts();
	CHECK(row(sym, v) > cpu);
	return v[cpu];
}

/* The header names CPU0..CPUn-1, and each local row has n numbers. */
static void case_table_shape(void)
{
	static const char *const rows[] = { "NMI", "LOC", "RES", "CAL", "TLB" };
	unsigned long long v[MAX_COLS];
	int n = online_cpus(), i = 0, used;
	char want[16], tok[16];
	const char *p;

	read_interrupts();
	for (p = text; sscanf(p, " %15[^ \n]%n", tok, &used) == 1 &&
	     strncmp(tok, "CPU", 3) == 0; p += used, i++) {
		snprintf(want, sizeof(want), "CPU%d", i);
		CHECK_EQ(strcmp(tok, want), 0);
	}
	CHECK_EQ(i, n);
	CHECK_EQ(p[strspn(p, " ")], '\n');
	for (size_t r = 0; r < sizeof(rows) / sizeof(rows[0]); r++)
		CHECK_EQ(row(rows[r], v), n);
	CHECK(row("0", v) == n || row("2", v) == n);	/* the timer's line */
}

/* /proc/stat's "intr" counts every interrupt, the local ones too. TLB
 * is not one: a shoot-down came by a function-call IPI (CAL), and Linux
 * leaves TLB out of the total (found at 4 CPUs, where the shoot-downs
 * outnumbered the interrupts this sum leaves out). */
static void case_stat_intr_total(void)
{
	static const char *const rows[] = { "NMI", "LOC", "RES", "CAL" };
	unsigned long long v[MAX_COLS], sum = 0, total = 0;
	int n = online_cpus();
	char stat[1 << 14];
	const char *intr;
	FILE *f;
	size_t len;

	read_interrupts();
	for (size_t r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
		CHECK_EQ(row(rows[r], v), n);
		for (int c = 0; c < n; c++)
			sum += v[c];
	}
	f = fopen("/proc/stat", "r");
	CHECK(f != NULL);
	len = fread(stat, 1, sizeof(stat) - 1, f);
	fclose(f);
	stat[len] = '\0';
	intr = strstr(stat, "\nintr ");
	CHECK(intr != NULL);
	CHECK_EQ(sscanf(intr + 6, "%llu", &total), 1);
	CHECK(total >= sum);		/* read later, so only more */
}

/* Every CPU's tick: LOC rises on a CPU kept busy. Work, not time: the
 * bound only turns a hang into a failure. */
static void case_loc_ticks(void)
{
	for (int i = 0; i < online_cpus(); i++) {
		unsigned long long before;
		long spins = 0;

		t_pin(t_cpu_nth(i));
		before = count_on("LOC", t_cpu_nth(i));
		while (count_on("LOC", t_cpu_nth(i)) == before)
			CHECK(++spins < 1000000);
	}
}

static int ping[2], pong[2];

/* Pinned to another CPU: echo every byte back, sleeping in between. */
static void *echo(void *arg)
{
	char c;

	t_pin(*(int *)arg);
	while (read(ping[0], &c, 1) == 1 && c != 'q')
		CHECK_EQ(write(pong[1], &c, 1), 1);
	return NULL;
}

/* A thread woken on another CPU, 50 times: that CPU took at least one
 * reschedule or function-call IPI for it. */
static void case_wakeup_ipis(void)
{
	int me, other;
	unsigned long long before;
	pthread_t th;
	char c = 'x';

	t_need_cpus(2);
	me = t_cpu_nth(0);
	other = t_cpu_nth(1);
	t_pin(me);
	CHECK_OK(pipe(ping));
	CHECK_OK(pipe(pong));
	before = count_on("RES", other) + count_on("CAL", other);
	CHECK_EQ(pthread_create(&th, NULL, echo, &other), 0);
	for (int i = 0; i < 50; i++) {
		CHECK_EQ(write(ping[1], &c, 1), 1);
		CHECK_EQ(read(pong[0], &c, 1), 1);
	}
	c = 'q';
	CHECK_EQ(write(ping[1], &c, 1), 1);
	CHECK_EQ(pthread_join(th, NULL), 0);
	CHECK(count_on("RES", other) + count_on("CAL", other) > before);
	close(ping[0]), close(ping[1]), close(pong[0]), close(pong[1]);
}

static volatile int spin_stop, spinning;

/* Pinned to another CPU, running in our address space until told. */
static void *spin(void *arg)
{
	t_pin(*(int *)arg);
	__atomic_store_n(&spinning, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&spin_stop, __ATOMIC_ACQUIRE))
		;
	return NULL;
}

/* munmap of touched pages while a thread of ours runs on another CPU:
 * that CPU's TLB count rises (the shoot-down reached it). */
static void case_tlb_shootdowns(void)
{
	unsigned long long before;
	int me, other;
	pthread_t th;

	t_need_cpus(2);
	me = t_cpu_nth(0);
	other = t_cpu_nth(1);
	t_pin(me);
	spin_stop = spinning = 0;
	CHECK_EQ(pthread_create(&th, NULL, spin, &other), 0);
	while (!__atomic_load_n(&spinning, __ATOMIC_ACQUIRE))
		sched_yield();
	before = count_on("TLB", other);
	for (int i = 0; i < 20; i++) {
		char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		CHECK(p != MAP_FAILED);
		p[0] = 1;
		CHECK_OK(munmap(p, 4096));
	}
	CHECK(count_on("TLB", other) > before);
	__atomic_store_n(&spin_stop, 1, __ATOMIC_RELEASE);
	CHECK_EQ(pthread_join(th, NULL), 0);
}

static const struct t_case cases[] = {
	{ case_table_shape, "table_shape" },
	{ case_stat_intr_total, "stat_intr_total" },
	{ case_loc_ticks, "loc_ticks" },
	{ case_wakeup_ipis, "wakeup_ipis" },
	{ case_tlb_shootdowns, "tlb_shootdowns" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
