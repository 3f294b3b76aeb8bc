/*
 * thread_stress.c - correctness under contention, with fixed counts and
 * fixed seeds (never a time limit): 8 threads x 100000 increments of one
 * counter under a pthread mutex, a spinlock and C11 atomics must give
 * exactly 800000; the bank of MISSION.md section 2 (a balance of 1000, one
 * thread deposits 10 a hundred times, another withdraws 20 fifty times)
 * must end at exactly 1000; and 16 threads in 4 processes run random
 * operations on process-shared mutexes and POSIX semaphores in one
 * MAP_SHARED page, after which every counter and every semaphore value
 * must match the operations each thread recorded.
 *
 * One CPU runs the test VM, so contention comes from preemption inside
 * critical sections; the loops yield now and then while holding a lock to
 * make sure waiters really sleep in the kernel.
 */
#define _GNU_SOURCE
#include "t.h"
#include "threadtest.h"

#include <semaphore.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/wait.h>

#define NTHREADS 8
#define INCREMENTS 100000

static long plain_counter;
static pthread_mutex_t counter_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_spinlock_t counter_spin;
static atomic_long atomic_counter;

static void *add_mutex(void *arg)
{
	(void)arg;
	for (int i = 0; i < INCREMENTS; i++) {
		CHECK_ZERO(pthread_mutex_lock(&counter_mutex));
		plain_counter++;
		if (i % 4096 == 0)
			sched_yield();
		CHECK_ZERO(pthread_mutex_unlock(&counter_mutex));
	}
	return NULL;
}

static void *add_spin(void *arg)
{
	(void)arg;
	for (int i = 0; i < INCREMENTS; i++) {
		CHECK_ZERO(pthread_spin_lock(&counter_spin));
		plain_counter++;
		CHECK_ZERO(pthread_spin_unlock(&counter_spin));
	}
	return NULL;
}

/* Half the increments with fetch_add, half with a compare-exchange loop. */
static void *add_atomic(void *arg)
{
	(void)arg;
	for (int i = 0; i < INCREMENTS; i++) {
		if (i % 2) {
			atomic_fetch_add(&atomic_counter, 1);
			continue;
		}
		long old = atomic_load(&atomic_counter);
		while (!atomic_compare_exchange_weak(&atomic_counter, &old, old + 1))
			;
	}
	return NULL;
}

static void run_all(void *(*fn)(void *))
{
	pthread_t t[NTHREADS];

	for (int i = 0; i < NTHREADS; i++)
		t[i] = th_start(fn, NULL);
	for (int i = 0; i < NTHREADS; i++)
		th_join(t[i]);
}

static void case_counter_mutex(void)
{
	run_all(add_mutex);
	CHECK_EQ(plain_counter, NTHREADS * INCREMENTS);
}

static void case_counter_spinlock(void)
{
	CHECK_ZERO(pthread_spin_init(&counter_spin, PTHREAD_PROCESS_PRIVATE));
	CHECK_ZERO(pthread_spin_trylock(&counter_spin));
	CHECK_RET(pthread_spin_trylock(&counter_spin), EBUSY);
	CHECK_ZERO(pthread_spin_unlock(&counter_spin));
	run_all(add_spin);
	CHECK_EQ(plain_counter, NTHREADS * INCREMENTS);
	CHECK_ZERO(pthread_spin_destroy(&counter_spin));
}

static void case_counter_atomic(void)
{
	run_all(add_atomic);
	CHECK_EQ(atomic_load(&atomic_counter), NTHREADS * INCREMENTS);
}

/* MISSION.md section 2: the balance must end where it started. */
static long balance = 1000;
static pthread_mutex_t bank = PTHREAD_MUTEX_INITIALIZER;

static void *deposit(void *arg)
{
	(void)arg;
	for (int i = 0; i < 100; i++) {
		CHECK_ZERO(pthread_mutex_lock(&bank));
		long b = balance;
		sched_yield();		/* the other thread runs in between */
		balance = b + 10;
		CHECK_ZERO(pthread_mutex_unlock(&bank));
	}
	return NULL;
}

