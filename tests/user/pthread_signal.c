/*
 * pthread_signal.c - signals and cancellation in a process with threads.
 *
 * Signals: pthread_kill reaches exactly the thread it names (the handler
 * records gettid()); each thread has its own mask, inherited from its
 * creator; a process-directed kill() goes to a thread that does not block
 * it; a thread-directed signal stays pending on its thread only, while a
 * process-directed one is pending for all; sigwait in one thread takes
 * signals that every thread blocks; a handler interrupts sem_wait with
 * EINTR.
 *
 * Cancellation (both C libraries implement it with a signal sent by
 * tgkill): deferred cancellation acts at cancellation points - a sleep,
 * a read from an empty pipe, pthread_cond_wait, pthread_testcancel - and
 * nowhere else; cleanup handlers run last-pushed first; pthread_join then
 * returns PTHREAD_CANCELED; PTHREAD_CANCEL_DISABLE holds a request back.
 */
#define _GNU_SOURCE
#include "t.h"
#include "threadtest.h"

#include <semaphore.h>
#include <stdint.h>

static void install(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	CHECK_OK(sigaction(sig, &sa, NULL));
}

static void block(int how, int sig)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	CHECK_ZERO(pthread_sigmask(how, &set, NULL));
}

static int is_blocked(int sig)
{
	sigset_t cur;

	CHECK_ZERO(pthread_sigmask(SIG_BLOCK, NULL, &cur));
	return sigismember(&cur, sig);
}

static int is_pending(int sig)
{
	sigset_t set;

	CHECK_OK(sigpending(&set));
	return sigismember(&set, sig);
}

/* The handler notes which thread ran it. */
static volatile int handled_by, handled_count;

static void on_usr1(int sig)
{
	(void)sig;
	handled_by = th_gettid();
	th_add(&handled_count, 1);
}

#define NTARGETS 4

static volatile int target_tid[NTARGETS];
static volatile int targets_ready, targets_done;

/* Posts its tid and waits (not blocking signals) until told to leave. */
static void *signal_target(void *arg)
{
	intptr_t i = (intptr_t)arg;

	target_tid[i] = th_gettid();
	th_add(&targets_ready, 1);
	t_await(&targets_done, 1);
	return NULL;
}

static void case_pthread_kill_target(void)
{
	pthread_t t[NTARGETS];

	install(SIGUSR1, on_usr1, 0);	/* process-wide, set by main */
	for (intptr_t i = 0; i < NTARGETS; i++)
		t[i] = th_start(signal_target, (void *)i);
	t_await(&targets_ready, NTARGETS);
	block(SIG_BLOCK, SIGUSR1);	/* main takes no part */
	for (int round = 0; round < 3 * NTARGETS; round++) {
		int i = (round * 3) % NTARGETS;
		CHECK_ZERO(pthread_kill(t[i], SIGUSR1));
		t_await(&handled_count, round + 1);
		CHECK_EQ(handled_by, target_tid[i]);
	}
	CHECK_ZERO(pthread_kill(t[0], 0));	/* alive */
	t_post(&targets_done, 1);
	for (int i = 0; i < NTARGETS; i++)
		th_join(t[i]);
	CHECK_EQ(handled_count, 3 * NTARGETS);
}

static volatile int mask_stage;

/* Inherits its creator's mask; changes only its own. */
static void *check_mask(void *arg)
{
	(void)arg;
	CHECK(is_blocked(SIGUSR1));
	CHECK(!is_blocked(SIGUSR2));
	block(SIG_UNBLOCK, SIGUSR1);
	block(SIG_BLOCK, SIGUSR2);
	CHECK(!is_blocked(SIGUSR1));
	CHECK(is_blocked(SIGUSR2));
	t_post(&mask_stage, 1);
	t_await(&mask_stage, 2);
	return NULL;
}

