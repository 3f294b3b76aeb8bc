/*
 * efault.c - every system call handed a bad user pointer fails with EFAULT.
 *
 * "Bad" means: a low address no one maps, a PROT_NONE page, a page that was
 * just unmapped, the end of 47-bit user space, a non-canonical address, two
 * kernel addresses, and, where the kernel writes, a read-only page (a
 * kernel that checks only that the page is present would write through
 * it). Calls go through syscall() so the C library never touches the
 * pointer itself, and the process must survive every one of them.
 *
 * Where Linux does not fail (the /dev/null driver never touches the buffer,
 * nanosleep writes the remainder only when interrupted, set_tid_address only
 * stores its pointer), the case asserts what Linux does instead.
 */
#define _GNU_SOURCE
#include "t.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct bad {
	void *ptr;
	const char *name;
};

static struct bad bad_in[16];	/* the kernel reads through these */
static struct bad bad_out[16];	/* the kernel writes through these */
static char tmpfile_path[64];

/* Builds both pointer lists; the three pages come from one mapping. */
static void setup_bad(void)
{
	char *p = t_map(3 * T_PAGE, PROT_READ | PROT_WRITE);
	CHECK_OK(mprotect(p, T_PAGE, PROT_NONE));
	CHECK_OK(mprotect(p + T_PAGE, T_PAGE, PROT_READ));
	CHECK_OK(munmap(p + 2 * T_PAGE, T_PAGE));

	struct bad common[] = {
		{ (void *)1, "(void *)1" },
		{ p, "PROT_NONE page" },
		{ p + 2 * T_PAGE, "unmapped page" },
		{ T_USER_END, "0x800000000000" },
		{ T_NONCANONICAL, "0x8000000000000000" },
		{ T_KERNEL_DIRECT, "0xffff800000000000" },
		{ T_KERNEL_TEXT, "0xffffffff80000000" },
		{ NULL, NULL },
	};
	memcpy(bad_in, common, sizeof(common));
	memcpy(bad_out, common, sizeof(common));
	size_t n = sizeof(common) / sizeof(common[0]) - 1;
	bad_out[n] = (struct bad){ p + T_PAGE, "read-only page" };
	bad_out[n + 1] = (struct bad){ NULL, NULL };
}

#define FOR_EACH_BAD(list) for (const struct bad *b = (list); b->name; b++)

#define EXPECT_EFAULT(expr)                                                \
	do {                                                               \
		errno = 0;                                                 \
		long r_ = (long)(expr);                                    \
		int e_ = errno;                                            \
		if (r_ != -1 || e_ != EFAULT)                              \
			T_FAIL("%s with %s: got %ld (errno %s), want EFAULT", \
			       #expr, b->name, r_, t_errname(e_));         \
	} while (0)

/* A regular file in /tmp holding len 'x' bytes, open read-write at offset 0. */
static int open_tmpfile(size_t len)
{
	char buf[T_PAGE];

	snprintf(tmpfile_path, sizeof(tmpfile_path), "/tmp/efault-%d", (int)getpid());
	int fd = CHECK_OK(open(tmpfile_path, O_RDWR | O_CREAT | O_TRUNC, 0644));
	memset(buf, 'x', sizeof(buf));
	CHECK_EQ(write(fd, buf, len), (long)len);
	CHECK_OK(lseek(fd, 0, SEEK_SET));
	return fd;
}

static void case_read(void)
{
	int fd = open_tmpfile(T_PAGE);
	int proc = CHECK_OK(open("/proc/meminfo", O_RDONLY));
	char c;

	setup_bad();
	FOR_EACH_BAD(bad_out) {
		EXPECT_EFAULT(syscall(SYS_read, fd, b->ptr, 64));
		EXPECT_EFAULT(syscall(SYS_read, proc, b->ptr, 64));
		EXPECT_EFAULT(syscall(SYS_pread64, fd, b->ptr, 64, 0));
	}
	/* The failed reads did not move the file offset. */
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 0);
	CHECK_EQ(read(fd, &c, 1), 1);
	CHECK_EQ(c, 'x');
	close(fd);
	close(proc);
	unlink(tmpfile_path);
}

