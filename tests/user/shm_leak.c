/*
 * shm_leak.c - a segment's pages go back to the page allocator exactly
 * when it has been removed (IPC_RMID) and its last attachment is gone,
 * whichever way it goes: shmdt, exit, execve, munmap of every piece, or
 * SIGKILL. And a large segment costs only the pages that are touched.
 *
 * MISSION.md §1 "Memory is really freed": the reference bug is ByteOS's,
 * whose removed segments were never freed (a reference count compared
 * against the wrong value); shm-rmid-then-last-detach-frees-pages is its
 * regression test.
 *
 * Each lifetime case repeats its work under t_check_no_leak (warm-up,
 * then MemFree around the whole work), and checks after every round that
 * the id is gone (IPC_STAT: EINVAL) on both kernels.
 *
 * BASALT-ONLY ASSERTIONS: MemFree must come back exactly, and the 256 MiB
 * segment must cost little, on Basalt; Linux's caches and per-CPU page
 * lists move MemFree on their own, so there the numbers are only printed
 * (see leak.c). SHM_INFO's shm_rss is exact on both kernels.
 */
#define _GNU_SOURCE
#include "t.h"
#include "shmtest.h"

#include <sched.h>
#include <signal.h>

#define MIB (1UL << 20)

/* The id must name nothing: removed and no longer attached anywhere. */
#define CHECK_GONE(id)                                                    \
	do {                                                              \
		struct shmid_ds ds_;                                      \
		CHECK_ERR(shm_ctl((id), IPC_STAT, &ds_), EINVAL);         \
	} while (0)

/* (a) create, attach, touch, IPC_RMID, shmdt. */
static void create_attach_rmid_detach(int rounds)
{
	for (int i = 0; i < rounds; i++) {
		int id = shm_new(16 * T_PAGE, 0);
		char *p = shm_attach(id, NULL, 0);
		shm_touch(p, 16, 'a');
		shm_rmid(id);
		CHECK_OK(shm_dt(p));
		CHECK_GONE(id);
	}
}

static void case_create_attach_rmid_detach(void)
{
	t_check_no_leak("200 x create, attach, touch 16 pages, RMID, detach",
			create_attach_rmid_detach, 200);
}

/*
 * The ByteOS bug: removal while attached must free nothing (the data stays
 * usable), and the last detach must free every page.
 */
static void rmid_then_last_detach(int rounds)
{
	for (int i = 0; i < rounds; i++) {
		int id = shm_new(64 * T_PAGE, 0);
		char *p = shm_attach(id, NULL, 0);
		shm_touch(p, 64, 'b');
		long attached = t_memfree_kb();
		shm_rmid(id);
		long removed = t_memfree_kb();
		CHECK_EQ(p[63 * T_PAGE], 'b');
		CHECK_OK(shm_dt(p));
		long detached = t_memfree_kb();
		CHECK_GONE(id);
		if (!is_basalt())
			continue;
		/* The segment's 256 kB stay until the last detach; the
		 * record itself may go (up to a slab page or two of the
		 * kernel's own: the id table empties when the last id goes). */
		if (removed - attached > 8)
			T_FAIL("IPC_RMID while attached: MemFree %+ld kB",
			       removed - attached);
		if (detached - removed < 64 * 4)
			T_FAIL("the last detach freed %ld kB, want >= 256 kB",
			       detached - removed);
	}
}

static void case_rmid_then_last_detach_frees_pages(void)
{
	/* No segment may outlive a round: the id table is freed with the
	 * last id, while one kept alive would let it grow in the window as
	 * ids cycle through its slots (util.c), a MemFree change that is
	 * no leak. */
	t_check_no_leak("50 x 64 pages, RMID, last detach",
			rmid_then_last_detach, 50);
}

/* (b) IPC_RMID while 4 processes hold it attached; then they exit. */
static void rmid_while_attached_in_several(int rounds)
{
	for (int i = 0; i < rounds; i++) {
		int id = shm_new(16 * T_PAGE, 0);
		volatile int *sync = (volatile int *)shm_attach(id, NULL, 0);
		pid_t pids[4];

		for (int c = 0; c < 4; c++) {
			pids[c] = t_fork();
			if (pids[c] == 0) {
				char *p = shm_attach(id, NULL, 0);
				shm_touch(p + (1 + 3 * c) * T_PAGE, 3, 'c');
				__atomic_add_fetch(&sync[0], 1, __ATOMIC_SEQ_CST);
				t_await(&sync[1], 1);
				CHECK_EQ(p[(1 + 3 * c) * T_PAGE], 'c');
				_exit(0);
			}
		}
		t_await(&sync[0], 4);
		shm_rmid(id);
		t_post(&sync[1], 1);
		CHECK_OK(shm_dt((void *)sync));
		for (int c = 0; c < 4; c++)
			CHECK_EXITED(t_wait(pids[c]), 0);
		CHECK_GONE(id);
	}
}

static void case_rmid_while_attached_in_several(void)
{
	t_check_no_leak("20 x RMID while 4 processes hold it, then they exit",
			rmid_while_attached_in_several, 20);
}

/* (c) A removed segment attached only by a process that calls execve. */
static void attached_then_execve(int rounds)
{
	for (int i = 0; i < rounds; i++) {
		int id = shm_new(8 * T_PAGE, 0);
		pid_t pid = t_fork();
		if (pid == 0) {
			shm_touch(shm_attach(id, NULL, 0), 8, 'x');
			shm_rmid(id);
			shm_exec_self("--shm-exit", -1);
		}
		CHECK_EXITED(t_wait(pid), 0);
		CHECK_GONE(id);
	}
}

static void case_attached_then_execve(void)
{
	t_check_no_leak("20 x attach, touch, RMID, execve",
			attached_then_execve, 20);
}

