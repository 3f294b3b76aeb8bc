/*
 * Resource exhaustion: a program that takes all of something gets a
 * clean error or waits, and everyone else carries on.
 *
 *   tasks   a fork bomb ends with EAGAIN, at the user's RLIMIT_NPROC
 *           (counted per real uid, threads included) or the machine's
 *           kernel.threads-max, and fork works again afterwards;
 *   tmpfs   writing past a mount's size= gives ENOSPC; the root tmpfs
 *           holds half of RAM by default (both as on Linux);
 *   pipes   a writer with nobody reading sleeps once 64 KiB are queued;
 *   queues  a System V message writer sleeps once the queue is full.
 *
 * The bombs run as an unprivileged user with a low RLIMIT_NPROC, so the
 * same limits apply on both kernels, and every count is exact. Memory
 * exhaustion (the OOM killer) is tested in oom.c.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/msg.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <unistd.h>

#include "t.h"

#define BOMB_UID 54321		/* a user nobody else in the suite is */
#define BOMB_NPROC 16

/* Become BOMB_UID with RLIMIT_NPROC = n (set while still root). */
static void become_user(rlim_t n)
{
	struct rlimit rl = { n, n };

	CHECK_OK(setrlimit(RLIMIT_NPROC, &rl));
	CHECK_OK(setgid(BOMB_UID));
	CHECK_OK(setuid(BOMB_UID));
}

/* Spin (yielding) until cond holds; the bound turns a hang into a
 * failure, it measures nothing. */
