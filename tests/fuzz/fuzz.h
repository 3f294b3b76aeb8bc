/*
 * fuzz.h - the syscall fuzzer's shared declarations (tests/fuzz/).
 *
 * One supervisor process forks W workers. Each worker issues random
 * system calls, one after another, with arguments drawn from interesting
 * values (values.c) for the calls of the table (calls.c), until the run's
 * budget of calls is spent. A worker that dies (by a signal, by a fuzzed
 * exit, or killed by the watchdog when it stops making progress) is forked
 * again, as the next generation of its slot. The supervisor and the
 * workers share one anonymous MAP_SHARED region, struct fz_shared: the
 * call budget, the signals fuzzed calls have sent, and per slot the last
 * FZ_RING calls, which the supervisor prints when a worker dies in a way
 * it cannot explain.
 *
 * Determinism: slot s, generation g draws every choice from a generator
 * seeded with (seed, s, g), so a printed seed gives every worker the same
 * sequence of decisions again. (What the kernel answers - addresses, fds,
 * pids - and where the scheduler interleaves workers are not under the
 * fuzzer's control; with workers=1 a run is repeatable up to timing.)
 *
 * Workers use no C library after fork: a fuzzed call may point the FS
 * base at garbage (arch_prctl, sigreturn), so the worker's code must not
 * touch thread-local storage. It is compiled without the stack protector
 * and calls the kernel only through sys.h.
 */
#ifndef BASALT_FUZZ_H
#define BASALT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define FZ_MAX_WORKERS	16
#define FZ_RING		16	/* calls remembered per worker */
/* The supervisor mounts a tmpfs on FZ_ROOT (copies of /dev/null and
 * /dev/zero in FZ_ROOT/dev) and a smaller one on FZ_SANDBOX, where every
 * path a fuzzed call may change lies (paths.c). */
#define FZ_ROOT		"/tmp/fuzz"
#define FZ_SANDBOX	FZ_ROOT "/s"
#define FZ_PAGE		4096UL

/* The signal the watchdog sends to interrupt a worker blocked in a call:
 * the worker keeps a handler for it, and fuzzed calls never change its
 * disposition or block it (fix_procs.c). */
#define FZ_WAKE_SIG	10	/* SIGUSR1 */

/* Exit codes a worker uses for its own reasons (not fuzzed exits). */
#define FZ_EXIT_DONE	0	/* the run's budget of calls is spent */
#define FZ_EXIT_SETUP	120	/* setup failed: the supervisor reports it */
#define FZ_EXIT_LANDED	121	/* a fuzzed sigreturn returned into our stub */

/* One remembered call. ret is FZ_PENDING while the call is in the kernel. */
#define FZ_PENDING	((int64_t)0x7fffdeadbeef0001LL)
struct fz_record {
	uint32_t thread;	/* 0: the worker's first thread, 1: its buddy */
	uint32_t fail_nth;	/* its Nth allocation was made to fail, or 0 */
	uint64_t seq;		/* the thread's call number, from 1 */
	int64_t nr;		/* system call number */
	uint64_t arg[6];
	int64_t ret;
};

/*
 * A worker slot: written by its worker, read by the supervisor. A worker
 * is one process with one thread, or (half of them) two: the buddy
 * thread shares the address space, the arena and the descriptors, so the
 * calls of one race with the other's. Each thread's tid is cleared by
 * the kernel when the thread exits (CLONE_CHILD_CLEARTID and
 * set_tid_address point here).
 */
#define FZ_THREADS	2
struct fz_slot {
	volatile int32_t pid;		/* 0 when no worker runs */
	volatile uint32_t generation;
	volatile int32_t tid[FZ_THREADS];	/* 0: no such thread */
	volatile uint64_t progress[FZ_THREADS];	/* bumped around calls */
	volatile uint64_t calls;	/* calls this generation issued */
	/* Why a fault signal would be no surprise: a call that lets the
	 * worker crash itself (sigreturn to junk, a handler without a
	 * restorer, a failed execve) happened: 1 + its number, 0 if none. */
	volatile int32_t risky;
	volatile uint64_t skipped;	/* calls the fixups refused */
	volatile uint64_t ring_next;	/* index of the next record */
	struct fz_record ring[FZ_RING];
};

/* Successful calls that change the mount table, with their strings, so a
 * sandbox that cannot be taken down can be explained (cleanup.c). */
#define FZ_MOUNT_LOG	64
#define FZ_NR_MAX	512
struct fz_mount_event {
	int32_t worker, generation;
	struct fz_record rec;
	char text[160];		/* the string arguments */
};

