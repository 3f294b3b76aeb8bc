/*
 * memfd.c - memfd_create(2), file seals (F_ADD_SEALS/F_GET_SEALS) and
 * fallocate(2) on tmpfs.
 *
 * A memfd is an unnamed tmpfs file: it has a name only for show (in
 * /proc/self/fd and /proc/self/maps), can be mapped and shared across fork,
 * and, when made with MFD_ALLOW_SEALING, can be sealed against shrinking,
 * growing and writing. fallocate allocates, extends and punches holes, and
 * lseek's SEEK_DATA/SEEK_HOLE see the holes. Every refusal is checked with
 * the errno Linux gives.
 *
 * BASALT-ONLY ASSERTION: the leak case requires MemFree to be exactly equal
 * before and after on Basalt and only prints the difference on Linux (see
 * leak.c for why).
 */
#define _GNU_SOURCE
#include "t.h"
#include "maptest.h"

#include <linux/falloc.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC 0x0001U
#define MFD_ALLOW_SEALING 0x0002U
#endif
#ifndef F_ADD_SEALS
#define F_ADD_SEALS 1033
#define F_GET_SEALS 1034
#define F_SEAL_SEAL 0x0001
#define F_SEAL_SHRINK 0x0002
#define F_SEAL_GROW 0x0004
#define F_SEAL_WRITE 0x0008
#endif
#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE 0x0010
#endif

static long sys_memfd(const char *name, unsigned int flags)
{
	return syscall(SYS_memfd_create, name, flags);
}

static long sys_fallocate(int fd, int mode, off_t off, off_t len)
{
	return syscall(SYS_fallocate, fd, mode, off, len);
}

/* A memfd of size bytes, every byte 'm'. */
static int memfd_filled(const char *name, unsigned int flags, size_t size)
{
	static char page[T_PAGE];
	int fd = CHECK_OK(sys_memfd(name, flags));

	memset(page, 'm', sizeof(page));
	for (size_t off = 0; off < size; off += T_PAGE)
		CHECK_EQ(pwrite(fd, page, T_PAGE, (off_t)off), (long)T_PAGE);
	CHECK_OK(ftruncate(fd, (off_t)size));
	return fd;
}

static long blocks(int fd)
{
	struct stat st;

	CHECK_OK(fstat(fd, &st));
	return (long)st.st_blocks;
}

static void case_name_in_proc(void)
{
	char link[64], target[128];
	int fd = CHECK_OK(sys_memfd("basalt-test", 0));

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	long n = CHECK_OK(readlink(link, target, sizeof(target) - 1));
	target[n] = '\0';
	if (strcmp(target, "/memfd:basalt-test (deleted)") != 0)
		T_FAIL("readlink(%s) = \"%s\"", link, target);

	struct stat st;
	CHECK_OK(fstat(fd, &st));
	CHECK(S_ISREG(st.st_mode));
	CHECK_EQ(st.st_size, 0);
	CHECK_OK(close(fd));
}

static void case_cloexec(void)
{
	int fd = CHECK_OK(sys_memfd("cloexec", MFD_CLOEXEC));
	int plain = CHECK_OK(sys_memfd("plain", 0));

	CHECK_EQ(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	CHECK_EQ(fcntl(plain, F_GETFD) & FD_CLOEXEC, 0);
	CHECK_OK(close(fd));
	CHECK_OK(close(plain));
}

static void case_create_errors(void)
{
	char name[260];

	CHECK_ERR(sys_memfd("bad", 0x100), EINVAL);	/* unknown flag */
	CHECK_ERR(sys_memfd(NULL, 0), EFAULT);
	CHECK_ERR(sys_memfd(t_unmapped_page(), 0), EFAULT);
	/* 249 bytes is the longest name: "memfd:" + name fits NAME_MAX. */
	memset(name, 'n', 250);
	name[250] = '\0';
	CHECK_ERR(sys_memfd(name, 0), EINVAL);
	name[249] = '\0';
	CHECK_OK(close(CHECK_OK(sys_memfd(name, 0))));
}

static void case_read_write(void)
{
	char buf[8] = { 0 };
	int fd = CHECK_OK(sys_memfd("rw", 0));

	CHECK_EQ(write(fd, "hello", 5), 5);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 5);
	CHECK_EQ(pread(fd, buf, sizeof(buf), 0), 5);
	CHECK(memcmp(buf, "hello", 5) == 0);
	CHECK_OK(ftruncate(fd, 3 * T_PAGE));
	CHECK_EQ(pread(fd, buf, 1, 2 * T_PAGE), 1);
	CHECK_EQ(buf[0], 0);
	CHECK_OK(close(fd));
}