static void case_write(void)
{
	int fd = open_tmpfile(0);
	struct stat st;

	setup_bad();
	FOR_EACH_BAD(bad_in) {
		EXPECT_EFAULT(syscall(SYS_write, fd, b->ptr, 64));
		EXPECT_EFAULT(syscall(SYS_pwrite64, fd, b->ptr, 64, 0));
	}
	/* Nothing was written. */
	CHECK_OK(fstat(fd, &st));
	CHECK_EQ(st.st_size, 0);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 0);
	close(fd);
	unlink(tmpfile_path);
}

static void case_readv_writev(void)
{
	int fd = open_tmpfile(T_PAGE);
	char good[16];

	setup_bad();
	FOR_EACH_BAD(bad_in) {
		/* The kernel reads the iovec array itself... */
		EXPECT_EFAULT(syscall(SYS_readv, fd, b->ptr, 1));
		EXPECT_EFAULT(syscall(SYS_writev, fd, b->ptr, 1));
		/* ...and writev reads the buffers it names. */
		struct iovec iov[2] = { { b->ptr, 8 }, { good, 8 } };
		EXPECT_EFAULT(syscall(SYS_writev, fd, iov, 2));
	}
	FOR_EACH_BAD(bad_out) {
		struct iovec iov[2] = { { b->ptr, 8 }, { good, 8 } };
		EXPECT_EFAULT(syscall(SYS_readv, fd, iov, 2));
	}
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 0);
	close(fd);
	unlink(tmpfile_path);
}

static void case_devnull_ignores_buffer(void)
{
	/*
	 * Linux's /dev/null read and write never look at the buffer: a user
	 * address "succeeds" (write returns the count, read returns 0). Only
	 * vfs_read/vfs_write's range check refuses kernel addresses.
	 */
	int fd = CHECK_OK(open("/dev/null", O_RDWR));

	CHECK_EQ(syscall(SYS_write, fd, (void *)1, 64), 64);
	CHECK_EQ(syscall(SYS_read, fd, (void *)1, 64), 0);
	CHECK_EQ(syscall(SYS_write, fd, t_unmapped_page(), 64), 64);
	const struct bad kernel[] = {
		{ T_KERNEL_DIRECT, "0xffff800000000000" },
		{ T_KERNEL_TEXT, "0xffffffff80000000" },
		{ NULL, NULL },
	};
	FOR_EACH_BAD(kernel) {
		EXPECT_EFAULT(syscall(SYS_write, fd, b->ptr, 64));
		EXPECT_EFAULT(syscall(SYS_read, fd, b->ptr, 64));
	}
	close(fd);
}

static void case_paths(void)
{
	setup_bad();
	FOR_EACH_BAD(bad_in) {
		char buf[64];
		struct stat st;
		char sx[256];	/* struct statx */
		char *argv[] = { "x", NULL };

		EXPECT_EFAULT(syscall(SYS_open, b->ptr, O_RDONLY));
		EXPECT_EFAULT(syscall(SYS_openat, (long)AT_FDCWD, b->ptr, O_RDONLY));
		EXPECT_EFAULT(syscall(SYS_open, b->ptr, O_RDWR | O_CREAT, 0644));
		EXPECT_EFAULT(syscall(SYS_stat, b->ptr, &st));
		EXPECT_EFAULT(syscall(SYS_lstat, b->ptr, &st));
		EXPECT_EFAULT(syscall(SYS_newfstatat, (long)AT_FDCWD, b->ptr, &st, 0));
		EXPECT_EFAULT(syscall(SYS_statx, (long)AT_FDCWD, b->ptr, 0, 0x7ff, sx));
		EXPECT_EFAULT(syscall(SYS_access, b->ptr, F_OK));
		EXPECT_EFAULT(syscall(SYS_faccessat, (long)AT_FDCWD, b->ptr, F_OK));
		EXPECT_EFAULT(syscall(SYS_readlink, b->ptr, buf, sizeof(buf)));
		EXPECT_EFAULT(syscall(SYS_chdir, b->ptr));
		EXPECT_EFAULT(syscall(SYS_unlink, b->ptr));
		EXPECT_EFAULT(syscall(SYS_execve, b->ptr, argv, NULL));
	}
}

