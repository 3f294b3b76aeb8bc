/*
 * smp_mm.c - threads on every CPU working on one address space at once:
 * faulting the same pages in, breaking copy-on-write after a fork, and
 * unmapping. NT threads, thread i pinned to the i-th CPU (round the
 * CPUs, t_cpu_nth), fixed amounts of work, exact counts at the end:
 *
 *   fault-in-together  every thread adds 1 to a counter in each page of
 *                      a fresh mapping, starting at a different page,
 *                      so the faults collide: each counter ends at NT.
 *                      Then each thread unmaps its own pages (every
 *                      NT-th), splitting the one mapping from all CPUs
 *                      at once; after that mincore finds none.
 *   map-touch-unmap    each thread maps, fills, checks and unmaps small
 *                      regions of its own, 200 times, beside the others.
 *   cow-after-fork     the threads keep writing pass numbers into their
 *                      own words of shared pages, each checking that
 *                      the others' words are at least what the others
 *                      announced (a CPU still reading a page that a
 *                      COW break replaced would see less); meanwhile
 *                      the main thread forks 10 children. Each child
 *                      copies the pages, lets the parent's threads make
 *                      two more passes, and must find its pages
 *                      unchanged (no write of the parent reached them
 *                      through a stale translation); then it writes
 *                      its own marker, which the parent's threads must
 *                      never see in their words.
 *
 * All three run under t_check_no_leak: on Basalt MemFree comes back
 * exactly. With one CPU they run all the same and fail on a wrong count,
 * but skip instead of passing: nothing was cached on another CPU.
 */
#define _GNU_SOURCE
#include "t.h"
#include "threadtest.h"

#include <stdint.h>
#include <sys/wait.h>

#define NT		4	/* threads (and at least that many CPUs used) */
#define FAULT_PAGES	64
#define SMALL_PAGES	8
#define COW_PAGES	32
#define COW_FORKS	10
#define CHILD_MARK	0x43484c44UL	/* "CHLD" */

static pthread_barrier_t barrier;
static int work_rounds;

static void sync_all(void)
{
	int r = pthread_barrier_wait(&barrier);

	CHECK(r == 0 || r == PTHREAD_BARRIER_SERIAL_THREAD);
}

/* Starts NT threads running fn(i) after pinning, and joins them. */
static void run_threads(void *(*fn)(void *))
{
	pthread_t t[NT];

	CHECK_ZERO(pthread_barrier_init(&barrier, NULL, NT));
	for (intptr_t i = 0; i < NT; i++)
		t[i] = th_start(fn, (void *)i);
	for (int i = 0; i < NT; i++)
		th_join(t[i]);
	CHECK_ZERO(pthread_barrier_destroy(&barrier));
}

static char *fault_region;

static void *fault_in_thread(void *arg)
{
	int me = (int)(intptr_t)arg;

	t_pin(t_cpu_nth(me));
	for (int round = 0; round < work_rounds; round++) {
		sync_all();	/* main's mapping is ready */
		for (int n = 0; n < FAULT_PAGES; n++) {
			int p = (n + me * FAULT_PAGES / NT) % FAULT_PAGES;

			th_add((volatile int *)(fault_region + p * T_PAGE), 1);
		}
		sync_all();	/* every page counted by all */
		for (int p = me; p < FAULT_PAGES; p += NT) {
			CHECK_EQ(*(volatile int *)(fault_region + p * T_PAGE),
				 NT);
			CHECK_OK(munmap(fault_region + p * T_PAGE, T_PAGE));
		}
		sync_all();	/* all unmapped */
		if (me == 0) {
			unsigned char vec;

			for (int p = 0; p < FAULT_PAGES; p++)
				CHECK_ERR(mincore(fault_region + p * T_PAGE,
						  T_PAGE, &vec), ENOMEM);
			fault_region = t_map(FAULT_PAGES * T_PAGE,
					     PROT_READ | PROT_WRITE);
		}
	}
	return NULL;
}

static void fault_in_together(int rounds)
{
	work_rounds = rounds;
	fault_region = t_map(FAULT_PAGES * T_PAGE, PROT_READ | PROT_WRITE);
	run_threads(fault_in_thread);
	CHECK_OK(munmap(fault_region, FAULT_PAGES * T_PAGE));
}

static void case_fault_in_together(void)
{
	t_check_no_leak("fault in and unmap from every CPU",
			fault_in_together, 50);
	t_need_cpus(2);	/* ran, but on one CPU */
}

static void *small_maps_thread(void *arg)
{
	int me = (int)(intptr_t)arg;
	size_t len = SMALL_PAGES * T_PAGE;

	t_pin(t_cpu_nth(me));
	for (int i = 0; i < work_rounds; i++) {
		uint64_t *p = t_map(len, PROT_READ | PROT_WRITE);
		uint64_t tag = (uint64_t)me << 32 | (uint64_t)i;

		for (size_t w = 0; w < len / 8; w += 64)
			p[w] = tag + w;
		for (size_t w = 0; w < len / 8; w += 64)
			CHECK_EQ(p[w], tag + w);
		CHECK_OK(munmap(p, len));
	}
	return NULL;
}

