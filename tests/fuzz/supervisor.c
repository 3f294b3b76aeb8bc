/*
 * supervisor.c - runs the workers: forks them, reforks a slot whose
 * worker died while calls remain, interrupts a worker that stopped making
 * progress (FZ_WAKE_SIG, then SIGKILL), explains every death, and reports.
 *
 * A worker's death is expected when it is SIGKILL (the watchdog, or a
 * fuzzed kill), a signal some fuzzed call sent (kill, tkill, tgkill, a
 * clone exit signal, F_SETSIG: fz_shared.sigs_sent), one the kernel
 * raises by design (SIGPIPE, SIGXFSZ, SIGXCPU, SIGIO), or a fault signal
 * after the worker made a call that lets it crash itself (slot.risky:
 * sigreturn to junk, a junk handler, execve). Any other death is printed
 * with the worker's last FZ_RING calls: it is a lead, not a failure.
 *
 * The run fails only when the kernel fails: a worker that SIGKILL does
 * not remove (an unkillable task), a worker that cannot set up, or (in
 * main.c) memory that is not given back. A panic or a hang of the whole
 * machine ends the boot, which the host reports.
 */
#define _GNU_SOURCE
#include "supervisor.h"
#include "sys.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TICK_NS		10000000L	/* the watchdog looks every 10 ms */
#define WAKE_TICKS	5		/* no progress: FZ_WAKE_SIG */
#define KILL_TICKS	200		/* still none: SIGKILL */
#define HANG_TICKS	(KILL_TICKS + 3000) /* not gone: unkillable */
/* A worker's setup may fail because a sibling shrank its limits
 * (prlimit64) as it started; the same slot failing so often is real. */
#define SETUP_RETRIES	8

struct fz_shared *fz_sh;
struct fz_stats fz_st;
/* stuck: ticks since any thread of the slot moved (SIGKILL at
 * KILL_TICKS); thread_stuck: since that thread moved (FZ_WAKE_SIG). */
static uint64_t last_progress[FZ_MAX_WORKERS][FZ_THREADS];
static int stuck[FZ_MAX_WORKERS];
static int thread_stuck[FZ_MAX_WORKERS][FZ_THREADS];
static int setup_failed[FZ_MAX_WORKERS];	/* in a row, per slot */
static int fork_failed[FZ_MAX_WORKERS];		/* in a row, per slot */
static int stopping;

/* fork may fail for want of memory or pids while workers hold much:
 * try again at the next tick, and give up (without failing the run: the
 * kernel said no cleanly) only after a long run of failures. */
static void fork_failure(int i)
{
	struct fz_line l = { .len = 0 };

	if (fork_failed[i]++ % 100)
		return;
	fz_put_str(&l, "fuzz: fork of worker ");
	fz_put_dec(&l, i);
	fz_put_str(&l, " failed, errno ");
	fz_put_dec(&l, errno);
	fz_put_str(&l, ", MemFree ");
	fz_put_dec(&l, fz_memfree_kb());
	fz_put_str(&l, " kB");
	fz_emit(&l, 1);
	if (fork_failed[i] > 1000) {
		fz_say("fuzz: fork keeps failing; the run stops");
		stopping = 1;
	}
}

static void spawn(int i)
{
	struct fz_slot *slot = &fz_sh->slot[i];
	pid_t pid;

	slot->generation++;
	for (int t = 0; t < FZ_THREADS; t++) {
		slot->tid[t] = 0;
		slot->progress[t] = 0;
		last_progress[i][t] = 0;
		thread_stuck[i][t] = 0;
	}
	slot->calls = 0;
	slot->ring_next = 0;
	slot->risky = 0;
	slot->skipped = 0;
	memset(slot->ring, 0, sizeof(slot->ring));
	stuck[i] = 0;
	pid = fork();
	if (pid == 0)
		fz_worker_main(fz_sh, i);
	if (pid < 0) {
		fork_failure(i);
		return;
	}
	fork_failed[i] = 0;
	slot->pid = pid;
	fz_st.generations++;
}

static int expected(const struct fz_slot *slot, int sig)
{
	static const int by_design[] = { SIGKILL, SIGPIPE, SIGXFSZ, SIGXCPU,
					 SIGIO };
	static const int faults[] = { SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE,
				      SIGSYS };

	for (size_t i = 0; i < sizeof(by_design) / sizeof(by_design[0]); i++)
		if (sig == by_design[i])
			return 1;
	if (sig >= 1 && sig <= 64 && (fz_sh->sigs_sent & (1ULL << (sig - 1))))
		return 1;
	for (size_t i = 0; i < sizeof(faults) / sizeof(faults[0]); i++)
		if (sig == faults[i] && slot->risky)
			return 1;
	return 0;
}

