/*
 * security_arch.c - holes a hostile program could use against the CPU
 * side of the kernel (issue 12): entry code, the scheduler, long calls.
 *
 * smap-ac-flag-cleared-on-entry
 *   EFLAGS.AC is a user-writable flag (popf), and while it is set SMAP
 *   does not stop the kernel touching user pages. Linux clears it on
 *   every entry; Basalt's trap entry did not, so a program that set AC
 *   had every interrupt and fault handled with SMAP off. The kernel now
 *   checks on every entry that AC is clear (it panics otherwise), so the
 *   case enters the kernel every way it can with AC set - a system call
 *   that copies, a page fault, a timer interrupt, a page fault taken by
 *   the kernel's own copy routine - and then checks that the calls
 *   worked and that its own AC was given back unchanged, as on Linux.
 *
 * slice-wrap-starvation
 *   A task whose time slice ran out while nobody else was runnable had
 *   its tick counter wrap to 2^32-1, so a task that woke later waited
 *   for ~2^32 ticks. A CPU hog runs until a sleeper has woken and run
 *   SLEEPER_RUNS times; the hog's loop is bounded only so that a broken
 *   kernel fails instead of hanging.
 *
 * large-read-lets-others-run
 *   A read of 256 MiB from /dev/zero kept every other process off the
 *   CPU until it finished (the kernel did not yield inside it). A
 *   ticker process counts how many times it ran while the reader was
 *   inside read(); it must get READ_TICKER_RUNS turns inside one read.
 *   With one CPU it can only run then if the kernel yields inside the
 *   call (see ticker() for the two turns it may get at a read's edges);
 *   the reads are repeated at most READ_ROUNDS times.
 *
 * Everything is judged by counts, never by how long something took.
 */
#define _GNU_SOURCE
#include "t.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RFLAGS_AC (1UL << 18)

/*
 * Each helper sets AC, does one thing, stores RFLAGS as they were right
 * after it through flags_out, and clears AC again. They are assembly so
 * that no compiler-generated code runs with AC set (it would be checked
 * for alignment where the CPU enforces that), and all their own memory
 * accesses are aligned.
 *
 * long ac_syscall3(nr, a1, a2, a3, flags_out): the raw system call.
 * void ac_store(long *p, long v, flags_out): *p = v (p may fault).
 * long ac_spin(const int *flag, long max, flags_out): spins until *flag
 *   is non-zero or max iterations passed; returns the iterations left.
 */
__asm__(
	".text\n"
	".macro AC_ON\n pushfq\n orq $0x40000, (%rsp)\n popfq\n .endm\n"
	".macro AC_OFF_STORE_FLAGS out\n pushfq\n popq %r11\n"
	" movq %r11, (\\out)\n"
	" pushfq\n andq $~0x40000, (%rsp)\n popfq\n .endm\n"
	".globl ac_syscall3\n"
	"ac_syscall3:\n"
	" AC_ON\n"
	" movq %rdi, %rax\n movq %rsi, %rdi\n movq %rdx, %rsi\n"
	" movq %rcx, %rdx\n"
	" syscall\n"
	" AC_OFF_STORE_FLAGS %r8\n"
	" ret\n"
	".globl ac_store\n"
	"ac_store:\n"
	" AC_ON\n"
	" movq %rsi, (%rdi)\n"
	" AC_OFF_STORE_FLAGS %rdx\n"
	" ret\n"
	".globl ac_spin\n"
	"ac_spin:\n"
	" movq %rsi, %rax\n"
	" AC_ON\n"
	"1: cmpl $0, (%rdi)\n jne 2f\n pause\n decq %rax\n jnz 1b\n"
	"2: AC_OFF_STORE_FLAGS %rdx\n"
	" ret\n");
long ac_syscall3(long nr, long a1, long a2, long a3, unsigned long *flags_out);
void ac_store(long *p, long v, unsigned long *flags_out);
long ac_spin(const volatile int *flag, long max, unsigned long *flags_out);

