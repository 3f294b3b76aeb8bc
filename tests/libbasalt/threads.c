/*
 * threads.c - libbasalt's threads (<basalt/thread.h>) and what must hold
 * once a process has several: the futex lock, the report's mutex used
 * by threads, malloc and stdio shared by threads, errno and __thread
 * variables per thread, fork from a threaded process, the guard page,
 * and no memory lost over a thousand threads.
 *
 * Basalt needs clone with CLONE_THREAD (and its companions) and futex
 * for these; until it has them, thread_create fails with EINVAL there
 * and so do these cases.
 */
#define _GNU_SOURCE
#include <basalt/lock.h>
#include <basalt/sem.h>
#include <basalt/thread.h>
#include <errno.h>
#include <malloc.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "t.h"
#include "capture.h"

#define NTHREADS	8
#define INCREMENTS	100000

static struct basalt_thread *start(void *(*fn)(void *), void *arg)
{
	struct basalt_thread *t;

	if (thread_create(&t, fn, arg) < 0)
		T_FAIL("thread_create failed: errno %s", t_errname(errno));
	return t;
}

static void *join(struct basalt_thread *t)
{
	void *result = (void *)-1;

	CHECK_OK(thread_join(t, &result));
	return result;
}

/* Lets n threads meet before going on (spins with sched_yield: -smp 1). */
struct barrier {
	int arrived;
};

static void barrier_wait(struct barrier *b, int n)
{
	__atomic_add_fetch(&b->arrived, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&b->arrived, __ATOMIC_SEQ_CST) < n)
		sched_yield();
}

/* ---- create and join ------------------------------------------------- */

static struct basalt_thread *seen_self[NTHREADS];
static int seen_tid[NTHREADS];

static void *report_self(void *arg)
{
	long i = (long)arg;

	seen_self[i] = thread_self();
	seen_tid[i] = gettid();
	return (void *)(i * 10 + 1);
}

static void case_create_join_results(void)
{
	struct basalt_thread *t[NTHREADS];
	struct basalt_thread *main_self = thread_self();

	for (long i = 0; i < NTHREADS; i++)
		t[i] = start(report_self, (void *)i);
	for (long i = 0; i < NTHREADS; i++) {
		int id = thread_id(t[i]);

		CHECK(join(t[i]) == (void *)(i * 10 + 1));
		CHECK(seen_self[i] == t[i]);	/* thread_self is the handle */
		CHECK_EQ(seen_tid[i], id);
		CHECK(id != getpid());
		for (long j = 0; j < i; j++)
			CHECK(seen_tid[j] != id);
	}
	CHECK(thread_self() == main_self);
	CHECK_EQ(thread_id(main_self), gettid());
	CHECK_EQ(getpid(), gettid());	/* the main thread leads the group */
}

static void *deep_exit(void *arg)
{
	if ((long)arg < 0)
		return NULL;
	if ((long)arg > 0)
		return deep_exit((void *)((long)arg - 1));
	thread_exit((void *)0x5eed);
}

static void *exits_deep(void *arg)
{
	deep_exit(arg);
	return NULL;	/* not reached */
}

static void case_thread_exit_value(void)
{
	CHECK(join(start(exits_deep, (void *)20)) == (void *)0x5eed);
}

static void *self_join(void *arg)
{
	(void)arg;
	errno = 0;
	if (thread_join(thread_self(), NULL) != -1 || errno != EDEADLK)
		return (void *)1;
	return NULL;
}

static void case_join_errors(void)
{
	CHECK_ERR(thread_join(thread_self(), NULL), EINVAL);	/* main */
	CHECK(join(start(self_join, NULL)) == NULL);
}

/* Many at once, all alive together. */
static void *wait_for_all(void *arg)
{
	barrier_wait(arg, 32);
	return arg;
}

static void case_32_threads_at_once(void)
{
	static struct barrier b;
	struct basalt_thread *t[32];

	for (int i = 0; i < 32; i++)
		t[i] = start(wait_for_all, &b);
	for (int i = 0; i < 32; i++)
		CHECK(join(t[i]) == &b);
}

/* ---- locks ------------------------------------------------------------ */

static struct basalt_lock counter_lock = BASALT_LOCK_INIT;
static volatile long counter;
static int report_mutex;

/*
 * counter++ as a read, a little work, and a write: on one CPU a single
 * add instruction cannot be cut in two, so without a window a broken
 * lock would go unnoticed; with it, a preemption inside loses updates.
 */