static void *withdraw(void *arg)
{
	(void)arg;
	for (int i = 0; i < 50; i++) {
		CHECK_ZERO(pthread_mutex_lock(&bank));
		long b = balance;
		sched_yield();
		balance = b - 20;
		CHECK_ZERO(pthread_mutex_unlock(&bank));
	}
	return NULL;
}

static void case_bank(void)
{
	for (int round = 0; round < 20; round++) {
		pthread_t d = th_start(deposit, NULL);
		pthread_t w = th_start(withdraw, NULL);
		th_join(d);
		th_join(w);
		CHECK_EQ(balance, 1000);
	}
}

/*
 * The process-shared stress. Each of the STHREADS threads (SPROCS
 * processes of SPER threads) runs SOPS operations chosen by its own
 * xorshift generator and records, in its own row of the page, what it
 * did; only it writes that row.
 */
#define SPROCS 4
#define SPER 4
#define STHREADS (SPROCS * SPER)
#define NMUTEX 4
#define NSEM 4
#define SOPS 15000

struct tally {
	long inc[NMUTEX], dec[NMUTEX];
	long posts[NSEM], waits[NSEM];
	long busy;		/* trylocks that found the mutex taken */
};

struct stress {
	pthread_mutex_t mutex[NMUTEX];
	long counter[NMUTEX];	/* counter[i] guarded by mutex[i] */
	sem_t sem[NSEM];
	volatile int ready;	/* threads that have started */
	struct tally row[STHREADS];
};

_Static_assert(sizeof(struct stress) <= 4096, "one page");

static const int sem_start[NSEM] = { 0, 1, 2, 3 };

static struct stress *st;

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void add_under(int i, long d, struct tally *me)
{
	CHECK_ZERO(pthread_mutex_lock(&st->mutex[i]));
	st->counter[i] += d;
	CHECK_ZERO(pthread_mutex_unlock(&st->mutex[i]));
	if (d > 0)
		me->inc[i] += d;
	else
		me->dec[i] -= d;
}

/*
 * Every semaphore operation is a pair that gives back what it takes, so
 * no thread can wait forever: a thread asleep in sem_wait has posted
 * first, and a successful trywait is followed by a post.
 */
static void one_op(uint64_t *seed, struct tally *me)
{
	uint64_t r = xorshift(seed);
	int i = (int)((r >> 8) % NMUTEX), j = (int)((r >> 16) % NMUTEX);
	int s = (int)((r >> 24) % NSEM);
	struct timespec past = { 0, 0 };

	switch (r % 8) {
	case 0: case 1:
		add_under(i, 1, me);
		break;
	case 2:
		add_under(i, -1, me);
		break;
	case 3: {		/* two mutexes, always in index order */
		if (i == j)
			j = (i + 1) % NMUTEX;
		int lo = i < j ? i : j, hi = i < j ? j : i;
		CHECK_ZERO(pthread_mutex_lock(&st->mutex[lo]));
		CHECK_ZERO(pthread_mutex_lock(&st->mutex[hi]));
		st->counter[i]++;
		st->counter[j]--;
		if (r & (1 << 30))
			sched_yield();	/* held across a switch */
		CHECK_ZERO(pthread_mutex_unlock(&st->mutex[hi]));
		CHECK_ZERO(pthread_mutex_unlock(&st->mutex[lo]));
		me->inc[i]++;
		me->dec[j]++;
		break;
	}
	case 4: {
		int e = pthread_mutex_trylock(&st->mutex[i]);
		if (e == EBUSY) {
			me->busy++;
			break;
		}
		CHECK_ZERO(e);
		st->counter[i]++;
		CHECK_ZERO(pthread_mutex_unlock(&st->mutex[i]));
		me->inc[i]++;
		break;
	}
	case 5:
		CHECK_OK(sem_post(&st->sem[s]));
		me->posts[s]++;
		CHECK_OK(sem_wait(&st->sem[s]));
		me->waits[s]++;
		break;
	case 6:
		if (sem_trywait(&st->sem[s]) != 0) {
			CHECK_EQ(errno, EAGAIN);
			break;
		}
		me->waits[s]++;
		CHECK_OK(sem_post(&st->sem[s]));
		me->posts[s]++;
		break;
	case 7:			/* a deadline already past: take or fail */
		if (sem_timedwait(&st->sem[s], &past) != 0) {
			CHECK_EQ(errno, ETIMEDOUT);
			break;
		}
		me->waits[s]++;
		CHECK_OK(sem_post(&st->sem[s]));
		me->posts[s]++;
		break;
	}
}

