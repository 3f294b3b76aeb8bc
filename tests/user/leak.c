/*
 * leak.c - repeated work gives back every page it took.
 *
 * Each case first does a tenth of its work to warm up (so that caches which
 * grow once and are then reused - slabs, page tables, the pid table - reach
 * their steady size; the work never holds more than one round's worth at a
 * time), then reads MemFree from /proc/meminfo, does the whole work, and
 * reads MemFree once more, all in one process that allocates nothing in
 * between.
 *
 * BASALT-ONLY ASSERTION: on Basalt the two readings must be exactly equal
 * (MISSION.md: "memory is never leaked"; DESIGN.md exports the free-page
 * count for this). On Linux the page cache, per-CPU page lists and
 * background work move MemFree at will, so there the difference is only
 * printed. This is the one place the suite asserts something on Basalt
 * that it does not assert on Linux.
 */
#define _GNU_SOURCE
#include "t.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

extern char **environ;

#define MIB (1UL << 20)


static void touch(char *p, size_t len)
{
	for (size_t off = 0; off < len; off += T_PAGE)
		((volatile char *)p)[off] = 1;
}

static void fork_exit_wait(int rounds)
{
	for (int i = 0; i < rounds; i++) {
		pid_t pid = t_fork();
		if (pid == 0)
			_exit(0);
		CHECK_EXITED(t_wait(pid), 0);
	}
}

static void case_fork(void)
{
	t_check_no_leak("1000 x fork+exit+wait", fork_exit_wait, 1000);
}

static void mmap_touch_munmap(int rounds)
{
	for (int i = 0; i < rounds; i++) {
		char *p = t_map(MIB, PROT_READ | PROT_WRITE);
		touch(p, MIB);
		CHECK_OK(munmap(p, MIB));
	}
}

static void case_mmap(void)
{
	t_check_no_leak("1000 x mmap 1 MiB+touch+munmap", mmap_touch_munmap, 1000);
}

static void partial_munmap(int rounds)
{
	/* Unmapping in pieces must free the pages of every piece. */
	for (int i = 0; i < rounds; i++) {
		char *p = t_map(MIB, PROT_READ | PROT_WRITE);
		touch(p, MIB);
		CHECK_OK(munmap(p + MIB / 4, MIB / 4));
		CHECK_OK(munmap(p, MIB / 4));
		CHECK_OK(munmap(p + MIB / 2, MIB / 2));
	}
}

static void case_partial_munmap(void)
{
	t_check_no_leak("100 x munmap of 1 MiB in three pieces", partial_munmap, 100);
}

static void shared_anon(int rounds)
{
	for (int i = 0; i < rounds; i++) {
		char *p = mmap(NULL, 256 * 1024, PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		CHECK(p != MAP_FAILED);
		touch(p, 256 * 1024);
		CHECK_OK(munmap(p, 256 * 1024));
	}
}

static void case_shared_anon(void)
{
	t_check_no_leak("100 x MAP_SHARED 256 KiB+touch+munmap", shared_anon, 100);
}

static void cow_fork(int rounds)
{
	/* The child's copies of 1 MiB of touched pages must all go back. */
	char *p = t_map(MIB, PROT_READ | PROT_WRITE);

	touch(p, MIB);
	for (int i = 0; i < rounds; i++) {
		pid_t pid = t_fork();
		if (pid == 0) {
			touch(p, MIB);
			_exit(0);
		}
		CHECK_EXITED(t_wait(pid), 0);
	}
	CHECK_OK(munmap(p, MIB));
}

static void case_cow(void)
{
	t_check_no_leak("50 x fork+write 1 MiB+exit", cow_fork, 50);
}

static void brk_grow_shrink(int rounds)
{
	unsigned long base = t_raw(SYS_brk, 0);

	for (int i = 0; i < rounds; i++) {
		unsigned long top = base + MIB;
		CHECK_EQ(t_raw(SYS_brk, top), top);
		touch((char *)((base + T_PAGE - 1) & ~(T_PAGE - 1)),
		      top - ((base + T_PAGE - 1) & ~(T_PAGE - 1)));
		CHECK_EQ(t_raw(SYS_brk, base), base);
	}
}

static void case_brk(void)
{
	t_check_no_leak("100 x brk +1 MiB+touch+shrink", brk_grow_shrink, 100);
}

static void exec_cycles(int rounds)
{
	for (int i = 0; i < rounds; i++) {
		pid_t pid = t_fork();
		if (pid == 0) {
			char *argv[] = { (char *)t_self(), "--exit", NULL };
			execve(t_self(), argv, environ);
			T_FAIL("execve(%s): errno %s", t_self(), t_errname(errno));
		}
		CHECK_EXITED(t_wait(pid), 0);
	}
}

static void case_exec(void)
{
	t_check_no_leak("20 x fork+execve+exit", exec_cycles, 20);
}

static void tmp_files(int rounds)
{
	static char block[T_PAGE];
	char path[64];

	snprintf(path, sizeof(path), "/tmp/leak-%d", (int)getpid());
	memset(block, 'x', sizeof(block));
	for (int i = 0; i < rounds; i++) {
		int fd = CHECK_OK(open(path, O_RDWR | O_CREAT | O_TRUNC, 0644));
		for (int j = 0; j < 16; j++)	/* 64 KiB */
			CHECK_EQ(write(fd, block, sizeof(block)), (long)sizeof(block));
		CHECK_OK(close(fd));
		CHECK_OK(unlink(path));
	}
}

static void case_tmp_files(void)
{
	t_check_no_leak("50 x create+write 64 KiB+unlink in /tmp", tmp_files, 50);
}

static const struct t_case cases[] = {
	{ case_fork, "fork" },
	{ case_mmap, "mmap" },
	{ case_partial_munmap, "partial_munmap" },
	{ case_shared_anon, "shared_anon" },
	{ case_cow, "cow" },
	{ case_brk, "brk" },
	{ case_exec, "exec" },
	{ case_tmp_files, "tmp_files" },
};

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--exit") == 0)
		return 0;
	return T_RUN(argc, argv, cases);
}