static void case_path_runs_off_the_end(void)
{
	/* A name with no NUL before an unmapped page: the copy must stop. */
	char *p = t_map(2 * T_PAGE, PROT_READ | PROT_WRITE);
	CHECK_OK(munmap(p + T_PAGE, T_PAGE));
	char *name = p + T_PAGE - 4;
	const struct bad b[1] = { { name, "\"/tmp\" without NUL" } };

	memcpy(name, "/tmp", 4);
	EXPECT_EFAULT(syscall(SYS_open, name, O_RDONLY));
	EXPECT_EFAULT(syscall(SYS_chdir, name));
	EXPECT_EFAULT(syscall(SYS_access, name, F_OK));
}

static void case_stat_buffers(void)
{
	int fd = CHECK_OK(open("/tmp", O_RDONLY | O_DIRECTORY));

	setup_bad();
	FOR_EACH_BAD(bad_out) {
		EXPECT_EFAULT(syscall(SYS_fstat, fd, b->ptr));
		EXPECT_EFAULT(syscall(SYS_stat, "/tmp", b->ptr));
		EXPECT_EFAULT(syscall(SYS_lstat, "/tmp", b->ptr));
		EXPECT_EFAULT(syscall(SYS_newfstatat, (long)AT_FDCWD, "/tmp", b->ptr, 0));
		EXPECT_EFAULT(syscall(SYS_statx, (long)AT_FDCWD, "/tmp", 0, 0x7ff, b->ptr));
		EXPECT_EFAULT(syscall(SYS_getdents64, fd, b->ptr, 4096));
		EXPECT_EFAULT(syscall(SYS_getcwd, b->ptr, 4096));
		EXPECT_EFAULT(syscall(SYS_uname, b->ptr));
	}
	close(fd);
}

static void case_time_buffers(void)
{
	setup_bad();
	FOR_EACH_BAD(bad_out) {
		EXPECT_EFAULT(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, b->ptr));
		EXPECT_EFAULT(syscall(SYS_clock_gettime, CLOCK_REALTIME, b->ptr));
		EXPECT_EFAULT(syscall(SYS_gettimeofday, b->ptr, NULL));
		EXPECT_EFAULT(syscall(SYS_gettimeofday, NULL, b->ptr));
		EXPECT_EFAULT(syscall(SYS_time, b->ptr));
	}
	FOR_EACH_BAD(bad_in)
		EXPECT_EFAULT(syscall(SYS_nanosleep, b->ptr, NULL));
}

static void case_nanosleep_rem_unused(void)
{
	/* Linux writes *rem only when a signal cuts the sleep short. */
	struct timespec ts = { 0, 1000 };

	CHECK_EQ(syscall(SYS_nanosleep, &ts, (void *)1), 0);
	CHECK_EQ(syscall(SYS_nanosleep, &ts, T_KERNEL_TEXT), 0);
}

static void case_wait_buffers(void)
{
	setup_bad();
	FOR_EACH_BAD(bad_out) {
		/*
		 * The child is reaped even though its status cannot be
		 * stored: afterwards there is nothing left to wait for.
		 */
		pid_t pid = t_fork();
		if (pid == 0)
			_exit(1);
		EXPECT_EFAULT(syscall(SYS_wait4, pid, b->ptr, 0, NULL));
		CHECK_ERR(wait4(pid, NULL, 0, NULL), ECHILD);

		pid = t_fork();
		if (pid == 0)
			_exit(1);
		EXPECT_EFAULT(syscall(SYS_wait4, pid, NULL, 0, b->ptr));
		CHECK_ERR(wait4(pid, NULL, 0, NULL), ECHILD);

		pid = t_fork();
		if (pid == 0)
			_exit(1);
		EXPECT_EFAULT(syscall(SYS_waitid, P_PID, pid, b->ptr, WEXITED, NULL));
		CHECK_ERR(wait4(pid, NULL, 0, NULL), ECHILD);
	}
}

static void case_getrandom(void)
{
	setup_bad();
	FOR_EACH_BAD(bad_out)
		EXPECT_EFAULT(syscall(SYS_getrandom, b->ptr, 16, 0));
}