static void case_sigmask_per_thread(void)
{
	block(SIG_BLOCK, SIGUSR1);
	pthread_t t = th_start(check_mask, NULL);
	t_await(&mask_stage, 1);
	CHECK(is_blocked(SIGUSR1));	/* untouched by the thread */
	CHECK(!is_blocked(SIGUSR2));
	t_post(&mask_stage, 2);
	th_join(t);
}

static volatile int open_tid, open_ready;

/* The one thread that does not block SIGUSR1. */
static void *unblocked_receiver(void *arg)
{
	(void)arg;
	block(SIG_UNBLOCK, SIGUSR1);
	open_tid = th_gettid();
	t_post(&open_ready, 1);
	t_await(&handled_count, 1);
	return NULL;
}

static void *blocked_bystander(void *arg)
{
	(void)arg;
	t_await(&handled_count, 1);
	return NULL;
}

static void case_kill_goes_to_unblocked(void)
{
	install(SIGUSR1, on_usr1, 0);
	block(SIG_BLOCK, SIGUSR1);	/* inherited by every thread */
	pthread_t b1 = th_start(blocked_bystander, NULL);
	pthread_t r = th_start(unblocked_receiver, NULL);
	pthread_t b2 = th_start(blocked_bystander, NULL);
	t_await(&open_ready, 1);
	CHECK_OK(kill(getpid(), SIGUSR1));	/* to the process */
	t_await(&handled_count, 1);
	CHECK_EQ(handled_by, open_tid);
	th_join(b1);
	th_join(r);
	th_join(b2);
	CHECK_EQ(handled_count, 1);
	CHECK(!is_pending(SIGUSR1));
}

static volatile int pend_stage;
static pthread_t main_thread;

static void *check_pending(void *arg)
{
	(void)arg;
	/* SIGUSR1 was sent to the main thread: not ours. */
	CHECK(!is_pending(SIGUSR1));
	CHECK_ZERO(pthread_kill(pthread_self(), SIGUSR2));
	CHECK(is_pending(SIGUSR2));
	t_post(&pend_stage, 1);
	t_await(&pend_stage, 2);
	/* SIGTERM was sent to the process: pending for everyone. */
	CHECK(is_pending(SIGTERM));
	return NULL;	/* its own SIGUSR2 goes with it */
}

/* Pending sets: a thread's own, and the process's shared one. */
static void case_pending_per_thread(void)
{
	sigset_t all;
	int sig = 0;

	sigemptyset(&all);
	sigaddset(&all, SIGUSR1);
	sigaddset(&all, SIGUSR2);
	sigaddset(&all, SIGTERM);
	CHECK_ZERO(pthread_sigmask(SIG_BLOCK, &all, NULL));
	main_thread = pthread_self();
	CHECK_ZERO(pthread_kill(main_thread, SIGUSR1));
	CHECK(is_pending(SIGUSR1));
	pthread_t t = th_start(check_pending, NULL);
	t_await(&pend_stage, 1);
	CHECK(!is_pending(SIGUSR2));	/* the thread's, not ours */
	CHECK_OK(kill(getpid(), SIGTERM));
	CHECK(is_pending(SIGTERM));
	t_post(&pend_stage, 2);
	th_join(t);
	/* Main takes its own SIGUSR1 and the process's SIGTERM. */
	CHECK_ZERO(sigwait(&all, &sig));
	CHECK(sig == SIGUSR1 || sig == SIGTERM);
	int first = sig;
	CHECK_ZERO(sigwait(&all, &sig));
	CHECK(sig == SIGUSR1 || sig == SIGTERM);
	CHECK(sig != first);
	CHECK(!is_pending(SIGUSR1) && !is_pending(SIGTERM));
}

static volatile int waiter_tid, waiter_ready;