static void slow_increment(void)
{
	long v = counter;

	for (volatile int i = 0; i < 20; i++)
		;
	counter = v + 1;
}

static void *add_under_lock(void *arg)
{
	(void)arg;
	for (int i = 0; i < INCREMENTS; i++) {
		basalt_lock(&counter_lock);
		slow_increment();
		basalt_unlock(&counter_lock);
	}
	return NULL;
}

static void *add_under_report_mutex(void *arg)
{
	(void)arg;
	for (int i = 0; i < INCREMENTS; i++) {
		if (mutex_lock(report_mutex) < 0)
			return (void *)(long)errno;
		slow_increment();
		if (mutex_unlock(report_mutex) < 0)
			return (void *)(long)errno;
	}
	return NULL;
}

static void run_adders(void *(*fn)(void *))
{
	struct basalt_thread *t[NTHREADS];

	counter = 0;
	for (int i = 0; i < NTHREADS; i++)
		t[i] = start(fn, NULL);
	for (int i = 0; i < NTHREADS; i++)
		CHECK(join(t[i]) == NULL);
	CHECK_EQ(counter, NTHREADS * INCREMENTS);
}

static void case_futex_lock_800000(void)
{
	run_adders(add_under_lock);
	CHECK_EQ(counter_lock.state, 0);
	CHECK(basalt_trylock(&counter_lock));
	CHECK(!basalt_trylock(&counter_lock));
	basalt_unlock(&counter_lock);
	CHECK_EQ(counter_lock.state, 0);
}

static void case_report_mutex_800000(void)
{
	report_mutex = CHECK_OK(mutex_get());
	run_adders(add_under_report_mutex);
	CHECK_OK(freesem(report_mutex));
}

/* A waiter really sleeps, and the unlock really wakes it. */
static void *take_and_leave(void *arg)
{
	basalt_lock(arg);
	basalt_unlock(arg);
	return NULL;
}

static void case_futex_lock_wakes_sleeper(void)
{
	static struct basalt_lock l = BASALT_LOCK_INIT;
	struct timespec ms = { 0, 1000000 };

	basalt_lock(&l);
	struct basalt_thread *t = start(take_and_leave, &l);
	/* It spins briefly, then marks the lock contended and sleeps. */
	for (int i = 0; i < 2000 && __atomic_load_n(&l.state, __ATOMIC_SEQ_CST) != 2; i++)
		nanosleep(&ms, NULL);
	CHECK_EQ(__atomic_load_n(&l.state, __ATOMIC_SEQ_CST), 2);
	basalt_unlock(&l);
	CHECK(join(t) == NULL);
	CHECK_EQ(l.state, 0);
}

/* ---- malloc ------------------------------------------------------------ */

#define LIVE	64	/* blocks each thread holds at a time */
#define ROUNDS	3000

struct block {
	unsigned char *p;
	size_t n;
	unsigned char tag;
};

static struct block all_blocks[NTHREADS][LIVE];

static size_t block_size(unsigned *seed)
{
	*seed = *seed * 1103515245 + 12345;
	unsigned r = *seed >> 8;
	if (r % 97 == 0)
		return 140 * 1024 + r % 4096;	/* a large block now and then */
	return 1 + r % (r % 7 == 0 ? 8192 : 256);
}

static int block_intact(const struct block *b)
{
	for (size_t i = 0; i < b->n; i++)
		if (b->p[i] != (unsigned char)(b->tag + i))
			return 0;
	return 1;
}

static void *malloc_worker(void *arg)
{
	long me = (long)arg;
	struct block *mine = all_blocks[me];
	unsigned seed = (unsigned)me * 7919 + 1;

	for (int round = 0; round < ROUNDS; round++) {
		struct block *b = &mine[round % LIVE];

		if (b->p) {
			if (!block_intact(b))
				return (void *)1;
			free(b->p);
		}
		b->n = block_size(&seed);
		b->tag = (unsigned char)(me * 37 + round);
		b->p = malloc(b->n);
		if (!b->p)
			return (void *)2;
		for (size_t i = 0; i < b->n; i++)
			b->p[i] = (unsigned char)(b->tag + i);
	}
	return NULL;
}

static int by_address(const void *a, const void *b)
{
	const struct block *x = a, *y = b;

	return x->p < y->p ? -1 : x->p > y->p;
}