static bool all_zero(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* A system call that copies to user memory, entered with AC set. */
static void ac_through_syscall(void)
{
	unsigned long flags = 0;
	char *buf = t_map(2 * T_PAGE, PROT_READ | PROT_WRITE);
	int fd = CHECK_OK(open("/dev/zero", O_RDONLY));

	memset(buf, 0x5a, 2 * T_PAGE);
	long n = ac_syscall3(SYS_read, fd, (long)buf, 2 * T_PAGE, &flags);
	CHECK_EQ(n, 2 * T_PAGE);
	CHECK(all_zero(buf, 2 * T_PAGE));
	CHECK(flags & RFLAGS_AC);
	/* A bad pointer still fails cleanly. */
	n = ac_syscall3(SYS_read, fd, (long)T_KERNEL_DIRECT, 16, &flags);
	CHECK_EQ(n, -EFAULT);
	CHECK(flags & RFLAGS_AC);
	close(fd);
}

/* A user page fault (a first touch of anonymous memory) with AC set. */
static void ac_through_page_fault(void)
{
	unsigned long flags = 0;
	long *p = t_map(T_PAGE, PROT_READ | PROT_WRITE);

	ac_store(p, 0x1234, &flags);
	CHECK_EQ(*p, 0x1234);
	CHECK(flags & RFLAGS_AC);
}

/*
 * A timer interrupt with AC set: spin with AC set until a child has run.
 * With one CPU the child can only run if a tick preempted the spin; with
 * more it may run beside us, and the spin proves nothing but harms nothing.
 */
static void ac_through_interrupt(void)
{
	volatile int *flag = t_shared_ints();
	unsigned long flags = 0;

	flag[0] = 0;
	pid_t pid = t_fork();
	if (pid == 0) {
		t_post(&flag[0], 1);
		_exit(0);
	}
	long left = ac_spin(&flag[0], 1L << 40, &flags);
	CHECK(left > 0);
	CHECK(flags & RFLAGS_AC);
	CHECK_EXITED(t_wait(pid), 0);
}

/*
 * The kernel's own copy routine opens the SMAP window (STAC) and takes a
 * page fault inside it, on every page of a buffer never touched before:
 * the fault handler must not inherit the open window.
 */
static void ac_through_copy_fault(void)
{
	size_t len = 64 * T_PAGE;
	char *buf = t_map(len, PROT_READ | PROT_WRITE);
	int fd = CHECK_OK(open("/dev/zero", O_RDONLY));

	CHECK_EQ(read(fd, buf, len), (ssize_t)len);
	CHECK(all_zero(buf, len));
	close(fd);
}

static void case_smap_ac_flag_cleared_on_entry(void)
{
	ac_through_syscall();
	ac_through_page_fault();
	ac_through_interrupt();
	ac_through_copy_fault();
}

/* slice-wrap-starvation */
#define SLEEPER_RUNS 4
#define SLEEP_NS 50000000L	/* longer than a time slice: the hog's ends alone */
#define HOG_MAX_SPINS (1L << 34)

static void case_slice_wrap_starvation(void)
{
	volatile int *s = t_shared_ints();	/* [0] runs, [1] hog started */

	s[0] = s[1] = 0;
	pid_t sleeper = t_fork();
	if (sleeper == 0) {
		struct timespec ts = { 0, SLEEP_NS };

		t_await(&s[1], 1);
		while (__atomic_load_n(&s[0], __ATOMIC_SEQ_CST) < SLEEPER_RUNS) {
			nanosleep(&ts, NULL);
			__atomic_add_fetch(&s[0], 1, __ATOMIC_SEQ_CST);
		}
		_exit(0);
	}
	pid_t hog = t_fork();
	if (hog == 0) {
		long spins = 0;

		t_post(&s[1], 1);
		while (__atomic_load_n(&s[0], __ATOMIC_RELAXED) < SLEEPER_RUNS &&
		       ++spins < HOG_MAX_SPINS)
			;
		_exit(spins < HOG_MAX_SPINS ? 0 : 1);
	}
	int st = t_wait(hog);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		kill(sleeper, SIGKILL);
		t_wait(sleeper);
		T_FAIL("the sleeper ran %d of %d times while the hog spun",
		       s[0], SLEEPER_RUNS);
	}
	CHECK_EXITED(t_wait(sleeper), 0);
}