/* Takes three SIGUSR2s with sigwait and returns the sum of their numbers. */
static void *sigwaiter(void *arg)
{
	sigset_t set;
	int sig, got = 0;

	(void)arg;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	waiter_tid = th_gettid();
	for (int i = 0; i < 3; i++) {
		t_post(&waiter_ready, i + 1);
		CHECK_ZERO(sigwait(&set, &sig));
		got += sig;
	}
	/* sigwaitinfo reports the sender. */
	t_post(&waiter_ready, 4);
	siginfo_t si;
	CHECK_EQ(sigwaitinfo(&set, &si), SIGUSR2);
	CHECK_EQ(si.si_pid, getpid());
	CHECK_EQ(si.si_code, SI_USER);
	return (void *)(intptr_t)got;
}

static void case_sigwait_thread(void)
{
	block(SIG_BLOCK, SIGUSR2);	/* every thread blocks it */
	pthread_t t = th_start(sigwaiter, NULL);
	t_await(&waiter_ready, 1);
	CHECK_OK(kill(getpid(), SIGUSR2));		/* process-directed */
	t_await(&waiter_ready, 2);
	CHECK_ZERO(pthread_kill(t, SIGUSR2));		/* thread-directed */
	t_await(&waiter_ready, 3);
	CHECK_OK(syscall(SYS_tgkill, getpid(), waiter_tid, SIGUSR2));
	t_await(&waiter_ready, 4);
	CHECK_OK(kill(getpid(), SIGUSR2));
	CHECK_EQ((intptr_t)th_join(t), 3 * SIGUSR2);
	CHECK(!is_pending(SIGUSR2));
}

static void on_usr1_count(int sig)
{
	(void)sig;
	th_add(&handled_count, 1);
}

static sem_t never_posted;
static volatile int eintr_stage;

static void *sem_waiter(void *arg)
{
	(void)arg;
	t_post(&eintr_stage, 1);
	CHECK_FAILS(sem_wait(&never_posted), EINTR);
	return NULL;
}

/* A handler without SA_RESTART interrupts sem_wait: EINTR (POSIX). */
static void case_sem_wait_eintr(void)
{
	install(SIGUSR1, on_usr1_count, 0);
	CHECK_OK(sem_init(&never_posted, 0, 0));
	pthread_t t = th_start(sem_waiter, NULL);
	t_await(&eintr_stage, 1);
	th_yield(20);		/* very likely asleep in sem_wait by now */
	/* If not yet asleep, the handler runs first and the wait sleeps on:
	 * signal again until the thread comes back. */
	for (long i = 0; i < (1L << 20); i++) {
		CHECK_ZERO(pthread_kill(t, SIGUSR1));
		th_yield(20);
		if (pthread_tryjoin_np(t, NULL) == 0)
			return;
	}
	T_FAIL("sem_wait was never interrupted");
}

/* Cancellation. */
static volatile int cleanup_log[4], cleanup_n;
static volatile int cancel_stage;

static void cleanup_note(void *arg)
{
	cleanup_log[cleanup_n++] = (int)(intptr_t)arg;
}

enum { AT_SLEEP, AT_READ, AT_TESTCANCEL };

static int cancel_pipe[2];

static void *cancellable(void *arg)
{
	int where = (int)(intptr_t)arg;
	char c;

	pthread_cleanup_push(cleanup_note, (void *)1);
	pthread_cleanup_push(cleanup_note, (void *)2);
	t_post(&cancel_stage, 1);
	switch (where) {
	case AT_SLEEP:
		for (;;)
			sleep(1000);
	case AT_READ:
		(void)!read(cancel_pipe[0], &c, 1);	/* nobody writes */
		break;
	case AT_TESTCANCEL:
		/* sched_yield is no cancellation point: only testcancel acts. */
		for (;;) {
			sched_yield();
			pthread_testcancel();
		}
	}
	pthread_cleanup_pop(0);
	pthread_cleanup_pop(0);
	return (void *)1;	/* not reached */
}

static void cancel_at(int where)
{
	CHECK_OK(pipe(cancel_pipe));
	pthread_t t = th_start(cancellable, (void *)(intptr_t)where);
	t_await(&cancel_stage, 1);
	CHECK_ZERO(pthread_cancel(t));
	CHECK(th_join(t) == PTHREAD_CANCELED);
	CHECK_EQ(cleanup_n, 2);
	CHECK_EQ(cleanup_log[0], 2);	/* last pushed, first run */
	CHECK_EQ(cleanup_log[1], 1);
	CHECK_OK(close(cancel_pipe[0]));
	CHECK_OK(close(cancel_pipe[1]));
}

