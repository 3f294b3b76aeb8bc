/*
 * A System V shared-memory segment's whole life: shmget of 16 pages,
 * shmat, a write to each page, shmdt, IPC_RMID. The pages are allocated
 * by the writes and given back at the last of detach and removal.
 */
#include "bench.h"

#include <stddef.h>
#include <sys/ipc.h>
#include <sys/shm.h>

#define PAGES	16
#define PAGE	4096

static int64_t run(long n)
{
	int64_t t0 = bench_now_ns();

	for (long i = 0; i < n; i++) {
		int id = shmget(IPC_PRIVATE, PAGES * PAGE, IPC_CREAT | 0600);
		volatile char *p;

		if (id < 0)
			bench_fail("shmget");
		p = shmat(id, NULL, 0);
		if (p == (void *)-1)
			bench_fail("shmat");
		for (long off = 0; off < PAGES * PAGE; off += PAGE)
			p[off] = 1;
		if (shmdt((void *)p) < 0)
			bench_fail("shmdt");
		if (shmctl(id, IPC_RMID, NULL) < 0)
			bench_fail("shmctl IPC_RMID");
	}
	return bench_now_ns() - t0;
}

int main(void)
{
	static const struct bench b = {
		.name = "shm_cycle", .unit = "ns/op", .run = run,
	};

	return bench_main(&b);
}
