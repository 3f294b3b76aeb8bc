/*
 * pthread_sync.c - condition variables, read-write locks and barriers,
 * between threads and (process-shared) between processes.
 *
 * Condition variables: a producer/consumer queue (signal), a broadcast
 * that must wake every waiter (all are known to be waiting: each counted
 * itself in under the mutex), pthread_cond_timedwait's ETIMEDOUT on both
 * clocks with the mutex taken back, and a ping-pong between two
 * processes. Read-write locks: readers hold it together, a writer holds
 * it alone (the try and timed forms fail with EBUSY and ETIMEDOUT), and
 * writers and readers contending keep an invariant. Barriers: N threads
 * for K rounds, exactly one serial thread per round, and a barrier shared
 * by processes.
 */
#define _GNU_SOURCE
#include "t.h"
#include "threadtest.h"

#include <stdint.h>
#include <sys/wait.h>

/* A bounded queue of ints: mutex, two condition variables. */
#define QCAP 8
#define NITEMS 3000
#define NCONSUMERS 3

static struct {
	pthread_mutex_t m;
	pthread_cond_t not_empty, not_full;
	int buf[QCAP];
	int head, len, done;
	long sum[NCONSUMERS];
	int count[NCONSUMERS];
} q = {
	.m = PTHREAD_MUTEX_INITIALIZER,
	.not_empty = PTHREAD_COND_INITIALIZER,
	.not_full = PTHREAD_COND_INITIALIZER,
};

static void *consumer(void *arg)
{
	intptr_t me = (intptr_t)arg;

	CHECK_ZERO(pthread_mutex_lock(&q.m));
	for (;;) {
		while (q.len == 0 && !q.done)
			CHECK_ZERO(pthread_cond_wait(&q.not_empty, &q.m));
		if (q.len == 0)
			break;
		q.sum[me] += q.buf[q.head];
		q.count[me]++;
		q.head = (q.head + 1) % QCAP;
		q.len--;
		CHECK_ZERO(pthread_cond_signal(&q.not_full));
	}
	CHECK_ZERO(pthread_mutex_unlock(&q.m));
	return NULL;
}

static void case_cond_queue(void)
{
	pthread_t t[NCONSUMERS];
	long sum = 0;
	int count = 0;

	for (intptr_t i = 0; i < NCONSUMERS; i++)
		t[i] = th_start(consumer, (void *)i);
	for (int item = 1; item <= NITEMS; item++) {
		CHECK_ZERO(pthread_mutex_lock(&q.m));
		while (q.len == QCAP)
			CHECK_ZERO(pthread_cond_wait(&q.not_full, &q.m));
		q.buf[(q.head + q.len) % QCAP] = item;
		q.len++;
		CHECK_ZERO(pthread_cond_signal(&q.not_empty));
		CHECK_ZERO(pthread_mutex_unlock(&q.m));
	}
	CHECK_ZERO(pthread_mutex_lock(&q.m));
	q.done = 1;
	CHECK_ZERO(pthread_cond_broadcast(&q.not_empty));
	CHECK_ZERO(pthread_mutex_unlock(&q.m));
	for (int i = 0; i < NCONSUMERS; i++) {
		th_join(t[i]);
		sum += q.sum[i];
		count += q.count[i];
	}
	/* Every item was taken exactly once. */
	CHECK_EQ(count, NITEMS);
	CHECK_EQ(sum, (long)NITEMS * (NITEMS + 1) / 2);
}

#define NWAITERS 8

static struct {
	pthread_mutex_t m;
	pthread_cond_t cv;
	int waiting, go, woken;
} bc = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0 };

static void *broadcast_waiter(void *arg)
{
	(void)arg;
	CHECK_ZERO(pthread_mutex_lock(&bc.m));
	bc.waiting++;
	while (!bc.go)
		CHECK_ZERO(pthread_cond_wait(&bc.cv, &bc.m));
	bc.woken++;
	CHECK_ZERO(pthread_mutex_unlock(&bc.m));
	return NULL;
}

