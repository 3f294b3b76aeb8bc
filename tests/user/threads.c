/*
 * threads.c - thread groups made with the raw clone system call, without
 * a C library's thread code or futexes: pids and tids, CLONE_PARENT_SETTID
 * and CLONE_CHILD_CLEARTID, exit against exit_group, the main thread
 * leaving first, process- and thread-directed signals, execve from a
 * thread, /proc/<pid>/task, and no memory lost to threads killed with
 * their process. (The pthread tests exercise the same kernel through
 * glibc and musl.)
 */
#define _GNU_SOURCE
#include "t.h"

#include <dirent.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define STACK_SIZE	(64 * 1024)
#define THREAD_FLAGS	(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | \
			 CLONE_THREAD | CLONE_PARENT_SETTID |		      \
			 CLONE_CHILD_CLEARTID)

static volatile int clear_word, parent_word;	/* the last thread made */

/*
 * clone(flags) with a new stack; the child pops its argument and its
 * function off that stack, calls it and leaves with exit(its result).
 * Written in assembly because the child may not return into a C frame
 * that lives on the parent's stack.
 */
static long raw_clone(unsigned long flags, void *stack,
		      volatile int *ptid, volatile int *ctid)
{
	register long r10 __asm__("r10") = (long)ctid;
	register long r8 __asm__("r8") = 0;
	long ret;

	__asm__ volatile("syscall\n\t"
			 "test %%rax, %%rax\n\t"
			 "jnz 1f\n\t"
			 "pop %%rdi\n\t"
			 "pop %%rax\n\t"
			 "call *%%rax\n\t"
			 "mov %%eax, %%edi\n\t"
			 "mov $60, %%eax\n\t"	/* SYS_exit */
			 "syscall\n\t"
			 "1:\n\t"
			 : "=a"(ret)
			 : "a"(SYS_clone), "D"(flags), "S"(stack), "d"(ptid),
			   "r"(r10), "r"(r8)
			 : "rcx", "r11", "memory");
	return ret;
}

/* A thread running fn(arg); returns its tid. The stack is never freed:
 * the cases run in their own processes. */
static int thread_start(int (*fn)(long), long arg)
{
	char *stack = t_map(STACK_SIZE, PROT_READ | PROT_WRITE);
	long *sp = (long *)(stack + STACK_SIZE);
	long tid;

	*--sp = (long)fn;
	*--sp = arg;
	clear_word = 1;
	tid = raw_clone(THREAD_FLAGS, sp, &parent_word, &clear_word);
	if (tid <= 0)
		T_FAIL("clone: %ld", tid);
	return (int)tid;
}

/* Wait (bounded) until the last thread made has exited: the kernel
 * clears the CLONE_CHILD_CLEARTID word. */
static void await_cleared(void)
{
	for (long i = 0; i < 1000000 && clear_word; i++)
		sched_yield();
	CHECK_EQ(clear_word, 0);
}

static volatile int seen_pid, seen_tid;

static int record_ids(long arg)
{
	(void)arg;
	seen_pid = (int)syscall(SYS_getpid);
	seen_tid = (int)syscall(SYS_gettid);
	return 0;
}

/* Through t_raw: these threads share the leader's TLS, errno included,
 * and pause()'s EINTR after each handler would land in the leader's
 * errno (with two CPUs, between its syscall and its check). */
static int pause_forever(long arg)
{
	(void)arg;
	for (;;)
		t_raw(SYS_pause);
	return 0;
}

static int exit_group_7(long arg)
{
	(void)arg;
	syscall(SYS_exit_group, 7);
	return 0;
}

static void case_ids(void)
{
	int tid = thread_start(record_ids, 0);

	await_cleared();
	CHECK_EQ(seen_pid, getpid());
	CHECK_EQ(seen_tid, tid);
	CHECK_EQ(parent_word, tid);
	CHECK(tid != getpid());
	CHECK_EQ(syscall(SYS_gettid), getpid());	/* the leader's tid */
}