/* Parent and child each add 1000 to a counter in a shared memfd page. */
static void case_shared_counter(void)
{
	int fd = CHECK_OK(sys_memfd("counter", 0));

	CHECK_OK(ftruncate(fd, T_PAGE));
	check_counter_shared_by_fork(fd);
	CHECK_OK(close(fd));
}

static void case_proc_maps_name(void)
{
	static char buf[64 * 1024];
	char want[96];
	int fd = memfd_filled("mapped", 0, T_PAGE);
	char *p = map_fd(T_PAGE, PROT_READ, MAP_SHARED, fd, 0);
	int maps = CHECK_OK(open("/proc/self/maps", O_RDONLY));
	size_t used = 0;
	long n;

	while (used < sizeof(buf) - 1 &&
	       (n = read(maps, buf + used, sizeof(buf) - 1 - used)) > 0)
		used += (size_t)n;
	buf[used] = '\0';
	CHECK_OK(close(maps));
	snprintf(want, sizeof(want), "%08lx-%08lx r--s 00000000 ", (unsigned long)p,
		 (unsigned long)(p + T_PAGE));
	char *line = strstr(buf, want);
	CHECK(line != NULL);
	line[strcspn(line, "\n")] = '\0';
	if (strlen(line) < 73 || strcmp(line + 73, "/memfd:mapped (deleted)") != 0)
		T_FAIL("maps line \"%s\"", line);
	CHECK_OK(munmap(p, T_PAGE));
	CHECK_OK(close(fd));
}

static void case_no_sealing_without_flag(void)
{
	int fd = CHECK_OK(sys_memfd("nosealing", 0));

	/* Born with F_SEAL_SEAL: no other seal can ever be added. */
	CHECK_EQ(fcntl(fd, F_GET_SEALS), F_SEAL_SEAL);
	CHECK_ERR(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE), EPERM);
	CHECK_ERR(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK), EPERM);
	CHECK_EQ(write(fd, "x", 1), 1);
	CHECK_OK(close(fd));
}

static void case_seal_shrink(void)
{
	int fd = memfd_filled("shrink", MFD_ALLOW_SEALING, 2 * T_PAGE);

	CHECK_EQ(fcntl(fd, F_GET_SEALS), 0);
	CHECK_OK(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK));
	CHECK_EQ(fcntl(fd, F_GET_SEALS), F_SEAL_SHRINK);
	CHECK_ERR(ftruncate(fd, T_PAGE), EPERM);
	CHECK_ERR(ftruncate(fd, 0), EPERM);
	CHECK_OK(ftruncate(fd, 3 * T_PAGE));	/* growing is still fine */
	CHECK_OK(ftruncate(fd, 3 * T_PAGE));	/* and so is the same size */
	CHECK_EQ(file_size(fd), 3 * T_PAGE);
	CHECK_OK(close(fd));
}

static void case_seal_grow(void)
{
	int fd = memfd_filled("grow", MFD_ALLOW_SEALING, 2 * T_PAGE);

	CHECK_OK(fcntl(fd, F_ADD_SEALS, F_SEAL_GROW));
	CHECK_ERR(ftruncate(fd, 3 * T_PAGE), EPERM);
	CHECK_ERR(pwrite(fd, "x", 1, 2 * T_PAGE), EPERM);	/* past the end */
	/* Across the end: a short write, up to the end (page by page). */
	CHECK_EQ(pwrite(fd, "xy", 2, 2 * T_PAGE - 1), 1);
	CHECK_ERR(sys_fallocate(fd, 0, 0, 3 * T_PAGE), EPERM);
	CHECK_EQ(pwrite(fd, "x", 1, 2 * T_PAGE - 1), 1);	/* within */
	CHECK_OK(ftruncate(fd, T_PAGE));			/* shrinking */
	CHECK_EQ(file_size(fd), T_PAGE);
	CHECK_OK(close(fd));
}

