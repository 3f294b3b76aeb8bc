/*
 * An uncontended pthread mutex: lock + unlock with no other thread
 * wanting it. glibc takes and releases it with atomic instructions alone;
 * the kernel is not entered. Measured with a second thread alive (but
 * asleep), so the library cannot take a single-threaded shortcut.
 */
#include "bench.h"

#include <pthread.h>
#include <unistd.h>

static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_t sleeper;
static int pipe_fd[2];

static void *sleep_on_pipe(void *arg)
{
	char c;

	(void)arg;
	(void)read(pipe_fd[0], &c, 1);
	return NULL;
}

static void setup(void)
{
	if (pipe(pipe_fd) < 0)
		bench_fail("pipe");
	if (pthread_create(&sleeper, NULL, sleep_on_pipe, NULL) != 0)
		bench_fail("pthread_create");
}

static int64_t run(long n)
{
	int64_t t0 = bench_now_ns();

	for (long i = 0; i < n; i++) {
		pthread_mutex_lock(&mutex);
		pthread_mutex_unlock(&mutex);
	}
	return bench_now_ns() - t0;
}

static void teardown(void)
{
	if (write(pipe_fd[1], "x", 1) != 1)
		bench_fail("write");
	pthread_join(sleeper, NULL);
}

int main(void)
{
	static const struct bench b = {
		.name = "mutex_uncontended", .unit = "ns/op", .run = run,
		.setup = setup, .teardown = teardown,
	};

	return bench_main(&b);
}