/* A slot's worker is gone: account for it, and clear up its group (its
 * children exit at once, but one may have been stopped first). */
static void worker_died(int i, int status)
{
	struct fz_slot *slot = &fz_sh->slot[i];

	kill(-slot->pid, SIGKILL);
	fz_st.skipped += slot->skipped;
	if (WIFEXITED(status)) {
		fz_st.exits++;
		if (WEXITSTATUS(status) == FZ_EXIT_SETUP) {
			if (++setup_failed[i] >= SETUP_RETRIES) {
				fz_st.setup_failures = setup_failed[i];
				stopping = 1;
			}
		} else {
			setup_failed[i] = 0;
		}
	} else if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);

		fz_st.signaled++;
		fz_st.by_sig[sig <= 64 ? sig : 0]++;
		if (!expected(slot, sig)) {
			fz_st.unexpected++;
			fz_report_death(i, "killed by unexpected", sig);
		}
	}
	slot->pid = 0;
}

static int slot_of(pid_t pid)
{
	for (int i = 0; i < (int)fz_sh->nworkers; i++)
		if (fz_sh->slot[i].pid == pid)
			return i;
	return -1;
}

static int budget_left(void)
{
	return !stopping && fz_sh->issued < fz_sh->budget;
}

/* Reaps whatever died (workers, and CLONE_PARENT children of workers,
 * which are ours); reforks a worker while calls remain. */
static void reap(void)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG | __WALL)) > 0) {
		int i = slot_of(pid);

		if (i < 0) {
			fz_st.strays++;
			continue;
		}
		worker_died(i, status);
		if (fz_sh->verbose) {
			struct fz_line l = { .len = 0 };

			fz_put_str(&l, "fuzz: supervisor: worker ");
			fz_put_dec(&l, i);
			fz_put_str(&l, " ended, status ");
			fz_put_hex(&l, (uint64_t)status);
			fz_emit(&l, 1);
		}
		if (budget_left())
			spawn(i);
	}
}

/* Whether any thread of slot i moved since the last tick; a thread that
 * did not for WAKE_TICKS ticks gets FZ_WAKE_SIG (and the process
 * SIGCONT, in case a fuzzed signal stopped it). */
static int slot_moved(int i)
{
	struct fz_slot *slot = &fz_sh->slot[i];
	int moved = 0;

	for (int t = 0; t < FZ_THREADS; t++) {
		int32_t tid = slot->tid[t];

		if (slot->progress[t] != last_progress[i][t]) {
			last_progress[i][t] = slot->progress[t];
			thread_stuck[i][t] = 0;
			moved = 1;
		} else if (tid && ++thread_stuck[i][t] % WAKE_TICKS == 0 &&
			   stuck[i] < KILL_TICKS) {
			kill(slot->pid, SIGCONT);
			tgkill(slot->pid, tid, FZ_WAKE_SIG);
			fz_st.wakes++;
		}
	}
	return moved;
}

static void watchdog(void)
{
	for (int i = 0; i < (int)fz_sh->nworkers; i++) {
		struct fz_slot *slot = &fz_sh->slot[i];

		if (!slot->pid || stuck[i] < 0)
			continue;
		if (slot_moved(i)) {
			stuck[i] = 0;
			continue;
		}
		stuck[i]++;
		if (stuck[i] == KILL_TICKS) {
			kill(slot->pid, SIGKILL);
			fz_st.kills++;
		} else if (stuck[i] == HANG_TICKS) {
			fz_report_death(i, "was sent SIGKILL 30 s ago and is still"
				     " there (unkillable)", 0);
			fz_st.unkillable++;
			stuck[i] = -1;	/* given up on; the run ends */
			stopping = 1;
		}
	}
}

static int live_workers(void)
{
	int n = 0;

	for (int i = 0; i < (int)fz_sh->nworkers; i++)
		if (fz_sh->slot[i].pid && stuck[i] >= 0)
			n++;
	return n;
}

static int any_fork_failed(void)
{
	for (int i = 0; i < (int)fz_sh->nworkers; i++)
		if (fork_failed[i] && !fz_sh->slot[i].pid)
			return 1;
	return 0;
}

static void respawn_failed(void)
{
	for (int i = 0; i < (int)fz_sh->nworkers; i++)
		if (fork_failed[i] && !fz_sh->slot[i].pid && budget_left())
			spawn(i);
}

