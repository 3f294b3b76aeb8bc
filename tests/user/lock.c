/*
 * lock.c - fcntl record locks as Linux 6.1 keeps them: POSIX locks owned
 * by the process (conflicts with other processes, F_GETLK naming the
 * holder's pid, ranges split and merged, release when the process closes
 * any descriptor of the file and at exit, shared by threads), OFD locks
 * owned by the open file description (l_pid -1 in F_GETLK, conflicts
 * with POSIX locks of the same process, survive the close of another
 * descriptor), F_SETLKW waking on release, EDEADLK for two processes
 * waiting on each other, and EINTR from a signal. sqlite3 said
 * "database is locked" while every lock was refused with ENOLCK
 * (regression: setlk-refused-enolck).
 */
#define _GNU_SOURCE
#include "t.h"

#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#define FILE_L "/tmp/lock-file"

static int open_l(void)
{
	return CHECK_OK(open(FILE_L, O_RDWR | O_CREAT, 0644));
}

static int setlk(int fd, int cmd, short type, off_t start, off_t len)
{
	struct flock fl = { .l_type = type, .l_whence = SEEK_SET,
			    .l_start = start, .l_len = len };

	return fcntl(fd, cmd, &fl);
}

/* F_GETLK (cmd) for a write lock on [start, start+len): the answer. */
static struct flock getlk(int fd, int cmd, off_t start, off_t len)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
			    .l_start = start, .l_len = len };

	CHECK_OK(fcntl(fd, cmd, &fl));
	return fl;
}

#define CHECK_LK(fl, type, start, len, pid)				\
	do {								\
		CHECK_EQ((fl).l_type, (type));				\
		if ((type) != F_UNLCK) {				\
			CHECK_EQ((fl).l_whence, SEEK_SET);		\
			CHECK_EQ((fl).l_start, (start));		\
			CHECK_EQ((fl).l_len, (len));			\
			CHECK_EQ((fl).l_pid, (pid));			\
		}							\
	} while (0)

static void await_sleep(pid_t pid)
{
	while (t_proc_state(pid) != 'S')
		sched_yield();
}

