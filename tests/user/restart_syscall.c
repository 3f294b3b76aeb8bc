/*
 * restart_syscall.c - sleeps interrupted by a stop, or by a handler with
 * SA_RESTART, as Linux: a stopped and continued sleep goes on to its end
 * (Linux restarts it through restart_syscall with the time left), and a
 * handled signal ends it with EINTR and the time left even under
 * SA_RESTART. restart_syscall itself, with nothing to restart, fails
 * with EINTR.
 *
 * The parent acts once the child is asleep ('S' in /proc/<pid>/stat), and
 * the child's only blocking call is the sleep, so what is checked does
 * not depend on timing.
 */
#define _GNU_SOURCE
#include "t.h"

#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum sleep_kind { NANOSLEEP, MONO_REL, MONO_ABS, REAL_ABS, CPU_REL };

/*
 * The CPU time a CPU-clock sleep waits for, made only once the parent
 * has stopped and continued the process (it writes to the pipe then):
 * with a second CPU, a thread spinning from the start could use up the
 * sleep before the parent ever sees the child asleep.
 */
static int go_pipe[2];

static void *spin(void *arg)
{
	volatile unsigned long x = 0;
	char c;

	(void)arg;
	if (read(go_pipe[0], &c, 1) != 1)
		_exit(3);
	for (;;)
		x++;
	return NULL;
}

/* In a child: sleep one way; exit 0 if the sleep ran to its end. */
static void sleep_child(enum sleep_kind kind)
{
	struct timespec req = { 1, 0 }, now;
	pthread_t th;
	int r;

	switch (kind) {
	case NANOSLEEP:
		r = nanosleep(&req, NULL) == 0 ? 0 : errno;
		break;
	case MONO_REL:
		r = clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL);
		break;
	case MONO_ABS:
	case REAL_ABS: {
		clockid_t c = kind == MONO_ABS ? CLOCK_MONOTONIC
					       : CLOCK_REALTIME;

		clock_gettime(c, &now);
		now.tv_sec += 1;
		r = clock_nanosleep(c, TIMER_ABSTIME, &now, NULL);
		break;
	}
	case CPU_REL:	/* a spinning thread makes the CPU time */
		req = (struct timespec){ 0, 300 * 1000 * 1000 };
		if (pthread_create(&th, NULL, spin, NULL))
			_exit(2);
		r = clock_nanosleep(CLOCK_PROCESS_CPUTIME_ID, 0, &req, NULL);
		break;
	default:
		r = -1;
	}
	_exit(r == 0 ? 0 : 1);
}

/* Stop the child while it sleeps, continue it: its sleep must finish. */
static void stop_during_sleep(enum sleep_kind kind)
{
	pid_t pid;
	int status;
	char state;

	CHECK_OK(pipe(go_pipe));
	pid = t_fork();
	if (pid == 0)
		sleep_child(kind);
	while ((state = t_proc_state(pid)) != 'S') {
		CHECK(state != 'Z');	/* the sleep ended unseen: fail, not hang */
		sched_yield();
	}
	CHECK_OK(kill(pid, SIGSTOP));
	CHECK_EQ(waitpid(pid, &status, WUNTRACED), pid);
	CHECK(WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP);
	CHECK_OK(kill(pid, SIGCONT));
	CHECK_EQ(write(go_pipe[1], "g", 1), 1);
	CHECK_EXITED(t_wait(pid), 0);
	close(go_pipe[0]);
	close(go_pipe[1]);
}

static void case_nanosleep_stopped(void) { stop_during_sleep(NANOSLEEP); }
static void case_clock_nanosleep_stopped(void) { stop_during_sleep(MONO_REL); }
static void case_abstime_stopped(void) { stop_during_sleep(MONO_ABS); }
static void case_realtime_abstime_stopped(void) { stop_during_sleep(REAL_ABS); }
static void case_cpu_clock_sleep_stopped(void) { stop_during_sleep(CPU_REL); }

static void on_usr1(int sig)
{
	(void)sig;
}

/* A handler ends the sleep with EINTR and the time left, SA_RESTART or
 * not: Linux never restarts a sleep after a handler. */
static void case_sa_restart_still_eintr(void)
{
	volatile int *asleep = t_shared_ints();
	pid_t pid = t_fork();

	if (pid == 0) {
		struct sigaction sa;
		struct timespec req = { 10, 0 }, rem = { -1, -1 };

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_usr1;
		sa.sa_flags = SA_RESTART;
		CHECK_OK(sigaction(SIGUSR1, &sa, NULL));
		t_post(asleep, 1);
		CHECK_ERR(nanosleep(&req, &rem), EINTR);
		CHECK(rem.tv_sec >= 0 && rem.tv_sec <= 10);
		CHECK(rem.tv_nsec >= 0 && rem.tv_nsec < 1000000000);
		CHECK(rem.tv_sec > 0 || rem.tv_nsec > 0);
		_exit(0);
	}
	t_await(asleep, 1);
	while (t_proc_state(pid) != 'S')
		sched_yield();
	CHECK_OK(kill(pid, SIGUSR1));
	CHECK_EXITED(t_wait(pid), 0);
}

/* Nothing to restart: Linux's do_no_restart_syscall answers EINTR. */
static void case_restart_syscall_nothing(void)
{
	CHECK_ERR(syscall(SYS_restart_syscall), EINTR);
}

static const struct t_case cases[] = {
	{ case_nanosleep_stopped, "nanosleep_stopped" },
	{ case_clock_nanosleep_stopped, "clock_nanosleep_stopped" },
	{ case_abstime_stopped, "abstime_stopped" },
	{ case_realtime_abstime_stopped, "realtime_abstime_stopped" },
	{ case_cpu_clock_sleep_stopped, "cpu_clock_sleep_stopped" },
	{ case_sa_restart_still_eintr, "sa_restart_still_eintr" },
	{ case_restart_syscall_nothing, "restart_syscall_nothing" },
};

int main(int argc, char **argv) { return T_RUN(argc, argv, cases); }