static void case_malloc_8_threads(void)
{
	struct malloc_census c;
	struct basalt_thread *t[NTHREADS];

	malloc_census(&c);
	size_t before = c.live_blocks;
	for (long i = 0; i < NTHREADS; i++)
		t[i] = start(malloc_worker, (void *)i);
	for (int i = 0; i < NTHREADS; i++)
		CHECK(join(t[i]) == NULL);
	CHECK_EQ(malloc_check(), 0);

	/* Every block still held is intact and overlaps no other. */
	static struct block sorted[NTHREADS * LIVE];
	memcpy(sorted, all_blocks, sizeof(sorted));
	qsort(sorted, NTHREADS * LIVE, sizeof(sorted[0]), by_address);
	malloc_census(&c);
	CHECK_EQ(c.live_blocks - before, NTHREADS * LIVE);
	for (int i = 0; i < NTHREADS * LIVE; i++) {
		CHECK(block_intact(&sorted[i]));
		CHECK(malloc_usable_size(sorted[i].p) >= sorted[i].n);
		if (i > 0)
			CHECK(sorted[i - 1].p + malloc_usable_size(sorted[i - 1].p)
			      <= sorted[i].p);
	}
	/* The main thread frees what the others allocated. */
	for (int i = 0; i < NTHREADS * LIVE; i++)
		free(sorted[i].p);
	malloc_census(&c);
	CHECK_EQ(c.live_blocks, before);
	CHECK_EQ(malloc_check(), 0);
}

/*
 * Frees blocks another thread allocated (remote frees: they wait on
 * their pages' remote lists for the owner), allocates blocks of its own,
 * and ends with half of them still in use: those pages are abandoned.
 */
static void *remote_worker(void *arg)
{
	void **blocks = arg;

	for (int i = 0; i < 100; i++)
		free(blocks[i]);
	for (int i = 0; i < 100; i++) {
		blocks[i] = malloc(16 + i * 8);
		if (!blocks[i])
			return (void *)1;
		memset(blocks[i], i, 16 + i * 8);
	}
	for (int i = 0; i < 100; i += 2)
		free(blocks[i]);
	return NULL;
}

static void case_malloc_remote_free_and_exit(void)
{
	static void *blocks[100];
	struct malloc_census c;

	malloc_trim(0);
	malloc_census(&c);
	size_t live0 = c.live_blocks, pages0 = c.pages;
	for (int i = 0; i < 100; i++)
		blocks[i] = malloc(32 + i * 4);
	CHECK(join(start(remote_worker, blocks)) == NULL);
	malloc_census(&c);
	CHECK_EQ(c.live_blocks, live0 + 50);	/* the worker's odd ones */
	CHECK_EQ(malloc_check(), 0);
	for (int i = 1; i < 100; i += 2) {
		for (int k = 0; k < 16 + i * 8; k++)
			CHECK_EQ(((unsigned char *)blocks[i])[k], i);
		free(blocks[i]);		/* into abandoned pages */
	}
	malloc_census(&c);
	CHECK_EQ(c.live_blocks, live0);
	CHECK_EQ(malloc_check(), 0);
	/* Every page emptied by remote frees goes back. */
	malloc_trim(0);
	malloc_census(&c);
	CHECK(c.pages <= pages0);
	CHECK_EQ(c.idle_page_bytes, 0);
	CHECK_EQ(malloc_check(), 0);
}

static void *keep_20(void *arg)
{
	void **blocks = arg;

	for (int i = 0; i < 20; i++)
		blocks[i] = malloc(200);
	return NULL;
}

/* A thread ends holding blocks; its page waits, abandoned, until a
 * thread short of a page of that class adopts it. */
static void case_malloc_abandoned_page_adopted(void)
{
	static void *blocks[20];
	struct malloc_census c;

	malloc_trim(0);			/* no empty page of ours left */
	CHECK(join(start(keep_20, blocks)) == NULL);
	malloc_census(&c);
	size_t pages = c.pages;
	void *p = malloc(200);		/* adopts it: no new page */
	malloc_census(&c);
	CHECK_EQ(c.pages, pages);
	CHECK(p != NULL);
	CHECK_EQ(malloc_check(), 0);
	for (int i = 0; i < 20; i++)
		free(blocks[i]);		/* ours now */
	free(p);
	CHECK_EQ(malloc_check(), 0);
}

static void *free_twice(void *arg)
{
	void *volatile p = arg;	/* (gcc would warn of the second free) */

	free(p);
	free(p);		/* its bit is still set: the owner finds it */
	return NULL;
}

static void remote_double_free(void)
{
	void *p = malloc(40), *guard = malloc(40);

	join(start(free_twice, p));
	malloc_trim(0);		/* takes the remote frees back */
	(void)guard;
}

