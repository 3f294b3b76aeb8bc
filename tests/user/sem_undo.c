/*
 * sem_undo.c - System V semaphores' SEM_UNDO: the adjustments a process
 * keeps per set and that are added back when it exits, however it ends
 * (exit, SIGKILL while holding, SIGKILL while asleep in semop), clamped
 * to 0..32767 as Linux does; SETVAL/SETALL clearing them; IPC_RMID
 * dropping them; fork not inheriting them; clone(CLONE_SYSVSEM) sharing
 * them, between processes and between threads; execve keeping them.
 */
#define _GNU_SOURCE
#include "t.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/sem.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
};

static int new_set(int n)
{
	return (int)CHECK_OK(semget(IPC_PRIVATE, n, IPC_CREAT | 0600));
}

static void rm_set(int id)
{
	CHECK_OK(semctl(id, 0, IPC_RMID));
}

static int getval(int id, int n)
{
	return (int)CHECK_OK(semctl(id, n, GETVAL));
}

static void setval(int id, int n, int v)
{
	CHECK_OK(semctl(id, n, SETVAL, (union semun){ .val = v }));
}

static int op1(int id, int num, int op, int flg)
{
	struct sembuf b = { (unsigned short)num, (short)op, (short)flg };

	return semop(id, &b, 1);
}

static time_t otime(int id)
{
	struct semid_ds ds;

	CHECK_OK(semctl(id, 0, IPC_STAT, (union semun){ .buf = &ds }));
	return ds.sem_otime;
}

static void await_ncnt(int id, int num, int want, pid_t pid)
{
	for (int i = 0; i < 5000; i++) {
		if (semctl(id, num, GETNCNT) == want && t_proc_state(pid) == 'S')
			return;
		usleep(1000);
	}
	T_FAIL("GETNCNT of %d never became %d", num, want);
}

/* A child that takes one unit of sem 0 with SEM_UNDO and exits. */
static void case_exit_gives_back(void)
{
	int id = new_set(2);

	setval(id, 0, 1);
	CHECK_EQ(otime(id), 0);
	pid_t c = t_fork();
	if (c == 0)
		_exit(op1(id, 0, -1, SEM_UNDO) == 0 ? 0 : errno);
	CHECK_EXITED(t_wait(c), 0);
	CHECK_EQ(getval(id, 0), 1);
	CHECK_EQ(semctl(id, 0, GETPID), c);	/* the exit's change */
	CHECK_EQ(semctl(id, 1, GETPID), 0);	/* nothing to undo there */
	CHECK(otime(id) != 0);
	/* Several operations add up; +n undoes as -n. */
	c = t_fork();
	if (c == 0) {
		struct sembuf ops[3] = { { 0, 3, SEM_UNDO }, { 1, 2, SEM_UNDO },
					 { 0, -1, SEM_UNDO } };
		_exit(semop(id, ops, 3) == 0 ? 0 : errno);
	}
	CHECK_EXITED(t_wait(c), 0);
	CHECK_EQ(getval(id, 0), 1);
	CHECK_EQ(getval(id, 1), 0);
	rm_set(id);
}

static void hold_and_pause(int id, volatile int *ready)
{
	if (op1(id, 0, -1, SEM_UNDO) != 0)
		_exit(errno);
	t_post(ready, 1);
	for (;;)
		pause();
}

/* Killed while holding: the unit still comes back, and wakes a waiter. */
static void case_killed_gives_back(void)
{
	volatile int *ready = t_shared_ints();
	int id = new_set(1);

	setval(id, 0, 1);
	pid_t holder = t_fork();
	if (holder == 0)
		hold_and_pause(id, ready);
	t_await(ready, 1);
	CHECK_EQ(getval(id, 0), 0);
	pid_t waiter = t_fork();
	if (waiter == 0)
		_exit(op1(id, 0, -1, 0) == 0 ? 0 : errno);
	await_ncnt(id, 0, 1, waiter);
	CHECK_OK(kill(holder, SIGKILL));
	CHECK_SIGNALED(t_wait(holder), SIGKILL);
	CHECK_EXITED(t_wait(waiter), 0);	/* got the unit back */
	CHECK_EQ(getval(id, 0), 0);
	CHECK_EQ(semctl(id, 0, GETPID), waiter);
	rm_set(id);
}

