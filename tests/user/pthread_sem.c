/*
 * pthread_sem.c - POSIX semaphores (sem_t): unnamed ones private to the
 * threads of a process and shared (pshared=1) by processes in MAP_SHARED
 * memory, and named ones (sem_open), which both C libraries keep as
 * files in the tmpfs the runner mounts on /dev/shm: glibc as
 * /dev/shm/sem.NAME, musl as /dev/shm/NAME (made under a temporary name
 * and link(2)ed into place, glibc does the same).
 *
 * What is checked: the value (sem_getvalue) after each operation; the
 * errors (sem_trywait EAGAIN, sem_timedwait ETIMEDOUT and EINVAL,
 * sem_init EINVAL, sem_post EOVERFLOW); a sem_post wakes a thread asleep
 * in sem_wait or sem_timedwait; producers and consumers lose no unit; two
 * processes alternate through a pair of shared semaphores; a named
 * semaphore is found by name in another process, refused with EEXIST
 * under O_EXCL, and gone (ENOENT) after sem_unlink. Interruption by a
 * signal (EINTR) is in pthread_signal.c.
 */
#define _GNU_SOURCE
#include "t.h"
#include "threadtest.h"

#include <fcntl.h>
#include <limits.h>
#include <semaphore.h>
#include <stdint.h>
#include <sys/stat.h>

static int sem_value(sem_t *s)
{
	int v = -1;

	CHECK_OK(sem_getvalue(s, &v));
	return v;
}

static void case_sem_ops(void)
{
	sem_t s;
	struct timespec ts = th_deadline(10);
	struct timespec bad = { ts.tv_sec + 1, 1000000000L };

	CHECK_OK(sem_init(&s, 0, 2));
	CHECK_EQ(sem_value(&s), 2);
	CHECK_OK(sem_trywait(&s));
	CHECK_OK(sem_wait(&s));
	CHECK_EQ(sem_value(&s), 0);
	CHECK_FAILS(sem_trywait(&s), EAGAIN);
	CHECK_FAILS(sem_timedwait(&s, &ts), ETIMEDOUT);
	CHECK_FAILS(sem_timedwait(&s, &bad), EINVAL);
	CHECK_OK(sem_post(&s));
	CHECK_EQ(sem_value(&s), 1);
	/* POSIX lets a free semaphore ignore a bad deadline: musl does,
	 * glibc checks it first. */
	if (strcmp(t_libc(), "glibc") == 0) {
		CHECK_FAILS(sem_timedwait(&s, &bad), EINVAL);
		CHECK_OK(sem_trywait(&s));
	} else {
		CHECK_OK(sem_timedwait(&s, &bad));
	}
	CHECK_OK(sem_post(&s));
	ts = th_deadline(10);
	CHECK_OK(sem_timedwait(&s, &ts));
	CHECK_EQ(sem_value(&s), 0);
	CHECK_OK(sem_destroy(&s));

	CHECK_FAILS(sem_init(&s, 0, (unsigned)SEM_VALUE_MAX + 1), EINVAL);
	CHECK_OK(sem_init(&s, 0, SEM_VALUE_MAX));
	CHECK_FAILS(sem_post(&s), EOVERFLOW);
	CHECK_EQ(sem_value(&s), SEM_VALUE_MAX);
	CHECK_OK(sem_destroy(&s));
}

struct sleeper {
	sem_t s;
	volatile int stage;	/* 1: about to wait; 2: the wait returned */
	int timed;
};

static void *sem_sleeper(void *arg)
{
	struct sleeper *sl = arg;

	t_post(&sl->stage, 1);
	if (sl->timed) {
		struct timespec ts = th_deadline(1000L * 3600);
		CHECK_OK(sem_timedwait(&sl->s, &ts));
	} else {
		CHECK_OK(sem_wait(&sl->s));
	}
	t_post(&sl->stage, 2);
	return NULL;
}

/* A thread sleeps in sem_wait (then sem_timedwait); one post wakes it. */
static void case_sem_wakes_sleeper(void)
{
	for (int i = 0; i < 20; i++) {
		struct sleeper sl = { .timed = i % 2 };

		CHECK_OK(sem_init(&sl.s, 0, 0));
		pthread_t t = th_start(sem_sleeper, &sl);
		t_await(&sl.stage, 1);
		th_yield(20);			/* very likely asleep now */
		CHECK_EQ(th_load(&sl.stage), 1);	/* certainly not past it */
		CHECK_OK(sem_post(&sl.s));
		th_join(t);
		CHECK_EQ(sl.stage, 2);
		CHECK_EQ(sem_value(&sl.s), 0);
		CHECK_OK(sem_destroy(&sl.s));
	}
}

#define NPROD 2
#define NCONS 4
#define PER_PROD 6000

static sem_t items;
static volatile int consumed;

static void *sem_producer(void *arg)
{
	(void)arg;
	for (int i = 0; i < PER_PROD; i++) {
		CHECK_OK(sem_post(&items));
		if (i % 16 == 0)
			sched_yield();
	}
	return NULL;
}

static void *sem_consumer(void *arg)
{
	(void)arg;
	for (int i = 0; i < NPROD * PER_PROD / NCONS; i++) {
		CHECK_OK(sem_wait(&items));
		th_add(&consumed, 1);
	}
	return NULL;
}

