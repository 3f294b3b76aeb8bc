/*
 * futex.c - futex(2) and futex_waitv(2): waiting and waking (counts,
 * bitsets, timeouts on both clocks), requeueing, FUTEX_WAKE_OP, the
 * errors, keys in every kind of shared memory (shared anonymous, a memfd
 * mapped at two addresses, System V shm) and in private memory shared by
 * clone(CLONE_VM), PI locks between processes, robust lists, and
 * CLONE_CHILD_CLEARTID.
 *
 * Threads are not needed: processes sharing a page meet on its futexes
 * like threads do. "x is asleep" is learnt without timing, by polling
 * /proc/<pid>/stat until it shows state S. Timeouts are short and only
 * their error is checked.
 */
#define _GNU_SOURCE
#include "t.h"

#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SYS_futex_waitv
#define SYS_futex_waitv 449
#endif
#ifndef FUTEX_LOCK_PI2
#define FUTEX_LOCK_PI2 13
#endif
#define T_FUTEX_32 2

/* struct futex_waitv, spelt out: older headers lack it. */
struct t_waitv {
	uint64_t val;
	uint64_t uaddr;
	uint32_t flags;
	uint32_t reserved;
};

#define NOWHERE_TID 0x3ffffff0u	/* above every pid_max: no such task */

static long futex(volatile uint32_t *uaddr, int op, uint32_t val,
		  const struct timespec *ts, volatile uint32_t *uaddr2,
		  uint32_t val3)
{
	return syscall(SYS_futex, uaddr, op, val, ts, uaddr2, val3);
}

/* The requeue and wake-op forms: the timeout slot carries a count. */
static long futex2(volatile uint32_t *uaddr, int op, uint32_t val,
		   unsigned long val2, volatile uint32_t *uaddr2,
		   uint32_t val3)
{
	return syscall(SYS_futex, uaddr, op, val, val2, uaddr2, val3);
}

static pid_t t_gettid(void)
{
	return (pid_t)syscall(SYS_gettid);
}

static volatile uint32_t *shared_words(void)
{
	return (volatile uint32_t *)t_shared_ints();
}

/* A timespec ms milliseconds from now on clock (absolute). */
static struct timespec abs_in_ms(clockid_t clock, long ms)
{
	struct timespec ts;

	CHECK_OK(clock_gettime(clock, &ts));
	ts.tv_nsec += ms * 1000000L;
	ts.tv_sec += ts.tv_nsec / 1000000000L;
	ts.tv_nsec %= 1000000000L;
	return ts;
}

static const struct timespec ten_ms = { 0, 10 * 1000000L };

/* Wait (bounded, by yielding) until pid sleeps. */
static void await_sleeping(pid_t pid)
{
	for (long i = 0; i < (1L << 20); i++) {
		if (t_proc_state(pid) == 'S')
			return;
		sched_yield();
	}
	T_FAIL("process %d never went to sleep", (int)pid);
}

/* A child that waits on *w for val (op) and exits 0 when woken. */
static pid_t spawn_waiter(volatile uint32_t *w, int op, uint32_t val,
			  uint32_t bitset)
{
	pid_t pid = t_fork();

	if (pid == 0) {
		CHECK_OK(futex(w, op, val, NULL, NULL, bitset));
		_exit(0);
	}
	await_sleeping(pid);
	return pid;
}

static void reap_ok(pid_t pid)
{
	CHECK_EXITED(t_wait(pid), 0);
}

/* ---- plain wait and wake ---------------------------------------------- */

static void case_wait_wrong_value(void)
{
	volatile uint32_t *w = shared_words();

	w[0] = 1;
	CHECK_ERR(futex(w, FUTEX_WAIT, 2, NULL, NULL, 0), EAGAIN);
	CHECK_ERR(futex(w, FUTEX_WAIT_PRIVATE, 2, NULL, NULL, 0), EAGAIN);
	CHECK_ERR(futex(w, FUTEX_WAIT_BITSET, 0, NULL, NULL, 1), EAGAIN);
	CHECK_EQ(futex(w, FUTEX_WAKE, 1, NULL, NULL, 0), 0);	/* nobody */
}

static void case_wait_timeouts(void)
{
	volatile uint32_t *w = shared_words();
	struct timespec ts, past = { 0, 0 };

	CHECK_ERR(futex(w, FUTEX_WAIT, 0, &ten_ms, NULL, 0), ETIMEDOUT);
	CHECK_ERR(futex(w, FUTEX_WAIT_PRIVATE, 0, &ten_ms, NULL, 0), ETIMEDOUT);
	ts = abs_in_ms(CLOCK_MONOTONIC, 10);
	CHECK_ERR(futex(w, FUTEX_WAIT_BITSET, 0, &ts, NULL, ~0u), ETIMEDOUT);
	ts = abs_in_ms(CLOCK_REALTIME, 10);
	CHECK_ERR(futex(w, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 0, &ts,
			NULL, ~0u), ETIMEDOUT);
	/* A deadline already past: the value is still checked first. */
	CHECK_ERR(futex(w, FUTEX_WAIT_BITSET, 0, &past, NULL, ~0u), ETIMEDOUT);
	CHECK_ERR(futex(w, FUTEX_WAIT_BITSET, 1, &past, NULL, ~0u), EAGAIN);
	CHECK_ERR(futex(w, FUTEX_WAIT, 0, &past, NULL, 0), ETIMEDOUT);
}

