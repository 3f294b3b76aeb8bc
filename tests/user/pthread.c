/*
 * pthread.c - the life of threads: create and join (return values and
 * pthread_exit), detach, 64 threads alive at once, thread ids, stacks the
 * caller chooses, thread-local storage, what threads share, and how
 * threads end a process: the main thread leaving with pthread_exit (the
 * process lives on), exit() or a fatal signal in another thread (every
 * thread ends), execve from another thread (the others vanish, the pid
 * stays), fork from a thread (the child has one thread).
 *
 * Process-level outcomes are read by a parent from its child's wait
 * status, so each such case forks the process whose threads it studies.
 * Mutexes, condition variables and the rest: pthread_mutex.c,
 * pthread_sync.c, pthread_sem.c; signals and cancellation:
 * pthread_signal.c.
 */
#define _GNU_SOURCE
#include "t.h"
#include "threadtest.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>

extern char **environ;

static void *ret_arg_times_ten(void *arg)
{
	return (void *)((intptr_t)arg * 10);
}

/* pthread_exit from a few calls deep. */
__attribute__((noinline, noreturn)) static void exit_inner(intptr_t v)
{
	pthread_exit((void *)v);
}

__attribute__((noinline, noreturn)) static void exit_outer(intptr_t v)
{
	exit_inner(v + 1);
}

static void *ret_via_pthread_exit(void *arg)
{
	exit_outer((intptr_t)arg);
}

/* Posts its kernel tid and returns 0x5a. */
static void *post_tid(void *arg)
{
	t_post(arg, th_gettid());
	return (void *)0x5a;
}

/* Waits until *tid is set (a thread's post_tid). */
static pid_t await_tid(volatile int *tid)
{
	for (long spins = 0; !th_load(tid); spins++) {
		CHECK(spins < (1L << 24));
		sched_yield();
	}
	return *tid;
}

static void case_create_join_retval(void)
{
	pthread_t t[8];

	for (intptr_t i = 0; i < 8; i++)
		t[i] = th_start(i % 2 ? ret_via_pthread_exit : ret_arg_times_ten,
				(void *)i);
	for (intptr_t i = 7; i >= 0; i--)	/* any order */
		CHECK_EQ((intptr_t)th_join(t[i]), i % 2 ? i + 1 : i * 10);

	/* Joined after the kernel is done with it: the value was kept. */
	volatile int tid = 0;
	pthread_t late = th_start(post_tid, (void *)&tid);
	th_wait_gone(await_tid(&tid));
	CHECK_EQ((intptr_t)th_join(late), 0x5a);
}

static void case_detach(void)
{
	volatile int tid1 = 0, tid2 = 0;
	pthread_attr_t attr;
	int state;

	/* pthread_detach on a running thread ... */
	pthread_t t = th_start(post_tid, (void *)&tid1);
	CHECK_ZERO(pthread_detach(t));
	/* ... and a thread born detached. */
	CHECK_ZERO(pthread_attr_init(&attr));
	CHECK_ZERO(pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED));
	CHECK_ZERO(pthread_attr_getdetachstate(&attr, &state));
	CHECK_EQ(state, PTHREAD_CREATE_DETACHED);
	CHECK_ZERO(pthread_create(&t, &attr, post_tid, (void *)&tid2));
	CHECK_ZERO(pthread_attr_destroy(&attr));
	CHECK(await_tid(&tid1) != await_tid(&tid2));
	/* Both end by themselves; nobody joins a detached thread. */
	th_wait_gone(tid1);
	th_wait_gone(tid2);
}

#define MANY 64

static volatile int many_arrived;

/* Waits until all MANY threads exist at the same time. */
static void *many_body(void *arg)
{
	th_add(&many_arrived, 1);
	t_await(&many_arrived, MANY);
	return arg;
}

static void case_many_threads(void)
{
	pthread_t t[MANY];

	for (intptr_t i = 0; i < MANY; i++)
		t[i] = th_start(many_body, (void *)i);
	for (intptr_t i = 0; i < MANY; i++)
		CHECK_EQ((intptr_t)th_join(t[i]), i);
	CHECK_EQ(many_arrived, MANY);
}

#define NIDS 8

struct ids {
	pid_t pid, tid;
	pthread_t self;
};

static struct ids ids[NIDS];
static volatile int ids_ready;

static void *record_ids(void *arg)
{
	struct ids *me = arg;

	me->pid = getpid();
	me->tid = th_gettid();
	me->self = pthread_self();
	th_add(&ids_ready, 1);
	t_await(&ids_ready, NIDS);	/* all alive: no tid reused */
	return NULL;
}

