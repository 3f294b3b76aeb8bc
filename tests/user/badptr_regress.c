/*
 * badptr_regress.c - regression tests for what the bad-pointer tables
 * (badptr_*.c) found, each named after the bug, checking more than the
 * table can: the state the call leaves behind.
 *
 * - clone-parent-settid-unwritable: clone(CLONE_PARENT_SETTID) with a
 *   parent_tid that cannot be written failed with EFAULT on Basalt, after
 *   the child was half made; Linux creates the child and drops the write.
 * - clone-settls-kernel-address: clone(CLONE_SETTLS) took a TLS base in
 *   the kernel half; Linux refuses it with EPERM, as ARCH_SET_FS does.
 * - getdents64-buffer-off-the-end: getdents64 into a buffer that runs off
 *   the end of a mapping failed with EFAULT; Linux returns the records
 *   that fit whole and moves the position past them only.
 * - mount-data-off-the-end: mount data that runs off the end of a
 *   mapping failed with EFAULT; Linux reads up to a page of it and takes
 *   what it could read.
 * - tiocspgrp-argument-before-terminal: TIOCSPGRP on a terminal that is
 *   not the caller's controlling one said ENOTTY before reading its
 *   argument; Linux reads and checks the group first (EFAULT, EINVAL).
 */
#define _GNU_SOURCE
#include "t.h"

#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* A raw clone whose child exits with status 7 at once, touching nothing. */
static long clone_exit7(long flags, void *ptid, long tls)
{
	register long r10 __asm__("r10") = 0;
	register long r8 __asm__("r8") = tls;
	long ret;

	__asm__ volatile("syscall\n\t"
			 "test %%rax, %%rax\n\t"
			 "jnz 1f\n\t"
			 "mov $60, %%eax\n\t"
			 "mov $7, %%edi\n\t"
			 "syscall\n"
			 "1:"
			 : "=a"(ret)
			 : "a"((long)SYS_clone), "D"(flags), "S"(0L),
			   "d"(ptid), "r"(r10), "r"(r8)
			 : "rcx", "r11", "memory");
	return ret;
}

static void case_clone_parent_settid_unwritable(void)
{
	void *bad[] = { NULL, t_unmapped_page(), T_KERNEL_DIRECT };
	int status;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		long pid = clone_exit7(CLONE_PARENT_SETTID | SIGCHLD, bad[i], 0);

		CHECK(pid > 0);
		CHECK_EQ(waitpid((pid_t)pid, &status, 0), pid);
		CHECK_EXITED(status, 7);
	}
	/* A good pointer still gets the pid. */
	int tid = 0;
	long pid = clone_exit7(CLONE_PARENT_SETTID | SIGCHLD, &tid, 0);

	CHECK(pid > 0);
	CHECK_EQ(tid, pid);
	CHECK_EQ(waitpid((pid_t)pid, &status, 0), pid);
	CHECK_EXITED(status, 7);
}

static void case_clone_settls_kernel_address(void)
{
	long fs = 0;

	CHECK_EQ(clone_exit7(CLONE_SETTLS | SIGCHLD, NULL,
			     (long)T_KERNEL_DIRECT), -EPERM);
	CHECK_EQ(clone_exit7(CLONE_SETTLS | SIGCHLD, NULL,
			     (long)T_KERNEL_TEXT), -EPERM);
	/* No child was made. */
	CHECK_ERR(waitpid(-1, NULL, WNOHANG), ECHILD);
	/* The highest user page is a valid base, as for ARCH_SET_FS. */
	CHECK_OK(syscall(SYS_arch_prctl, T_ARCH_GET_FS, &fs));
	long pid = clone_exit7(CLONE_SETTLS | SIGCHLD, NULL, fs);
	int status;

	CHECK(pid > 0);
	CHECK_EQ(waitpid((pid_t)pid, &status, 0), pid);
	CHECK_EXITED(status, 7);
}

struct dirent64_hdr {
	uint64_t d_ino;
	int64_t d_off;
	uint16_t d_reclen;
	uint8_t d_type;
	char d_name[];
};

/* A directory with entries ".", ".." and three files; open, at 0. */
static int make_dir(char *path, size_t len)
{
	char name[128];

	snprintf(path, len, "/tmp/getdents-%d", (int)getpid());
	CHECK_OK(mkdir(path, 0755));
	for (int i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "%s/file%d", path, i);
		CHECK_OK(close(CHECK_OK(open(name, O_CREAT | O_WRONLY, 0644))));
	}
	return CHECK_OK(open(path, O_RDONLY | O_DIRECTORY));
}

static void remove_dir(const char *path)
{
	char name[128];

	for (int i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "%s/file%d", path, i);
		CHECK_OK(unlink(name));
	}
	CHECK_OK(rmdir(path));
}