static void case_bad_timeouts(void)
{
	volatile uint32_t *w = shared_words();
	struct timespec big = { 0, 1000000000L }, neg = { -1, 0 };
	struct timespec negns = { 0, -1 };

	CHECK_ERR(futex(w, FUTEX_WAIT, 0, &big, NULL, 0), EINVAL);
	CHECK_ERR(futex(w, FUTEX_WAIT, 0, &neg, NULL, 0), EINVAL);
	CHECK_ERR(futex(w, FUTEX_WAIT_BITSET, 0, &negns, NULL, ~0u), EINVAL);
	CHECK_ERR(futex(w, FUTEX_LOCK_PI, 0, &big, NULL, 0), EINVAL);
	CHECK_ERR(futex(w, FUTEX_WAIT, 0, t_unmapped_page(), NULL, 0), EFAULT);
	/* The timeout is read (and refused) before the op is looked at. */
	CHECK_ERR(futex(w, FUTEX_WAIT | FUTEX_CLOCK_REALTIME, 0, &big, NULL,
			0), EINVAL);
	/* Ops without a timeout never read it: the slot is a count. */
	CHECK_EQ(futex(w, FUTEX_WAKE, 1, t_unmapped_page(), NULL, 0), 0);
}

static void case_errors(void)
{
	volatile uint32_t *w = shared_words();
	volatile uint32_t *odd = (volatile uint32_t *)((char *)w + 2);
	volatile uint32_t *gone = t_unmapped_page();

	CHECK_ERR(futex(odd, FUTEX_WAIT, 0, NULL, NULL, 0), EINVAL);
	CHECK_ERR(futex(odd, FUTEX_WAKE, 1, NULL, NULL, 0), EINVAL);
	CHECK_ERR(futex(odd, FUTEX_LOCK_PI, 0, NULL, NULL, 0), EINVAL);
	CHECK_ERR(futex(w, FUTEX_WAIT_BITSET, 0, NULL, NULL, 0), EINVAL);
	CHECK_ERR(futex(w, FUTEX_WAKE_BITSET, 1, NULL, NULL, 0), EINVAL);
	CHECK_ERR(futex(w, 14, 0, NULL, NULL, 0), ENOSYS);
	CHECK_ERR(futex(w, FUTEX_FD, 0, NULL, NULL, 0), ENOSYS);
	CHECK_ERR(futex(w, FUTEX_WAIT | FUTEX_CLOCK_REALTIME, 1, NULL, NULL,
			0), ENOSYS);
	CHECK_ERR(futex(w, FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1, NULL, NULL,
			0), ENOSYS);
	CHECK_ERR(futex(w, FUTEX_LOCK_PI | FUTEX_CLOCK_REALTIME, 0, NULL,
			NULL, 0), ENOSYS);
	CHECK_ERR(futex(gone, FUTEX_WAIT, 0, NULL, NULL, 0), EFAULT);
	CHECK_ERR(futex(gone, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0), EFAULT);
	CHECK_ERR(futex(gone, FUTEX_WAKE, 1, NULL, NULL, 0), EFAULT);
	/* A private key needs no memory behind it: nobody to wake. */
	CHECK_EQ(futex(gone, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0), 0);
	CHECK_ERR(futex(T_KERNEL_DIRECT, FUTEX_WAIT, 0, NULL, NULL, 0), EFAULT);
	CHECK_ERR(futex(T_KERNEL_DIRECT, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0),
		  EFAULT);
	/* A read-only private anonymous word can never change. */
	volatile uint32_t *ro = t_map(T_PAGE, PROT_READ);
	CHECK_ERR(futex(ro, FUTEX_WAIT, 0, &ten_ms, NULL, 0), EFAULT);
	CHECK_ERR(futex(ro, FUTEX_WAIT_PRIVATE, 0, &ten_ms, NULL, 0),
		  ETIMEDOUT);
}

static void case_wake_counts(void)
{
	volatile uint32_t *w = shared_words();
	pid_t kids[3];

	for (int i = 0; i < 3; i++)
		kids[i] = spawn_waiter(w, FUTEX_WAIT, 0, 0);
	CHECK_EQ(futex(w, FUTEX_WAKE, 1, NULL, NULL, 0), 1);
	int status;
	pid_t first = CHECK_OK(waitpid(-1, &status, 0));
	CHECK_EXITED(status, 0);
	CHECK_EQ(futex(w, FUTEX_WAKE, INT_MAX, NULL, NULL, 0), 2);
	for (int i = 0; i < 3; i++)
		if (kids[i] != first)
			reap_ok(kids[i]);
	CHECK_EQ(futex(w, FUTEX_WAKE, INT_MAX, NULL, NULL, 0), 0);
}

/* Linux wakes one waiter even when asked for none. */
static void case_wake_zero_wakes_one(void)
{
	volatile uint32_t *w = shared_words();
	pid_t a = spawn_waiter(w, FUTEX_WAIT, 0, 0);
	pid_t b = spawn_waiter(w, FUTEX_WAIT, 0, 0);

	CHECK_EQ(futex(w, FUTEX_WAKE, 0, NULL, NULL, 0), 1);
	reap_ok(a);			/* woken in queue order */
	CHECK_EQ(futex(w, FUTEX_WAKE, 1, NULL, NULL, 0), 1);
	reap_ok(b);
}

static void case_bitsets(void)
{
	volatile uint32_t *w = shared_words();
	pid_t a = spawn_waiter(w, FUTEX_WAIT_BITSET, 0, 0x1);
	pid_t b = spawn_waiter(w, FUTEX_WAIT_BITSET, 0, 0x6);

	CHECK_EQ(futex(w, FUTEX_WAKE_BITSET, INT_MAX, NULL, NULL, 0x8), 0);
	CHECK_EQ(futex(w, FUTEX_WAKE_BITSET, INT_MAX, NULL, NULL, 0x4), 1);
	reap_ok(b);
	CHECK_EQ(t_proc_state(a), 'S');
	CHECK_EQ(futex(w, FUTEX_WAKE, INT_MAX, NULL, NULL, 0), 1);
	reap_ok(a);
}