static void case_ids(void)
{
	pthread_t t[NIDS];

	CHECK_EQ(th_gettid(), getpid());	/* the main thread's tid is the pid */
	for (int i = 0; i < NIDS; i++)
		t[i] = th_start(record_ids, &ids[i]);
	for (int i = 0; i < NIDS; i++)
		th_join(t[i]);
	for (int i = 0; i < NIDS; i++) {
		CHECK_EQ(ids[i].pid, getpid());
		CHECK(ids[i].tid > 0 && ids[i].tid != getpid());
		CHECK(pthread_equal(ids[i].self, t[i]));
		CHECK(!pthread_equal(ids[i].self, pthread_self()));
		for (int j = 0; j < i; j++)
			CHECK(ids[i].tid != ids[j].tid);
	}
}

/* Runs on a stack the test mapped itself, and reports where it is. */
static void *where_am_i(void *arg)
{
	volatile char local = 1;

	*(uintptr_t *)arg = (uintptr_t)&local;
	return NULL;
}

static void case_stack_attrs(void)
{
	const size_t len = 256 * 1024;
	char *stack = t_map(len, PROT_READ | PROT_WRITE);
	pthread_attr_t attr;
	pthread_t t;
	uintptr_t at = 0;

	CHECK_ZERO(pthread_attr_init(&attr));
	CHECK_ZERO(pthread_attr_setstack(&attr, stack, len));
	CHECK_ZERO(pthread_create(&t, &attr, where_am_i, &at));
	th_join(t);
	CHECK(at >= (uintptr_t)stack && at < (uintptr_t)stack + len);
	CHECK_ZERO(pthread_attr_destroy(&attr));

	/* A small stack of the library's choosing. */
	size_t got = 0;
	CHECK_ZERO(pthread_attr_init(&attr));
	CHECK_ZERO(pthread_attr_setstacksize(&attr, 64 * 1024));
	CHECK_ZERO(pthread_attr_getstacksize(&attr, &got));
	CHECK_EQ(got, 64 * 1024);
	CHECK_ZERO(pthread_create(&t, &attr, where_am_i, &at));
	th_join(t);
	CHECK(at != 0 && !(at >= (uintptr_t)stack && at < (uintptr_t)stack + len));
	CHECK_ZERO(pthread_attr_destroy(&attr));
	CHECK_OK(munmap(stack, len));
}

/* Thread-local storage: .tdata (initialised) and .tbss (zero). */
static __thread int tls_int = 42;
static __thread long tls_arr[64] = { [0] = 1, [63] = 63 };
static __thread char tls_zero[300];

#define NTLS 6

static pthread_barrier_t tls_barrier;

static void *tls_body(void *arg)
{
	intptr_t i = (intptr_t)arg;

	/* Each thread starts from the TLS image, not from its creator. */
	CHECK_EQ(tls_int, 42);
	CHECK_EQ(tls_arr[0], 1);
	CHECK_EQ(tls_arr[63], 63);
	for (size_t k = 0; k < sizeof(tls_zero); k++)
		CHECK_EQ(tls_zero[k], 0);
	tls_int = 1000 + i;
	tls_arr[10] = i;
	memset(tls_zero, (int)i + 1, sizeof(tls_zero));
	pthread_barrier_wait(&tls_barrier);	/* everyone has written */
	CHECK_EQ(tls_int, 1000 + i);
	CHECK_EQ(tls_arr[10], i);
	for (size_t k = 0; k < sizeof(tls_zero); k++)
		CHECK_EQ(tls_zero[k], i + 1);
	return (void *)&tls_int;
}

static void case_tls(void)
{
	pthread_t t[NTLS];
	void *addr[NTLS];

	tls_int = 7;
	tls_arr[0] = -1;
	tls_zero[5] = 'm';
	CHECK_ZERO(pthread_barrier_init(&tls_barrier, NULL, NTLS));
	for (intptr_t i = 0; i < NTLS; i++)
		t[i] = th_start(tls_body, (void *)i);
	for (int i = 0; i < NTLS; i++)
		addr[i] = th_join(t[i]);
	for (int i = 0; i < NTLS; i++) {
		CHECK(addr[i] != (void *)&tls_int);
		for (int j = 0; j < i; j++)
			CHECK(addr[i] != addr[j]);
	}
	CHECK_EQ(tls_int, 7);
	CHECK_EQ(tls_arr[0], -1);
	CHECK_EQ(tls_zero[5], 'm');
	CHECK_ZERO(pthread_barrier_destroy(&tls_barrier));
}

static char shared_path[64];

