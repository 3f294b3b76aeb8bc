/*
 * philosophers.c - the dining philosophers: five threads around a table
 * with a fork between each two neighbours, each fork a mutex of the
 * report's (mutex_get). A philosopher thinks, takes both forks next to
 * him, eats, puts them down, MEALS times.
 *
 * No deadlock: every philosopher takes the lower-numbered of his two
 * forks first. A deadlock needs a cycle of philosophers each holding
 * one fork and waiting for the next; with the forks taken in one global
 * order, the philosopher holding the highest-numbered fork anyone holds
 * waits for no one, so there is no cycle. (The naive rule, "left fork
 * first", lets all five take their left fork at once and wait forever.)
 *
 * Each fork also records who holds it, so a fork held by two
 * philosophers at once would be counted. The output is the same on every
 * run; the exit status is 0 when everyone ate MEALS times and no fork
 * was ever shared.
 */
#include <basalt/sem.h>
#include <basalt/thread.h>
#include <sched.h>
#include <stdio.h>

#define N	5
#define MEALS	100

static int fork_mutex[N];
static int fork_holder[N];	/* who holds fork i, -1 for nobody */
static int meals[N];
static int shared_forks;	/* times a fork was taken while held */

static void take_fork(int f, int who)
{
	mutex_lock(fork_mutex[f]);
	if (__atomic_exchange_n(&fork_holder[f], who, __ATOMIC_SEQ_CST) != -1)
		__atomic_add_fetch(&shared_forks, 1, __ATOMIC_SEQ_CST);
}

static void put_fork(int f)
{
	__atomic_store_n(&fork_holder[f], -1, __ATOMIC_SEQ_CST);
	mutex_unlock(fork_mutex[f]);
}

static void *philosopher(void *arg)
{
	int me = (int)(long)arg;
	int left = me, right = (me + 1) % N;
	int first = left < right ? left : right;
	int second = left < right ? right : left;

	for (int m = 0; m < MEALS; m++) {
		sched_yield();			/* thinks */
		take_fork(first, me);
		take_fork(second, me);
		meals[me]++;			/* eats */
		sched_yield();
		put_fork(second);
		put_fork(first);
	}
	return NULL;
}

int main(void)
{
	struct basalt_thread *t[N];
	int ok = 1, started = 0;

	for (int i = 0; i < N; i++) {
		fork_holder[i] = -1;
		if ((fork_mutex[i] = mutex_get()) < 0) {
			perror("philosophers: mutex_get");
			return 2;
		}
	}
	for (; started < N; started++)
		if (thread_create(&t[started], philosopher,
				  (void *)(long)started) < 0) {
			perror("philosophers: thread_create");
			ok = 0;
			break;
		}
	for (int i = 0; i < started; i++)
		thread_join(t[i], NULL);
	for (int i = 0; i < started; i++) {
		printf("philosopher %d ate %d times\n", i, meals[i]);
		ok &= meals[i] == MEALS;
	}
	printf("forks held by two at once: %d\n", shared_forks);
	ok &= shared_forks == 0;
	if (ok)
		printf("all %d philosophers ate %d times each: no deadlock\n",
		       N, MEALS);
	for (int i = 0; i < N; i++)
		freesem(fork_mutex[i]);
	return ok ? 0 : 1;
}