/* Killed while asleep in semop, holding sem 0 from an earlier call. */
static void case_killed_while_blocked(void)
{
	int id = new_set(2);

	setval(id, 0, 3);
	pid_t c = t_fork();
	if (c == 0) {
		if (op1(id, 0, -2, SEM_UNDO) != 0)
			_exit(errno);
		struct sembuf both[2] = { { 0, -1, SEM_UNDO },
					  { 1, -1, SEM_UNDO } };
		semop(id, both, 2);
		_exit(1);
	}
	await_ncnt(id, 1, 1, c);
	CHECK_EQ(getval(id, 0), 1);
	CHECK_OK(kill(c, SIGKILL));
	CHECK_SIGNALED(t_wait(c), SIGKILL);
	CHECK_EQ(getval(id, 0), 3);
	CHECK_EQ(semctl(id, 1, GETNCNT), 0);
	rm_set(id);
}

/* Exit clamps the value to 0..32767 (Linux's exit_sem). */
static void case_undo_clamped(void)
{
	volatile int *step = t_shared_ints();
	int id = new_set(2);

	setval(id, 1, 32767);
	pid_t c = t_fork();
	if (c == 0) {
		if (op1(id, 0, 5, SEM_UNDO) || op1(id, 1, -1, SEM_UNDO))
			_exit(errno);
		t_post(step, 1);
		t_await(step, 2);
		_exit(0);
	}
	t_await(step, 1);
	CHECK_OK(op1(id, 0, -5, 0));	/* 0 - 5 at exit: clamped to 0 */
	CHECK_OK(op1(id, 1, 1, 0));	/* 32767 + 1 at exit: 32767 */
	t_post(step, 2);
	CHECK_EXITED(t_wait(c), 0);
	CHECK_EQ(getval(id, 0), 0);
	CHECK_EQ(getval(id, 1), 32767);
	rm_set(id);
}

/* A child takes one unit of each of 3 semaphores with SEM_UNDO, lets
 * the parent act, then exits. */
static pid_t take_three_and_wait(int id, volatile int *step)
{
	pid_t c = t_fork();

	if (c == 0) {
		struct sembuf ops[3] = { { 0, -1, SEM_UNDO }, { 1, -1, SEM_UNDO },
					 { 2, -1, SEM_UNDO } };
		if (semop(id, ops, 3))
			_exit(errno);
		t_post(step, 1);
		t_await(step, 2);
		_exit(0);
	}
	t_await(step, 1);
	return c;
}

/* SETVAL clears every process's adjustment for that semaphore, SETALL
 * for all of them. */
static void case_setval_clears_undo(void)
{
	volatile int *step = t_shared_ints();
	int id = new_set(3);
	unsigned short v[3] = { 4, 4, 4 };

	CHECK_OK(semctl(id, 0, SETALL, (union semun){ .array = v }));
	pid_t c = take_three_and_wait(id, step);
	setval(id, 1, 4);
	t_post(step, 2);
	CHECK_EXITED(t_wait(c), 0);
	CHECK_EQ(getval(id, 0), 4);
	CHECK_EQ(getval(id, 1), 4);	/* not 5 */
	CHECK_EQ(getval(id, 2), 4);

	t_post(step, 0);
	c = take_three_and_wait(id, step);
	v[2] = 9;
	CHECK_OK(semctl(id, 0, SETALL, (union semun){ .array = v }));
	CHECK_OK(op1(id, 0, -2, 0));
	t_post(step, 2);
	CHECK_EXITED(t_wait(c), 0);
	CHECK_EQ(getval(id, 0), 2);
	CHECK_EQ(getval(id, 1), 4);
	CHECK_EQ(getval(id, 2), 9);
	rm_set(id);
}

/* IPC_RMID drops the adjustments; a new set (even in the same slot) is
 * not touched by the old process's exit. */
static void case_rmid_drops_undo(void)
{
	volatile int *step = t_shared_ints();
	int id = new_set(1);

	setval(id, 0, 2);
	pid_t c = t_fork();
	if (c == 0) {
		if (op1(id, 0, -1, SEM_UNDO))
			_exit(errno);
		t_post(step, 1);
		t_await(step, 2);
		/* The old id names nothing now. */
		_exit(op1(id, 0, -1, SEM_UNDO | IPC_NOWAIT) == -1 &&
		      errno == EINVAL ? 0 : 1);
	}
	t_await(step, 1);
	rm_set(id);
	int id2 = new_set(1);
	setval(id2, 0, 5);
	t_post(step, 2);
	CHECK_EXITED(t_wait(c), 0);
	CHECK_EQ(getval(id2, 0), 5);
	rm_set(id2);
}

/* fork does not pass adjustments on: only the process that made them
 * gives them back. */