struct fz_shared {
	volatile uint64_t issued;	/* calls taken from the budget */
	uint64_t budget;
	volatile uint64_t sigs_sent;	/* bit n-1: signal n was sent */
	int32_t supervisor_pid;
	int32_t supervisor_pgid;
	uint32_t verbose;		/* workers print every call */
	uint32_t stats;			/* print per-call success counts */
	uint32_t failnth;		/* 1 call in this many injects a failure */
	int32_t fail_lo, fail_hi;	/* only into calls numbered lo..hi */
	uint32_t nworkers;
	uint64_t seed;
	struct fz_slot slot[FZ_MAX_WORKERS];
	/* Per call number: how often issued, how often it succeeded. */
	uint32_t nr_issued[FZ_NR_MAX];
	uint32_t nr_ok[FZ_NR_MAX];
	volatile uint64_t mount_events;
	struct fz_mount_event mount_log[FZ_MOUNT_LOG];
};

/* ---- the random generator (xoshiro256**, seeded by splitmix64) ---- */

struct fz_rng {
	uint64_t s[4];
};

void fz_rng_seed(struct fz_rng *r, uint64_t seed, uint64_t a, uint64_t b);
uint64_t fz_rand(struct fz_rng *r);
/* Uniform in [0, n); n > 0. */
uint64_t fz_below(struct fz_rng *r, uint64_t n);
/* True with probability 1/n. */
int fz_one_in(struct fz_rng *r, uint64_t n);

/* ---- the table of calls (calls.c) ---- */

/* What an argument is; values.c draws a value for each kind. */
enum fz_kind {
	K_NONE,
	K_INT,		/* any integer, interesting ones first */
	K_SMALL,	/* a small count or index (0..64 and edges) */
	K_FD,		/* a descriptor: mostly open ones, some invalid */
	K_DIRFD,	/* AT_FDCWD or a descriptor */
	K_LEN,		/* a byte count: small, page-ish, huge */
	K_OFF,		/* a file offset: small, huge, negative */
	K_FLAGS,	/* bits of the entry's flag mask (see fz_call.mask) */
	K_MODE,		/* permission bits, with or without a file type */
	K_BUF_IN,	/* a pointer the kernel reads: random bytes */
	K_BUF_OUT,	/* a pointer the kernel writes */
	K_PATH,		/* a path name in the sandbox (or a bad pointer) */
	K_PATH_RO,	/* also /proc and /dev files: for calls that only look */
	K_PID,		/* a process id (kill-like calls are filtered) */
	K_SIG,		/* a signal number */
	K_UID,		/* a user or group id */
	K_ADDR,		/* a mapping address: arena, fuzz mappings, bad */
	K_MMLEN,	/* a mapping length */
	K_PROT,		/* PROT_* bits */
	K_IOVEC,	/* an iovec array; the next K_SMALL is its count */
	K_TIMESPEC,	/* a timespec (or timeval) pointer */
	K_SIGSET,	/* a sigset pointer (never holding FZ_WAKE_SIG) */
	K_SIGSETSZ,	/* 8 mostly */
	K_IPCKEY,	/* IPC_PRIVATE or one of a few keys */
	K_IPCID,	/* an IPC id from a recent get call, or junk */
	K_CMD,		/* a command number from the entry's mask list */
	K_CLOCK,	/* a clock id */
	K_RES,		/* an rlimit resource */
};

struct fz_worker;

/* A fixup adjusts the drawn arguments of one call (or refuses it: then
 * it returns nonzero and the call is counted as skipped, not issued). */
typedef int (*fz_fixup_fn)(struct fz_worker *w, uint64_t *a);
/* After the call: learn from the result (fds, mappings, ids). */
typedef void (*fz_after_fn)(struct fz_worker *w, const uint64_t *a,
			    int64_t ret);

struct fz_call {
	int nr;
	const char *name;
	uint8_t kind[6];
	uint64_t mask;		/* bits for K_FLAGS */
	const int64_t *cmds;	/* values for K_CMD, ending with FZ_END */
	uint8_t weight;		/* relative frequency; 0 means 4 */
	uint8_t how;		/* FZ_PLAIN, FZ_FORKLIKE, FZ_SIGRETURN */
	fz_fixup_fn fixup;
	fz_after_fn after;
};

#define FZ_END		((int64_t)0x7eadbeefcafe0000LL)
enum { FZ_PLAIN, FZ_FORKLIKE, FZ_SIGRETURN };

extern const struct fz_call fz_calls[];
extern const int fz_ncalls;
/* The name of call nr, or NULL. */
const char *fz_call_name(int64_t nr);

/* ---- a worker's state (worker.c, values.c, fix_*.c) ---- */

struct fz_range {
	uint64_t start, end;
};

#define FZ_MAX_PROTECTED 48
#define FZ_MAX_MAPS	16
#define FZ_MAX_IDS	8