static void case_arch_prctl(void)
{
	setup_bad();
	FOR_EACH_BAD(bad_out) {
		EXPECT_EFAULT(syscall(SYS_arch_prctl, T_ARCH_GET_FS, b->ptr));
		EXPECT_EFAULT(syscall(SYS_arch_prctl, T_ARCH_GET_GS, b->ptr));
	}
}

static void case_signals(void)
{
	setup_bad();
	FOR_EACH_BAD(bad_in) {
		EXPECT_EFAULT(syscall(SYS_rt_sigaction, SIGUSR1, b->ptr, NULL, 8));
		EXPECT_EFAULT(syscall(SYS_rt_sigprocmask, SIG_BLOCK, b->ptr, NULL, 8));
	}
	FOR_EACH_BAD(bad_out) {
		EXPECT_EFAULT(syscall(SYS_rt_sigaction, SIGUSR1, NULL, b->ptr, 8));
		EXPECT_EFAULT(syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, b->ptr, 8));
	}
}

static void case_rlimits(void)
{
	setup_bad();
	FOR_EACH_BAD(bad_in) {
		EXPECT_EFAULT(syscall(SYS_prlimit64, 0, RLIMIT_STACK, b->ptr, NULL));
		EXPECT_EFAULT(syscall(SYS_setrlimit, RLIMIT_STACK, b->ptr));
	}
	FOR_EACH_BAD(bad_out) {
		EXPECT_EFAULT(syscall(SYS_prlimit64, 0, RLIMIT_STACK, NULL, b->ptr));
		EXPECT_EFAULT(syscall(SYS_getrlimit, RLIMIT_STACK, b->ptr));
	}
}

static void case_execve_vectors(void)
{
	/* In a child, in case a broken kernel runs the program anyway. */
	pid_t pid = t_fork();

	if (pid == 0) {
		const char *self = t_self();
		setup_bad();
		FOR_EACH_BAD(bad_in) {
			char *argv_bad_str[] = { (char *)self, b->ptr, NULL };
			char *argv_ok[] = { (char *)self, "--exec-ran", NULL };
			EXPECT_EFAULT(syscall(SYS_execve, self, b->ptr, NULL));
			EXPECT_EFAULT(syscall(SYS_execve, self, argv_bad_str, NULL));
			EXPECT_EFAULT(syscall(SYS_execve, self, argv_ok, b->ptr));
			EXPECT_EFAULT(syscall(SYS_execve, self, argv_ok, argv_bad_str));
		}
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
}

static void case_set_tid_address(void)
{
	/*
	 * set_tid_address only records the pointer and returns the caller's
	 * tid; at exit the kernel's write of 0 through it fails silently.
	 */
	setup_bad();
	FOR_EACH_BAD(bad_out) {
		pid_t pid = t_fork();
		if (pid == 0) {
			long tid = t_raw(SYS_set_tid_address, b->ptr, 0, 0);
			_exit(tid == getpid() ? 0 : 1);
		}
		CHECK_EXITED(t_wait(pid), 0);
	}
}

static const struct t_case cases[] = {
	{ case_read, "read" },
	{ case_write, "write" },
	{ case_readv_writev, "readv_writev" },
	{ case_devnull_ignores_buffer, "devnull_ignores_buffer" },
	{ case_paths, "paths" },
	{ case_path_runs_off_the_end, "path_runs_off_the_end" },
	{ case_stat_buffers, "stat_buffers" },
	{ case_time_buffers, "time_buffers" },
	{ case_nanosleep_rem_unused, "nanosleep_rem_unused" },
	{ case_wait_buffers, "wait_buffers" },
	{ case_getrandom, "getrandom" },
	{ case_arch_prctl, "arch_prctl" },
	{ case_signals, "signals" },
	{ case_rlimits, "rlimits" },
	{ case_execve_vectors, "execve_vectors" },
	{ case_set_tid_address, "set_tid_address" },
};

int main(int argc, char **argv)
{
	/* Reached only if an execve that had to fail ran this program. */
	if (argc >= 2 && strcmp(argv[1], "--exec-ran") == 0)
		return 77;
	return T_RUN(argc, argv, cases);
}