static void case_cond_broadcast(void)
{
	pthread_t t[NWAITERS];

	for (int round = 0; round < 10; round++) {
		bc.waiting = bc.go = bc.woken = 0;
		for (int i = 0; i < NWAITERS; i++)
			t[i] = th_start(broadcast_waiter, NULL);
		/* Once all have counted themselves in, all are in cond_wait. */
		for (long spins = 0;; spins++) {
			CHECK_ZERO(pthread_mutex_lock(&bc.m));
			int n = bc.waiting;
			if (n == NWAITERS)
				break;
			CHECK_ZERO(pthread_mutex_unlock(&bc.m));
			CHECK(spins < (1L << 24));
			sched_yield();
		}
		bc.go = 1;
		CHECK_ZERO(pthread_cond_broadcast(&bc.cv));
		CHECK_ZERO(pthread_mutex_unlock(&bc.m));
		for (int i = 0; i < NWAITERS; i++)
			th_join(t[i]);
		CHECK_EQ(bc.woken, NWAITERS);
	}
}

/* Holds an error-checking mutex: unlock says whether we really own it. */
static void case_cond_timedwait(void)
{
	pthread_mutexattr_t ma;
	pthread_condattr_t ca;
	pthread_mutex_t m;
	pthread_cond_t cv;
	clockid_t clk;

	CHECK_ZERO(pthread_mutexattr_init(&ma));
	CHECK_ZERO(pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_ERRORCHECK));
	CHECK_ZERO(pthread_mutex_init(&m, &ma));
	for (int mono = 0; mono < 2; mono++) {
		clockid_t want = mono ? CLOCK_MONOTONIC : CLOCK_REALTIME;

		CHECK_ZERO(pthread_condattr_init(&ca));
		CHECK_ZERO(pthread_condattr_setclock(&ca, want));
		CHECK_ZERO(pthread_condattr_getclock(&ca, &clk));
		CHECK_EQ(clk, want);
		CHECK_ZERO(pthread_cond_init(&cv, &ca));
		CHECK_ZERO(pthread_mutex_lock(&m));
		struct timespec ts = th_deadline_on(want, 20);
		CHECK_RET(pthread_cond_timedwait(&cv, &m, &ts), ETIMEDOUT);
		struct timespec past = { 0, 0 };
		CHECK_RET(pthread_cond_timedwait(&cv, &m, &past), ETIMEDOUT);
		CHECK_RET(pthread_mutex_lock(&m), EDEADLK);	/* taken back */
		CHECK_ZERO(pthread_mutex_unlock(&m));
		CHECK_ZERO(pthread_cond_destroy(&cv));
		CHECK_ZERO(pthread_condattr_destroy(&ca));
	}
	CHECK_ZERO(pthread_mutex_destroy(&m));
	CHECK_ZERO(pthread_mutexattr_destroy(&ma));
}

/* Process-shared mutex and condition variable: turns passed back and forth. */
struct pingpong {
	pthread_mutex_t m;
	pthread_cond_t cv;
	int turn;	/* 0: parent's move, 1: child's */
	int moves;
};

#define PP_ROUNDS 1000

static void pingpong_play(struct pingpong *s, int me)
{
	for (int i = 0; i < PP_ROUNDS; i++) {
		CHECK_ZERO(pthread_mutex_lock(&s->m));
		while (s->turn != me)
			CHECK_ZERO(pthread_cond_wait(&s->cv, &s->m));
		s->moves++;
		s->turn = !me;
		CHECK_ZERO(pthread_cond_signal(&s->cv));
		CHECK_ZERO(pthread_mutex_unlock(&s->m));
	}
}

static void case_cond_pshared(void)
{
	struct pingpong *s = th_shared(T_PAGE);
	pthread_mutexattr_t ma;
	pthread_condattr_t ca;
	int pshared = 0;

	CHECK_ZERO(pthread_mutexattr_init(&ma));
	CHECK_ZERO(pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED));
	CHECK_ZERO(pthread_mutex_init(&s->m, &ma));
	CHECK_ZERO(pthread_condattr_init(&ca));
	CHECK_ZERO(pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED));
	CHECK_ZERO(pthread_condattr_getpshared(&ca, &pshared));
	CHECK_EQ(pshared, PTHREAD_PROCESS_SHARED);
	CHECK_ZERO(pthread_cond_init(&s->cv, &ca));
	pid_t pid = t_fork();
	if (pid == 0) {
		pingpong_play(s, 1);
		_exit(0);
	}
	pingpong_play(s, 0);
	CHECK_EXITED(t_wait(pid), 0);
	CHECK_EQ(s->moves, 2 * PP_ROUNDS);
	CHECK_ZERO(pthread_cond_destroy(&s->cv));
	CHECK_ZERO(pthread_mutex_destroy(&s->m));
	CHECK_OK(munmap(s, T_PAGE));
}