/* ---- requeue and wake-op ---------------------------------------------- */

static void case_requeue(void)
{
	volatile uint32_t *w = shared_words(), *w2 = w + 1;
	pid_t kids[3];

	for (int i = 0; i < 3; i++)
		kids[i] = spawn_waiter(w, FUTEX_WAIT, 0, 0);
	CHECK_ERR(futex2(w, FUTEX_REQUEUE, (uint32_t)-1, 1, w2, 0), EINVAL);
	CHECK_ERR(futex2(w, FUTEX_CMP_REQUEUE, 1, (unsigned long)-1, w2, 0),
		  EINVAL);
	CHECK_ERR(futex2(w, FUTEX_CMP_REQUEUE, 1, 1, w2, 7), EAGAIN);
	CHECK_EQ(futex2(w, FUTEX_CMP_REQUEUE, 0, 0, w2, 0), 0);
	/* Wake the first, move the second to w2: 2. */
	CHECK_EQ(futex2(w, FUTEX_CMP_REQUEUE, 1, 1, w2, 0), 2);
	reap_ok(kids[0]);
	CHECK_EQ(futex(w2, FUTEX_WAKE, INT_MAX, NULL, NULL, 0), 1);
	reap_ok(kids[1]);
	/* Plain requeue: no comparison, nothing woken, one moved. */
	CHECK_EQ(futex2(w, FUTEX_REQUEUE, 0, 5, w2, 99), 1);
	CHECK_EQ(futex(w, FUTEX_WAKE, INT_MAX, NULL, NULL, 0), 0);
	CHECK_EQ(futex(w2, FUTEX_WAKE, INT_MAX, NULL, NULL, 0), 1);
	reap_ok(kids[2]);
}

#define OP(op, oparg, cmp, cmparg) \
	((uint32_t)FUTEX_OP((op), (oparg), (cmp), (cmparg)))

/* One FUTEX_WAKE_OP without waiters: *w2 starts at start; the result
 * (0, there is nobody to wake) and the new value. */
static void check_op(uint32_t start, uint32_t op, uint32_t want)
{
	static volatile uint32_t words[2];

	words[1] = start;
	CHECK_EQ(futex2(&words[0], FUTEX_WAKE_OP_PRIVATE, 1, 1, &words[1], op),
		 0);
	CHECK_EQ(words[1], want);
}

static void case_wake_op_arithmetic(void)
{
	check_op(5, OP(FUTEX_OP_SET, 9, FUTEX_OP_CMP_EQ, 0), 9);
	check_op(5, OP(FUTEX_OP_ADD, 3, FUTEX_OP_CMP_EQ, 0), 8);
	check_op(5, OP(FUTEX_OP_ADD, -1 & 0xfff, FUTEX_OP_CMP_EQ, 0), 4);
	check_op(5, OP(FUTEX_OP_OR, 0x12, FUTEX_OP_CMP_EQ, 0), 0x17);
	check_op(7, OP(FUTEX_OP_ANDN, 0x2, FUTEX_OP_CMP_EQ, 0), 5);
	check_op(6, OP(FUTEX_OP_XOR, 0x3, FUTEX_OP_CMP_EQ, 0), 5);
	check_op(1, OP(FUTEX_OP_SET | FUTEX_OP_OPARG_SHIFT, 31,
		       FUTEX_OP_CMP_EQ, 0), 0x80000000u);
	check_op(0, OP(FUTEX_OP_OR | FUTEX_OP_OPARG_SHIFT, 4,
		       FUTEX_OP_CMP_EQ, 0), 0x10);
}

static void case_wake_op_errors(void)
{
	volatile uint32_t *w = shared_words();
	volatile uint32_t *ro = t_map(T_PAGE, PROT_READ);

	w[1] = 5;
	/* An unknown op changes nothing; an unknown comparison comes after
	 * the op was done. */
	CHECK_ERR(futex2(w, FUTEX_WAKE_OP, 1, 1, w + 1,
			 OP(5, 1, FUTEX_OP_CMP_EQ, 0)), ENOSYS);
	CHECK_EQ(w[1], 5);
	CHECK_ERR(futex2(w, FUTEX_WAKE_OP, 1, 1, w + 1,
			 OP(FUTEX_OP_ADD, 1, 6, 0)), ENOSYS);
	CHECK_EQ(w[1], 6);
	CHECK_ERR(futex2(w, FUTEX_WAKE_OP, 1, 1, (uint32_t *)((char *)w + 6),
			 OP(FUTEX_OP_ADD, 1, 0, 0)), EINVAL);
	CHECK_ERR(futex2(w, FUTEX_WAKE_OP, 1, 1, t_unmapped_page(),
			 OP(FUTEX_OP_ADD, 1, 0, 0)), EFAULT);
	CHECK_ERR(futex2(w, FUTEX_WAKE_OP_PRIVATE, 1, 1, ro,
			 OP(FUTEX_OP_ADD, 1, 0, 0)), EFAULT);
	CHECK_ERR(futex2(w, FUTEX_WAKE_OP, 1, 1, ro,
			 OP(FUTEX_OP_ADD, 1, 0, 0)), EFAULT);
}