static void map_touch_unmap(int rounds)
{
	work_rounds = rounds;
	run_threads(small_maps_thread);
}

static void case_map_touch_unmap(void)
{
	t_check_no_leak("map, touch, unmap on every CPU", map_touch_unmap,
			200);
	t_need_cpus(2);	/* ran, but on one CPU */
}

/*
 * The COW case. Page p holds one word per thread, cow_word(p, t); pub[t]
 * is the pass thread t last finished (after writing it everywhere).
 */
static uint64_t *cow_region;
static volatile int pub[NT];
static volatile int cow_stop;

static volatile uint64_t *cow_word(int p, int t)
{
	return cow_region + (size_t)p * (T_PAGE / 8) + (size_t)t * 8;
}

static void cow_pass(int me, int pass)
{
	for (int p = 0; p < COW_PAGES; p++)
		*cow_word(p, me) = (uint64_t)pass;
	for (int p = 0; p < COW_PAGES; p++)
		if (*cow_word(p, me) != (uint64_t)pass)
			T_FAIL("thread %d, page %d: its word is %#llx after "
			       "writing pass %d", me, p,
			       (unsigned long long)*cow_word(p, me), pass);
	t_post(&pub[me], pass);
	for (int t = 0; t < NT; t++) {
		int seen = th_load(&pub[t]);

		for (int p = 0; p < COW_PAGES; p++)
			if (*cow_word(p, t) < (uint64_t)seen)
				T_FAIL("thread %d, page %d: thread %d's word "
				       "is %llu, but it finished pass %d", me,
				       p, t,
				       (unsigned long long)*cow_word(p, t),
				       seen);
	}
}

static void *cow_thread(void *arg)
{
	int me = (int)(intptr_t)arg;

	t_pin(t_cpu_nth(me));
	for (int pass = 1; !th_load(&cow_stop); pass++) {
		cow_pass(me, pass);
		if (pass % 4 == 0)
			sched_yield();	/* one CPU: let main fork */
	}
	return NULL;
}

/* Every thread has finished at least `more` passes since `from`. */
static void await_passes(const int from[NT], int more)
{
	for (int t = 0; t < NT; t++)
		while (th_load(&pub[t]) < from[t] + more)
			sched_yield();
}

/* The child: its pages must not change while the parent writes on. */
static void cow_child(volatile int *shared)
{
	static uint64_t snap[COW_PAGES * T_PAGE / 8];

	memcpy(snap, cow_region, sizeof(snap));
	t_post(&shared[0], 1);		/* snapped */
	t_await(&shared[1], 1);		/* the parent made two passes */
	if (memcmp(snap, cow_region, sizeof(snap)) != 0)
		T_FAIL("the child's pages changed after its fork");
	for (int p = 0; p < COW_PAGES; p++)
		for (int t = 0; t < NT; t++)
			*cow_word(p, t) = CHILD_MARK;
	_exit(0);
}

static void cow_after_fork(int forks)
{
	size_t len = COW_PAGES * T_PAGE;
	pthread_t t[NT];

	cow_region = t_map(len, PROT_READ | PROT_WRITE);
	cow_stop = 0;
	for (int i = 0; i < NT; i++)
		pub[i] = 0;
	for (intptr_t i = 0; i < NT; i++)
		t[i] = th_start(cow_thread, (void *)i);
	for (int f = 0; f < forks; f++) {
		volatile int *shared = t_shared_ints();
		int at[NT];
		pid_t pid = t_fork();

		if (pid == 0)
			cow_child(shared);
		t_await(&shared[0], 1);
		for (int i = 0; i < NT; i++)
			at[i] = th_load(&pub[i]);
		await_passes(at, 2);
		t_post(&shared[1], 1);
		CHECK_EXITED(t_wait(pid), 0);
		CHECK_OK(munmap((void *)shared, T_PAGE));
	}
	t_post(&cow_stop, 1);
	for (int i = 0; i < NT; i++)
		th_join(t[i]);
	for (int p = 0; p < COW_PAGES; p++)
		for (int i = 0; i < NT; i++)
			CHECK_EQ(*cow_word(p, i), pub[i]);
	CHECK_OK(munmap(cow_region, len));
}

static void case_cow_after_fork(void)
{
	t_check_no_leak("COW breaks on every CPU after forks",
			cow_after_fork, COW_FORKS);
	t_need_cpus(2);	/* ran, but on one CPU */
}

static const struct t_case cases[] = {
	{ case_fault_in_together, "fault-in-together" },
	{ case_map_touch_unmap, "map-touch-unmap" },
	{ case_cow_after_fork, "cow-after-fork" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
