/*
 * smp_ipc.c - pipes and futexes between CPUs: the two ends of each
 * exchange are pinned to different CPUs (t_pin), so every wake-up
 * crosses from one CPU to the other and every byte is written on one
 * and read on the other. Fixed amounts of work, checked exactly:
 *
 *   pipe-pingpong       two processes, 500 round trips of a sequence
 *                       number through two pipes, each side checking
 *                       the number it gets
 *   pipe-stream         2 MiB through one pipe in chunks of changing
 *                       sizes, every byte checked by the reader
 *   futex-pingpong      two threads take turns 1000 times on one word
 *                       (FUTEX_WAIT/FUTEX_WAKE, private)
 *   futex-processes     the same between two processes on a shared
 *                       page (shared futexes, keyed by the page)
 *   futex-mutex-counter 4 threads, spread over the CPUs, add 1 20000
 *                       times each under a futex mutex: exactly 80000
 *
 * The process cases run under t_check_no_leak: on Basalt MemFree comes
 * back exactly. With fewer than two CPUs the pinned cases still run,
 * both ends on the one CPU (t_cpu_nth wraps round), and fail on a wrong
 * count, but then skip instead of passing: nothing crossed CPUs.
 * futex-mutex-counter passes on any number.
 */
#define _GNU_SOURCE
#include "t.h"
#include "threadtest.h"

#include <linux/futex.h>
#include <stdint.h>

#define PINGPONGS	500
#define STREAM_BYTES	(2L << 20)
#define TURNS		1000
#define MUTEX_THREADS	4
#define MUTEX_ADDS	20000

static long futex(volatile int *uaddr, int op, int val)
{
	return syscall(SYS_futex, uaddr, op, val, NULL, NULL, 0);
}

/* The byte at offset off of the stream: not periodic in any chunk size. */
static unsigned char stream_byte(long off)
{
	return (unsigned char)(off * 7 + (off >> 9) * 13 + (off >> 17));
}

static void read_full(int fd, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, (char *)buf + got, len - got);

		if (n <= 0)
			T_FAIL("read: %zd (errno %s), %zu of %zu bytes", n,
			       t_errname(errno), got, len);
		got += n;
	}
}

static void write_full(int fd, const void *buf, size_t len)
{
	CHECK_EQ(write(fd, buf, len), (long)len);
}

/* The child's side of the ping-pong: add one to each number it gets. */
static void pingpong_child(int in, int out, int rounds)
{
	for (uint32_t i = 0; i < (uint32_t)rounds; i++) {
		uint32_t v;

		read_full(in, &v, sizeof(v));
		if (v != 2 * i)
			T_FAIL("child: got %u, want %u", v, 2 * i);
		v++;
		write_full(out, &v, sizeof(v));
	}
	_exit(0);
}

static void pipe_pingpong(int rounds)
{
	int down[2], up[2];
	pid_t pid;

	CHECK_OK(pipe(down));
	CHECK_OK(pipe(up));
	pid = t_fork();
	if (pid == 0) {
		t_pin(t_cpu_nth(1));
		close(down[1]);
		close(up[0]);
		pingpong_child(down[0], up[1], rounds);
	}
	close(down[0]);
	close(up[1]);
	for (uint32_t i = 0; i < (uint32_t)rounds; i++) {
		uint32_t v = 2 * i;

		write_full(down[1], &v, sizeof(v));
		read_full(up[0], &v, sizeof(v));
		CHECK_EQ(v, 2 * i + 1);
	}
	close(down[1]);
	close(up[0]);
	CHECK_EXITED(t_wait(pid), 0);
}

static void case_pipe_pingpong(void)
{
	t_pin(t_cpu_nth(0));
	t_check_no_leak("pipe ping-pong", pipe_pingpong, PINGPONGS);
	t_need_cpus(2);	/* ran, but on one CPU */
}

/* Chunk k of the stream: sizes from 1 byte to a few pages, fixed. */
static size_t chunk_size(long k)
{
	static const size_t sizes[] = { 1, 4096, 17, 65536, 511, 8192, 3,
					12289, 100000 };

	return sizes[k % (sizeof(sizes) / sizeof(sizes[0]))];
}

static void stream_reader(int fd, long bytes)
{
	static unsigned char buf[65536];
	long off = 0;
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++, off++)
			if (buf[i] != stream_byte(off))
				T_FAIL("byte %ld is %#x, want %#x", off,
				       buf[i], stream_byte(off));
	}
	CHECK_EQ(n, 0);
	CHECK_EQ(off, bytes);
	_exit(0);
}

static void pipe_stream(int rounds)
{
	static unsigned char buf[100000];
	long bytes = STREAM_BYTES / 10 * rounds, off = 0;
	int fds[2];
	pid_t pid;

	CHECK_OK(pipe(fds));
	pid = t_fork();
	if (pid == 0) {
		t_pin(t_cpu_nth(1));
		close(fds[1]);
		stream_reader(fds[0], bytes);
	}
	close(fds[0]);
	for (long k = 0; off < bytes; k++) {
		size_t len = chunk_size(k);

		if ((long)len > bytes - off)
			len = bytes - off;
		for (size_t i = 0; i < len; i++)
			buf[i] = stream_byte(off + i);
		write_full(fds[1], buf, len);
		off += len;
	}
	close(fds[1]);
	CHECK_EXITED(t_wait(pid), 0);
}