/* The same record: d_off may differ (Linux writes it last). */
static void check_same_record(const struct dirent64_hdr *a,
			      const struct dirent64_hdr *b)
{
	CHECK_EQ(a->d_ino, b->d_ino);
	CHECK_EQ(a->d_reclen, b->d_reclen);
	CHECK_EQ(a->d_type, b->d_type);
	CHECK(!strcmp(a->d_name, b->d_name));
}

static void case_getdents64_buffer_off_the_end(void)
{
	static char all[4096], rest[4096];
	char path[64];
	char *map = t_map(2 * T_PAGE, PROT_READ | PROT_WRITE);
	char *end = map + T_PAGE;
	int fd = make_dir(path, sizeof(path));
	long n_all, n;

	CHECK_OK(munmap(end, T_PAGE));
	n_all = syscall(SYS_getdents64, fd, all, sizeof(all));
	CHECK(n_all > 0);
	struct dirent64_hdr *first = (struct dirent64_hdr *)all;
	struct dirent64_hdr *second =
		(struct dirent64_hdr *)(all + first->d_reclen);

	/* Room for the first record and half the second. */
	CHECK_OK(lseek(fd, 0, SEEK_SET));
	char *buf = end - first->d_reclen - second->d_reclen / 2;
	n = syscall(SYS_getdents64, fd, buf, 4096);
	CHECK_EQ(n, first->d_reclen);
	check_same_record((struct dirent64_hdr *)buf, first);
	/* The position moved past that record only: the rest follows. */
	n = syscall(SYS_getdents64, fd, rest, sizeof(rest));
	CHECK_EQ(n, n_all - first->d_reclen);
	check_same_record((struct dirent64_hdr *)rest, second);
	/* Not even one record fits: EFAULT, and the position stays. */
	CHECK_OK(lseek(fd, 0, SEEK_SET));
	CHECK_ERR(syscall(SYS_getdents64, fd, end - 8, 4096), EFAULT);
	CHECK_EQ(syscall(SYS_getdents64, fd, rest, sizeof(rest)), n_all);
	CHECK_OK(close(fd));
	remove_dir(path);
	CHECK_OK(munmap(map, T_PAGE));
}

static void case_mount_data_off_the_end(void)
{
	char *map = t_map(2 * T_PAGE, PROT_READ | PROT_WRITE);
	char *end = map + T_PAGE;
	char dir[64];
	struct stat st;

	CHECK_OK(munmap(end, T_PAGE));
	snprintf(dir, sizeof(dir), "/tmp/mountdata-%d", (int)getpid());
	CHECK_OK(mkdir(dir, 0755));
	/* An unknown type gets past the data: ENODEV, not EFAULT. */
	memset(end - 16, 'x', 16);
	CHECK_ERR(mount("none", dir, "nosuchfs", 0, end - 16), ENODEV);
	/* A real mount takes the readable, NUL-terminated options. */
	strcpy(end - 16, "mode=0700");
	CHECK_OK(mount("none", dir, "tmpfs", 0, end - 16));
	CHECK_OK(stat(dir, &st));
	CHECK_EQ(st.st_mode & 07777, 0700);
	CHECK_OK(umount(dir));
	/* Nothing readable at all is still EFAULT. */
	CHECK_ERR(mount("none", dir, "tmpfs", 0, end), EFAULT);
	CHECK_OK(rmdir(dir));
	CHECK_OK(munmap(map, T_PAGE));
}

/* The console (fd 1) is never a controlling terminal (Linux's rule for
 * /dev/console), so a valid call ends in ENOTTY. */
static void case_tiocspgrp_argument_before_terminal(void)
{
	pid_t neg = -1, mine = getpgrp();

	CHECK_ERR(ioctl(1, TIOCSPGRP, NULL), EFAULT);
	CHECK_ERR(ioctl(1, TIOCSPGRP, t_unmapped_page()), EFAULT);
	CHECK_ERR(ioctl(1, TIOCSPGRP, &neg), EINVAL);
	CHECK_ERR(ioctl(1, TIOCSPGRP, &mine), ENOTTY);
}

static const struct t_case cases[] = {
	{ case_clone_parent_settid_unwritable,
	  "clone-parent-settid-unwritable" },
	{ case_clone_settls_kernel_address, "clone-settls-kernel-address" },
	{ case_getdents64_buffer_off_the_end,
	  "getdents64-buffer-off-the-end" },
	{ case_mount_data_off_the_end, "mount-data-off-the-end" },
	{ case_tiocspgrp_argument_before_terminal,
	  "tiocspgrp-argument-before-terminal" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