static void case_malloc_remote_double_free(void)
{
	expect_abort(remote_double_free, "free: double free");
}

/* ---- errno and __thread ------------------------------------------------ */

static struct barrier errno_barrier;

static void *errno_keeper(void *arg)
{
	long me = (long)arg;
	int want = me % 2 ? EBADF : (int)(100 + me);

	if (me % 2)
		close(-1);	/* a failing call sets this thread's errno */
	else
		errno = want;
	barrier_wait(&errno_barrier, NTHREADS + 1);
	for (int i = 0; i < 100; i++)
		sched_yield();	/* the others set theirs meanwhile */
	return (void *)(long)(errno == want ? (intptr_t)&errno : 0);
}

static void case_errno_per_thread(void)
{
	struct basalt_thread *t[NTHREADS];
	int *where[NTHREADS];

	errno = 0;
	for (long i = 0; i < NTHREADS; i++)
		t[i] = start(errno_keeper, (void *)i);
	errno = ENOENT;
	barrier_wait(&errno_barrier, NTHREADS + 1);
	for (int i = 0; i < 100; i++)
		sched_yield();
	CHECK_EQ(errno, ENOENT);	/* (join's CHECK_OK resets it) */
	for (int i = 0; i < NTHREADS; i++) {
		where[i] = join(t[i]);
		CHECK(where[i] != NULL);	/* its errno stayed its own */
		CHECK(where[i] != &errno);
		for (int j = 0; j < i; j++)
			CHECK(where[j] != where[i]);
	}
}

static __thread int tls_initialised = 42;
static __thread char tls_zeroed[5000];	/* too big for the static area */
static __thread long tls_aligned __attribute__((aligned(64))) = -7;

static void *tls_check(void *arg)
{
	long me = (long)arg;

	if (tls_initialised != 42 || tls_aligned != -7 ||
	    (uintptr_t)&tls_aligned % 64 != 0)
		return (void *)1;
	for (size_t i = 0; i < sizeof(tls_zeroed); i++)
		if (tls_zeroed[i])
			return (void *)2;
	tls_initialised = (int)me;
	memset(tls_zeroed, (int)me, sizeof(tls_zeroed));
	for (int i = 0; i < 50; i++)
		sched_yield();
	if (tls_initialised != me || tls_zeroed[0] != me ||
	    tls_zeroed[sizeof(tls_zeroed) - 1] != me)
		return (void *)3;
	return &tls_initialised;
}

static void case_tls_variables(void)
{
	struct basalt_thread *t[NTHREADS];
	void *where[NTHREADS];

	CHECK_EQ(tls_initialised, 42);
	CHECK_EQ(tls_aligned, -7);
	CHECK_EQ((uintptr_t)&tls_aligned % 64, 0);
	tls_initialised = 1000;
	tls_zeroed[5] = 9;
	for (long i = 0; i < NTHREADS; i++)
		t[i] = start(tls_check, (void *)(i + 1));
	for (int i = 0; i < NTHREADS; i++) {
		where[i] = join(t[i]);
		CHECK((uintptr_t)where[i] > 3);
		CHECK(where[i] != &tls_initialised);
		for (int j = 0; j < i; j++)
			CHECK(where[j] != where[i]);
	}
	CHECK_EQ(tls_initialised, 1000);
	CHECK_EQ(tls_zeroed[5], 9);
	/* The TLS block sits just below the control block (variant II). */
	CHECK((char *)&tls_initialised < (char *)thread_self());
	CHECK((char *)thread_self() - (char *)&tls_zeroed[0] < 8192);
}

/* ---- stdio ------------------------------------------------------------- */

#define LINES 200

/* Parses "thread T line I of LINES"; 0 if the line is exactly that. */
static int parse_line(const char *s, long *th, long *i)
{
	char *end;

	if (strncmp(s, "thread ", 7))
		return -1;
	*th = strtol(s + 7, &end, 10);
	if (strncmp(end, " line ", 6) || *th < 0 || *th >= NTHREADS)
		return -1;
	*i = strtol(end + 6, &end, 10);
	if (strcmp(end, " of 200") || *i < 0 || *i >= LINES)
		return -1;
	return 0;
}

static void *print_lines(void *arg)
{
	for (int i = 0; i < LINES; i++)
		printf("thread %ld line %d of %d\n", (long)arg, i, LINES);
	return NULL;
}

