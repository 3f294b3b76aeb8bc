/*
 * fuzz_regressions.c - the bugs the syscall fuzzer (tests/fuzz/) found,
 * each as the smallest program that showed it, named after the bug. Each
 * case says which seed found it; docs/security.md lists them (the first
 * find, clone-parent-exit-signal-is-callers, is in clone_regressions.c).
 */
#define _GNU_SOURCE
#include "t.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void make_dir(const char *path)
{
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		T_FAIL("mkdir %s: errno %s", path, t_errname(errno));
}

/* True if path is a mount point listed in /proc/self/mounts. */
static int listed_in_mounts(const char *path)
{
	static char buf[16384];
	size_t len = 0;
	ssize_t n;
	char want[256];
	int fd = CHECK_OK(open("/proc/self/mounts", O_RDONLY));

	while (len < sizeof(buf) - 1 &&
	       (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	buf[len] = '\0';
	snprintf(want, sizeof(want), " %s ", path);
	return strstr(buf, want) != NULL;
}

#define MNT_R "/tmp/fuzzreg"

/*
 * Seed 31 (the machine hung in the fuzzer's final umount2(MNT_DETACH)): a
 * mount moved with MS_MOVE goes back to the head of the mount list, ahead
 * of the mounts inside it. Unmounting the tree above it then detached and
 * freed the inner mount while the walk of the list held it as the next
 * entry, and the walk went on from there: round and round a detached
 * entry, or through freed memory.
 */
static void umount_moved_tree(int rounds)
{
	for (int i = 0; i < rounds; i++) {
		make_dir(MNT_R);
		CHECK_OK(mount("tmpfs", MNT_R, "tmpfs", 0, NULL));
		make_dir(MNT_R "/a");
		make_dir(MNT_R "/b");
		CHECK_OK(mount("tmpfs", MNT_R "/a", "tmpfs", 0, NULL));
		make_dir(MNT_R "/a/x");
		CHECK_OK(mount("tmpfs", MNT_R "/a/x", "tmpfs", 0, NULL));
		CHECK_OK(mount(MNT_R "/a", MNT_R "/b", NULL, MS_MOVE, NULL));
		CHECK(listed_in_mounts(MNT_R "/b/x"));
		CHECK_OK(umount2(MNT_R, MNT_DETACH));
		CHECK(!listed_in_mounts(MNT_R "/b/x"));
		CHECK(!listed_in_mounts(MNT_R "/b"));
		CHECK(!listed_in_mounts(MNT_R));
		CHECK_OK(rmdir(MNT_R));
	}
}

static void case_umount_detach_moved_submount_hang(void)
{
	umount_moved_tree(1);
	t_check_no_leak("umount -l of a tree with a moved mount",
			umount_moved_tree, 10);
}

/*
 * Seed 34 (a panic, "page_get: frame ... is not allocated", in a fault
 * taken by msgsnd): a read fault maps the object pages already present
 * around it ("fault-around"), and the lookup handed out the tagged slot
 * of a page fallocate had allocated and nothing had written yet - a
 * pointer one byte past a struct page.
 */
static void read_fallocated_mapping(int rounds)
{
	const size_t pages = 32;

	for (int i = 0; i < rounds; i++) {
		int fd = CHECK_OK(syscall(SYS_memfd_create, "fuzzreg", 0));
		volatile char *p;

		CHECK_OK(fallocate(fd, 0, 0, (off_t)(pages * T_PAGE)));
		p = mmap(NULL, pages * T_PAGE, PROT_READ,
			 i % 2 ? MAP_PRIVATE : MAP_SHARED, fd, 0);
		CHECK(p != MAP_FAILED);
		for (size_t pg = 0; pg < pages; pg += 5)
			CHECK_EQ(p[pg * T_PAGE + 7], 0);
		CHECK_OK(munmap((void *)p, pages * T_PAGE));
		close(fd);
	}
}

static void case_fault_around_fallocated_page_panic(void)
{
	read_fallocated_mapping(2);
	t_check_no_leak("reading fallocated pages through a mapping",
			read_fallocated_mapping, 20);
}

/*
 * Seed 401 (16 workers, failnth=3: a panic in kill_pgrp_locked, from the
 * supervisor's kill(0)): fork put the new task on the list of all tasks
 * when it took its pid, and then built it - copying the address space
 * yields when the slice runs out. A kill(0) (or setsid, setpgid, a
 * lookup by pid) in that window met a task without a thread group yet.
 * A task is seen only once it joins the process tree, as on Linux.
 */
#define FORK_MEM	(64UL << 20)	/* a fork long enough to yield in */
#define FORKS		40

static void case_kill_pgrp_during_fork_null_group(void)
{
	volatile int *done = t_shared_ints();
	char *mem;
	pid_t killer, child;
	long kills = 0;

	CHECK_OK(setpgid(0, 0));	/* kill(0) reaches only this case */
	killer = t_fork();
	if (killer == 0) {
		while (!done[0]) {
			if (kill(0, 0) < 0)
				_exit(1);
			kills++;
		}
		_exit(kills > 0 ? 0 : 2);
	}
	mem = mmap(NULL, FORK_MEM, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(mem != MAP_FAILED);
	memset(mem, 1, FORK_MEM);
	for (int i = 0; i < FORKS; i++) {
		child = t_fork();
		if (child == 0)
			_exit(0);
		CHECK_EXITED(t_wait(child), 0);
	}
	t_post(done, 1);
	CHECK_EXITED(t_wait(killer), 0);
	CHECK_OK(munmap(mem, FORK_MEM));
}

/*
 * Seed 507 (16 workers, failnth=2: 64-96 kB of pages and 12-15 kB of
 * kmalloc not given back, with nothing of the run left): no kernel leak
 * but the fuzzer's own. A worker unmounted the sandbox (MNT_DETACH) and
 * removed the directory it had been mounted on; workers forked after
 * that could not chdir into the sandbox and fuzzed in the supervisor's
 * working directory, "/", where their files outlived the run. The fuzzer
 * now starts its workers in the sandbox itself, and fails a run that
 * made a name outside it. This is that sequence: what a process standing
 * in the lost sandbox makes stays in it, and goes with the last process
 * that stands there.
 */
#define SANDBOX	"/tmp/fuzzreg-sandbox"

/* The exit code of child pid, or 99 if it did not exit. */
static int exit_code(pid_t pid)
{
	int status;

	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return 99;
	return WEXITSTATUS(status);
}

/* A "worker": lose the sandbox - unmount it, remove its directory. */
static int lose_sandbox(void)
{
	if (umount2(SANDBOX, MNT_DETACH) < 0)
		return 1;
	return rmdir(SANDBOX) < 0 ? 2 : 0;
}

/* A worker forked after that: its chdir fails; it makes a file. */
static int work_in_lost_sandbox(void)
{
	static char page[3 * T_PAGE];
	int fd;

	if (chdir(SANDBOX) == 0 || errno != ENOENT)
		return 1;
	fd = open("f0", O_RDWR | O_CREAT, 0644);
	if (fd < 0 || write(fd, page, sizeof(page)) != sizeof(page))
		return 2;
	return close(fd) < 0 ? 3 : 0;
}

static void sandbox_lost(int rounds)
{
	for (int i = 0; i < rounds; i++) {
		pid_t supervisor, worker;

		make_dir(SANDBOX);
		CHECK_OK(mount("tmpfs", SANDBOX, "tmpfs", 0, "size=1m"));
		supervisor = t_fork();
		if (supervisor == 0) {
			if (chdir(SANDBOX) < 0)
				_exit(10);
			worker = fork();
			if (worker == 0)
				_exit(lose_sandbox());
			if (exit_code(worker) != 0)
				_exit(11);
			worker = fork();
			if (worker == 0)
				_exit(work_in_lost_sandbox());
			if (exit_code(worker) != 0)
				_exit(12);
			/* The file is where the supervisor stands, not in /tmp. */
			if (access("f0", F_OK) < 0 ||
			    access("/tmp/f0", F_OK) == 0 || errno != ENOENT)
				_exit(13);
			_exit(0);
		}
		CHECK_EXITED(t_wait(supervisor), 0);
		CHECK(access(SANDBOX, F_OK) < 0 && errno == ENOENT);
	}
}

static void case_fuzz_worker_escapes_removed_sandbox(void)
{
	sandbox_lost(1);
	t_check_no_leak("a sandbox lost under a process standing in it",
			sandbox_lost, 10);
}

/*
 * Found while chasing seed 507: mount(2) took a target inside a mount
 * umount2(MNT_DETACH) had taken away (reached through the cwd), and
 * attached the new mount under it; when the detached parent went, the
 * new mount stayed in the list - "/d0 (deleted)" in /proc/mounts, no way
 * to unmount it, its parent pointer dangling. Linux refuses a target or
 * a bind source outside the namespace with EINVAL (check_mnt).
 */
#define DETACHED	"/tmp/fuzzreg-detached"

static void mount_in_detached(int rounds)
{
	for (int i = 0; i < rounds; i++) {
		make_dir(DETACHED);
		CHECK_OK(mount("tmpfs", DETACHED, "tmpfs", 0, "size=1m"));
		make_dir(DETACHED "/d0");
		CHECK_OK(chdir(DETACHED));
		CHECK_OK(umount2(DETACHED, MNT_DETACH));
		CHECK_ERR(mount("tmpfs", "d0", "tmpfs", 0, NULL), EINVAL);
		CHECK_ERR(mount("d0", DETACHED, NULL, MS_BIND, NULL), EINVAL);
		CHECK_ERR(mount(NULL, ".", NULL, MS_REMOUNT | MS_RDONLY, NULL),
			  EINVAL);
		CHECK_OK(chdir("/"));
		CHECK(!listed_in_mounts("/d0"));
		CHECK_OK(rmdir(DETACHED));
	}
}

static void case_mount_on_detached_mount_dangling_parent(void)
{
	mount_in_detached(1);
	t_check_no_leak("mounts refused inside a detached mount",
			mount_in_detached, 10);
}

static const struct t_case cases[] = {
	{ case_umount_detach_moved_submount_hang,
	  "umount-detach-moved-submount-hang" },
	{ case_fault_around_fallocated_page_panic,
	  "fault-around-fallocated-page-panic" },
	{ case_kill_pgrp_during_fork_null_group,
	  "kill-pgrp-during-fork-null-group" },
	{ case_fuzz_worker_escapes_removed_sandbox,
	  "fuzz-worker-escapes-removed-sandbox" },
	{ case_mount_on_detached_mount_dangling_parent,
	  "mount-on-detached-mount-dangling-parent" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