static void case_seal_write(void)
{
	int fd = memfd_filled("write", MFD_ALLOW_SEALING, 2 * T_PAGE);
	char *w = map_fd(T_PAGE, RW, MAP_SHARED, fd, 0);

	/* Not while a writable shared mapping exists. */
	CHECK_ERR(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE), EBUSY);
	CHECK_OK(munmap(w, T_PAGE));
	CHECK_OK(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
	CHECK_EQ(fcntl(fd, F_GET_SEALS), F_SEAL_WRITE);
	CHECK_ERR(write(fd, "x", 1), EPERM);
	CHECK_ERR(pwrite(fd, "x", 1, 0), EPERM);
	CHECK_ERR(mmap(NULL, T_PAGE, RW, MAP_SHARED, fd, 0), EPERM);
	CHECK_ERR(sys_fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0,
				T_PAGE), EPERM);
	/* Reading and private copies are still allowed, and stay private. */
	char *r = map_fd(T_PAGE, PROT_READ, MAP_SHARED, fd, 0);
	char *v = map_fd(T_PAGE, RW, MAP_PRIVATE, fd, 0);
	v[0] = 'v';
	CHECK_EQ(r[0], 'm');
	CHECK_EQ(file_byte(fd, 0), 'm');
	/* The size may still change: that takes F_SEAL_SHRINK/F_SEAL_GROW. */
	CHECK_OK(ftruncate(fd, 3 * T_PAGE));
	CHECK_OK(munmap(r, T_PAGE));
	CHECK_OK(munmap(v, T_PAGE));
	CHECK_OK(close(fd));
}

static void case_seal_future_write(void)
{
	int fd = memfd_filled("future", MFD_ALLOW_SEALING, 2 * T_PAGE);
	char *w = map_fd(2 * T_PAGE, RW, MAP_SHARED, fd, 0);

	/* Unlike F_SEAL_WRITE, allowed with a writable mapping in place. */
	CHECK_OK(fcntl(fd, F_ADD_SEALS, F_SEAL_FUTURE_WRITE));
	CHECK_EQ(fcntl(fd, F_GET_SEALS), F_SEAL_FUTURE_WRITE);
	CHECK_ERR(write(fd, "x", 1), EPERM);
	CHECK_ERR(mmap(NULL, T_PAGE, RW, MAP_SHARED, fd, 0), EPERM);
	/* The existing mapping still writes, and the file sees it. */
	w[T_PAGE] = 'w';
	CHECK_EQ(file_byte(fd, T_PAGE), 'w');
	/* A new shared mapping may read but never become writable. */
	char *r = map_fd(T_PAGE, PROT_READ, MAP_SHARED, fd, 0);
	CHECK_ERR(mprotect(r, T_PAGE, RW), EACCES);
	CHECK_EQ(r[0], 'm');
	CHECK_OK(munmap(r, T_PAGE));
	CHECK_OK(munmap(w, 2 * T_PAGE));
	CHECK_OK(close(fd));
}

static void case_seal_seal(void)
{
	int fd = CHECK_OK(sys_memfd("seal", MFD_ALLOW_SEALING));

	CHECK_ERR(fcntl(fd, F_ADD_SEALS, 0x100), EINVAL);	/* unknown seal */
	CHECK_OK(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_SEAL));
	CHECK_EQ(fcntl(fd, F_GET_SEALS), F_SEAL_SHRINK | F_SEAL_SEAL);
	CHECK_ERR(fcntl(fd, F_ADD_SEALS, F_SEAL_GROW), EPERM);
	CHECK_ERR(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK), EPERM);
	CHECK_EQ(fcntl(fd, F_GET_SEALS), F_SEAL_SHRINK | F_SEAL_SEAL);
	CHECK_OK(close(fd));
}