static void case_fork_no_inherit(void)
{
	int id = new_set(1);

	setval(id, 0, 2);
	pid_t p = t_fork();
	if (p == 0) {
		CHECK_OK(op1(id, 0, -1, SEM_UNDO));
		pid_t g = t_fork();
		if (g == 0)
			_exit(0);
		CHECK_EXITED(t_wait(g), 0);
		CHECK_EQ(getval(id, 0), 1);	/* the child gave nothing */
		_exit(0);
	}
	CHECK_EXITED(t_wait(p), 0);
	CHECK_EQ(getval(id, 0), 2);
	rm_set(id);
}

/* clone(CLONE_SYSVSEM) shares one list: the child's exit gives nothing
 * back while the parent still holds the list; the last one out does. */
static void case_clone_sysvsem_shared(void)
{
	int id = new_set(1);

	setval(id, 0, 5);
	pid_t p = t_fork();
	if (p == 0) {
		CHECK_OK(op1(id, 0, -1, SEM_UNDO));
		long c = t_raw(SYS_clone, CLONE_SYSVSEM | SIGCHLD, 0, 0, 0, 0);
		if (c < 0)
			T_FAIL("clone(CLONE_SYSVSEM): %s", t_errname((int)-c));
		if (c == 0) {
			/* Adjustments into the shared list. */
			_exit(op1(id, 0, -2, SEM_UNDO) == 0 ? 0 : errno);
		}
		CHECK_EXITED(t_wait((pid_t)c), 0);
		CHECK_EQ(getval(id, 0), 2);	/* nothing given back yet */
		_exit(0);
	}
	CHECK_EXITED(t_wait(p), 0);
	CHECK_EQ(getval(id, 0), 5);		/* all 3 at the last exit */
	rm_set(id);
}

/* Without CLONE_SYSVSEM a clone child has its own (empty) list. */
static void case_clone_without_sysvsem(void)
{
	int id = new_set(1);

	setval(id, 0, 5);
	pid_t p = t_fork();
	if (p == 0) {
		CHECK_OK(op1(id, 0, -1, SEM_UNDO));
		long c = t_raw(SYS_clone, SIGCHLD, 0, 0, 0, 0);
		if (c == 0)
			_exit(op1(id, 0, -2, SEM_UNDO) == 0 ? 0 : errno);
		CHECK_EXITED(t_wait((pid_t)c), 0);
		CHECK_EQ(getval(id, 0), 4);	/* the child's 2 came back */
		_exit(0);
	}
	CHECK_EXITED(t_wait(p), 0);
	CHECK_EQ(getval(id, 0), 5);
	rm_set(id);
}

#define STACK_SIZE	(64 * 1024)
#define THREAD_FLAGS	(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | \
			 CLONE_THREAD)

/*
 * A thread (raw clone, no C library thread code) that runs fn(arg) on
 * its own stack and leaves with exit(fn's result); as in threads.c, in
 * assembly because the child cannot return into the parent's frame.
 */
static long raw_thread(unsigned long flags, int (*fn)(long), long arg)
{
	char *stack = t_map(STACK_SIZE, PROT_READ | PROT_WRITE);
	long *sp = (long *)(stack + STACK_SIZE);
	long ret;

	*--sp = (long)fn;
	*--sp = arg;
	__asm__ volatile("syscall\n\t"
			 "test %%rax, %%rax\n\t"
			 "jnz 1f\n\t"
			 "pop %%rdi\n\t"
			 "pop %%rax\n\t"
			 "call *%%rax\n\t"
			 "mov %%eax, %%edi\n\t"
			 "mov $60, %%eax\n\t"	/* SYS_exit: this thread */
			 "syscall\n\t"
			 "1:\n\t"
			 : "=a"(ret)
			 : "a"(SYS_clone), "D"(flags), "S"(sp), "d"(0)
			 : "rcx", "r11", "memory");
	if (ret <= 0)
		T_FAIL("clone: %ld", ret);
	return ret;
}

/* Takes 2 units of sem 0 of set id with SEM_UNDO; no C library. */
static int thread_take_two(long id)
{
	struct sembuf b = { 0, -2, SEM_UNDO };

	return t_raw(SYS_semop, id, &b, 1) == 0 ? 0 : 1;
}

/* Wait until thread tid of this process is gone entirely (its exit,
 * undo included, is over when /proc no longer lists it). */
static void await_thread_gone(long tid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/task/%ld", tid);
	for (int i = 0; i < 5000; i++) {
		if (access(path, F_OK) != 0)
			return;
		usleep(1000);
	}
	T_FAIL("thread %ld never went away", tid);
}

