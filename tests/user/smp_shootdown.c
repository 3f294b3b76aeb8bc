/*
 * smp_shootdown.c - the TLB shoot-down test. A thread on one CPU reads
 * (or writes) a mapping in a loop while the main thread, on another CPU,
 * takes the mapping away. Once munmap or mprotect has returned, no CPU
 * may still reach the old pages through a translation it cached: the
 * looping thread must fault (SIGSEGV, caught, siglongjmp out) and must
 * never see anything but the mapping's own contents.
 *
 *   munmap-while-reading  the pages are freed. To make a freed page
 *                         recognisable, a third party - another process,
 *                         on a third CPU where there is one - maps,
 *                         fills with a marker and unmaps fresh pages all
 *                         the time, so freed pages come back full of the
 *                         marker. The reader checks every word it reads.
 *   mprotect-none-while-reading  after mprotect(PROT_NONE) returns, the
 *                         main thread raises a flag; a read the reader
 *                         makes after seeing the flag must fault.
 *   write-after-mprotect-read  likewise for writes after
 *                         mprotect(PROT_READ); and the contents the main
 *                         thread sees after mprotect returned never
 *                         change.
 *
 * Each runs ROUNDS rounds and counts exactly one fault per round, under
 * t_check_no_leak (on Basalt MemFree comes back exactly). With one CPU
 * everything runs on it and still fails on a wrong value, but the cases
 * skip instead of passing: no translation was cached on another CPU.
 */
#define _GNU_SOURCE
#include "t.h"
#include "threadtest.h"

#include <setjmp.h>
#include <stdint.h>
#include <sys/wait.h>

#define ROUNDS		50
#define PAGES		16
#define WORDS		((long)(PAGES * T_PAGE / 8))
#define SCRIBBLE_PAGES	16
#define MARKER		0x5343524942424c45UL	/* "ELBBIRCS" */

enum mode { UNMAP, PROTECT_NONE, PROTECT_READ };

/* What the main thread and the looping thread share; see run_round. */
static struct {
	volatile uint64_t *region;
	volatile int round;	/* the round the region is for */
	volatile int looping;	/* round the loop has made a full pass in */
	volatile int taken;	/* round whose munmap/mprotect returned */
	volatile int faulted;	/* round whose fault the thread took */
	volatile int stop;
	enum mode mode;
	uint64_t bad_value;	/* first wrong word seen, and where */
	long bad_word;
	int bad_round;
	volatile int after_flag; /* an access that went through after it */
} sh;

static sigjmp_buf fault_jmp;
static volatile void *fault_addr;

static uint64_t live(int round, long word)
{
	return 0x4c49564500000000UL ^ ((uint64_t)round << 20) ^ (uint64_t)word;
}

static void on_segv(int sig, siginfo_t *si, void *ctx)
{
	(void)sig;
	(void)ctx;
	fault_addr = si->si_addr;
	siglongjmp(fault_jmp, 1);
}

/*
 * One pass over the region: reads, checking each word, or (PROTECT_READ)
 * writes a value that changes with every pass. The flag is loaded before
 * each access: an access made after seeing it must fault.
 */
static void loop_pass(int round, int pass)
{
	for (long i = 0; i < WORDS; i++) {
		int taken = th_load(&sh.taken);
		uint64_t v;

		if (sh.mode == PROTECT_READ) {
			sh.region[i] = live(round, i) + (uint64_t)pass + 1;
			if (taken == round)
				sh.after_flag = round;
			continue;
		}
		v = sh.region[i];
		if (taken == round && sh.mode == PROTECT_NONE)
			sh.after_flag = round;
		if (v != live(round, i) && !sh.bad_round) {
			sh.bad_value = v;
			sh.bad_word = i;
			sh.bad_round = round;
		}
	}
}

/* The looping thread: each round, pass over the region until it faults. */
static void *looper(void *arg)
{
	struct sigaction sa = { .sa_sigaction = on_segv,
				.sa_flags = SA_SIGINFO };

	(void)arg;
	t_pin(t_cpu_nth(1));
	CHECK_OK(sigaction(SIGSEGV, &sa, NULL));
	for (int round = 1;; round++) {
		while (th_load(&sh.round) != round && !th_load(&sh.stop))
			sched_yield();
		if (th_load(&sh.stop))
			return NULL;
		if (sigsetjmp(fault_jmp, 1) == 0) {
			for (int pass = 0;; pass++) {
				loop_pass(round, pass);
				if (pass == 0)
					t_post(&sh.looping, round);
				sched_yield();	/* one CPU: let main run */
			}
		}
		CHECK((uintptr_t)fault_addr - (uintptr_t)sh.region <
		      PAGES * T_PAGE);
		t_post(&sh.faulted, round);
	}
}