#define NREADERS 8

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static volatile int readers_in;

/* All NREADERS hold the read lock at the same moment. */
static void *reader_together(void *arg)
{
	(void)arg;
	CHECK_ZERO(pthread_rwlock_rdlock(&rw));
	th_add(&readers_in, 1);
	t_await(&readers_in, NREADERS);
	CHECK_RET(pthread_rwlock_trywrlock(&rw), EBUSY);
	CHECK_ZERO(pthread_rwlock_unlock(&rw));
	return NULL;
}

static void case_rwlock_readers(void)
{
	pthread_t t[NREADERS];

	for (int i = 0; i < NREADERS; i++)
		t[i] = th_start(reader_together, NULL);
	for (int i = 0; i < NREADERS; i++)
		th_join(t[i]);
	CHECK_ZERO(pthread_rwlock_trywrlock(&rw));
	CHECK_ZERO(pthread_rwlock_unlock(&rw));
}

/* What a second thread gets while the main thread holds rw. */
static void *probe_rwlock(void *arg)
{
	struct timespec ts = th_deadline(10);
	int *r = arg;

	r[0] = pthread_rwlock_tryrdlock(&rw);
	if (r[0] == 0)
		pthread_rwlock_unlock(&rw);
	r[1] = pthread_rwlock_trywrlock(&rw);
	if (r[1] == 0)
		pthread_rwlock_unlock(&rw);
	r[2] = pthread_rwlock_timedrdlock(&rw, &ts);
	if (r[2] == 0)
		pthread_rwlock_unlock(&rw);
	ts = th_deadline(10);
	r[3] = pthread_rwlock_timedwrlock(&rw, &ts);
	if (r[3] == 0)
		pthread_rwlock_unlock(&rw);
	return NULL;
}

static void case_rwlock_writer_excludes(void)
{
	int r[4];

	CHECK_ZERO(pthread_rwlock_wrlock(&rw));
	th_join(th_start(probe_rwlock, r));
	CHECK_RET(r[0], EBUSY);
	CHECK_RET(r[1], EBUSY);
	CHECK_RET(r[2], ETIMEDOUT);
	CHECK_RET(r[3], ETIMEDOUT);
	CHECK_ZERO(pthread_rwlock_unlock(&rw));

	CHECK_ZERO(pthread_rwlock_rdlock(&rw));
	th_join(th_start(probe_rwlock, r));
	CHECK_RET(r[0], 0);
	CHECK_RET(r[1], EBUSY);
	CHECK_RET(r[2], 0);
	CHECK_RET(r[3], ETIMEDOUT);
	CHECK_ZERO(pthread_rwlock_unlock(&rw));

	th_join(th_start(probe_rwlock, r));
	for (int i = 0; i < 4; i++)
		CHECK_RET(r[i], 0);
}

/* Writers move a and b together; readers must never see them differ. */
#define RW_WRITERS 4
#define RW_READERS 4
#define RW_ROUNDS 5000

static volatile long rw_a, rw_b;

static void *rw_writer(void *arg)
{
	(void)arg;
	for (int i = 0; i < RW_ROUNDS; i++) {
		CHECK_ZERO(pthread_rwlock_wrlock(&rw));
		rw_a++;
		if (i % 32 == 0)
			sched_yield();	/* a reader now would see a != b */
		rw_b++;
		CHECK_ZERO(pthread_rwlock_unlock(&rw));
	}
	return NULL;
}

static void *rw_reader(void *arg)
{
	(void)arg;
	for (int i = 0; i < RW_ROUNDS; i++) {
		CHECK_ZERO(pthread_rwlock_rdlock(&rw));
		long a = rw_a;
		if (i % 32 == 0)
			sched_yield();
		CHECK_EQ(rw_b, a);
		CHECK_ZERO(pthread_rwlock_unlock(&rw));
	}
	return NULL;
}