static void case_seals_on_other_files(void)
{
	int tmp = make_file("seals", T_PAGE, NULL);
	int null = CHECK_OK(open("/dev/null", O_RDWR));
	int pipefd[2];

	/* Linux: every tmpfs file supports seals, born with F_SEAL_SEAL. */
	CHECK_EQ(fcntl(tmp, F_GET_SEALS), F_SEAL_SEAL);
	CHECK_ERR(fcntl(tmp, F_ADD_SEALS, F_SEAL_WRITE), EPERM);
	/* Other files have no seals at all. */
	CHECK_OK(pipe(pipefd));
	CHECK_ERR(fcntl(null, F_GET_SEALS), EINVAL);
	CHECK_ERR(fcntl(null, F_ADD_SEALS, F_SEAL_WRITE), EINVAL);
	CHECK_ERR(fcntl(pipefd[1], F_ADD_SEALS, F_SEAL_WRITE), EINVAL);
	CHECK_OK(close(tmp));
	CHECK_OK(close(null));
	CHECK_OK(close(pipefd[0]));
	CHECK_OK(close(pipefd[1]));
}

static void case_fallocate_extends(void)
{
	int fd = CHECK_OK(sys_memfd("falloc", 0));

	CHECK_OK(sys_fallocate(fd, 0, T_PAGE, 2 * T_PAGE));
	CHECK_EQ(file_size(fd), 3 * T_PAGE);
	CHECK_EQ(blocks(fd), 2 * T_PAGE / 512);	/* only the range allocated */
	CHECK_EQ(file_byte(fd, T_PAGE + 5), 0);
	CHECK_OK(sys_fallocate(fd, 0, 0, T_PAGE));	/* inside: size kept */
	CHECK_EQ(file_size(fd), 3 * T_PAGE);
	CHECK_EQ(blocks(fd), 3 * T_PAGE / 512);
	CHECK_OK(close(fd));
}

static void case_fallocate_keep_size(void)
{
	int fd = CHECK_OK(sys_memfd("keep", 0));

	CHECK_OK(sys_fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 4 * T_PAGE));
	CHECK_EQ(file_size(fd), 0);
	CHECK_EQ(blocks(fd), 4 * T_PAGE / 512);
	CHECK_OK(close(fd));
}

static void case_punch_hole(void)
{
	int fd = memfd_filled("punch", 0, 4 * T_PAGE);
	char *p = map_fd(4 * T_PAGE, PROT_READ, MAP_SHARED, fd, 0);

	CHECK_EQ(blocks(fd), 4 * T_PAGE / 512);
	check_bytes(p, 4 * T_PAGE, 'm');
	/* From byte 100 of page 0 to byte 100 of page 2. */
	CHECK_OK(sys_fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			       100, 2 * T_PAGE));
	CHECK_EQ(file_size(fd), 4 * T_PAGE);
	/* Only page 1 lay wholly inside: it is freed, the others zeroed. */
	CHECK_EQ(blocks(fd), 3 * T_PAGE / 512);
	CHECK_EQ(file_byte(fd, 99), 'm');
	CHECK_EQ(file_byte(fd, 100), 0);
	CHECK_EQ(file_byte(fd, 2 * T_PAGE + 99), 0);
	CHECK_EQ(file_byte(fd, 2 * T_PAGE + 100), 'm');
	/* The mapping sees the same (read last: it refills the hole). */
	check_bytes(p, 100, 'm');
	check_bytes(p + 100, 2 * T_PAGE, 0);
	check_bytes(p + 2 * T_PAGE + 100, 2 * T_PAGE - 100, 'm');
	CHECK_OK(munmap(p, 4 * T_PAGE));
	CHECK_OK(close(fd));
}