/* A thread opens a file and maps memory; the main thread uses both. */
static void *open_and_map(void *arg)
{
	intptr_t *out = arg;
	int fd = open(shared_path, O_RDWR | O_CREAT | O_EXCL, 0600);
	char *p = mmap(NULL, T_PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (fd >= 0)
		(void)!write(fd, "thread", 6);
	if (p != MAP_FAILED)
		strcpy(p, "mapped by a thread");
	out[0] = fd;
	out[1] = (intptr_t)p;
	close((int)out[2]);	/* closes the main thread's descriptor */
	return NULL;
}

static void case_share_fds_memory(void)
{
	intptr_t out[3];
	char buf[8] = { 0 };

	snprintf(shared_path, sizeof(shared_path), "/tmp/pthread-fd-%d",
		 (int)getpid());
	out[2] = CHECK_OK(open("/dev/null", O_RDONLY));
	th_join(th_start(open_and_map, out));
	CHECK(out[0] >= 0);
	CHECK((void *)out[1] != MAP_FAILED);
	CHECK_EQ(pread((int)out[0], buf, 6, 0), 6);
	CHECK(strcmp(buf, "thread") == 0);
	CHECK(strcmp((char *)out[1], "mapped by a thread") == 0);
	CHECK_ERR(close((int)out[2]), EBADF);
	CHECK_OK(munmap((void *)out[1], T_PAGE));
	CHECK_OK(close((int)out[0]));
	CHECK_OK(unlink(shared_path));
}

/*
 * The main thread leaves with pthread_exit((void *)42) while another
 * thread joins it and goes on. This runs in a freshly exec'd program
 * (--main-exit FD, see main): musl's fork() does not register the child's
 * main thread with set_tid_address again, so in a forked child nothing
 * would tell musl that its main thread is gone, and the join would hang.
 * The surviving thread reports on the pipe FD.
 */
static pthread_t main_thread;
static int main_exit_fd;

static void *helper_after_main(void *arg)
{
	return arg;
}

static void *outlive_main(void *arg)
{
	void *ret = NULL;

	(void)arg;
	if (pthread_join(main_thread, &ret) != 0 || ret != (void *)42)
		exit(1);
	/* The process still works without its first thread. */
	pthread_t t;
	if (pthread_create(&t, NULL, helper_after_main, (void *)7) != 0 ||
	    pthread_join(t, &ret) != 0 || ret != (void *)7)
		exit(2);
	if (write(main_exit_fd, "j", 1) != 1)
		exit(3);
	return NULL;	/* the last thread: the process exits with 0 */
}

static int main_exit(char **argv)
{
	pthread_t t;

	main_exit_fd = atoi(argv[2]);
	main_thread = pthread_self();
	if (pthread_create(&t, NULL, outlive_main, NULL) != 0)
		return 4;
	pthread_exit((void *)42);
}

static void case_main_pthread_exit(void)
{
	int p[2];
	char c, fd_s[16];

	CHECK_OK(pipe(p));
	pid_t pid = t_fork();
	if (pid == 0) {
		close(p[0]);
		snprintf(fd_s, sizeof(fd_s), "%d", p[1]);
		char *argv[] = { (char *)t_self(), "--main-exit", fd_s, NULL };
		execve(t_self(), argv, environ);
		T_FAIL("execve(%s) failed: errno %s", t_self(), t_errname(errno));
	}
	CHECK_OK(close(p[1]));
	CHECK_EXITED(t_wait(pid), 0);
	CHECK_EQ(read(p[0], &c, 1), 1);	/* written after main had gone */
	CHECK_EQ(c, 'j');
	CHECK_OK(close(p[0]));
}

static volatile int *blockers_ready;

/* Sleeps until the process ends around it. */
static void *block_forever(void *arg)
{
	(void)arg;
	th_add(blockers_ready, 1);
	for (;;)
		pause();
	return NULL;
}

static void *exit_seven(void *arg)
{
	(void)arg;
	t_await(blockers_ready, 3);
	exit(7);
}

static void *abort_thread(void *arg)
{
	(void)arg;
	t_await(blockers_ready, 3);
	abort();
}

/* A child whose main thread joins fn's thread while three others sleep. */
static int run_blocked_family(void *(*fn)(void *))
{
	blockers_ready = t_shared_ints();
	pid_t pid = t_fork();
	if (pid == 0) {
		for (int i = 0; i < 3; i++)
			th_start(block_forever, NULL);
		th_join(th_start(fn, NULL));
		_exit(1);	/* not reached: fn ends the process */
	}
	int status = t_wait(pid);
	CHECK_OK(munmap((void *)blockers_ready, T_PAGE));
	return status;
}

static void case_exit_from_thread(void)
{
	CHECK_EXITED(run_blocked_family(exit_seven), 7);
}

static void case_fatal_signal_in_thread(void)
{
	CHECK_SIGNALED(run_blocked_family(abort_thread), SIGABRT);
}

/*
 * execve from a thread that is not the main one. shared[0] is a counter
 * two other threads keep bumping; shared[1] counts them in; shared[2] is
 * the exec'ing thread's tid. The new program (--exec-report, in main)
 * checks its pid and tid, reports on a pipe and waits for EOF on another.
 */
static volatile int *exec_shared;
static int exec_report_fd, exec_go_fd;

static void *bump_forever(void *arg)
{
	(void)arg;
	th_add(&exec_shared[1], 1);
	for (;;) {
		th_add(&exec_shared[0], 1);
		sched_yield();
	}
	return NULL;
}

static void *exec_from_thread(void *arg)
{
	char pid_s[16], rep_s[16], go_s[16];

	(void)arg;
	t_await(&exec_shared[1], 2);
	exec_shared[2] = th_gettid();
	snprintf(pid_s, sizeof(pid_s), "%d", (int)getpid());
	snprintf(rep_s, sizeof(rep_s), "%d", exec_report_fd);
	snprintf(go_s, sizeof(go_s), "%d", exec_go_fd);
	char *argv[] = { (char *)t_self(), "--exec-report", pid_s, rep_s,
			 go_s, NULL };
	execve(t_self(), argv, environ);
	T_FAIL("execve(%s) failed: errno %s", t_self(), t_errname(errno));
}

/* The program execve'd by exec_from_thread. */
static int exec_report(char **argv)
{
	int rep = atoi(argv[3]), go = atoi(argv[4]);
	char c;

	if (getpid() != atoi(argv[2]) || th_gettid() != getpid())
		return 1;
	if (write(rep, "r", 1) != 1)
		return 2;
	if (read(go, &c, 1) != 0)	/* EOF: the test is done looking */
		return 3;
	return 42;
}

static void case_exec_from_thread(void)
{
	int rep[2], go[2];
	char c;

	exec_shared = t_shared_ints();
	CHECK_OK(pipe(rep));
	CHECK_OK(pipe(go));
	pid_t pid = t_fork();
	if (pid == 0) {
		close(rep[0]);
		close(go[1]);
		exec_report_fd = rep[1];
		exec_go_fd = go[0];
		th_start(bump_forever, NULL);
		th_start(bump_forever, NULL);
		th_join(th_start(exec_from_thread, NULL));
		_exit(1);	/* not reached */
	}
	close(rep[1]);
	close(go[0]);
	CHECK_EQ(read(rep[0], &c, 1), 1);	/* the new program runs */
	CHECK(exec_shared[2] > 0 && exec_shared[2] != pid);
	/* The bumping threads are gone: the counter stands still. */
	int before = th_load(&exec_shared[0]);
	th_yield(200);
	CHECK_EQ(th_load(&exec_shared[0]), before);
	CHECK_OK(close(go[1]));
	CHECK_EXITED(t_wait(pid), 42);	/* same pid: waitpid found it */
	CHECK_OK(close(rep[0]));
	CHECK_OK(munmap((void *)exec_shared, T_PAGE));
}

static void *thread_in_fork_child(void *arg)
{
	return arg;
}

/* fork from a second thread: the child is one thread, the forker. */
static void *fork_from_thread(void *arg)
{
	pid_t parent = getpid();

	(void)arg;
	pid_t pid = t_fork();
	if (pid == 0) {
		CHECK(getpid() != parent);
		CHECK_EQ(getppid(), parent);
		CHECK_EQ(th_gettid(), getpid());
		/* The child can make threads of its own. */
		CHECK(th_join(th_start(thread_in_fork_child, (void *)3)) == (void *)3);
		_exit(5);
	}
	return (void *)(intptr_t)t_wait(pid);
}

static void case_fork_in_thread(void)
{
	int status = (int)(intptr_t)th_join(th_start(fork_from_thread, NULL));

	CHECK_EXITED(status, 5);
}

static const struct t_case cases[] = {
	{ case_create_join_retval, "create_join_retval" },
	{ case_detach, "detach" },
	{ case_many_threads, "many_threads" },
	{ case_ids, "ids" },
	{ case_stack_attrs, "stack_attrs" },
	{ case_tls, "tls" },
	{ case_share_fds_memory, "share_fds_memory" },
	{ case_main_pthread_exit, "main_pthread_exit" },
	{ case_exit_from_thread, "exit_from_thread" },
	{ case_fatal_signal_in_thread, "fatal_signal_in_thread" },
	{ case_exec_from_thread, "exec_from_thread" },
	{ case_fork_in_thread, "fork_in_thread" },
};

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--main-exit") == 0)
		return main_exit(argv);
	if (argc == 5 && strcmp(argv[1], "--exec-report") == 0)
		return exec_report(argv);
	return T_RUN(argc, argv, cases);
}