/* Comparisons against the old value, signed, with a signed cmparg. */
static void case_wake_op_compare(void)
{
	volatile uint32_t *w = shared_words();
	static const struct { uint32_t old; int cmp, arg, hit; } t[] = {
		{ 3, FUTEX_OP_CMP_EQ, 3, 1 }, { 3, FUTEX_OP_CMP_NE, 3, 0 },
		{ (uint32_t)-2, FUTEX_OP_CMP_LT, -1, 1 },
		{ 3, FUTEX_OP_CMP_LE, 3, 1 }, { 3, FUTEX_OP_CMP_GT, 3, 0 },
		{ 0, FUTEX_OP_CMP_GE, -5, 1 }, { 0x800, FUTEX_OP_CMP_EQ,
						   -2048, 0 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		pid_t b;

		w[1] = t[i].old;
		b = spawn_waiter(w + 1, FUTEX_WAIT, t[i].old, 0);
		CHECK_EQ(futex2(w, FUTEX_WAKE_OP, 1, 1, w + 1,
				OP(FUTEX_OP_ADD, 0, t[i].cmp,
				   t[i].arg & 0xfff)), t[i].hit);
		if (!t[i].hit)
			CHECK_EQ(futex(w + 1, FUTEX_WAKE, 1, NULL, NULL, 0), 1);
		reap_ok(b);
	}
}

static void case_wake_op_wakes_both(void)
{
	volatile uint32_t *w = shared_words();
	pid_t a = spawn_waiter(w, FUTEX_WAIT, 0, 0);
	pid_t b = spawn_waiter(w + 1, FUTEX_WAIT, 0, 0);
	pid_t c = spawn_waiter(w + 1, FUTEX_WAIT, 0, 0);

	/* *w2 = 1, old value 0 == 0: one waiter on each word. */
	CHECK_EQ(futex2(w, FUTEX_WAKE_OP, 1, 1, w + 1,
			OP(FUTEX_OP_SET, 1, FUTEX_OP_CMP_EQ, 0)), 2);
	reap_ok(a);
	reap_ok(b);
	CHECK_EQ(w[1], 1);
	CHECK_EQ(futex(w + 1, FUTEX_WAKE, 1, NULL, NULL, 0), 1);
	reap_ok(c);
}

/* ---- keys in shared and private memory -------------------------------- */

/* A child waits at one address of the object, we wake at another. */
static void wake_across(volatile uint32_t *waiter_view,
			volatile uint32_t *waker_view)
{
	pid_t pid = spawn_waiter(waiter_view, FUTEX_WAIT, 0, 0);

	CHECK_EQ(futex(waker_view, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0), 0);
	CHECK_EQ(futex(waker_view, FUTEX_WAKE, 1, NULL, NULL, 0), 1);
	reap_ok(pid);
}

static void case_memfd_two_addresses(void)
{
	int fd = CHECK_OK(syscall(SYS_memfd_create, "futex", 0));

	CHECK_OK(ftruncate(fd, 2 * T_PAGE));
	char *a = mmap(NULL, 2 * T_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED,
		       fd, 0);
	char *b = mmap(NULL, T_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		       T_PAGE);
	CHECK(a != MAP_FAILED && b != MAP_FAILED);
	wake_across((volatile uint32_t *)(a + T_PAGE + 64),
		    (volatile uint32_t *)(b + 64));
	/* Different offsets are different futexes. */
	pid_t pid = spawn_waiter((volatile uint32_t *)(a + 64), FUTEX_WAIT,
				 0, 0);
	CHECK_EQ(futex((volatile uint32_t *)(b + 64), FUTEX_WAKE, 1, NULL,
		       NULL, 0), 0);
	CHECK_EQ(futex((volatile uint32_t *)(a + 64), FUTEX_WAKE, 1, NULL,
		       NULL, 0), 1);
	reap_ok(pid);
	CHECK_OK(close(fd));
}

static void case_sysv_shm(void)
{
	int id = CHECK_OK(shmget(IPC_PRIVATE, T_PAGE, IPC_CREAT | 0600));
	char *a = shmat(id, NULL, 0), *b = shmat(id, NULL, 0);

	CHECK(a != (void *)-1 && b != (void *)-1 && a != b);
	CHECK_OK(shmctl(id, IPC_RMID, NULL));
	wake_across((volatile uint32_t *)(a + 8), (volatile uint32_t *)(b + 8));
	CHECK_OK(shmdt(a));
	CHECK_OK(shmdt(b));
}

/* clone(CLONE_VM) without CLONE_THREAD: a second task in our mm. The
 * child runs fn(arg) on its own stack with raw system calls only (it
 * shares our TLS) and exits with its result. */
static pid_t clone_vm(unsigned long flags, int (*fn)(void *), void *arg,
		      volatile uint32_t *ctid)
{
	static char stacks[4][16384] __attribute__((aligned(16)));
	static int next;
	uintptr_t *sp = (uintptr_t *)(stacks[next++ % 4] + sizeof(stacks[0]));
	register long r10 __asm__("r10") = (long)ctid;
	register long r8 __asm__("r8") = 0;
	long ret;

	*--sp = (uintptr_t)arg;
	*--sp = (uintptr_t)fn;
	__asm__ volatile("syscall\n\t"
			 "test %%rax, %%rax\n\t"
			 "jnz 1f\n\t"
			 "pop %%rax\n\t"
			 "pop %%rdi\n\t"
			 "call *%%rax\n\t"
			 "mov %%eax, %%edi\n\t"
			 "mov $60, %%eax\n\t"	/* exit */
			 "syscall\n\t"
			 "hlt\n"
			 "1:"
			 : "=a"(ret)
			 : "a"((long)SYS_clone), "D"(flags), "S"(sp), "d"(0L),
			   "r"(r10), "r"(r8)
			 : "rcx", "r11", "memory");
	if (ret < 0)
		T_FAIL("clone: %s", t_errname((int)-ret));
	return (pid_t)ret;
}

static volatile uint32_t private_word;

static int wait_private_word(void *arg)
{
	long r = t_raw(SYS_futex, &private_word, (long)arg, 0, 0, 0, 0);
	return r == 0 ? 0 : 10 + (int)-r;
}

/* Private keys are (mm, address): two tasks of one mm meet; a private
 * and a shared operation on one word do not (Linux keeps them apart). */
static void case_private_clone_vm(void)
{
	pid_t pid;

	private_word = 0;
	pid = clone_vm(CLONE_VM | SIGCHLD, wait_private_word,
		       (void *)(long)FUTEX_WAIT_PRIVATE, NULL);
	await_sleeping(pid);
	CHECK_EQ(futex(&private_word, FUTEX_WAKE, 1, NULL, NULL, 0), 0);
	CHECK_EQ(futex(&private_word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0), 1);
	reap_ok(pid);
	/* A shared op in private memory: still (mm, address). */
	pid = clone_vm(CLONE_VM | SIGCHLD, wait_private_word,
		       (void *)(long)FUTEX_WAIT, NULL);
	await_sleeping(pid);
	CHECK_EQ(futex(&private_word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0), 0);
	CHECK_EQ(futex(&private_word, FUTEX_WAKE, 1, NULL, NULL, 0), 1);
	reap_ok(pid);
}

/* A forked child has its own copy: private words do not meet across. */
static void case_private_fork_apart(void)
{
	private_word = 0;
	pid_t pid = spawn_waiter(&private_word, FUTEX_WAIT_PRIVATE, 0, 0);

	CHECK_EQ(futex(&private_word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0), 0);
	CHECK_EQ(futex(&private_word, FUTEX_WAKE, 1, NULL, NULL, 0), 0);
	CHECK_OK(kill(pid, SIGKILL));
	CHECK_SIGNALED(t_wait(pid), SIGKILL);
}

static int exit_at_once(void *arg)
{
	(void)arg;
	return 0;
}

/*
 * CLONE_CHILD_CLEARTID: the child's exit writes 0 to the word and wakes
 * a waiter on it (here a forked process sharing the page).
 */
static void case_child_cleartid(void)
{
	volatile uint32_t *w = shared_words();

	w[0] = 77;
	pid_t waiter = spawn_waiter(w, FUTEX_WAIT, 77, 0);
	pid_t pid = clone_vm(CLONE_VM | CLONE_CHILD_CLEARTID | SIGCHLD,
			     exit_at_once, NULL, w);
	reap_ok(pid);
	reap_ok(waiter);
	CHECK_EQ(w[0], 0);
}

/* Without a sharer of the mm the word is left alone (Linux's rule). */
static void case_child_cleartid_unshared(void)
{
	volatile uint32_t *w = shared_words();

	w[0] = 77;
	pid_t pid = t_fork();
	if (pid == 0) {
		CHECK_OK(syscall(SYS_set_tid_address, w));
		_exit(0);
	}
	reap_ok(pid);
	CHECK_EQ(w[0], 77);
}

/* ---- signals ------------------------------------------------------------ */

static volatile uint32_t *handled;

static void on_usr1(int sig)
{
	(void)sig;
	__atomic_fetch_add(handled, 1, __ATOMIC_SEQ_CST);
}

static void catch_usr1(int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sa.sa_flags = flags;
	CHECK_OK(sigaction(SIGUSR1, &sa, NULL));
}

/* A handler ends a wait with EINTR; with a timeout even if SA_RESTART. */
static void case_signal_eintr(void)
{
	volatile uint32_t *w = shared_words();
	struct timespec long_wait = { 100, 0 };

	handled = w + 1;
	for (int i = 0; i < 2; i++) {
		pid_t pid = t_fork();
		if (pid == 0) {
			catch_usr1(i ? SA_RESTART : 0);
			CHECK_ERR(futex(w, FUTEX_WAIT, 0, i ? &long_wait : NULL,
					NULL, 0), EINTR);
			_exit(0);
		}
		await_sleeping(pid);
		CHECK_OK(kill(pid, SIGUSR1));
		reap_ok(pid);
	}
	CHECK_EQ(w[1], 2);
}

/* Without a timeout, SA_RESTART restarts the wait: only a wake ends it. */
static void case_signal_restart(void)
{
	volatile uint32_t *w = shared_words();

	handled = w + 1;
	pid_t pid = t_fork();
	if (pid == 0) {
		catch_usr1(SA_RESTART);
		CHECK_OK(futex(w, FUTEX_WAIT, 0, NULL, NULL, 0));
		_exit(0);
	}
	await_sleeping(pid);
	CHECK_OK(kill(pid, SIGUSR1));
	t_await((volatile int *)&w[1], 1);
	await_sleeping(pid);
	CHECK_EQ(futex(w, FUTEX_WAKE, 1, NULL, NULL, 0), 1);
	reap_ok(pid);
}

/* ---- PI locks --------------------------------------------------------- */

static void case_pi_alone(void)
{
	volatile uint32_t *w = shared_words();
	uint32_t me = (uint32_t)t_gettid();

	CHECK_ERR(futex(w, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0), EPERM);
	CHECK_OK(futex(w, FUTEX_LOCK_PI, 0, NULL, NULL, 0));
	CHECK_EQ(w[0], me);
	CHECK_ERR(futex(w, FUTEX_LOCK_PI, 0, NULL, NULL, 0), EDEADLK);
	CHECK_ERR(futex(w, FUTEX_TRYLOCK_PI, 0, NULL, NULL, 0), EDEADLK);
	CHECK_OK(futex(w, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0));
	CHECK_EQ(w[0], 0);
	CHECK_OK(futex(w, FUTEX_TRYLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
	CHECK_EQ(w[0], me);
	CHECK_OK(futex(w, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
	/* A stale FUTEX_WAITERS | FUTEX_OWNER_DIED: taken, OWNER_DIED kept. */
	w[0] = FUTEX_WAITERS | FUTEX_OWNER_DIED;
	CHECK_OK(futex(w, FUTEX_LOCK_PI, 0, NULL, NULL, 0));
	CHECK_EQ(w[0], me | FUTEX_OWNER_DIED);
	CHECK_OK(futex(w, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0));
	CHECK_EQ(w[0], 0);
}

/* The word names a task that does not exist: ESRCH, after the kernel
 * set FUTEX_WAITERS in it. */
static void case_pi_no_owner(void)
{
	volatile uint32_t *w = shared_words();

	w[0] = NOWHERE_TID;
	CHECK_ERR(futex(w, FUTEX_LOCK_PI, 0, NULL, NULL, 0), ESRCH);
	CHECK_EQ(w[0], NOWHERE_TID | FUTEX_WAITERS);
	CHECK_ERR(futex(w, FUTEX_TRYLOCK_PI, 0, NULL, NULL, 0), ESRCH);
	CHECK_ERR(futex(w, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0), EPERM);
}

/* w[1] is the owner's TID once it holds w[0]; it unlocks on w[2]. */
static pid_t spawn_pi_owner(volatile uint32_t *w)
{
	pid_t pid = t_fork();

	if (pid == 0) {
		CHECK_OK(futex(w, FUTEX_LOCK_PI, 0, NULL, NULL, 0));
		t_post((volatile int *)&w[1], t_gettid());
		t_await((volatile int *)&w[2], 1);
		CHECK_OK(futex(w, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0));
		_exit(0);
	}
	while (__atomic_load_n(&w[1], __ATOMIC_SEQ_CST) == 0)
		sched_yield();
	return pid;
}

static void case_pi_contended(void)
{
	volatile uint32_t *w = shared_words();
	pid_t owner = spawn_pi_owner(w);
	uint32_t otid = w[1];
	struct timespec ts;

	CHECK_EQ(w[0], otid);
	CHECK_ERR(futex(w, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0), EPERM);
	/* A failed trylock leaves FUTEX_WAITERS behind, as on Linux. */
	CHECK_ERR(futex(w, FUTEX_TRYLOCK_PI, 0, NULL, NULL, 0), EAGAIN);
	CHECK_EQ(w[0], otid | FUTEX_WAITERS);
	ts = abs_in_ms(CLOCK_REALTIME, 10);	/* LOCK_PI: realtime */
	CHECK_ERR(futex(w, FUTEX_LOCK_PI, 0, &ts, NULL, 0), ETIMEDOUT);
	ts = abs_in_ms(CLOCK_MONOTONIC, 10);	/* LOCK_PI2: monotonic */
	CHECK_ERR(futex(w, FUTEX_LOCK_PI2, 0, &ts, NULL, 0), ETIMEDOUT);
	ts = abs_in_ms(CLOCK_REALTIME, 10);
	CHECK_ERR(futex(w, FUTEX_LOCK_PI2 | FUTEX_CLOCK_REALTIME, 0, &ts,
			NULL, 0), ETIMEDOUT);

	/* A waiter blocks; the owner's unlock hands the lock over. */
	pid_t waiter = t_fork();
	if (waiter == 0) {
		uint32_t me = (uint32_t)t_gettid();
		CHECK_OK(futex(w, FUTEX_LOCK_PI, 0, NULL, NULL, 0));
		CHECK_EQ(w[0], me | FUTEX_WAITERS);
		CHECK_OK(futex(w, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0));
		CHECK_EQ(w[0], 0);
		_exit(0);
	}
	await_sleeping(waiter);
	/* PI waiters are released only by FUTEX_UNLOCK_PI. */
	CHECK_ERR(futex(w, FUTEX_WAKE, 1, NULL, NULL, 0), EINVAL);
	CHECK_ERR(futex(w, FUTEX_WAIT, w[0], &ten_ms, NULL, 0), ETIMEDOUT);
	t_post((volatile int *)&w[2], 1);
	reap_ok(owner);
	reap_ok(waiter);
	CHECK_EQ(w[0], 0);
}

/* The owner exits holding the lock: its waiter gets it, OWNER_DIED set. */
static void case_pi_owner_exits(void)
{
	volatile uint32_t *w = shared_words();
	pid_t owner = t_fork();

	if (owner == 0) {
		CHECK_OK(futex(w, FUTEX_LOCK_PI, 0, NULL, NULL, 0));
		t_post((volatile int *)&w[1], 1);
		t_await((volatile int *)&w[2], 1);
		_exit(0);
	}
	t_await((volatile int *)&w[1], 1);
	pid_t waiter = t_fork();
	if (waiter == 0) {
		uint32_t me = (uint32_t)t_gettid();
		CHECK_OK(futex(w, FUTEX_LOCK_PI, 0, NULL, NULL, 0));
		CHECK_EQ(w[0], me | FUTEX_WAITERS | FUTEX_OWNER_DIED);
		CHECK_OK(futex(w, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0));
		CHECK_EQ(w[0], 0);
		_exit(0);
	}
	await_sleeping(waiter);
	t_post((volatile int *)&w[2], 1);
	reap_ok(owner);
	reap_ok(waiter);
}

/* ---- robust lists ----------------------------------------------------- */

struct robust_lock {
	struct robust_list list;
	uint32_t word;
};

/* In shared memory: the head, then the lock. */
struct robust_area {
	struct robust_list_head head;
	struct robust_lock lock;
	uint32_t flag;
};

static struct robust_area *robust_setup(void)
{
	struct robust_area *r = (void *)shared_words();

	r->head.list.next = &r->head.list;
	r->head.futex_offset = offsetof(struct robust_lock, word);
	r->head.list_op_pending = NULL;
	return r;
}

/* Child: register the list, run take(), post the flag, wait for death. */
static pid_t spawn_robust_owner(struct robust_area *r,
				void (*take)(struct robust_area *))
{
	pid_t pid = t_fork();

	if (pid == 0) {
		CHECK_OK(syscall(SYS_set_robust_list, &r->head,
				 sizeof(r->head)));
		take(r);
		t_post((volatile int *)&r->flag, 1);
		for (;;)
			pause();
	}
	t_await((volatile int *)&r->flag, 1);
	return pid;
}

static void take_plain(struct robust_area *r)
{
	r->lock.word = (uint32_t)t_gettid();
	r->head.list.next = &r->lock.list;
	r->lock.list.next = &r->head.list;
}

static void take_pi(struct robust_area *r)
{
	CHECK_OK(futex(&r->lock.word, FUTEX_LOCK_PI, 0, NULL, NULL, 0));
	r->head.list.next = (struct robust_list *)((uintptr_t)&r->lock.list | 1);
	r->lock.list.next = &r->head.list;
}

/* Released, died before waking the next one: list_op_pending. */
static void take_pending(struct robust_area *r)
{
	r->lock.word = 0;
	r->head.list_op_pending = &r->lock.list;
}

static void case_robust_owner_dies(void)
{
	struct robust_area *r = robust_setup();
	volatile uint32_t *w = &r->lock.word;
	pid_t owner = spawn_robust_owner(r, take_plain);
	uint32_t otid = *w;

	__atomic_or_fetch(w, FUTEX_WAITERS, __ATOMIC_SEQ_CST);
	pid_t waiter = spawn_waiter(w, FUTEX_WAIT, otid | FUTEX_WAITERS, 0);
	CHECK_OK(kill(owner, SIGKILL));
	CHECK_SIGNALED(t_wait(owner), SIGKILL);
	reap_ok(waiter);
	CHECK_EQ(*w, FUTEX_WAITERS | FUTEX_OWNER_DIED);
}

/* Without FUTEX_WAITERS nobody is woken, but OWNER_DIED is still set. */
static void case_robust_no_waiters(void)
{
	struct robust_area *r = robust_setup();
	pid_t owner = spawn_robust_owner(r, take_plain);

	CHECK_OK(kill(owner, SIGKILL));
	CHECK_SIGNALED(t_wait(owner), SIGKILL);
	CHECK_EQ(r->lock.word, FUTEX_OWNER_DIED);
}

static void case_robust_pi(void)
{
	struct robust_area *r = robust_setup();
	volatile uint32_t *w = &r->lock.word;
	pid_t owner = spawn_robust_owner(r, take_pi);
	pid_t waiter = t_fork();

	if (waiter == 0) {
		uint32_t me = (uint32_t)t_gettid();
		CHECK_OK(futex(w, FUTEX_LOCK_PI, 0, NULL, NULL, 0));
		CHECK_EQ(*w, me | FUTEX_WAITERS | FUTEX_OWNER_DIED);
		_exit(0);
	}
	await_sleeping(waiter);
	CHECK_OK(kill(owner, SIGKILL));
	CHECK_SIGNALED(t_wait(owner), SIGKILL);
	reap_ok(waiter);
}

static void case_robust_pending(void)
{
	struct robust_area *r = robust_setup();
	volatile uint32_t *w = &r->lock.word;
	pid_t waiter = spawn_waiter(w, FUTEX_WAIT, 0, 0);
	pid_t owner = spawn_robust_owner(r, take_pending);

	CHECK_OK(kill(owner, SIGKILL));
	CHECK_SIGNALED(t_wait(owner), SIGKILL);
	reap_ok(waiter);
	CHECK_EQ(*w, 0);
}

/* A lock of another TID on the list is left alone. */
static void case_robust_not_owner(void)
{
	struct robust_area *r = robust_setup();
	pid_t owner = spawn_robust_owner(r, take_plain);

	r->lock.word = NOWHERE_TID;
	CHECK_OK(kill(owner, SIGKILL));
	CHECK_SIGNALED(t_wait(owner), SIGKILL);
	CHECK_EQ(r->lock.word, NOWHERE_TID);
}

static void case_robust_list_calls(void)
{
	struct robust_list_head *head;
	size_t len;

	CHECK_ERR(syscall(SYS_set_robust_list, NULL, 1), EINVAL);
	CHECK_OK(syscall(SYS_get_robust_list, 0, &head, &len));
	CHECK_EQ(len, sizeof(struct robust_list_head));
}

/* ---- futex_waitv ------------------------------------------------------ */

static long waitv(struct t_waitv *v, unsigned int n, unsigned int flags,
		  const struct timespec *ts, clockid_t clock)
{
	return syscall(SYS_futex_waitv, v, n, flags, ts, clock);
}

static void fill_waitv(struct t_waitv *v, volatile uint32_t *w, int n)
{
	for (int i = 0; i < n; i++)
		v[i] = (struct t_waitv){ .val = 0, .uaddr = (uintptr_t)&w[i],
					 .flags = T_FUTEX_32 };
}

static void case_waitv_errors(void)
{
	volatile uint32_t *w = shared_words();
	static struct t_waitv v[129];
	struct timespec ts = abs_in_ms(CLOCK_MONOTONIC, 10);

	fill_waitv(v, w, 3);
	CHECK_ERR(waitv(v, 3, 1, NULL, 0), EINVAL);
	CHECK_ERR(waitv(v, 0, 0, NULL, 0), EINVAL);
	CHECK_ERR(waitv(v, 129, 0, NULL, 0), EINVAL);
	CHECK_ERR(waitv(NULL, 1, 0, NULL, 0), EINVAL);
	CHECK_ERR(waitv(v, 3, 0, &ts, CLOCK_BOOTTIME), EINVAL);
	CHECK_ERR(waitv(v, 3, 0, t_unmapped_page(), CLOCK_MONOTONIC), EFAULT);
	CHECK_ERR(waitv(t_unmapped_page(), 3, 0, NULL, 0), EFAULT);
	v[1].flags = 0;
	CHECK_ERR(waitv(v, 3, 0, NULL, 0), EINVAL);
	v[1].flags = T_FUTEX_32 | 1;
	CHECK_ERR(waitv(v, 3, 0, NULL, 0), EINVAL);
	v[1].flags = T_FUTEX_32;
	v[1].reserved = 1;
	CHECK_ERR(waitv(v, 3, 0, NULL, 0), EINVAL);
	v[1].reserved = 0;
	v[2].uaddr += 2;
	CHECK_ERR(waitv(v, 3, 0, NULL, 0), EINVAL);
	v[2].uaddr -= 2;
	v[2].val = 5;
	CHECK_ERR(waitv(v, 3, 0, NULL, 0), EAGAIN);
	v[2].val = 0;
	CHECK_ERR(waitv(v, 3, 0, &ts, CLOCK_MONOTONIC), ETIMEDOUT);
	ts = abs_in_ms(CLOCK_REALTIME, 10);
	v[0].flags |= FUTEX_PRIVATE_FLAG;
	CHECK_ERR(waitv(v, 3, 0, &ts, CLOCK_REALTIME), ETIMEDOUT);
}

static void case_waitv_wake(void)
{
	volatile uint32_t *w = shared_words();
	pid_t pid = t_fork();

	if (pid == 0) {
		struct t_waitv v[3];

		fill_waitv(v, w, 3);
		_exit((int)waitv(v, 3, 0, NULL, 0));
	}
	await_sleeping(pid);
	CHECK_EQ(futex(&w[2], FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0), 0);
	CHECK_EQ(futex(&w[2], FUTEX_WAKE, 1, NULL, NULL, 0), 1);
	CHECK_EXITED(t_wait(pid), 2);
	/* Requeued waitv entries are woken from their new word. */
	pid = t_fork();
	if (pid == 0) {
		struct t_waitv v[2];

		fill_waitv(v, w, 2);
		_exit((int)waitv(v, 2, 0, NULL, 0));
	}
	await_sleeping(pid);
	CHECK_EQ(futex2(&w[0], FUTEX_REQUEUE, 0, 1, &w[5], 0), 1);
	CHECK_EQ(futex(&w[5], FUTEX_WAKE, 1, NULL, NULL, 0), 1);
	CHECK_EXITED(t_wait(pid), 0);
}

/* ---- leaks ------------------------------------------------------------ */

static void futex_work(int rounds)
{
	volatile uint32_t *w = shared_words();
	struct t_waitv v[2];

	fill_waitv(v, w, 2);
	for (int i = 0; i < rounds; i++) {
		w[0] = NOWHERE_TID;
		futex(w, FUTEX_LOCK_PI, 0, NULL, NULL, 0);	/* ESRCH */
		w[0] = 0;
		futex(w, FUTEX_LOCK_PI, 0, NULL, NULL, 0);
		futex(w, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0);
		w[1] = 1;
		waitv(v, 2, 0, NULL, 0);			/* EAGAIN */
		futex(w, FUTEX_WAIT, 0, &(struct timespec){ 0, 0 }, NULL, 0);
	}
	munmap((void *)w, T_PAGE);
}

static void case_no_leak(void)
{
	t_check_no_leak("futex", futex_work, 200);
}

static const struct t_case cases[] = {
	{ case_wait_wrong_value, "wait_wrong_value" },
	{ case_wait_timeouts, "wait_timeouts" },
	{ case_bad_timeouts, "bad_timeouts" },
	{ case_errors, "errors" },
	{ case_wake_counts, "wake_counts" },
	{ case_wake_zero_wakes_one, "wake_zero_wakes_one" },
	{ case_bitsets, "bitsets" },
	{ case_requeue, "requeue" },
	{ case_wake_op_arithmetic, "wake_op_arithmetic" },
	{ case_wake_op_errors, "wake_op_errors" },
	{ case_wake_op_compare, "wake_op_compare" },
	{ case_wake_op_wakes_both, "wake_op_wakes_both" },
	{ case_memfd_two_addresses, "memfd_two_addresses" },
	{ case_sysv_shm, "sysv_shm" },
	{ case_private_clone_vm, "private_clone_vm" },
	{ case_private_fork_apart, "private_fork_apart" },
	{ case_child_cleartid, "child_cleartid" },
	{ case_child_cleartid_unshared, "child_cleartid_unshared" },
	{ case_signal_eintr, "signal_eintr" },
	{ case_signal_restart, "signal_restart" },
	{ case_pi_alone, "pi_alone" },
	{ case_pi_no_owner, "pi_no_owner" },
	{ case_pi_contended, "pi_contended" },
	{ case_pi_owner_exits, "pi_owner_exits" },
	{ case_robust_owner_dies, "robust_owner_dies" },
	{ case_robust_no_waiters, "robust_no_waiters" },
	{ case_robust_pi, "robust_pi" },
	{ case_robust_pending, "robust_pending" },
	{ case_robust_not_owner, "robust_not_owner" },
	{ case_robust_list_calls, "robust_list_calls" },
	{ case_waitv_errors, "waitv_errors" },
	{ case_waitv_wake, "waitv_wake" },
	{ case_no_leak, "no_leak" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