static void case_fallocate_errors(void)
{
	char path[64];
	int fd = make_file("fallocerr", T_PAGE, path);
	int rd = CHECK_OK(open(path, O_RDONLY));
	int pipefd[2];

	CHECK_OK(unlink(path));
	CHECK_OK(pipe(pipefd));
	CHECK_ERR(sys_fallocate(fd, FALLOC_FL_PUNCH_HOLE, 0, T_PAGE), EOPNOTSUPP);
	CHECK_ERR(sys_fallocate(fd, 0, 0, 0), EINVAL);
	CHECK_ERR(sys_fallocate(fd, 0, -T_PAGE, T_PAGE), EINVAL);
	CHECK_ERR(sys_fallocate(fd, 0, 0, -1), EINVAL);
	CHECK_ERR(sys_fallocate(pipefd[1], 0, 0, T_PAGE), ESPIPE);
	CHECK_ERR(sys_fallocate(rd, 0, 0, T_PAGE), EBADF);
	CHECK_ERR(sys_fallocate(-1, 0, 0, T_PAGE), EBADF);
	CHECK_EQ(file_size(fd), T_PAGE);
	CHECK_OK(close(fd));
	CHECK_OK(close(rd));
	CHECK_OK(close(pipefd[0]));
	CHECK_OK(close(pipefd[1]));
}

static void case_seek_data_hole(void)
{
	int fd = memfd_filled("seek", 0, 4 * T_PAGE);

	CHECK_OK(sys_fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			       T_PAGE, 2 * T_PAGE));
	CHECK_EQ(lseek(fd, 0, SEEK_DATA), 0);
	CHECK_EQ(lseek(fd, 0, SEEK_HOLE), T_PAGE);
	CHECK_EQ(lseek(fd, T_PAGE + 10, SEEK_DATA), 3 * T_PAGE);
	CHECK_EQ(lseek(fd, T_PAGE + 10, SEEK_HOLE), T_PAGE + 10);
	CHECK_EQ(lseek(fd, 3 * T_PAGE, SEEK_HOLE), 4 * T_PAGE);	/* EOF */
	CHECK_ERR(lseek(fd, 4 * T_PAGE, SEEK_DATA), ENXIO);
	CHECK_ERR(lseek(fd, 4 * T_PAGE, SEEK_HOLE), ENXIO);
	CHECK_OK(close(fd));
}

static void memfd_rounds(int rounds)
{
	size_t len = 16 * T_PAGE;

	for (int i = 0; i < rounds; i++) {
		int fd = CHECK_OK(sys_memfd("leak", MFD_CLOEXEC));
		CHECK_OK(ftruncate(fd, (off_t)len));
		char *p = map_fd(len, RW, MAP_SHARED, fd, 0);
		CHECK_OK(close(fd));	/* the mapping holds the file now */
		for (size_t off = 0; off < len; off += T_PAGE)
			p[off] = (char)i;
		CHECK_OK(munmap(p, len));
	}
}

static void case_leak(void)
{
	t_check_no_leak("1000 x memfd create+map 16 pages+touch+close",
			memfd_rounds, 1000);
}

static const struct t_case cases[] = {
	{ case_name_in_proc, "name_in_proc" },
	{ case_cloexec, "cloexec" },
	{ case_create_errors, "create_errors" },
	{ case_read_write, "read_write" },
	{ case_shared_counter, "shared_counter" },
	{ case_proc_maps_name, "proc_maps_name" },
	{ case_no_sealing_without_flag, "no_sealing_without_flag" },
	{ case_seal_shrink, "seal_shrink" },
	{ case_seal_grow, "seal_grow" },
	{ case_seal_write, "seal_write" },
	{ case_seal_future_write, "seal_future_write" },
	{ case_seal_seal, "seal_seal" },
	{ case_seals_on_other_files, "seals_on_other_files" },
	{ case_fallocate_extends, "fallocate_extends" },
	{ case_fallocate_keep_size, "fallocate_keep_size" },
	{ case_punch_hole, "punch_hole" },
	{ case_fallocate_errors, "fallocate_errors" },
	{ case_seek_data_hole, "seek_data_hole" },
	{ case_leak, "leak" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
