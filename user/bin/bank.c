/*
 * bank.c - the report's bank (MISSION.md section 2): a balance of 1000
 * shared by two threads made with clone (thread_create). The father
 * deposits 10 a hundred times, the child withdraws 20 fifty times, and
 * each step - read the balance, work out the new one, write it back,
 * print it - runs under a semaphore made with getsem(1), taken with p
 * and given back with v. The final balance is exactly 1000$, every
 * time; the exit status is 0 when it is.
 *
 *   bank             the report's program
 *   bank --no-lock   the same without the semaphore, to show the race:
 *                    a thread that loses the processor between reading
 *                    and writing the balance overwrites the other's
 *                    updates, and the final balance is wrong (status 1).
 *
 * Each step offers the processor to the other thread (sched_yield)
 * between reading and writing the balance, where a timer interrupt
 * would do the most harm. Whether the other thread then runs is the
 * scheduler's choice: a round-robin scheduler switches, and with two
 * CPUs the threads overlap anyway; Linux's CFS on one CPU usually lets
 * the yielding thread go on, so that the father may finish before the
 * child even starts. How often --no-lock goes wrong depends on the
 * machine; with the lock, never.
 */
#include <basalt/sem.h>
#include <basalt/thread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#define OPENING		1000
#define DEPOSITS	100	/* of 10$, by the father */
#define WITHDRAWALS	50	/* of 20$, by the child */

static volatile int balance = OPENING;
static int sem = -1;		/* -1: no lock (--no-lock) */

static void enter(void)
{
	if (sem >= 0)
		p(sem);
}

static void leave(void)
{
	if (sem >= 0)
		v(sem);
}

/* Read, compute, write: the report's three steps. */
static int change_balance(int amount)
{
	int b = balance;

	sched_yield();		/* the worst moment to lose the processor */
	b += amount;
	balance = b;
	return b;
}

static void *child(void *arg)
{
	(void)arg;
	for (int i = 0; i < WITHDRAWALS; i++) {
		enter();
		int now = change_balance(-20);
		printf("Child: withdrew 20$, now %d$ in bank\n", now);
		leave();
	}
	return NULL;
}

int main(int argc, char **argv)
{
	int locked = !(argc > 1 && strcmp(argv[1], "--no-lock") == 0);
	struct basalt_thread *t;

	if (locked && (sem = getsem(1)) < 0) {
		perror("bank: getsem");
		return 2;
	}
	if (thread_create(&t, child, NULL) < 0) {
		perror("bank: thread_create");
		if (locked)
			freesem(sem);
		return 2;
	}
	for (int i = 0; i < DEPOSITS; i++) {
		enter();
		int now = change_balance(10);
		printf("Father: deposited 10$, now %d$ in bank\n", now);
		leave();
	}
	thread_join(t, NULL);
	printf("Final balance: %d$\n", balance);
	if (locked)
		freesem(sem);
	return balance == OPENING ? 0 : 1;
}