static void case_sem_threads(void)
{
	pthread_t t[NPROD + NCONS];

	CHECK_OK(sem_init(&items, 0, 0));
	for (int i = 0; i < NCONS; i++)
		t[i] = th_start(sem_consumer, NULL);
	for (int i = 0; i < NPROD; i++)
		t[NCONS + i] = th_start(sem_producer, NULL);
	for (int i = 0; i < NPROD + NCONS; i++)
		th_join(t[i]);
	CHECK_EQ(consumed, NPROD * PER_PROD);
	CHECK_EQ(sem_value(&items), 0);
	CHECK_OK(sem_destroy(&items));
}

/* Two processes take turns through two shared semaphores. */
struct turns {
	sem_t mine, yours;
	int log[2000];
	int n;
};

static void case_sem_pshared_fork(void)
{
	struct turns *s = th_shared(sizeof(struct turns));
	const int rounds = 1000;

	CHECK_OK(sem_init(&s->mine, 1, 1));
	CHECK_OK(sem_init(&s->yours, 1, 0));
	pid_t pid = t_fork();
	if (pid == 0) {
		for (int i = 0; i < rounds; i++) {
			CHECK_OK(sem_wait(&s->yours));
			s->log[s->n++] = 1;
			CHECK_OK(sem_post(&s->mine));
		}
		_exit(0);
	}
	for (int i = 0; i < rounds; i++) {
		CHECK_OK(sem_wait(&s->mine));
		s->log[s->n++] = 0;
		CHECK_OK(sem_post(&s->yours));
	}
	CHECK_EXITED(t_wait(pid), 0);
	CHECK_EQ(s->n, 2 * rounds);
	for (int i = 0; i < 2 * rounds; i++)
		CHECK_EQ(s->log[i], i % 2);	/* strictly alternating */
	CHECK_EQ(sem_value(&s->mine), 1);
	CHECK_EQ(sem_value(&s->yours), 0);
	CHECK_OK(sem_destroy(&s->mine));
	CHECK_OK(sem_destroy(&s->yours));
	CHECK_OK(munmap(s, sizeof(struct turns)));
}

/* A pshared semaphore counts across processes: 3 children post 500 each. */
static void case_sem_pshared_count(void)
{
	sem_t *s = th_shared(T_PAGE);
	pid_t pid[3];

	CHECK_OK(sem_init(s, 1, 0));
	for (int c = 0; c < 3; c++) {
		pid[c] = t_fork();
		if (pid[c] == 0) {
			for (int i = 0; i < 500; i++)
				CHECK_OK(sem_post(s));
			_exit(0);
		}
	}
	for (int i = 0; i < 1000; i++)
		CHECK_OK(sem_wait(s));
	for (int c = 0; c < 3; c++)
		CHECK_EXITED(t_wait(pid[c]), 0);
	CHECK_EQ(sem_value(s), 500);
	CHECK_OK(sem_destroy(s));
	CHECK_OK(munmap(s, T_PAGE));
}

static void case_sem_open_named(void)
{
	char name[64], path[80];
	struct stat st;

	if (access("/dev/shm", W_OK) != 0) {
		t_note("no writable /dev/shm: sem_open not tested");
		return;
	}
	snprintf(name, sizeof(name), "/pthread-sem-%d", (int)getpid());
	snprintf(path, sizeof(path), "/dev/shm/%s%s",
		 strcmp(t_libc(), "glibc") == 0 ? "sem." : "", name + 1);
	sem_t *s = sem_open(name, O_CREAT | O_EXCL, 0600, 1);
	CHECK(s != SEM_FAILED);
	CHECK_OK(stat(path, &st));
	CHECK(sem_open(name, O_CREAT | O_EXCL, 0600, 1) == SEM_FAILED);
	CHECK_EQ(errno, EEXIST);
	CHECK_OK(sem_wait(s));			/* value 0 */
	pid_t pid = t_fork();
	if (pid == 0) {
		/* Found by name; the same semaphore. */
		sem_t *c = sem_open(name, 0);
		CHECK(c != SEM_FAILED);
		CHECK_EQ(sem_value(c), 0);
		CHECK_OK(sem_post(c));
		CHECK_OK(sem_post(c));
		CHECK_OK(sem_close(c));
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
	CHECK_EQ(sem_value(s), 2);
	CHECK_OK(sem_unlink(name));
	CHECK_FAILS(stat(path, &st), ENOENT);
	CHECK(sem_open(name, 0) == SEM_FAILED);
	CHECK_EQ(errno, ENOENT);
	CHECK_OK(sem_trywait(s));		/* still usable while open */
	CHECK_EQ(sem_value(s), 1);
	CHECK_OK(sem_close(s));
	CHECK_FAILS(sem_unlink(name), ENOENT);
}

static const struct t_case cases[] = {
	{ case_sem_ops, "sem_ops" },
	{ case_sem_wakes_sleeper, "sem_wakes_sleeper" },
	{ case_sem_threads, "sem_threads" },
	{ case_sem_pshared_fork, "sem_pshared_fork" },
	{ case_sem_pshared_count, "sem_pshared_count" },
	{ case_sem_open_named, "sem_open_named" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
