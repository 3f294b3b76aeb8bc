/*
 * thread_leak.c - threads give back every page they took: 1000 threads
 * created and joined, 1000 detached threads that end by themselves, and
 * 50 child processes of 16 threads each killed with SIGKILL (and 50 more
 * ended by exit() from one of their threads).
 *
 * BASALT-ONLY ASSERTION: as in leak.c, t_check_no_leak() requires MemFree
 * to come back exactly on Basalt and only reports the difference on
 * Linux. The work is shaped so that the C libraries' own caches are warm
 * after the first tenth and do not grow later: glibc keeps the stacks of
 * finished threads for reuse (up to 40 MiB), but it reuses one only once
 * the kernel has cleared the thread's tid, so the cases wait for each
 * thread to be gone before making the next and never need more than one
 * stack; musl unmaps stacks at once.
 */
#define _GNU_SOURCE
#include "t.h"
#include "threadtest.h"

#include <stdint.h>
#include <stdlib.h>

static void *touch_and_return(void *arg)
{
	volatile char buf[16 * 1024];	/* a few stack pages, really touched */

	for (size_t i = 0; i < sizeof(buf); i += 1024)
		buf[i] = (char)i;
	return arg;
}

static void create_join(int rounds)
{
	for (intptr_t i = 0; i < rounds; i++)
		CHECK((intptr_t)th_join(th_start(touch_and_return, (void *)i)) == i);
}

static void case_create_join(void)
{
	t_check_no_leak("1000 x pthread_create+join", create_join, 1000);
}

static volatile int detached_tid;

static void *detached_body(void *arg)
{
	touch_and_return(arg);
	t_post(&detached_tid, th_gettid());
	return NULL;
}

static void detached(int rounds)
{
	pthread_attr_t attr;
	pthread_t t;

	CHECK_ZERO(pthread_attr_init(&attr));
	CHECK_ZERO(pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED));
	for (int i = 0; i < rounds; i++) {
		detached_tid = 0;
		CHECK_ZERO(pthread_create(&t, &attr, detached_body, NULL));
		for (long spins = 0; !th_load(&detached_tid); spins++) {
			CHECK(spins < (1L << 24));
			sched_yield();
		}
		th_wait_gone(detached_tid);
	}
	CHECK_ZERO(pthread_attr_destroy(&attr));
}

static void case_detached(void)
{
	t_check_no_leak("1000 x detached thread", detached, 1000);
}

#define FAMILY 16

static void *sleep_forever(void *arg)
{
	th_add(arg, 1);
	for (;;)
		pause();
	return NULL;
}

static void *exit_when_all_in(void *arg)
{
	t_await(arg, FAMILY - 1);
	exit(3);
}

/*
 * A child with FAMILY threads (its main thread and FAMILY - 1 more), each
 * with a few touched stack pages. It ends by SIGKILL from us, or (how = 1)
 * by exit() from its last thread once the others sleep.
 */
static void family(int rounds, int how)
{
	volatile int *ready = t_shared_ints();

	for (int r = 0; r < rounds; r++) {
		*ready = 0;
		pid_t pid = t_fork();
		if (pid == 0) {
			for (int i = 0; i < FAMILY - 2; i++)
				th_start(sleep_forever, (void *)ready);
			th_start(how ? exit_when_all_in : sleep_forever,
				 (void *)ready);
			touch_and_return(NULL);
			th_add(ready, 1);
			for (;;)
				pause();
		}
		if (how) {
			CHECK_EXITED(t_wait(pid), 3);
			continue;
		}
		t_await(ready, FAMILY);
		CHECK_OK(kill(pid, SIGKILL));
		CHECK_SIGNALED(t_wait(pid), SIGKILL);
	}
	CHECK_OK(munmap((void *)ready, T_PAGE));
}

static void family_killed(int rounds)
{
	family(rounds, 0);
}

static void family_exit(int rounds)
{
	family(rounds, 1);
}

static void case_killed_with_threads(void)
{
	t_check_no_leak("50 x child with 16 threads, SIGKILL", family_killed, 50);
}

static void case_exit_with_threads(void)
{
	t_check_no_leak("50 x child with 16 threads, exit()", family_exit, 50);
}

static const struct t_case cases[] = {
	{ case_create_join, "create_join" },
	{ case_detached, "detached" },
	{ case_killed_with_threads, "killed_with_threads" },
	{ case_exit_with_threads, "exit_with_threads" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