/* System V objects outlive their makers: remove the run's every
 * IPC_SWEEP calls, or their memory would only grow. */
#define IPC_SWEEP 20000
static void ipc_sweep(void)
{
	static uint64_t last;

	if (fz_sh->issued / IPC_SWEEP != last) {
		last = fz_sh->issued / IPC_SWEEP;
		fz_ipc_remove_new();
	}
}

/*
 * Once a second: MemFree. The run is made not to exhaust memory (the
 * fixups cap what a call can make resident), so a fall below a quarter of
 * what there was at the start is a lead: print it once, with every
 * worker's last calls.
 */
static void watch_memory(void)
{
	static uint64_t ticks;
	static long start;
	static int warned;
	long now;

	if (ticks++ % 100)
		return;
	now = fz_memfree_kb();
	if (ticks == 1 || now > start) {
		start = now > start ? now : start;
		warned = 0;
		return;
	}
	if (warned || now >= start / 4)
		return;
	warned = 1;
	{
		struct fz_line l = { .len = 0 };

		fz_put_str(&l, "fuzz: MemFree fell to ");
		fz_put_dec(&l, now);
		fz_put_str(&l, " kB (from ");
		fz_put_dec(&l, start);
		fz_put_str(&l, " kB); the workers' last calls:");
		fz_emit(&l, 1);
	}
	for (int i = 0; i < (int)fz_sh->nworkers; i++)
		if (fz_sh->slot[i].pid)
			fz_report_death(i, "is running", 0);
}

static void tick(void)
{
	struct timespec ts = { 0, TICK_NS };
	static uint64_t ticks;

	nanosleep(&ts, NULL);
	if (fz_sh->verbose && ++ticks % 100 == 0) {	/* a sign of life */
		struct fz_line l = { .len = 0 };

		fz_put_str(&l, "fuzz: supervisor: issued ");
		fz_put_dec(&l, (int64_t)fz_sh->issued);
		for (int i = 0; i < (int)fz_sh->nworkers; i++) {
			fz_put_str(&l, i ? ", " : "; workers ");
			fz_put_dec(&l, fz_sh->slot[i].pid);
			fz_put_str(&l, "/");
			fz_put_dec(&l, stuck[i]);
		}
		fz_emit(&l, 1);
	}
}

/* One run of `calls` calls; returns 0, or -1 if the kernel failed it. */
static int run(uint64_t calls, uint64_t seed)
{
	memset(&fz_st, 0, sizeof(fz_st));
	fz_sh->issued = 0;
	fz_sh->budget = calls;
	fz_sh->seed = seed;
	fz_sh->sigs_sent = 0;
	fz_sh->mount_events = 0;
	memset(fz_sh->nr_issued, 0, sizeof(fz_sh->nr_issued));
	memset(fz_sh->nr_ok, 0, sizeof(fz_sh->nr_ok));
	stopping = 0;
	for (int i = 0; i < (int)fz_sh->nworkers; i++) {
		fz_sh->slot[i].generation = 0;
		setup_failed[i] = 0;
		fork_failed[i] = 0;
		spawn(i);
	}
	while (live_workers() || (budget_left() && any_fork_failed())) {
		tick();
		reap();
		respawn_failed();
		ipc_sweep();
		watch_memory();
		if (stopping || fz_sh->issued >= fz_sh->budget)
			for (int i = 0; i < (int)fz_sh->nworkers; i++)
				if (fz_sh->slot[i].pid && stuck[i] >= 0 &&
				    stuck[i] < KILL_TICKS)
					stuck[i] = KILL_TICKS - 1;
		watchdog();
	}
	reap();
	return fz_st.setup_failures || fz_st.unkillable ? -1 : 0;
}

int fz_supervise_init(int workers, int verbose, int stats, int failnth)
{
	fz_sh = mmap(NULL, sizeof(*fz_sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (fz_sh == MAP_FAILED)
		return -1;
	memset(fz_sh, 0, sizeof(*fz_sh));
	setsid();
	fz_catch_signals();
	fz_sh->supervisor_pid = getpid();
	fz_sh->supervisor_pgid = getpgid(0);
	fz_sh->nworkers = (uint32_t)workers;
	fz_sh->verbose = (uint32_t)verbose;
	fz_sh->stats = (uint32_t)stats;
	fz_sh->failnth = failnth > 0 ? (uint32_t)failnth : 0;
	return 0;
}

int fz_supervise_run(uint64_t calls, uint64_t seed, int quiet)
{
	int err = run(calls, seed);

	if (!quiet || err)
		fz_report();
	return err;
}
