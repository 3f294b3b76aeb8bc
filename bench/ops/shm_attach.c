/*
 * shmat + shmdt of an existing 16-page segment whose pages exist (written
 * once before the clock starts): the cost of an attachment alone, the
 * area and the statistics, with no page allocated or freed.
 */
#include "bench.h"

#include <stddef.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>

#define LEN	(16 * 4096)

static int shm_id = -1;

static void setup(void)
{
	char *p;

	shm_id = shmget(IPC_PRIVATE, LEN, IPC_CREAT | 0600);
	if (shm_id < 0)
		bench_fail("shmget");
	p = shmat(shm_id, NULL, 0);
	if (p == (void *)-1)
		bench_fail("shmat");
	memset(p, 1, LEN);
	if (shmdt(p) < 0)
		bench_fail("shmdt");
}

static int64_t run(long n)
{
	int64_t t0 = bench_now_ns();

	for (long i = 0; i < n; i++) {
		void *p = shmat(shm_id, NULL, 0);

		if (p == (void *)-1)
			bench_fail("shmat");
		if (shmdt(p) < 0)
			bench_fail("shmdt");
	}
	return bench_now_ns() - t0;
}

static void teardown(void)
{
	if (shmctl(shm_id, IPC_RMID, NULL) < 0)
		bench_fail("shmctl IPC_RMID");
}

int main(void)
{
	static const struct bench b = {
		.name = "shm_attach", .unit = "ns/op", .run = run,
		.setup = setup, .teardown = teardown,
	};

	return bench_main(&b);
}