/* (d) Removed, then unmapped piece by piece: gone with the last piece. */
static void partial_munmap_pieces(int rounds)
{
	for (int i = 0; i < rounds; i++) {
		int id = shm_new(8 * T_PAGE, 0);
		char *p = shm_attach(id, NULL, 0);
		struct shmid_ds ds;
		shm_touch(p, 8, 'd');
		shm_rmid(id);
		CHECK_OK(munmap(p + 2 * T_PAGE, 2 * T_PAGE));
		CHECK_OK(munmap(p + 6 * T_PAGE, 2 * T_PAGE));
		CHECK_OK(munmap(p, 2 * T_PAGE));
		if (!is_basalt())	/* Linux: the id lives while attached */
			CHECK_OK(shm_ctl(id, IPC_STAT, &ds));
		CHECK_EQ(p[5 * T_PAGE], 'd');
		CHECK_OK(munmap(p + 4 * T_PAGE, 2 * T_PAGE));
		CHECK_GONE(id);
	}
}

static void case_partial_munmap_pieces(void)
{
	t_check_no_leak("100 x RMID, munmap in 4 pieces", partial_munmap_pieces,
			100);
}

/*
 * (e) 16 processes at once, each making, attaching, touching, detaching
 * and removing its own segments, cycles times (63: 1008 cycles in all);
 * half the cycles remove before they detach.
 */
static void cycles_by_16(int cycles)
{
	pid_t pids[16];

	for (int c = 0; c < 16; c++) {
		pids[c] = t_fork();
		if (pids[c] != 0)
			continue;
		for (int i = 0; i < cycles; i++) {
			int id = shm_new(2 * T_PAGE, 0);
			char *p = shm_attach(id, NULL, 0);
			shm_touch(p, 2, (char)i);
			if (i % 2)
				shm_rmid(id);
			CHECK_OK(shm_dt(p));
			if (i % 2 == 0)
				shm_rmid(id);
			CHECK_GONE(id);
		}
		_exit(0);
	}
	for (int c = 0; c < 16; c++)
		CHECK_EXITED(t_wait(pids[c]), 0);
}

static void case_cycles_by_16_processes(void)
{
	t_check_no_leak("16 processes x 63 create, attach, detach, remove",
			cycles_by_16, 63);
}

/* (f) A process holding two removed segments is killed with SIGKILL. */
static void killed_holding(int rounds)
{
	for (int i = 0; i < rounds; i++) {
		int a = shm_new(4 * T_PAGE, 0), b = shm_new(4 * T_PAGE, 0);
		volatile int *sync = (volatile int *)shm_attach(a, NULL, 0);
		pid_t pid = t_fork();
		if (pid == 0) {
			shm_touch((char *)sync + T_PAGE, 3, 'k');
			shm_touch(shm_attach(b, NULL, 0), 4, 'k');
			t_post(sync, 1);
			for (;;)
				sched_yield();
		}
		t_await(sync, 1);
		CHECK_OK(shm_dt((void *)sync));
		shm_rmid(a);
		shm_rmid(b);
		CHECK_OK(kill(pid, SIGKILL));
		CHECK_SIGNALED(t_wait(pid), SIGKILL);
		CHECK_GONE(a);
		CHECK_GONE(b);
	}
}

static void case_killed_holding_attachments(void)
{
	t_check_no_leak("10 x SIGKILL a process holding 2 removed segments",
			killed_holding, 10);
}

/* 256 MiB, 8 pages touched: those pages are all it costs. */
static void case_sparse_256mib(void)
{
	struct shm_info before, after;
	long free0 = t_memfree_kb();
	int id = shm_new(256 * MIB, 0);
	char *p = shm_attach(id, NULL, 0);

	CHECK_OK(shm_ctl(0, SHM_INFO, &before));
	for (int i = 0; i < 8; i++)
		p[i * 32 * MIB + (size_t)i * T_PAGE] = (char)i;
	CHECK_OK(shm_ctl(0, SHM_INFO, &after));
	long free1 = t_memfree_kb();
	CHECK_EQ(after.shm_rss - before.shm_rss, 8);
	/* Basalt: 8 pages, their page tables and bookkeeping, within 1 MiB. */
	if (is_basalt() && free0 - free1 > 8 * 4 + 1024)
		T_FAIL("256 MiB segment, 8 pages touched: MemFree %+ld kB",
		       free1 - free0);
	if (!is_basalt())
		t_note("256 MiB segment, 8 pages touched: MemFree %+ld kB "
		       "(Linux: reported, not asserted)", free1 - free0);
	for (int i = 0; i < 8; i++)
		CHECK_EQ(p[i * 32 * MIB + (size_t)i * T_PAGE], i);
	shm_rmid(id);
	CHECK_OK(shm_dt(p));
	CHECK_GONE(id);
}

static const struct t_case cases[] = {
	{ case_create_attach_rmid_detach, "lifetime-create-attach-rmid-detach" },
	{ case_rmid_then_last_detach_frees_pages,
	  "shm-rmid-then-last-detach-frees-pages" },
	{ case_rmid_while_attached_in_several,
	  "lifetime-rmid-while-attached-in-several" },
	{ case_attached_then_execve, "lifetime-attached-then-execve" },
	{ case_partial_munmap_pieces, "lifetime-partial-munmap-pieces" },
	{ case_cycles_by_16_processes, "lifetime-cycles-by-16-processes" },
	{ case_killed_holding_attachments, "lifetime-killed-holding-attachments" },
	{ case_sparse_256mib, "sparse-256mib" },
};

int main(int argc, char **argv)
{
	return SHM_RUN(argc, argv, cases);
}