static void case_pipe_stream(void)
{
	t_pin(t_cpu_nth(0));
	t_check_no_leak("pipe stream", pipe_stream, 10);
	t_need_cpus(2);	/* ran, but on one CPU */
}

/*
 * Turn-taking on *turn: player me waits while it is the other's turn,
 * then counts, hands the turn over and wakes the other. The shared
 * flag says whether the futex calls are the private ones.
 */
struct turns {
	volatile int turn;
	volatile int done[2];
	int private_ops;
};

static void play(struct turns *t, int me, int rounds)
{
	int wait_op = t->private_ops ? FUTEX_WAIT_PRIVATE : FUTEX_WAIT;
	int wake_op = t->private_ops ? FUTEX_WAKE_PRIVATE : FUTEX_WAKE;

	for (int i = 0; i < rounds; i++) {
		int v;

		while ((v = th_load(&t->turn)) != me) {
			long r = futex(&t->turn, wait_op, v);

			CHECK(r == 0 || errno == EAGAIN || errno == EINTR);
		}
		th_add(&t->done[me], 1);
		__atomic_store_n(&t->turn, 1 - me, __ATOMIC_SEQ_CST);
		CHECK_OK(futex(&t->turn, wake_op, 1));
	}
}

static struct turns thread_turns;

static void *player_one(void *arg)
{
	(void)arg;
	t_pin(t_cpu_nth(1));
	play(&thread_turns, 1, TURNS);
	return NULL;
}

static void case_futex_pingpong(void)
{
	pthread_t other;

	t_pin(t_cpu_nth(0));
	thread_turns.private_ops = 1;
	other = th_start(player_one, NULL);
	play(&thread_turns, 0, TURNS);
	th_join(other);
	CHECK_EQ(thread_turns.done[0], TURNS);
	CHECK_EQ(thread_turns.done[1], TURNS);
	CHECK_EQ(thread_turns.turn, 0);
	t_need_cpus(2);	/* ran, but on one CPU */
}

static void futex_processes(int rounds)
{
	struct turns *t = th_shared(sizeof(*t));
	pid_t pid;

	pid = t_fork();
	if (pid == 0) {
		t_pin(t_cpu_nth(1));
		play(t, 1, rounds);
		_exit(0);
	}
	play(t, 0, rounds);
	CHECK_EXITED(t_wait(pid), 0);
	CHECK_EQ(t->done[0], rounds);
	CHECK_EQ(t->done[1], rounds);
	CHECK_EQ(t->turn, 0);
	CHECK_OK(munmap(t, sizeof(*t)));
}

static void case_futex_processes(void)
{
	t_pin(t_cpu_nth(0));
	t_check_no_leak("futex ping-pong between processes",
			futex_processes, TURNS);
	t_need_cpus(2);	/* ran, but on one CPU */
}

/* A futex mutex (0 free, 1 held, 2 held with waiters), Drepper's. */
static volatile int mutex_word;
static long mutex_counter;

static void mutex_lock(void)
{
	int c = 0;

	if (__atomic_compare_exchange_n(&mutex_word, &c, 1, 0,
					__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return;
	if (c != 2)
		c = __atomic_exchange_n(&mutex_word, 2, __ATOMIC_ACQUIRE);
	while (c != 0) {
		futex(&mutex_word, FUTEX_WAIT_PRIVATE, 2);
		c = __atomic_exchange_n(&mutex_word, 2, __ATOMIC_ACQUIRE);
	}
}

static void mutex_unlock(void)
{
	if (__atomic_fetch_sub(&mutex_word, 1, __ATOMIC_RELEASE) != 1) {
		__atomic_store_n(&mutex_word, 0, __ATOMIC_RELEASE);
		futex(&mutex_word, FUTEX_WAKE_PRIVATE, 1);
	}
}

static void *mutex_adder(void *arg)
{
	t_pin(t_cpu_nth((int)(intptr_t)arg));
	for (int i = 0; i < MUTEX_ADDS; i++) {
		mutex_lock();
		long v = mutex_counter;	/* a plain read-modify-write */
		if (i % 1024 == 0)
			sched_yield();
		mutex_counter = v + 1;
		mutex_unlock();
	}
	return NULL;
}

static void case_futex_mutex_counter(void)
{
	pthread_t t[MUTEX_THREADS];

	for (intptr_t i = 0; i < MUTEX_THREADS; i++)
		t[i] = th_start(mutex_adder, (void *)i);
	for (int i = 0; i < MUTEX_THREADS; i++)
		th_join(t[i]);
	CHECK_EQ(mutex_counter, MUTEX_THREADS * MUTEX_ADDS);
	CHECK_EQ(mutex_word, 0);
}

static const struct t_case cases[] = {
	{ case_pipe_pingpong, "pipe-pingpong" },
	{ case_pipe_stream, "pipe-stream" },
	{ case_futex_pingpong, "futex-pingpong" },
	{ case_futex_processes, "futex-processes" },
	{ case_futex_mutex_counter, "futex-mutex-counter" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
