/*
 * main.c - the syscall fuzzer's entry point: options, the sandbox, the
 * leak check, the verdict. Run by the test runner as /tests/fuzz (in
 * `make test`, and alone in `make fuzz`); see docs/testing.md and
 * docs/security.md.
 *
 * Options come from /tests/fuzz.conf (written by make), then from the
 * command line, each as key=value:
 *   seed=N     the run's seed (decimal or 0x hex); printed first
 *   calls=N    the budget: calls issued in all, over all workers
 *   workers=N  processes fuzzing at once (1..16)
 *   warmup=N   calls of a warm-up run before MemFree is first read
 *   verbose=1  every worker prints every call before making it
 *   stats=1    print, per call, how many of those made succeeded
 *   failnth=N  one call in N has one of its kernel allocations fail
 *              (Basalt booted with fault_inject; nothing elsewhere)
 *   faillo=A failhi=B  only calls numbered A..B get those failures
 *
 * The verdict: PASS when the kernel is alive to print it, every worker
 * was reaped, and (on Basalt) MemFree came back exactly to its reading
 * before the run; on Linux, whose caches move MemFree, the difference is
 * reported only.
 */
#define _GNU_SOURCE
#include "fuzz.h"
#include "supervisor.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#define CONF_PATH	"/tests/fuzz.conf"

struct options {
	uint64_t seed, calls, warmup;
	int workers, verbose, stats, failnth, fail_lo, fail_hi;
};

static int set_option(struct options *o, const char *word)
{
	const char *eq = strchr(word, '=');
	uint64_t v;

	if (!eq)
		return -1;
	v = strtoull(eq + 1, NULL, 0);
	if (!strncmp(word, "seed=", 5))
		o->seed = v;
	else if (!strncmp(word, "calls=", 6))
		o->calls = v;
	else if (!strncmp(word, "workers=", 8))
		o->workers = (int)v;
	else if (!strncmp(word, "warmup=", 7))
		o->warmup = v;
	else if (!strncmp(word, "verbose=", 8))
		o->verbose = (int)v;
	else if (!strncmp(word, "stats=", 6))
		o->stats = (int)v;
	else if (!strncmp(word, "failnth=", 8))
		o->failnth = (int)v;
	else if (!strncmp(word, "faillo=", 7))
		o->fail_lo = (int)v;
	else if (!strncmp(word, "failhi=", 7))
		o->fail_hi = (int)v;
	else
		return -1;
	return 0;
}

static void read_conf(struct options *o)
{
	char buf[1024];
	ssize_t n;
	int fd = open(CONF_PATH, O_RDONLY);

	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	for (char *w = strtok(buf, " \t\n"); w; w = strtok(NULL, " \t\n"))
		if (set_option(o, w) < 0)
			printf("fuzz: %s: ignoring '%s'\n", CONF_PATH, w);
}

static int is_basalt(void)
{
	struct utsname u;

	return uname(&u) == 0 && strstr(u.release, "basalt") != NULL;
}

static void tick(void)
{
	struct timespec ts = { 0, 10000000L };

	nanosleep(&ts, NULL);
}

/*
 * A reading (MemFree, kmalloc bytes) once the run's leftovers are gone.
 * Zombies of workers' children are reaped by init (the runner) on its
 * own time, so with exact (Basalt) wait a bounded number of ticks for
 * the reading to come back to want; otherwise wait for it to hold still.
 */
static long settled(long (*reading)(void), long want, int exact)
{
	long now = reading(), last = -1;
	int still = 0;

	for (int i = 0; i < 1000; i++) {
		if (exact ? now == want : (now == last && ++still >= 5))
			break;
		if (now != last)
			still = 0;
		last = now;
		tick();
		now = reading();
	}
	return now;
}

/* Basalt with fault_inject: kmalloc's live bytes must come back too (a
 * leaked object shows there; MemFree moves only when a page goes). */
