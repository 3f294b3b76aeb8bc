/*
 * fuzz_regressions.c - the bugs the syscall fuzzer (tests/fuzz/) found,
 * each as the smallest program that showed it, named after the bug. Each
 * case says which seed found it; docs/security.md lists them (the first
 * find, clone-parent-exit-signal-is-callers, is in clone_regressions.c).
 */
#define _GNU_SOURCE
#include "t.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
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

static const struct t_case cases[] = {
	{ case_umount_detach_moved_submount_hang,
	  "umount-detach-moved-submount-hang" },
	{ case_fault_around_fallocated_page_panic,
	  "fault-around-fallocated-page-panic" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