#define AWAIT(cond)                                                      \
	do {                                                             \
		long spins_ = 0;                                         \
		while (!(cond)) {                                        \
			if (++spins_ > (1L << 24))                       \
				T_FAIL("gave up waiting for %s", #cond); \
			sched_yield();                                   \
		}                                                        \
	} while (0)

static int load(volatile int *p)
{
	return __atomic_load_n(p, __ATOMIC_SEQ_CST);
}

static void add(volatile int *p)
{
	__atomic_add_fetch(p, 1, __ATOMIC_SEQ_CST);
}

/* Counters shared by a bomb's processes. */
enum { STARTED, SPAWNED, FAILED, BAD_ERRNO, STOP };

/*
 * Every process of the bomb forks until fork fails (its children do the
 * same), then waits for STOP and reaps its children. Nobody exits before
 * STOP, so the count of tasks only grows until every process has failed.
 */
static void bomb(volatile int *sh)
{
	add(&sh[STARTED]);
	for (;;) {
		pid_t pid = fork();

		if (pid == 0) {
			add(&sh[STARTED]);
			continue;
		}
		if (pid < 0) {
			if (errno != EAGAIN)
				sh[BAD_ERRNO] = errno;
			break;
		}
		add(&sh[SPAWNED]);
	}
	add(&sh[FAILED]);
	AWAIT(load(&sh[STOP]));
	while (wait(NULL) > 0)
		;
	_exit(0);
}

/* Wait until every process of the bomb has failed to fork; then end it.
 * Returns how many forks succeeded. */
static int bomb_settle(volatile int *sh, pid_t root)
{
	int spawned;

	AWAIT(load(&sh[SPAWNED]) + 1 == load(&sh[STARTED]) &&
	      load(&sh[FAILED]) == load(&sh[STARTED]));
	spawned = load(&sh[SPAWNED]);
	t_post(&sh[STOP], 1);
	CHECK_EXITED(t_wait(root), 0);
	CHECK_EQ(sh[BAD_ERRNO], 0);
	return spawned;
}

/* The machine still answers: a new program (this one, told only to
 * answer) runs to the end. */
#define ANSWER "--answer"

static void check_fork_exec_works(void)
{
	pid_t pid = t_fork();

	if (pid == 0) {
		execl(t_self(), t_self(), ANSWER, (char *)NULL);
		_exit(126);
	}
	CHECK_EXITED(t_wait(pid), 42);
}

static void case_fork_bomb_nproc_eagain(void)
{
	volatile int *sh = t_shared_ints();
	pid_t root = t_fork();

	if (root == 0) {
		become_user(BOMB_NPROC);
		bomb(sh);
	}
	/* The user may have exactly RLIMIT_NPROC tasks: the first plus
	 * BOMB_NPROC - 1 children, on Linux as on Basalt. */
	CHECK_EQ(bomb_settle(sh, root), BOMB_NPROC - 1);
	check_fork_exec_works();
	/* All reaped: the user may fork again. */
	pid_t pid = t_fork();
	if (pid == 0) {
		become_user(2);
		pid_t c = t_fork();
		if (c == 0)
			_exit(0);
		CHECK_EXITED(t_wait(c), 0);
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
}

/* Root is not held to RLIMIT_NPROC (Linux: INIT_USER, CAP_SYS_RESOURCE). */
static void case_nproc_not_for_root(void)
{
	pid_t pid = t_fork();

	if (pid == 0) {
		struct rlimit rl = { 1, 1 };

		CHECK_OK(setrlimit(RLIMIT_NPROC, &rl));
		pid_t c = t_fork();
		if (c == 0)
			_exit(0);
		CHECK_EXITED(t_wait(c), 0);
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
}

static void *thread_park(void *arg)
{
	AWAIT(load(arg));
	return NULL;
}

/* Threads count as tasks of their user, as in Linux. */
static void case_nproc_counts_threads(void)
{
	pid_t pid = t_fork();

	if (pid == 0) {
		static volatile int stop;
		pthread_t th[8];
		int n = 0, err;

		become_user(4);
		while ((err = pthread_create(&th[n], NULL, thread_park,
					     (void *)&stop)) == 0)
			CHECK(++n < 8);
		CHECK_EQ(err, EAGAIN);
		CHECK_EQ(n, 3);
		CHECK_ERR(fork(), EAGAIN);
		t_post(&stop, 1);
		for (int i = 0; i < n; i++)
			CHECK_EQ(pthread_join(th[i], NULL), 0);
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
}

static long sysctl_get(const char *path)
{
	char buf[32] = { 0 };
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	CHECK(fd >= 0);
	CHECK(read(fd, buf, sizeof(buf) - 1) > 0);
	close(fd);
	return atol(buf);
}

static int sysctl_set(const char *path, long v)
{
	char buf[32];
	int fd = open(path, O_WRONLY | O_CLOEXEC), n, err = 0;

	if (fd < 0)
		return -errno;
	n = snprintf(buf, sizeof(buf), "%ld\n", v);
	if (write(fd, buf, n) != n)
		err = -errno;
	close(fd);
	return err;
}

#define THREADS_MAX "/proc/sys/kernel/threads-max"

static void case_threads_max_knob(void)
{
	long max = sysctl_get(THREADS_MAX);
	struct sysinfo si;

	/*
	 * Linux's default: kernel stacks of that many tasks (16 KiB each)
	 * take 1/8 of RAM. Linux counts the RAM it knows early at boot,
	 * before the initramfs's memory is freed (a big archive makes that
	 * 20% less); Basalt counts all of it.
	 */
	CHECK_OK(sysinfo(&si));
	long pages = (long)(si.totalram * si.mem_unit / 4096);
	CHECK(max <= pages / 32 && max >= pages / 64);
	if (is_basalt())
		CHECK_EQ(max, pages / 32);
	/* 1 ..  2^30 - 1 (FUTEX_TID_MASK); a refused value changes nothing. */
	CHECK_EQ(sysctl_set(THREADS_MAX, 0), -EINVAL);
	CHECK_EQ(sysctl_set(THREADS_MAX, 0x40000000L), -EINVAL);
	CHECK_EQ(sysctl_get(THREADS_MAX), max);
	pid_t pid = t_fork();
	if (pid == 0) {
		become_user(BOMB_NPROC);
		CHECK_EQ(sysctl_get(THREADS_MAX), max);
		CHECK_ERR(open(THREADS_MAX, O_WRONLY), EACCES);
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
}

/*
 * The machine-wide limit, for root too: lowered to a few tasks above
 * what runs now, forks fail with EAGAIN once it is reached, and work
 * again once it is restored. (Linux's kernel threads come and go, so
 * the number of forks is exact only on Basalt.)
 */
static void case_fork_bomb_threads_max_eagain(void)
{
	volatile int *sh = t_shared_ints();
	long max = sysctl_get(THREADS_MAX), limit;
	struct sysinfo si;
	pid_t kids[64];
	int n = 0, err = 0;

	CHECK_OK(sysinfo(&si));
	limit = si.procs + 8 < 20 ? 20 : si.procs + 8;
	CHECK_EQ(sysctl_set(THREADS_MAX, limit), 0);
	while (n < 64) {
		pid_t pid = fork();

		if (pid == 0) {
			AWAIT(load(&sh[STOP]));
			_exit(0);
		}
		if (pid < 0) {
			err = errno;
			break;
		}
		kids[n++] = pid;
	}
	CHECK_EQ(sysctl_set(THREADS_MAX, max), 0);
	t_post(&sh[STOP], 1);
	for (int i = 0; i < n; i++)
		CHECK_EXITED(t_wait(kids[i]), 0);
	CHECK_EQ(err, EAGAIN);
	CHECK(n > 0);
	if (is_basalt())	/* tasks now: what sysinfo saw, plus n */
		CHECK_EQ(si.procs + n, limit);
	check_fork_exec_works();
}

#define SMALL_DIR "/tmp/exhaustion-small"

/* A tmpfs mounted with size=64k takes 16 pages of data, then ENOSPC. */
static void case_tmpfs_full_enospc(void)
{
	static char page[4096];
	struct statfs st;
	long written = 0;
	ssize_t n;
	int fd;

	memset(page, 'x', sizeof(page));
	CHECK_OK(mkdir(SMALL_DIR, 0755));
	CHECK_OK(mount("tmpfs", SMALL_DIR, "tmpfs", 0, "size=64k"));
	CHECK_OK(statfs(SMALL_DIR, &st));
	CHECK_EQ(st.f_blocks, 16);
	fd = CHECK_OK(open(SMALL_DIR "/fill", O_CREAT | O_WRONLY, 0644));
	while ((n = write(fd, page, sizeof(page))) == (ssize_t)sizeof(page))
		CHECK((written += n) <= 65536);
	CHECK_EQ(n, -1);
	CHECK_EQ(errno, ENOSPC);
	CHECK_EQ(written, 65536);
	CHECK_OK(statfs(SMALL_DIR, &st));
	CHECK_EQ(st.f_bfree, 0);
	/* Removing the file gives the space back. */
	close(fd);
	CHECK_OK(unlink(SMALL_DIR "/fill"));
	fd = CHECK_OK(open(SMALL_DIR "/again", O_CREAT | O_WRONLY, 0644));
	CHECK_EQ(write(fd, page, sizeof(page)), (ssize_t)sizeof(page));
	close(fd);
	CHECK_OK(umount(SMALL_DIR));
	CHECK_OK(rmdir(SMALL_DIR));
}

#define DEFAULT_DIR "/tmp/exhaustion-default"

/*
 * A tmpfs mounted without size= holds half of RAM. So does the root file
 * system (the initramfs's tmpfs), counting the RAM known when it was
 * mounted: the initramfs's own memory was not free yet (on either
 * kernel), so a little less.
 */
static void case_tmpfs_default_half_of_ram(void)
{
	struct sysinfo si;
	struct statfs st, root;

	CHECK_OK(sysinfo(&si));
	CHECK_OK(mkdir(DEFAULT_DIR, 0755));
	CHECK_OK(mount("tmpfs", DEFAULT_DIR, "tmpfs", 0, NULL));
	CHECK_OK(statfs(DEFAULT_DIR, &st));
	CHECK_OK(umount(DEFAULT_DIR));
	CHECK_OK(rmdir(DEFAULT_DIR));
	CHECK_EQ(st.f_bsize, 4096);
	CHECK_EQ(st.f_blocks, si.totalram * si.mem_unit / 4096 / 2);
	CHECK_OK(statfs("/", &root));
	CHECK_EQ(root.f_type, 0x01021994);	/* TMPFS_MAGIC */
	CHECK(root.f_blocks <= st.f_blocks && root.f_blocks > st.f_blocks / 2);
}

#define PIPE_WRITE (256 * 1024)

/* Nobody reads: the writer sleeps with the pipe full (64 KiB), then
 * finishes once the reader drains it. */
static void case_pipe_writer_blocks(void)
{
	static char buf[PIPE_WRITE];
	long total = 0;
	int fds[2], queued = 0;
	ssize_t n;
	pid_t pid;

	CHECK_OK(pipe(fds));
	pid = t_fork();
	if (pid == 0) {
		close(fds[0]);
		memset(buf, 'p', sizeof(buf));
		_exit(write(fds[1], buf, sizeof(buf)) == PIPE_WRITE ? 0 : 1);
	}
	close(fds[1]);
	AWAIT(ioctl(fds[0], FIONREAD, &queued) == 0 && queued == 65536 &&
	      t_proc_state(pid) == 'S');
	while ((n = read(fds[0], buf, sizeof(buf))) > 0)
		total += n;
	CHECK_EQ(n, 0);
	CHECK_EQ(total, PIPE_WRITE);
	CHECK_EXITED(t_wait(pid), 0);
	close(fds[0]);
}

struct small_msg {
	long mtype;
	char text[1024];
};

/* The queue holds msg_qbytes (16384 by default): the sender of a 17th
 * 1 KiB message sleeps until the receiver takes some. */
static void case_msg_writer_blocks(void)
{
	int id = CHECK_OK(msgget(IPC_PRIVATE, IPC_CREAT | 0600));
	struct msqid_ds ds;
	struct small_msg m;
	pid_t pid = t_fork();

	if (pid == 0) {
		m.mtype = 1;
		memset(m.text, 'm', sizeof(m.text));
		for (int i = 0; i < 32; i++)
			CHECK_OK(msgsnd(id, &m, sizeof(m.text), 0));
		_exit(0);
	}
	AWAIT(msgctl(id, IPC_STAT, &ds) == 0 && ds.msg_qnum == 16 &&
	      t_proc_state(pid) == 'S');
	CHECK_EQ(ds.msg_cbytes, 16384);
	for (int i = 0; i < 32; i++)
		CHECK_EQ(msgrcv(id, &m, sizeof(m.text), 0, 0),
			 (ssize_t)sizeof(m.text));
	CHECK_EXITED(t_wait(pid), 0);
	CHECK_OK(msgctl(id, IPC_RMID, NULL));
}

static const struct t_case cases[] = {
	{ case_fork_bomb_nproc_eagain, "fork-bomb-nproc-eagain" },
	{ case_nproc_not_for_root, "nproc-not-for-root" },
	{ case_nproc_counts_threads, "nproc-counts-threads" },
	{ case_threads_max_knob, "threads-max-knob" },
	{ case_fork_bomb_threads_max_eagain, "fork-bomb-threads-max-eagain" },
	{ case_tmpfs_full_enospc, "tmpfs-full-enospc" },
	{ case_tmpfs_default_half_of_ram, "tmpfs-default-half-of-ram" },
	{ case_pipe_writer_blocks, "pipe-writer-blocks" },
	{ case_msg_writer_blocks, "msg-writer-blocks" },
};

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], ANSWER))
		return 42;
	return T_RUN(argc, argv, cases);
}