static int threads_print(void *arg)
{
	struct basalt_thread *t[NTHREADS];

	(void)arg;
	for (long i = 0; i < NTHREADS; i++)
		if (thread_create(&t[i], print_lines, (void *)i) < 0)
			return 2;
	for (int i = 0; i < NTHREADS; i++)
		thread_join(t[i], NULL);
	return 0;
}

static void case_stdio_8_threads(void)
{
	static char out[NTHREADS * LINES * 40];
	static unsigned char seen[NTHREADS][LINES];

	CHECK_EXITED(capture_child(threads_print, NULL, out, sizeof(out)), 0);
	int lines = 0;
	for (char *line = out, *nl; (nl = strchr(line, '\n')); line = nl + 1) {
		long th, i;

		*nl = '\0';
		if (parse_line(line, &th, &i))
			T_FAIL("garbled line %d: \"%s\"", lines, line);
		seen[th][i]++;
		lines++;
	}
	CHECK_EQ(lines, NTHREADS * LINES);
	for (int th = 0; th < NTHREADS; th++)
		for (int i = 0; i < LINES; i++)
			CHECK_EQ(seen[th][i], 1);
}

/* ---- the end of the process -------------------------------------------- */

static void *print_later(void *arg)
{
	struct timespec ms = { 0, 20 * 1000000 };

	nanosleep(&ms, NULL);
	printf("%s\n", (const char *)arg);	/* still buffered: a pipe */
	return NULL;
}

/* main leaves by thread_exit; the last thread out ends the process. */
static int main_leaves_first(void *arg)
{
	struct basalt_thread *t;

	(void)arg;
	if (thread_create(&t, print_later, "the last thread flushed this") < 0)
		return 2;
	thread_exit(NULL);
}

static void case_last_thread_exits_process(void)
{
	char out[256];

	CHECK_EXITED(capture_child(main_leaves_first, NULL, out, sizeof(out)), 0);
	check_text(out, "the last thread flushed this\n");
}

/* exit() in one thread ends them all. */
static void *sleep_forever(void *arg)
{
	for (;;)
		sleep(1000);
	return arg;
}

static void *exit_7(void *arg)
{
	(void)arg;
	exit(7);
}

static void case_exit_ends_every_thread(void)
{
	pid_t pid = t_fork();

	if (pid == 0) {
		struct basalt_thread *t;

		for (int i = 0; i < 3; i++)
			if (thread_create(&t, sleep_forever, NULL) < 0)
				_exit(2);
		if (thread_create(&t, exit_7, NULL) < 0)
			_exit(2);
		sleep_forever(NULL);
	}
	CHECK_EXITED(t_wait(pid), 7);
}

/* A thread that overflows its stack hits the guard page. */
static int recurse(volatile char *above)
{
	volatile char frame[512];

	frame[0] = above ? above[0] : 1;
	if (frame[0] == 2)	/* never: keeps the recursion honest for gcc */
		return 0;
	return recurse(frame) + frame[1];
}

static void *overflow(void *arg)
{
	(void)arg;
	return (void *)(long)recurse(NULL);
}

static void case_stack_guard_page(void)
{
	pid_t pid = t_fork();

	if (pid == 0) {
		struct basalt_thread *t;

		if (thread_create(&t, overflow, NULL) < 0)
			_exit(2);
		thread_join(t, NULL);
		_exit(0);
	}
	CHECK_SIGNALED(t_wait(pid), SIGSEGV);
}

/* ---- fork with threads running ----------------------------------------- */

static void *nothing(void *arg)
{
	return arg;
}

static int stop_churn;

static void *churn(void *arg)
{
	unsigned seed = (unsigned)(uintptr_t)arg;

	while (!__atomic_load_n(&stop_churn, __ATOMIC_SEQ_CST)) {
		void *p = malloc(64 + block_size(&seed));

		fprintf(stderr, "%s", "");
		free(p);
	}
	return NULL;
}

static void case_fork_while_threads_allocate(void)
{
	struct basalt_thread *t[4];

	for (long i = 0; i < 4; i++)
		t[i] = start(churn, (void *)i);
	for (int i = 0; i < 20; i++) {
		pid_t pid = t_fork();

		if (pid == 0) {
			/* Alone here: the locks must be free, the heap sound. */
			void *p = malloc(100);
			struct basalt_thread *u;

			if (!p || malloc_check() != 0)
				_exit(3);
			free(p);
			snprintf(NULL, 0, "%d", 1);
			fflush(stdout);
			/* It knows its own id, and can make threads again. */
			void *r = NULL;
			if (thread_id(thread_self()) != gettid())
				_exit(4);
			if (thread_create(&u, nothing, (void *)5) < 0 ||
			    thread_join(u, &r) < 0 || r != (void *)5)
				_exit(5);
			_exit(0);
		}
		CHECK_EXITED(t_wait(pid), 0);
	}
	__atomic_store_n(&stop_churn, 1, __ATOMIC_SEQ_CST);
	for (int i = 0; i < 4; i++)
		CHECK(join(t[i]) == NULL);
	CHECK_EQ(malloc_check(), 0);
}