/* The third party: fresh pages full of the marker, all the time. */
static void scribbler(volatile int *stop, volatile int *fills)
{
	t_pin(t_cpu_nth(2));
	while (!th_load(stop)) {
		uint64_t *p = t_map(SCRIBBLE_PAGES * T_PAGE,
				    PROT_READ | PROT_WRITE);

		for (size_t i = 0; i < SCRIBBLE_PAGES * T_PAGE / 8; i++)
			p[i] = MARKER;
		CHECK_OK(munmap(p, SCRIBBLE_PAGES * T_PAGE));
		th_add(fills, 1);
		sched_yield();	/* sharing a CPU: let the test go on */
	}
	_exit(0);
}

static void run_round(int round)
{
	volatile uint64_t *r = t_map(PAGES * T_PAGE, PROT_READ | PROT_WRITE);
	static uint64_t seen[WORDS];

	for (long i = 0; i < WORDS; i++)
		r[i] = live(round, i);
	sh.region = r;
	t_post(&sh.round, round);
	t_await(&sh.looping, round);
	if (sh.mode == UNMAP) {
		CHECK_OK(munmap((void *)r, PAGES * T_PAGE));
	} else {
		CHECK_OK(mprotect((void *)r, PAGES * T_PAGE,
				  sh.mode == PROTECT_NONE ? PROT_NONE
							  : PROT_READ));
	}
	t_post(&sh.taken, round);
	if (sh.mode == PROTECT_READ)
		memcpy(seen, (void *)r, sizeof(seen));
	t_await(&sh.faulted, round);
	if (sh.mode == PROTECT_READ &&
	    memcmp(seen, (void *)r, sizeof(seen)) != 0)
		T_FAIL("round %d: a write landed after mprotect(PROT_READ) "
		       "returned", round);
	if (sh.mode != UNMAP)
		CHECK_OK(munmap((void *)r, PAGES * T_PAGE));
}

static void shootdown_rounds(int rounds)
{
	volatile int *shared = t_shared_ints();	/* [0] stop, [1] fills */
	pid_t scrib = t_fork();
	pthread_t loop;

	if (scrib == 0)
		scribbler(&shared[0], &shared[1]);
	/* The scribbler is at work before the first page is freed. */
	for (long spins = 0; th_load(&shared[1]) == 0; spins++) {
		CHECK(spins < (1L << 24));
		sched_yield();
	}
	sh.round = sh.looping = sh.taken = sh.faulted = sh.stop = 0;
	loop = th_start(looper, NULL);
	for (int round = 1; round <= rounds; round++) {
		run_round(round);
		if (sh.bad_round || sh.after_flag)
			break;
	}
	t_post(&sh.stop, 1);
	th_join(loop);
	t_post(&shared[0], 1);
	CHECK_EXITED(t_wait(scrib), 0);
	if (sh.bad_round)
		T_FAIL("round %d: word %ld read %#llx, want %#llx%s",
		       sh.bad_round, sh.bad_word,
		       (unsigned long long)sh.bad_value,
		       (unsigned long long)live(sh.bad_round, sh.bad_word),
		       sh.bad_value == MARKER ? " (a freed page, reused)" : "");
	if (sh.after_flag)
		T_FAIL("round %d: an access went through after %s returned",
		       sh.after_flag, sh.mode == UNMAP ? "munmap" : "mprotect");
	CHECK_EQ(sh.faulted, rounds);
	CHECK_OK(munmap((void *)shared, T_PAGE));
}

static void run_mode(enum mode mode, const char *what)
{
	sh.mode = mode;
	t_pin(t_cpu_nth(0));
	t_check_no_leak(what, shootdown_rounds, ROUNDS);
	t_need_cpus(2);	/* ran, but on one CPU */
}

static void case_munmap_while_reading(void)
{
	run_mode(UNMAP, "munmap while reading");
}

static void case_mprotect_none_while_reading(void)
{
	run_mode(PROTECT_NONE, "mprotect(PROT_NONE) while reading");
}

static void case_write_after_mprotect_read(void)
{
	run_mode(PROTECT_READ, "writes while mprotect(PROT_READ)");
}

static const struct t_case cases[] = {
	{ case_munmap_while_reading, "munmap-while-reading" },
	{ case_mprotect_none_while_reading, "mprotect-none-while-reading" },
	{ case_write_after_mprotect_read, "write-after-mprotect-read" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