/* large-read-lets-others-run */
#define READ_LEN (256UL << 20)
#define READ_ALIAS (1UL << 20)	/* the buffer: one MiB mapped 256 times */
#define READ_ROUNDS 16
#define READ_TICKER_RUNS 4

/*
 * A 256 MiB buffer that costs one MiB: a MAP_SHARED memfd of 1 MiB mapped
 * again and again over a reserved range. The kernel still copies 256 MiB.
 */
static char *aliased_buffer(void)
{
	int fd = CHECK_OK(memfd_create("large-read", 0));
	CHECK_OK(ftruncate(fd, READ_ALIAS));
	char *buf = mmap(NULL, READ_LEN, PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(buf != MAP_FAILED);
	for (size_t off = 0; off < READ_LEN; off += READ_ALIAS)
		CHECK(mmap(buf + off, READ_ALIAS, PROT_READ | PROT_WRITE,
			   MAP_SHARED | MAP_FIXED, fd, 0) == buf + off);
	close(fd);
	memset(buf, 1, READ_ALIAS);	/* fault it in before the reads */
	return buf;
}

/*
 * The ticker sleeps a millisecond at a time and, each time it runs while
 * the reader's flag says "in read()", counts a turn. Without a yield in
 * the kernel it can still get two such turns per read, at its edges:
 * between setting the flag and entering the kernel, and on the way out
 * (the reader gives up the CPU on its return to user mode, before it
 * clears the flag). So one read must show more than two.
 */
static void ticker(volatile int *s)
{
	struct timespec ts = { 0, 1000000 };

	while (!__atomic_load_n(&s[2], __ATOMIC_SEQ_CST)) {
		nanosleep(&ts, NULL);
		if (__atomic_load_n(&s[0], __ATOMIC_SEQ_CST))
			__atomic_add_fetch(&s[1], 1, __ATOMIC_SEQ_CST);
	}
	_exit(0);
}

static void case_large_read_lets_others_run(void)
{
	/* [0] reader in read(), [1] ticker's turns inside it, [2] stop */
	volatile int *s = t_shared_ints();
	char *buf = aliased_buffer();
	int fd = CHECK_OK(open("/dev/zero", O_RDONLY));
	int rounds = 0, best = 0;

	s[0] = s[1] = s[2] = 0;
	pid_t pid = t_fork();
	if (pid == 0)
		ticker(s);
	while (rounds < READ_ROUNDS && best < READ_TICKER_RUNS) {
		__atomic_exchange_n(&s[1], 0, __ATOMIC_SEQ_CST);
		__atomic_store_n(&s[0], 1, __ATOMIC_SEQ_CST);
		ssize_t n = read(fd, buf, READ_LEN);
		__atomic_store_n(&s[0], 0, __ATOMIC_SEQ_CST);
		int turns = __atomic_exchange_n(&s[1], 0, __ATOMIC_SEQ_CST);
		CHECK_EQ(n, (ssize_t)READ_LEN);
		best = turns > best ? turns : best;
		rounds++;
	}
	t_post(&s[2], 1);
	CHECK_EXITED(t_wait(pid), 0);
	t_note("the ticker ran up to %d times inside one read of 256 MiB "
	       "(%d reads)", best, rounds);
	CHECK(best >= READ_TICKER_RUNS);
	CHECK(all_zero(buf, READ_ALIAS));
	close(fd);
}

static const struct t_case cases[] = {
	{ case_smap_ac_flag_cleared_on_entry, "smap-ac-flag-cleared-on-entry" },
	{ case_slice_wrap_starvation, "slice-wrap-starvation" },
	{ case_large_read_lets_others_run, "large-read-lets-others-run" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