/*
 * Threads hold blocks in their pages when the process forks: in the
 * child those pages have no thread, are abandoned to the child, and it
 * can free their blocks and allocate on.
 */
static void *holder(void *arg)
{
	void **mine = arg;

	for (int i = 0; i < 100; i++) {
		mine[i] = malloc(16 + i * 20);
		memset(mine[i], 0x5a, 16 + i * 20);
	}
	__atomic_add_fetch(&stop_churn, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&stop_churn, __ATOMIC_SEQ_CST) != 100)
		sched_yield();
	for (int i = 0; i < 100; i++)
		free(mine[i]);
	return NULL;
}

static void case_fork_while_threads_hold_pages(void)
{
	static void *held[4][100];
	struct basalt_thread *t[4];
	struct malloc_census c;

	__atomic_store_n(&stop_churn, 0, __ATOMIC_SEQ_CST);
	for (long i = 0; i < 4; i++)
		t[i] = start(holder, held[i]);
	while (__atomic_load_n(&stop_churn, __ATOMIC_SEQ_CST) != 4)
		sched_yield();
	malloc_census(&c);
	size_t live = c.live_blocks;
	pid_t pid = t_fork();
	if (pid == 0) {
		if (malloc_check() != 0)
			_exit(3);
		for (int i = 0; i < 4; i++)
			for (int k = 0; k < 100; k++)
				free(held[i][k]);
		malloc_census(&c);
		if (c.live_blocks != live - 400 || malloc_check() != 0)
			_exit(4);
		for (int k = 0; k < 400; k++)
			held[k % 4][k / 4] = malloc(16 + k * 5);
		for (int k = 0; k < 400; k++)
			free(held[k % 4][k / 4]);
		malloc_trim(0);
		_exit(malloc_check() != 0 ? 5 : 0);
	}
	CHECK_EXITED(t_wait(pid), 0);
	__atomic_store_n(&stop_churn, 100, __ATOMIC_SEQ_CST);
	for (int i = 0; i < 4; i++)
		CHECK(join(t[i]) == NULL);
	CHECK_EQ(malloc_check(), 0);
}

/* ---- leaks ------------------------------------------------------------- */

static void create_join(int rounds)
{
	for (int i = 0; i < rounds; i++)
		CHECK(join(start(nothing, (void *)(long)i)) == (void *)(long)i);
}

static void case_no_leak_1000_threads(void)
{
	t_check_no_leak("1000 thread create/join", create_join, 1000);
}

static const struct t_case cases[] = {
	{ case_create_join_results, "create_join_results" },
	{ case_thread_exit_value, "thread_exit_value" },
	{ case_join_errors, "join_errors" },
	{ case_32_threads_at_once, "32_threads_at_once" },
	{ case_futex_lock_800000, "futex_lock_800000" },
	{ case_futex_lock_wakes_sleeper, "futex_lock_wakes_sleeper" },
	{ case_report_mutex_800000, "report_mutex_800000" },
	{ case_malloc_8_threads, "malloc_8_threads" },
	{ case_malloc_remote_free_and_exit, "malloc_remote_free_and_exit" },
	{ case_malloc_abandoned_page_adopted,
	  "malloc_abandoned_page_adopted" },
	{ case_malloc_remote_double_free, "malloc_remote_double_free" },
	{ case_errno_per_thread, "errno_per_thread" },
	{ case_tls_variables, "tls_variables" },
	{ case_stdio_8_threads, "stdio_8_threads" },
	{ case_last_thread_exits_process, "last_thread_exits_process" },
	{ case_exit_ends_every_thread, "exit_ends_every_thread" },
	{ case_stack_guard_page, "stack_guard_page" },
	{ case_fork_while_threads_allocate, "fork_while_threads_allocate" },
	{ case_fork_while_threads_hold_pages, "fork_while_threads_hold_pages" },
	{ case_no_leak_1000_threads, "no_leak_1000_threads" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
