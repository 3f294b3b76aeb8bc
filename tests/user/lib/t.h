/*
 * t.h - the harness shared by every in-VM test program in tests/user.
 *
 * A test program is a table of named cases, as in xv6's usertests:
 *
 *     static const struct t_case cases[] = {
 *         { case_fork_exit_codes, "fork_exit_codes" },
 *     };
 *     int main(int argc, char **argv) { return T_RUN(argc, argv, cases); }
 *
 * t_main() runs every case in its own forked child, so a case that crashes
 * is reported as a failure and the others still run. It prints one line per
 * case ("  ok  name", "  FAIL name: reason" or "  skip name: reason"), then
 * "  (N of M cases ok, K skipped)", and returns the program's exit status:
 * 1 if any case failed, else T_SKIPPED if any case skipped, else 0. "prog
 * NAME" runs only the case NAME.
 *
 * A case that cannot run on this kernel (it lacks the facility the case is
 * about, and that is known and accepted) calls t_skip(): the case is then
 * counted, and reported up to the host's summary, as skipped - never as
 * passed. A skip is not a way out of a failed check: use it only after
 * probing for the facility, with the reason.
 *
 * Inside a case, the CHECK macros stop the case at the first failed check
 * and print file:line, the expression and errno. A failing check in a
 * grandchild prints its own line and exits with T_FAILED; CHECK_EXITED in
 * its parent passes that status on without printing a second line.
 *
 * The harness prints with write(2) only: stdio buffers would be copied into
 * every forked child and flushed twice.
 *
 * Every test must pass on Linux (the oracle) and on Basalt; the only
 * Basalt-only assertions are guarded by is_basalt() and documented where
 * they are made.
 */
#ifndef BASALT_TESTS_T_H
#define BASALT_TESTS_T_H

#include <errno.h>
#include <stddef.h>
#include <sys/types.h>

#define T_PAGE 4096UL

/* Exit status of a process whose check failed after printing why. */
#define T_FAILED 99

/*
 * Exit status of a case that skipped (after printing why), and of a test
 * program none of whose cases failed but some skipped: automake's "skip".
 * The runner (tests/user/runner.c) reports such a program as SKIP.
 */
#define T_SKIPPED 77

/* Linux ABI constants that musl's headers (or old glibc) do not provide. */
#define T_ARCH_SET_GS 0x1001
#define T_ARCH_SET_FS 0x1002
#define T_ARCH_GET_FS 0x1003
#define T_ARCH_GET_GS 0x1004

/*
 * Addresses that are never valid user memory on x86-64. T_USER_END is the
 * first address above 47-bit user space: non-canonical with 4-level page
 * tables, but canonical (and merely unmapped) with 5-level ones, which
 * QEMU's "-cpu max" offers and Debian's Linux uses. T_NONCANONICAL is
 * non-canonical either way.
 */
#define T_KERNEL_DIRECT ((void *)0xffff800000000000UL) /* kernel half */
#define T_KERNEL_TEXT   ((void *)0xffffffff80000000UL) /* kernel image */
#define T_USER_END      ((void *)0x0000800000000000UL)
#define T_NONCANONICAL  ((void *)0x8000000000000000UL)

struct t_case {
	void (*fn)(void);
	const char *name;
};

/* Runs the cases (all, or the one named by argv[1]); returns the exit status. */
int t_main(int argc, char **argv, const struct t_case *cases, int ncases);
#define T_RUN(argc, argv, cases) \
	t_main((argc), (argv), (cases), (int)(sizeof(cases) / sizeof((cases)[0])))

/* Prints "  FAIL case: file:line: message" and exits with T_FAILED. */
__attribute__((noreturn, format(printf, 3, 4)))
void t_fail_at(const char *file, int line, const char *fmt, ...);
#define T_FAIL(...) t_fail_at(__FILE__, __LINE__, __VA_ARGS__)

/*
 * Prints "  skip case: reason" and ends the case as skipped (exit status
 * T_SKIPPED). Called in a grandchild, the parent's CHECK_EXITED or
 * CHECK_SIGNALED passes the skip on, so the whole case skips.
 */
__attribute__((noreturn, format(printf, 1, 2)))
void t_skip(const char *fmt, ...);

/* Prints an indented informational line (never affects the result). */
__attribute__((format(printf, 1, 2)))
void t_note(const char *fmt, ...);

/* "EFAULT" for EFAULT, the number for names it does not know. */
const char *t_errname(int err);

#define CHECK(cond)                                                        \
	do {                                                               \
		if (!(cond))                                               \
			T_FAIL("check failed: %s (errno %s)", #cond,       \
			       t_errname(errno));                          \
	} while (0)

#define CHECK_EQ(a, b)                                                     \
	do {                                                               \
		long long a_ = (long long)(a), b_ = (long long)(b);        \
		if (a_ != b_)                                              \
			T_FAIL("%s == %s: got %lld (%#llx), want %lld (%#llx)", \
			       #a, #b, a_, (unsigned long long)a_, b_,     \
			       (unsigned long long)b_);                    \
	} while (0)