static void *stress_thread(void *arg)
{
	intptr_t id = (intptr_t)arg;
	uint64_t seed = 0x9e3779b97f4a7c15ULL * (uint64_t)(id + 1);
	struct tally *me = &st->row[id];

	th_add(&st->ready, 1);
	t_await(&st->ready, STHREADS);	/* all start together */
	for (int n = 0; n < SOPS; n++)
		one_op(&seed, me);
	return NULL;
}

static void stress_process(int p)
{
	pthread_t t[SPER];

	for (int k = 0; k < SPER; k++)
		t[k] = th_start(stress_thread, (void *)(intptr_t)(p * SPER + k));
	for (int k = 0; k < SPER; k++)
		th_join(t[k]);
}

static void stress_init(void)
{
	pthread_mutexattr_t a;

	st = th_shared(sizeof(struct stress));
	CHECK_ZERO(pthread_mutexattr_init(&a));
	CHECK_ZERO(pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED));
	for (int i = 0; i < NMUTEX; i++)
		CHECK_ZERO(pthread_mutex_init(&st->mutex[i], &a));
	CHECK_ZERO(pthread_mutexattr_destroy(&a));
	for (int s = 0; s < NSEM; s++)
		CHECK_OK(sem_init(&st->sem[s], 1, sem_start[s]));
}

static void stress_check(void)
{
	long busy = 0;

	for (int i = 0; i < NMUTEX; i++) {
		long want = 0;
		for (int t = 0; t < STHREADS; t++)
			want += st->row[t].inc[i] - st->row[t].dec[i];
		CHECK_EQ(st->counter[i], want);
		CHECK_ZERO(pthread_mutex_trylock(&st->mutex[i]));
		CHECK_ZERO(pthread_mutex_unlock(&st->mutex[i]));
		CHECK_ZERO(pthread_mutex_destroy(&st->mutex[i]));
	}
	for (int s = 0; s < NSEM; s++) {
		long posts = 0, waits = 0;
		int v = -1;
		for (int t = 0; t < STHREADS; t++) {
			posts += st->row[t].posts[s];
			waits += st->row[t].waits[s];
		}
		CHECK(posts > 0);
		CHECK_EQ(posts, waits);		/* every take was given back */
		CHECK_OK(sem_getvalue(&st->sem[s], &v));
		CHECK_EQ(v, sem_start[s] + posts - waits);
		CHECK_OK(sem_destroy(&st->sem[s]));
	}
	for (int t = 0; t < STHREADS; t++)
		busy += st->row[t].busy;
	t_note("%ld trylocks found a mutex taken", busy);
}

static void case_processes_shared(void)
{
	pid_t pid[SPROCS];

	stress_init();
	for (int p = 1; p < SPROCS; p++) {
		pid[p] = t_fork();
		if (pid[p] == 0) {
			stress_process(p);
			_exit(0);
		}
	}
	stress_process(0);
	for (int p = 1; p < SPROCS; p++)
		CHECK_EXITED(t_wait(pid[p]), 0);
	stress_check();
	CHECK_OK(munmap(st, sizeof(struct stress)));
}

static const struct t_case cases[] = {
	{ case_counter_mutex, "counter_mutex" },
	{ case_counter_spinlock, "counter_spinlock" },
	{ case_counter_atomic, "counter_atomic" },
	{ case_bank, "bank" },
	{ case_processes_shared, "processes_shared" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