/* Run check(fd) in a child, which has its own POSIX lock owner. */
static void in_child(void (*check)(int))
{
	pid_t pid = t_fork();

	if (pid == 0) {
		check(open_l());
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
}

static void see_split(int fd)
{
	pid_t parent = getppid();
	struct flock fl;

	fl = getlk(fd, F_GETLK, 0, 10);
	CHECK_LK(fl, F_WRLCK, 0, 40, parent);
	CHECK_LK(getlk(fd, F_GETLK, 40, 20), F_UNLCK, 0, 0, 0);
	fl = getlk(fd, F_GETLK, 90, 0);
	CHECK_LK(fl, F_WRLCK, 60, 40, parent);
	CHECK_ERR(setlk(fd, F_SETLK, F_RDLCK, 39, 1), EAGAIN);
	CHECK_OK(setlk(fd, F_SETLK, F_WRLCK, 40, 20));
}

static void case_setlk_refused_enolck(void)
{
	int fd = open_l();

	CHECK_OK(setlk(fd, F_SETLK, F_WRLCK, 0, 100));
	CHECK_OK(setlk(fd, F_SETLK, F_UNLCK, 40, 20));
	in_child(see_split);
	CHECK_OK(close(fd));
}

static void see_merged(int fd)
{
	pid_t parent = getppid();

	CHECK_LK(getlk(fd, F_GETLK, 5, 1), F_RDLCK, 0, 30, parent);
	CHECK_LK(getlk(fd, F_GETLK, 30, 1), F_WRLCK, 30, 0, parent);
	CHECK_OK(setlk(fd, F_SETLK, F_RDLCK, 0, 30));
	CHECK_ERR(setlk(fd, F_SETLK, F_WRLCK, 29, 1), EAGAIN);
}

static void case_ranges_merge_and_convert(void)
{
	int fd = open_l();

	CHECK_OK(setlk(fd, F_SETLK, F_RDLCK, 0, 10));
	CHECK_OK(setlk(fd, F_SETLK, F_RDLCK, 20, 10));
	CHECK_OK(setlk(fd, F_SETLK, F_RDLCK, 10, 10));	/* joins both */
	CHECK_OK(setlk(fd, F_SETLK, F_WRLCK, 30, 0));	/* to EOF, touching */
	in_child(see_merged);
	/* Our own locks never conflict with us. */
	CHECK_LK(getlk(fd, F_GETLK, 0, 0), F_UNLCK, 0, 0, 0);
	CHECK_OK(close(fd));
}

static void see_unlocked(int fd)
{
	CHECK_LK(getlk(fd, F_GETLK, 0, 0), F_UNLCK, 0, 0, 0);
}

static void see_locked(int fd)
{
	CHECK_LK(getlk(fd, F_GETLK, 0, 0), F_WRLCK, 0, 0, getppid());
}

static void case_close_of_other_fd_releases(void)
{
	int fd = open_l(), other = open_l();

	CHECK_OK(setlk(fd, F_SETLK, F_WRLCK, 0, 0));
	in_child(see_locked);
	CHECK_OK(close(other));		/* a different descriptor */
	in_child(see_unlocked);
	CHECK_OK(close(fd));
}

static void case_exit_releases(void)
{
	int fd = open_l();
	pid_t pid = t_fork();
	struct flock fl;

	if (pid == 0) {
		CHECK_OK(setlk(open_l(), F_SETLK, F_WRLCK, 7, 3));
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
	fl = getlk(fd, F_GETLK, 0, 0);
	CHECK_LK(fl, F_UNLCK, 0, 0, 0);
	CHECK_OK(close(fd));
}

static void see_locked_0_10(int fd)
{
	CHECK_LK(getlk(fd, F_GETLK, 0, 0), F_WRLCK, 0, 10, getppid());
}

static int thread_fd;

static void *thread_main(void *arg)
{
	(void)arg;
	/* The same process: no conflict, and its own locks are invisible. */
	if (setlk(thread_fd, F_SETLK, F_WRLCK, 0, 10) != 0)
		return (void *)1;
	if (getlk(thread_fd, F_GETLK, 0, 0).l_type != F_UNLCK)
		return (void *)2;
	return NULL;
}

static void case_threads_share_locks(void)
{
	pthread_t th;
	void *ret;

	thread_fd = open_l();
	CHECK_OK(setlk(thread_fd, F_SETLK, F_WRLCK, 0, 10));
	CHECK_EQ(pthread_create(&th, NULL, thread_main, NULL), 0);
	CHECK_EQ(pthread_join(th, &ret), 0);
	CHECK_EQ((long)ret, 0);
	in_child(see_locked_0_10);
	CHECK_OK(close(thread_fd));
}

static void case_ofd_locks(void)
{
	int a = open_l(), b = open_l(), d = CHECK_OK(dup(a));
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
			    .l_len = 10, .l_pid = 1 };

	CHECK_ERR(fcntl(a, F_OFD_SETLK, &fl), EINVAL);	/* l_pid must be 0 */
	CHECK_ERR(fcntl(a, F_OFD_GETLK, &fl), EINVAL);
	CHECK_OK(setlk(a, F_OFD_SETLK, F_WRLCK, 0, 10));
	/* Another open file description of the same process conflicts. */
	CHECK_ERR(setlk(b, F_OFD_SETLK, F_RDLCK, 5, 1), EAGAIN);
	CHECK_LK(getlk(b, F_OFD_GETLK, 0, 0), F_WRLCK, 0, 10, -1);
	/* So does a POSIX lock of the same process, and F_GETLK sees -1. */
	CHECK_ERR(setlk(b, F_SETLK, F_RDLCK, 0, 1), EAGAIN);
	CHECK_LK(getlk(b, F_GETLK, 0, 0), F_WRLCK, 0, 10, -1);
	/* The same description (a dup) owns it: no conflict. */
	CHECK_OK(setlk(d, F_OFD_SETLK, F_WRLCK, 5, 10));
	/* Closing another descriptor leaves OFD locks alone. */
	CHECK_OK(close(b));
	b = open_l();
	CHECK_LK(getlk(b, F_OFD_GETLK, 0, 0), F_WRLCK, 0, 15, -1);
	CHECK_OK(close(a));
	CHECK_LK(getlk(b, F_OFD_GETLK, 0, 0), F_WRLCK, 0, 15, -1);
	CHECK_OK(close(d));			/* the last reference */
	CHECK_LK(getlk(b, F_OFD_GETLK, 0, 0), F_UNLCK, 0, 0, 0);
	CHECK_OK(close(b));
}

static void case_setlkw_deadlock(void)
{
	int fd = open_l();
	volatile int *step = t_shared_ints();
	pid_t pid;

	CHECK_OK(setlk(fd, F_SETLK, F_WRLCK, 0, 1));
	pid = t_fork();
	if (pid == 0) {
		int cfd = open_l();

		CHECK_OK(setlk(cfd, F_SETLK, F_WRLCK, 1, 1));
		t_post(step, 1);
		/* Waits for the parent, who then waits for us. */
		CHECK_OK(setlk(cfd, F_SETLKW, F_WRLCK, 0, 1));
		_exit(0);
	}
	t_await(step, 1);
	await_sleep(pid);
	CHECK_ERR(setlk(fd, F_SETLKW, F_WRLCK, 1, 1), EDEADLK);
	/* F_SETLK only reports the conflict. */
	CHECK_ERR(setlk(fd, F_SETLK, F_WRLCK, 1, 1), EAGAIN);
	CHECK_OK(setlk(fd, F_SETLK, F_UNLCK, 0, 1));	/* wakes the child */
	CHECK_EXITED(t_wait(pid), 0);
	/* The child's locks went at its exit: now it is ours. */
	CHECK_OK(setlk(fd, F_SETLKW, F_WRLCK, 0, 2));
	CHECK_OK(close(fd));
}

static void on_usr1(int sig) { (void)sig; }

static void case_setlkw_interrupted(void)
{
	int fd = open_l();
	pid_t pid;

	CHECK_OK(setlk(fd, F_SETLK, F_RDLCK, 0, 0));
	pid = t_fork();
	if (pid == 0) {
		struct sigaction sa = { .sa_handler = on_usr1 };
		int cfd = open_l();

		CHECK_OK(sigaction(SIGUSR1, &sa, NULL));	/* no SA_RESTART */
		CHECK_ERR(setlk(cfd, F_SETLKW, F_WRLCK, 10, 1), EINTR);
		CHECK_ERR(setlk(cfd, F_OFD_SETLK, F_WRLCK, 10, 1), EAGAIN);
		_exit(0);
	}
	await_sleep(pid);
	CHECK_OK(kill(pid, SIGUSR1));
	CHECK_EXITED(t_wait(pid), 0);
	CHECK_OK(close(fd));
}

/* Whether /proc/locks has a line ending in `tail` (after "N: "). */
static bool proc_locks_has(const char *tail)
{
	static char text[8192];
	int fd = CHECK_OK(open("/proc/locks", O_RDONLY));
	ssize_t n = read(fd, text, sizeof(text) - 1);
	bool found = false;

	CHECK(n >= 0);
	text[n > 0 ? n : 0] = 0;
	CHECK_OK(close(fd));
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		char *rest = strstr(line, ": ");

		if (rest && !strcmp(rest + 2, tail))
			found = true;
	}
	return found;
}