static void case_rwlock_contention(void)
{
	pthread_t t[RW_WRITERS + RW_READERS];

	for (int i = 0; i < RW_WRITERS + RW_READERS; i++)
		t[i] = th_start(i % 2 ? rw_reader : rw_writer, NULL);
	for (int i = 0; i < RW_WRITERS + RW_READERS; i++)
		th_join(t[i]);
	CHECK_EQ(rw_a, RW_WRITERS * RW_ROUNDS);
	CHECK_EQ(rw_b, RW_WRITERS * RW_ROUNDS);
}

#define NBARRIER 8
#define BROUNDS 100

static pthread_barrier_t barrier;
static volatile int slot[NBARRIER];
static volatile int serials;

static void barrier_wait_count(void)
{
	int r = pthread_barrier_wait(&barrier);

	if (r == PTHREAD_BARRIER_SERIAL_THREAD)
		th_add(&serials, 1);
	else
		CHECK_ZERO(r);
}

/* Each round: write my slot, wait, read everyone's, wait again. */
static void *barrier_body(void *arg)
{
	intptr_t me = (intptr_t)arg;

	for (int round = 1; round <= BROUNDS; round++) {
		slot[me] = round;
		barrier_wait_count();
		for (int i = 0; i < NBARRIER; i++)
			CHECK_EQ(slot[i], round);
		barrier_wait_count();
	}
	return NULL;
}

static void case_barrier_rounds(void)
{
	pthread_t t[NBARRIER];

	CHECK_ZERO(pthread_barrier_init(&barrier, NULL, NBARRIER));
	for (intptr_t i = 0; i < NBARRIER; i++)
		t[i] = th_start(barrier_body, (void *)i);
	for (int i = 0; i < NBARRIER; i++)
		th_join(t[i]);
	CHECK_EQ(serials, 2 * BROUNDS);	/* exactly one per wait */
	CHECK_ZERO(pthread_barrier_destroy(&barrier));
}

#define PB_PROCS 4
#define PB_ROUNDS 50

struct pbarrier {
	pthread_barrier_t b;
	volatile int slot[PB_PROCS];
	volatile int serials;
};

static void pbarrier_body(struct pbarrier *s, int me)
{
	for (int round = 1; round <= PB_ROUNDS; round++) {
		s->slot[me] = round;
		int r = pthread_barrier_wait(&s->b);
		if (r == PTHREAD_BARRIER_SERIAL_THREAD)
			th_add(&s->serials, 1);
		else
			CHECK_ZERO(r);
		for (int i = 0; i < PB_PROCS; i++)
			CHECK_EQ(s->slot[i], round);
		r = pthread_barrier_wait(&s->b);
		CHECK(r == 0 || r == PTHREAD_BARRIER_SERIAL_THREAD);
	}
}

static void case_barrier_pshared(void)
{
	struct pbarrier *s = th_shared(T_PAGE);
	pthread_barrierattr_t a;
	pid_t pid[PB_PROCS];

	CHECK_ZERO(pthread_barrierattr_init(&a));
	CHECK_ZERO(pthread_barrierattr_setpshared(&a, PTHREAD_PROCESS_SHARED));
	CHECK_ZERO(pthread_barrier_init(&s->b, &a, PB_PROCS));
	for (int i = 1; i < PB_PROCS; i++) {
		pid[i] = t_fork();
		if (pid[i] == 0) {
			pbarrier_body(s, i);
			_exit(0);
		}
	}
	pbarrier_body(s, 0);
	for (int i = 1; i < PB_PROCS; i++)
		CHECK_EXITED(t_wait(pid[i]), 0);
	CHECK_EQ(s->serials, PB_ROUNDS);
	CHECK_ZERO(pthread_barrier_destroy(&s->b));
	CHECK_ZERO(pthread_barrierattr_destroy(&a));
	CHECK_OK(munmap(s, T_PAGE));
}

static const struct t_case cases[] = {
	{ case_cond_queue, "cond_queue" },
	{ case_cond_broadcast, "cond_broadcast" },
	{ case_cond_timedwait, "cond_timedwait" },
	{ case_cond_pshared, "cond_pshared" },
	{ case_rwlock_readers, "rwlock_readers" },
	{ case_rwlock_writer_excludes, "rwlock_writer_excludes" },
	{ case_rwlock_contention, "rwlock_contention" },
	{ case_barrier_rounds, "barrier_rounds" },
	{ case_barrier_pshared, "barrier_pshared" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