struct fz_worker {
	struct fz_rng rng;
	struct fz_shared *sh;
	struct fz_slot *slot;
	int index;
	int thread;		/* 0 or 1: which of the slot's threads */
	/* Memory the worker owns. scratch: SCRATCH_RW pages it writes the
	 * arguments into, one read-only page, one PROT_NONE page. arena:
	 * ARENA_PAGES pages for mm calls to change and for the kernel to
	 * write into, then a PROT_NONE fence that no fuzzed call may move. */
	uint8_t *scratch;
	size_t scratch_used;
	uint8_t *arena;
	/* Ranges mm calls must not touch: the program, its stack, the
	 * shared region, scratch and the fence (read from /proc/self/maps). */
	struct fz_range protected[FZ_MAX_PROTECTED];
	int nprotected;
	uint64_t brk_floor;	/* brk below this would free our own heap */
	uint64_t vdso;		/* the [vdso] of /proc/self/maps, or 0 */
	/* What fuzzed calls gave back, to be used as arguments. */
	struct fz_range maps[FZ_MAX_MAPS];
	int nmaps;
	int64_t ids[3][FZ_MAX_IDS];	/* IPC ids: shm, sem, msg */
	int nids[3];
	uint64_t shm_addr;		/* the last shmat's address */
	int fd_hi;			/* highest descriptor seen */
	int32_t children[8];		/* recent child pids */
	int iov_count;			/* entries of the last K_IOVEC */
	int64_t call_nr;		/* the call being made (fixups may
					 * change it: enosys) */
	uint64_t seq;
};

#define FZ_SCRATCH_RW	8
#define FZ_ARENA_PAGES	16

/* values.c: one argument of a kind (entry gives masks and commands). */
uint64_t fz_value(struct fz_worker *w, const struct fz_call *c, int i);
/* A value of one kind, outside any call (for fields of structures). */
uint64_t fz_value_of(struct fz_worker *w, enum fz_kind kind);
/* Bump allocation in scratch for this call (reset before each call). */
void *fz_scratch(struct fz_worker *w, size_t len);
/* Random bytes into a buffer the worker owns. */
void fz_fill(struct fz_worker *w, void *p, size_t len);
/* A pointer to len bytes, usually valid (in scratch), else a bad one. */
uint64_t fz_ptr_in(struct fz_worker *w, size_t len);
uint64_t fz_ptr_out(struct fz_worker *w);
uint64_t fz_bad_ptr(struct fz_worker *w);
/* The IPC kind (0 shm, 1 sem, 2 msg) of a call number. */
int fz_ipc_kind(int64_t nr);
int fz_pick_sig(struct fz_worker *w);
/* paths.c: a path name argument; system: /proc and /dev files too. */
uint64_t fz_path(struct fz_worker *w, int system);
/* True when [start, start + len) overlaps a protected range. */
int fz_overlaps_protected(const struct fz_worker *w, uint64_t start,
			  uint64_t len);
void fz_note_fd(struct fz_worker *w, int64_t fd);

/* worker.c */
void fz_worker_main(struct fz_shared *sh, int index) __attribute__((noreturn));

/* supervisor.c: set up the shared region and this process (own session,
 * every catchable signal but SIGCHLD ignored); then run `calls` calls
 * with W workers from a seed, printing the counts unless quiet. Returns
 * 0, or -1 when the kernel failed the run (unkillable or broken worker). */
int fz_supervise_init(int workers, int verbose, int stats, int failnth);
int fz_supervise_run(uint64_t calls, uint64_t seed, int quiet);

/* cleanup.c: the sandbox, SysV IPC objects, the uname names, MemFree. */
int fz_sandbox_make(void);
int fz_sandbox_remove(void);
void fz_names_save(void);
void fz_names_restore(void);
/* outside.c: the names in the directories a worker could stray into,
 * before a run; after it, -1 (and each new name printed) if it made any. */
void fz_outside_snapshot(void);
int fz_outside_check(void);
/* supervisor.c: the mount-table changes of the last run, oldest first. */
void fz_print_mount_log(void);
void fz_ipc_snapshot(void);
int fz_ipc_remove_new(void);
long fz_memfree_kb(void);
/* From /proc/fault_inject (Basalt booted with fault_inject), or -1: the
 * bytes of live kmalloc objects, and the failures injected so far. */
long fz_kmalloc_bytes(void);
/* After a leak: print the processes, mounts and IPC objects left. */
void fz_print_leftovers(void);
long fz_injected(void);

/* elf.c: the bytes of FZ_SANDBOX "/e0" into buf; their count (0 if buf
 * is too small). Usable in workers. */
size_t fz_tiny_elf(uint8_t *buf, size_t size);

/* format.c: printing without stdio, usable in workers. */
struct fz_line {
	char buf[512];
	size_t len;
};
void fz_put_str(struct fz_line *l, const char *s);
void fz_put_dec(struct fz_line *l, int64_t v);
void fz_put_hex(struct fz_line *l, uint64_t v);
void fz_emit(struct fz_line *l, int fd);
/* "name(0x1, 0x2, ...) = ret" for a record. */
void fz_put_record(struct fz_line *l, const struct fz_record *r);
const char *fz_sig_name(int sig);

#endif