/* Threads: the undo list is per task, shared with CLONE_SYSVSEM (as
 * pthread_create asks); a thread's exit drops its reference. */
static void case_thread_undo(void)
{
	int id = new_set(1);

	setval(id, 0, 5);
	pid_t p = t_fork();
	if (p == 0) {
		long tid = raw_thread(THREAD_FLAGS | CLONE_SYSVSEM,
				      thread_take_two, id);
		await_thread_gone(tid);
		CHECK_EQ(getval(id, 0), 3);	/* the process still holds it */
		tid = raw_thread(THREAD_FLAGS, thread_take_two, id);
		await_thread_gone(tid);
		CHECK_EQ(getval(id, 0), 3);	/* its own list: given back */
		_exit(0);
	}
	CHECK_EXITED(t_wait(p), 0);
	CHECK_EQ(getval(id, 0), 5);
	rm_set(id);
}

/* execve keeps the list: the new program's exit gives the unit back. */
static void case_exec_keeps_undo(void)
{
	int id = new_set(1);
	char idbuf[32];

	setval(id, 0, 1);
	snprintf(idbuf, sizeof(idbuf), "%d", id);
	pid_t c = t_fork();
	if (c == 0) {
		if (op1(id, 0, -1, SEM_UNDO))
			_exit(errno);
		char *argv[] = { (char *)t_self(), "--check-zero", idbuf, NULL };
		execv(t_self(), argv);
		_exit(98);
	}
	CHECK_EXITED(t_wait(c), 0);
	CHECK_EQ(getval(id, 0), 1);
	rm_set(id);
}

/*
 * Linux makes the undo entry before semop's other checks, and exit
 * always records an operation time for each entry it processes, even one
 * with nothing to give back.
 */
static void case_undo_entry_exit_otime(void)
{
	int id = new_set(1);
	pid_t c = t_fork();

	if (c == 0)
		_exit(op1(id, 0, -1, SEM_UNDO | IPC_NOWAIT) == -1 &&
		      errno == EAGAIN ? 0 : 1);
	CHECK_EXITED(t_wait(c), 0);
	CHECK(otime(id) != 0);
	CHECK_EQ(semctl(id, 0, GETPID), 0);
	rm_set(id);
}

/* A failing operation leaves the adjustments as they were. */
static void case_undo_rollback(void)
{
	int id = new_set(2);

	setval(id, 0, 1);
	setval(id, 1, 32767);
	pid_t c = t_fork();
	if (c == 0) {
		struct sembuf ops[2] = { { 0, -1, SEM_UNDO }, { 1, 1, SEM_UNDO } };
		if (semop(id, ops, 2) != -1 || errno != ERANGE)
			_exit(1);
		struct sembuf nw[2] = { { 0, -1, SEM_UNDO },
					{ 0, -1, SEM_UNDO | IPC_NOWAIT } };
		if (semop(id, nw, 2) != -1 || errno != EAGAIN)
			_exit(2);
		_exit(op1(id, 1, -2, SEM_UNDO) == 0 ? 0 : 3);
	}
	CHECK_EXITED(t_wait(c), 0);
	CHECK_EQ(getval(id, 0), 1);
	CHECK_EQ(getval(id, 1), 32767);
	rm_set(id);
}

static const struct t_case cases[] = {
	{ case_exit_gives_back, "exit_gives_back" },
	{ case_killed_gives_back, "killed_gives_back" },
	{ case_killed_while_blocked, "killed_while_blocked" },
	{ case_undo_clamped, "undo_clamped" },
	{ case_setval_clears_undo, "setval_clears_undo" },
	{ case_rmid_drops_undo, "rmid_drops_undo" },
	{ case_fork_no_inherit, "fork_no_inherit" },
	{ case_clone_sysvsem_shared, "clone_sysvsem_shared" },
	{ case_clone_without_sysvsem, "clone_without_sysvsem" },
	{ case_thread_undo, "thread_undo" },
	{ case_exec_keeps_undo, "exec_keeps_undo" },
	{ case_undo_entry_exit_otime, "undo_entry_exit_otime" },
	{ case_undo_rollback, "undo_rollback" },
};

int main(int argc, char **argv)
{
	/* The program execve'd by exec_keeps_undo: the unit its parent
	 * image took must still be taken. */
	if (argc == 3 && strcmp(argv[1], "--check-zero") == 0)
		_exit(semctl(atoi(argv[2]), 0, GETVAL) == 0 ? 0 : 1);
	return T_RUN(argc, argv, cases);
}