static void case_proc_locks(void)
{
	int a = open_l(), b = open_l();
	char want[160], dev[64];
	struct stat st;

	CHECK_OK(fstat(a, &st));
	snprintf(dev, sizeof(dev), "%02x:%02x:%llu", major(st.st_dev),
		 minor(st.st_dev), (unsigned long long)st.st_ino);
	CHECK_OK(setlk(a, F_SETLK, F_WRLCK, 10, 10));
	CHECK_OK(setlk(b, F_OFD_SETLK, F_RDLCK, 100, 0));
	CHECK_OK(flock(a, LOCK_EX));
	snprintf(want, sizeof(want), "POSIX  ADVISORY  WRITE %d %s 10 19",
		 getpid(), dev);
	CHECK(proc_locks_has(want));
	snprintf(want, sizeof(want), "OFDLCK ADVISORY  READ -1 %s 100 EOF",
		 dev);
	CHECK(proc_locks_has(want));
	snprintf(want, sizeof(want), "FLOCK  ADVISORY  WRITE %d %s 0 EOF",
		 getpid(), dev);
	CHECK(proc_locks_has(want));
	CHECK_OK(close(b));
	snprintf(want, sizeof(want), "OFDLCK ADVISORY  READ -1 %s 100 EOF",
		 dev);
	CHECK(!proc_locks_has(want));
	CHECK_OK(close(a));
}

/* With SA_RESTART the handler runs and the wait goes on to the lock. */
static void case_setlkw_restarts(void)
{
	int fd = open_l();
	volatile int *ran = t_shared_ints();
	pid_t pid;

	CHECK_OK(setlk(fd, F_SETLK, F_WRLCK, 0, 1));
	pid = t_fork();
	if (pid == 0) {
		struct sigaction sa = { .sa_handler = on_usr1,
					.sa_flags = SA_RESTART };
		int cfd = open_l();

		CHECK_OK(sigaction(SIGUSR1, &sa, NULL));
		CHECK_OK(setlk(cfd, F_SETLKW, F_WRLCK, 0, 1));
		t_post(ran, 1);
		_exit(0);
	}
	await_sleep(pid);
	CHECK_OK(kill(pid, SIGUSR1));
	await_sleep(pid);		/* asleep again, still waiting */
	CHECK_EQ(*ran, 0);
	CHECK_OK(setlk(fd, F_SETLK, F_UNLCK, 0, 1));
	CHECK_EXITED(t_wait(pid), 0);
	CHECK_EQ(*ran, 1);
	CHECK_OK(close(fd));
}

static void work(int rounds)
{
	for (int i = 0; i < rounds; i++) {
		int a = open_l(), b = open_l();

		setlk(a, F_SETLK, F_WRLCK, 0, 100);
		setlk(a, F_SETLK, F_RDLCK, 20, 10);	/* split in three */
		setlk(a, F_SETLK, F_UNLCK, 50, 5);
		setlk(b, F_OFD_SETLK, F_RDLCK, 0, 10);
		close(b);
		close(a);
	}
}

static void case_no_leak(void)
{
	t_check_no_leak("record locks", work, 300);
}

static const struct t_case cases[] = {
	{ case_setlk_refused_enolck, "setlk-refused-enolck" },
	{ case_ranges_merge_and_convert, "ranges_merge_and_convert" },
	{ case_close_of_other_fd_releases, "close_of_other_fd_releases" },
	{ case_exit_releases, "exit_releases" },
	{ case_threads_share_locks, "threads_share_locks" },
	{ case_ofd_locks, "ofd_locks" },
	{ case_setlkw_deadlock, "setlkw_deadlock" },
	{ case_setlkw_interrupted, "setlkw_interrupted" },
	{ case_setlkw_restarts, "setlkw_restarts" },
	{ case_proc_locks, "proc_locks" },
	{ case_no_leak, "no_leak" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