/* The call must succeed (not return -1); evaluates to its result as a long. */
#define CHECK_OK(expr)                                                     \
	({                                                                 \
		errno = 0;                                                 \
		long r_ = (long)(expr);                                    \
		if (r_ == -1)                                              \
			T_FAIL("%s failed: errno %s", #expr,               \
			       t_errname(errno));                          \
		r_;                                                        \
	})

/* The call must fail with -1 and exactly this errno. */
#define CHECK_ERR(expr, err)                                               \
	do {                                                               \
		errno = 0;                                                 \
		long r_ = (long)(expr);                                    \
		int e_ = errno;                                            \
		if (r_ != -1 || e_ != (err))                               \
			T_FAIL("%s: got %ld (errno %s), want -1 (errno %s)", \
			       #expr, r_, t_errname(e_), t_errname(err));  \
	} while (0)

/* Child processes. */
pid_t t_fork(void);                 /* fork, failing the case on error */
int t_wait(pid_t pid);              /* wait4 for that child; its status */
void t_check_exited(const char *file, int line, int status, int code);
void t_check_signaled(const char *file, int line, int status, int sig);
#define CHECK_EXITED(status, code) \
	t_check_exited(__FILE__, __LINE__, (status), (code))
#define CHECK_SIGNALED(status, sig) \
	t_check_signaled(__FILE__, __LINE__, (status), (sig))

/*
 * A MAP_SHARED anonymous page used to order events between a parent and
 * its child (tests avoid pipes and signals, which are tested elsewhere).
 * t_await spins with sched_yield; the bound only turns a hang into a
 * failure, it measures nothing.
 */
volatile int *t_shared_ints(void);
void t_post(volatile int *flag, int value);
void t_await(volatile int *flag, int value);

/* Memory helpers: private anonymous pages, and a page that is unmapped. */
void *t_map(size_t len, int prot);
void *t_unmapped_page(void);

/*
 * The state letter of pid in /proc/<pid>/stat ('R', 'S', 'Z', ...), or 0
 * if it cannot be read: how a test learns that another process is asleep
 * in the kernel without measuring time.
 */
char t_proc_state(pid_t pid);

/* MemFree from /proc/meminfo in kB; allocates nothing in user space. */
long t_memfree_kb(void);

/*
 * The leak protocol: work(rounds / 10) to warm up (first-touch
 * allocations the kernel keeps), then MemFree around work(rounds). On
 * Basalt it must come back exactly (the case fails otherwise); on Linux,
 * whose caches move on their own, the difference is only reported.
 */
void t_check_no_leak(const char *what, void (*work)(int), int rounds);

/*
 * CPUs (cpu.c). The set is init's affinity mask, every online CPU
 * (whatever the test pinned itself to): a test that needs two CPUs calls
 * t_need_cpus(2), which skips the case on a machine of one - before its
 * work, or after it, for work that ran but crossed no CPUs.
 * t_cpu_nth(i) is the i-th CPU of the set, counting round it, so thread
 * i of a test pins itself with t_pin(t_cpu_nth(i)) whatever the count.
 * t_pin pins the calling thread only (threads and children made after
 * it inherit it). t_getcpu is the CPU the caller runs on (getcpu(2)),
 * or -1 if the kernel lacks getcpu (ENOSYS). Each fails the case on any
 * other error.
 */
#define T_MAX_CPUS 256
int t_cpu_count(void);
int t_cpu_nth(int n);
void t_pin(int cpu);
/* Run once on every CPU of our mask: work other CPUs were finishing (a
 * task's last switch, which frees it) is done (t_memfree_kb uses it). */
void t_visit_cpus(void);
void t_need_cpus(int n);
int t_getcpu(void);
/*
 * The CPUs the host gave the machine (QEMU's -smp), from T_SMP in the
 * environment (scripts/run-tests.sh puts it on the kernel command line
 * and the runner passes it on), or 0 when unknown (a test run by hand).
 */
int t_machine_cpus(void);

/* True when uname().release names Basalt ("6.1.0-basalt"). */
int is_basalt(void);

/* This binary's path, its C library ("glibc"/"musl"), a sibling test's path. */
const char *t_self(void);
const char *t_libc(void);
void t_sibling(char *buf, size_t len, const char *test);

/*
 * Raw system call: returns the kernel's value (-errno on error), and touches
 * neither errno nor any other thread-local memory - for code that runs with
 * a foreign FS base, or must see exactly what the kernel returned.
 */
static inline long t_raw6(long nr, long a1, long a2, long a3, long a4,
			  long a5, long a6)
{
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10),
			   "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}
/* t_raw(nr, args...): up to six arguments, the missing ones zero. */
#define t_raw(...) t_raw_pad_(__VA_ARGS__, 0, 0, 0, 0, 0, 0, 0)
#define t_raw_pad_(nr, a1, a2, a3, a4, a5, a6, ...)                         \
	t_raw6((nr), (long)(a1), (long)(a2), (long)(a3), (long)(a4),       \
	       (long)(a5), (long)(a6))

#endif