static int kmalloc_check(long before)
{
	long after = settled(fz_kmalloc_bytes, before, 1);

	printf("fuzz: kmalloc bytes before=%ld after=%ld (%+ld); %ld "
	       "allocations made to fail\n", before, after, after - before,
	       fz_injected());
	if (after == before)
		return 0;
	printf("fuzz: FAIL: %ld bytes of kmalloc objects not given back\n",
	       after - before);
	return -1;
}

/* A run in a fresh sandbox, and everything it made taken away. */
static int fuzz_run(uint64_t calls, uint64_t seed, int quiet)
{
	int err;

	fz_outside_snapshot();
	if (fz_sandbox_make() < 0) {
		perror("fuzz: cannot make the sandbox " FZ_ROOT);
		return -1;
	}
	fflush(stdout);
	err = fz_supervise_run(calls, seed, quiet);
	fz_ipc_remove_new();
	fz_names_restore();
	if (fz_sandbox_remove() < 0) {
		printf("fuzz: FAIL: cannot remove the sandbox %s\n", FZ_ROOT);
		err = -1;
	}
	if (fz_outside_check() < 0)
		err = -1;
	return err;
}

int main(int argc, char **argv)
{
	struct options o = { .seed = 1, .calls = 50000, .warmup = ~0ULL,
			     .workers = 4, .fail_hi = FZ_NR_MAX };
	int basalt = is_basalt(), failed = 0;
	long before, after, km_before;

	setvbuf(stdout, NULL, _IONBF, 0);	/* no buffer to fork twice */
	read_conf(&o);
	for (int i = 1; i < argc; i++)
		if (set_option(&o, argv[i]) < 0)
			printf("fuzz: ignoring argument '%s'\n", argv[i]);
	if (o.workers < 1 || o.workers > FZ_MAX_WORKERS)
		o.workers = 4;
	if (o.warmup == ~0ULL)
		o.warmup = o.calls / 10 < 200 ? 200 : o.calls / 10 > 5000 ?
			   5000 : o.calls / 10;
	printf("fuzz: seed=%#llx calls=%llu workers=%d failnth=%d (again: "
	       "make fuzz SEED=%#llx CALLS=%llu WORKERS=%d FAILNTH=%d)\n",
	       (unsigned long long)o.seed, (unsigned long long)o.calls,
	       o.workers, o.failnth, (unsigned long long)o.seed,
	       (unsigned long long)o.calls, o.workers, o.failnth);
	if (fz_supervise_init(o.workers, o.verbose, o.stats, o.failnth) < 0) {
		perror("fuzz: cannot map the shared region");
		return 1;
	}
	fz_ipc_snapshot();
	fz_names_save();
	fz_sh->fail_lo = o.fail_lo;
	fz_sh->fail_hi = o.fail_hi;
	/* First touches (the kernel's and ours) happen in the warm-up. */
	if (o.warmup && fuzz_run(o.warmup, o.seed ^ 0x5741524d5550ULL, 1) < 0)
		failed = 1;
	before = settled(fz_memfree_kb, -1, 0);
	km_before = fz_kmalloc_bytes();
	if (fuzz_run(o.calls, o.seed, 0) < 0)
		failed = 1;
	after = settled(fz_memfree_kb, before, basalt);
	printf("fuzz: MemFree before=%ld after=%ld kB (%+ld)%s\n", before,
	       after, after - before,
	       basalt ? "" : " (Linux: reported, not asserted)");
	if (basalt && after != before) {
		printf("fuzz: FAIL: %ld kB of memory not given back\n",
		       before - after);
		failed = 1;
	}
	if (basalt && km_before >= 0 && kmalloc_check(km_before) < 0)
		failed = 1;
	if (basalt && failed)
		fz_print_leftovers();
	printf("fuzz: %s (seed=%#llx)\n", failed ? "FAIL" : "PASS",
	       (unsigned long long)o.seed);
	return failed;
}