/* exit_group from any thread ends the process with its status. */
static void case_exit_group_from_thread(void)
{
	pid_t pid = t_fork();

	if (pid == 0) {
		thread_start(exit_group_7, 0);
		for (;;)
			pause();
	}
	CHECK_EXITED(t_wait(pid), 7);
}

/* The main thread may leave first: the process lives on in its threads. */
static void case_main_thread_exits_first(void)
{
	pid_t pid = t_fork();

	if (pid == 0) {
		thread_start(exit_group_7, 0);
		syscall(SYS_exit, 3);
	}
	CHECK_EXITED(t_wait(pid), 7);
	pid = t_fork();
	if (pid == 0) {
		thread_start(pause_forever, 0);
		syscall(SYS_exit, 3);
	}
	CHECK_OK(kill(pid, SIGKILL));	/* its remaining thread dies too */
	CHECK_SIGNALED(t_wait(pid), SIGKILL);
}

static volatile int handler_tid;

static void record_handler_tid(int sig)
{
	(void)sig;
	handler_tid = (int)syscall(SYS_gettid);
}

static void await_handler(int tid)
{
	for (long i = 0; i < 1000000 && !handler_tid; i++)
		sched_yield();
	CHECK_EQ(handler_tid, tid);
	handler_tid = 0;
}

/* kill() goes to a thread that does not block the signal; tgkill to the
 * thread it names. */
static void case_signal_targets(void)
{
	sigset_t usr1;
	int tid;

	signal(SIGUSR1, record_handler_tid);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	tid = thread_start(pause_forever, 0);
	CHECK_OK(sigprocmask(SIG_BLOCK, &usr1, NULL));
	CHECK_OK(kill(getpid(), SIGUSR1));
	await_handler(tid);
	CHECK_OK(sigprocmask(SIG_UNBLOCK, &usr1, NULL));
	CHECK_OK(syscall(SYS_tgkill, getpid(), tid, SIGUSR1));
	await_handler(tid);
	CHECK_ERR(syscall(SYS_tgkill, getpid() + 100000, tid, SIGUSR1), ESRCH);
}

static int exec_self(long arg)
{
	char *argv[] = { (char *)t_self(), "ids", NULL };

	(void)arg;
	execve(t_self(), argv, environ);
	return 99;
}

/* execve from a thread: the others vanish and the program runs on with
 * the same pid (the "ids" case checks gettid() == getpid()). */
static void case_execve_from_thread(void)
{
	pid_t pid = t_fork();

	if (pid == 0) {
		thread_start(pause_forever, 0);
		thread_start(exec_self, 0);
		for (;;)
			pause();
	}
	CHECK_EXITED(t_wait(pid), 0);
}

/* /proc/self/task lists the live threads. */
static void case_proc_task(void)
{
	int tid = thread_start(pause_forever, 0), found = 0;
	struct dirent *d;
	DIR *dir = opendir("/proc/self/task");

	CHECK(dir != NULL);
	while ((d = readdir(dir)) != NULL)
		if (atoi(d->d_name) == tid || atoi(d->d_name) == getpid())
			found++;
	closedir(dir);
	CHECK_EQ(found, 2);
}

static void killed_with_threads(int rounds)
{
	for (int i = 0; i < rounds; i++) {
		pid_t pid = t_fork();

		if (pid == 0) {
			for (int k = 0; k < 4; k++)
				thread_start(pause_forever, 0);
			syscall(SYS_exit_group, 0);
		}
		CHECK_EXITED(t_wait(pid), 0);
	}
}

static void case_no_leak_with_threads(void)
{
	t_check_no_leak("1000 x process with 4 threads, exit_group",
			killed_with_threads, 1000);
}

static const struct t_case cases[] = {
	{ case_ids, "ids" },
	{ case_exit_group_from_thread, "exit_group_from_thread" },
	{ case_main_thread_exits_first, "main_thread_exits_first" },
	{ case_signal_targets, "signal_targets" },
	{ case_execve_from_thread, "execve_from_thread" },
	{ case_proc_task, "proc_task" },
	{ case_no_leak_with_threads, "no_leak_with_threads" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