static void case_cancel_sleep(void)
{
	cancel_at(AT_SLEEP);
}

static void case_cancel_read(void)
{
	cancel_at(AT_READ);
}

static void case_cancel_testcancel(void)
{
	cancel_at(AT_TESTCANCEL);
}

static pthread_mutex_t cv_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;

static void unlock_cv_mutex(void *arg)
{
	(void)arg;
	cleanup_note((void *)3);
	pthread_mutex_unlock(&cv_mutex);
}

/* Cancelled in pthread_cond_wait: the handler runs with the mutex held. */
static void *cancel_in_cond_wait(void *arg)
{
	(void)arg;
	CHECK_ZERO(pthread_mutex_lock(&cv_mutex));
	pthread_cleanup_push(unlock_cv_mutex, NULL);
	t_post(&cancel_stage, 1);
	for (;;)
		pthread_cond_wait(&cv, &cv_mutex);
	pthread_cleanup_pop(1);
	return NULL;
}

static void case_cancel_cond_wait(void)
{
	pthread_t t = th_start(cancel_in_cond_wait, NULL);

	t_await(&cancel_stage, 1);
	/* Taking the mutex proves the thread is inside pthread_cond_wait. */
	CHECK_ZERO(pthread_mutex_lock(&cv_mutex));
	CHECK_ZERO(pthread_cancel(t));
	CHECK_ZERO(pthread_mutex_unlock(&cv_mutex));
	CHECK(th_join(t) == PTHREAD_CANCELED);
	CHECK_EQ(cleanup_n, 1);
	CHECK_EQ(cleanup_log[0], 3);
	CHECK_ZERO(pthread_mutex_trylock(&cv_mutex));	/* given back */
	CHECK_ZERO(pthread_mutex_unlock(&cv_mutex));
}

/* Disabled, a request waits; enabled again, the next point acts on it. */
static void *cancel_disabled(void *arg)
{
	int old;

	(void)arg;
	CHECK_ZERO(pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old));
	CHECK_EQ(old, PTHREAD_CANCEL_ENABLE);
	t_post(&cancel_stage, 1);
	t_await(&cancel_stage, 2);	/* the request has been made */
	pthread_testcancel();
	struct timespec ts = { 0, 1000000 };
	nanosleep(&ts, NULL);		/* a cancellation point, disabled */
	t_post(&cancel_stage, 3);
	CHECK_ZERO(pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, &old));
	CHECK_EQ(old, PTHREAD_CANCEL_DISABLE);
	pthread_testcancel();
	return (void *)1;		/* not reached */
}

static void case_cancel_disabled(void)
{
	pthread_t t = th_start(cancel_disabled, NULL);

	t_await(&cancel_stage, 1);
	CHECK_ZERO(pthread_cancel(t));
	t_post(&cancel_stage, 2);
	CHECK(th_join(t) == PTHREAD_CANCELED);
	CHECK_EQ(cancel_stage, 3);
}

static const struct t_case cases[] = {
	{ case_pthread_kill_target, "pthread_kill_target" },
	{ case_sigmask_per_thread, "sigmask_per_thread" },
	{ case_kill_goes_to_unblocked, "kill_goes_to_unblocked" },
	{ case_pending_per_thread, "pending_per_thread" },
	{ case_sigwait_thread, "sigwait_thread" },
	{ case_sem_wait_eintr, "sem_wait_eintr" },
	{ case_cancel_sleep, "cancel_sleep" },
	{ case_cancel_read, "cancel_read" },
	{ case_cancel_testcancel, "cancel_testcancel" },
	{ case_cancel_cond_wait, "cancel_cond_wait" },
	{ case_cancel_disabled, "cancel_disabled" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
