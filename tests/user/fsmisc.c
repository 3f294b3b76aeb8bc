/*
 * fsmisc.c - the calls programs use to advise the kernel about files:
 * fadvise64 (advice checked, ESPIPE on pipes, EBADF), readahead (EINVAL
 * on anything but a regular file open for reading) and sync_file_range
 * (flags and range checked, ESPIPE on pipes). Each is answered as Linux
 * 6.1 answers for tmpfs, which has no backing device: valid calls
 * succeed with nothing to do, invalid ones fail alike. And
 * copy_file_range between regular files: offsets given or the files'
 * own, the copy cut at the source's end, the checks and errors of 6.1.
 * statx on any descriptor (AT_EMPTY_PATH: pipes, O_PATH, procfs) with
 * its masks and mount id, and faccessat2's flags.
 */
#define _GNU_SOURCE
#include "t.h"

#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define FILE_M "/tmp/fsmisc-file"

static int open_m(int flags)
{
	return CHECK_OK(open(FILE_M, flags | O_CREAT, 0644));
}

static long fadvise(int fd, long off, long len, int advice)
{
	return syscall(SYS_fadvise64, fd, off, len, advice);
}

static void case_fadvise(void)
{
	int fd = open_m(O_RDWR), p[2], pfd;

	for (int advice = 0; advice <= 5; advice++)
		CHECK_OK(fadvise(fd, 0, 4096, advice));
	CHECK_OK(fadvise(fd, 1 << 20, 0, POSIX_FADV_DONTNEED));
	CHECK_ERR(fadvise(fd, 0, 0, 6), EINVAL);
	CHECK_ERR(fadvise(fd, 0, 0, -1), EINVAL);
	CHECK_ERR(fadvise(fd, 0, -1, POSIX_FADV_NORMAL), EINVAL);
	CHECK_ERR(fadvise(-1, 0, 0, POSIX_FADV_NORMAL), EBADF);
	pfd = CHECK_OK(open(FILE_M, O_PATH));
	CHECK_ERR(fadvise(pfd, 0, 0, POSIX_FADV_NORMAL), EBADF);
	CHECK_OK(pipe(p));
	CHECK_ERR(fadvise(p[0], 0, 0, POSIX_FADV_NORMAL), ESPIPE);
	CHECK_ERR(fadvise(p[1], 0, 0, 99), ESPIPE);	/* before the advice */
	/* The C library's wrapper returns the error instead. */
	CHECK_EQ(posix_fadvise(p[0], 0, 0, POSIX_FADV_NORMAL), ESPIPE);
	CHECK_EQ(posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL), 0);
	CHECK_OK(close(p[0]));
	CHECK_OK(close(p[1]));
	CHECK_OK(close(pfd));
	CHECK_OK(close(fd));
}

static void case_readahead(void)
{
	int fd = open_m(O_RDONLY), wr = open_m(O_WRONLY), p[2];
	int dir = CHECK_OK(open("/tmp", O_RDONLY | O_DIRECTORY));

	CHECK_OK(readahead(fd, 0, 4096));
	CHECK_OK(readahead(fd, 1 << 30, 0));
	CHECK_ERR(readahead(wr, 0, 4096), EBADF);
	CHECK_ERR(readahead(-1, 0, 4096), EBADF);
	CHECK_ERR(readahead(dir, 0, 4096), EINVAL);
	CHECK_OK(pipe(p));
	CHECK_ERR(readahead(p[0], 0, 4096), EINVAL);
	CHECK_ERR(readahead(p[1], 0, 4096), EBADF);	/* not for reading */
	CHECK_ERR(readahead(fd, 0, (size_t)-1), EINVAL);	/* len < 0 */
	CHECK_OK(close(p[0]));
	CHECK_OK(close(p[1]));
	CHECK_OK(close(dir));
	CHECK_OK(close(wr));
	CHECK_OK(close(fd));
}

static void case_sync_file_range(void)
{
	int fd = open_m(O_RDWR), p[2];
	int dir = CHECK_OK(open("/tmp", O_RDONLY | O_DIRECTORY));
	unsigned int all = SYNC_FILE_RANGE_WAIT_BEFORE |
			   SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER;

	CHECK_EQ(write(fd, "data", 4), 4);
	CHECK_OK(sync_file_range(fd, 0, 0, all));
	CHECK_OK(sync_file_range(fd, 0, 4, SYNC_FILE_RANGE_WRITE));
	CHECK_OK(sync_file_range(fd, 100, 0, 0));
	CHECK_OK(sync_file_range(dir, 0, 0, 0));
	CHECK_ERR(sync_file_range(fd, 0, 0, 8), EINVAL);
	CHECK_ERR(sync_file_range(fd, -1, 0, 0), EINVAL);
	CHECK_ERR(sync_file_range(fd, 10, -5, 0), EINVAL);
	CHECK_ERR(sync_file_range(fd, INT64_MAX, 1, 0), EINVAL);
	CHECK_ERR(sync_file_range(-1, 0, 0, 0), EBADF);
	CHECK_OK(pipe(p));
	CHECK_ERR(sync_file_range(p[0], 0, 0, 0), ESPIPE);
	CHECK_ERR(sync_file_range(p[0], 0, 0, 8), EINVAL);	/* flags first */
	CHECK_OK(close(p[0]));
	CHECK_OK(close(p[1]));
	CHECK_OK(close(dir));
	CHECK_OK(close(fd));
}

static void case_copy_file_range(void)
{
	int in = open_m(O_RDWR | O_TRUNC), out, p[2], dir;
	char buf[32] = { 0 };
	off_t oi = 2, oo = 0;

	out = CHECK_OK(open("/tmp/fsmisc-out", O_RDWR | O_CREAT | O_TRUNC,
			    0644));
	CHECK_EQ(write(in, "0123456789", 10), 10);
	CHECK_OK(lseek(in, 0, SEEK_SET));
	/* The files' own offsets move. */
	CHECK_EQ(copy_file_range(in, NULL, out, NULL, 4, 0), 4);
	CHECK_EQ(lseek(in, 0, SEEK_CUR), 4);
	CHECK_EQ(lseek(out, 0, SEEK_CUR), 4);
	/* Given offsets move instead; the copy stops at the source's end. */
	oo = 4;
	CHECK_EQ(copy_file_range(in, &oi, out, &oo, 100, 0), 8);
	CHECK_EQ(oi, 10);
	CHECK_EQ(oo, 12);
	CHECK_EQ(lseek(in, 0, SEEK_CUR), 4);
	CHECK_EQ(copy_file_range(in, &oi, out, &oo, 100, 0), 0);	/* EOF */
	CHECK_EQ(pread(out, buf, sizeof(buf), 0), 12);
	CHECK(memcmp(buf, "012323456789", 12) == 0);
	/* Within one file, without overlap. */
	oi = 0;
	oo = 20;
	CHECK_EQ(copy_file_range(in, &oi, in, &oo, 5, 0), 5);
	oi = 0;
	oo = 3;
	CHECK_ERR(copy_file_range(in, &oi, in, &oo, 5, 0), EINVAL);
	/* The checks. */
	CHECK_ERR(copy_file_range(in, NULL, out, NULL, 1, 1), EINVAL);
	CHECK_ERR(copy_file_range(-1, NULL, out, NULL, 1, 0), EBADF);
	CHECK_ERR(copy_file_range(in, NULL, -1, NULL, 1, 0), EBADF);
	dir = CHECK_OK(open("/tmp", O_RDONLY | O_DIRECTORY));
	CHECK_ERR(copy_file_range(dir, NULL, out, NULL, 1, 0), EISDIR);
	CHECK_OK(pipe(p));
	CHECK_ERR(copy_file_range(in, NULL, p[1], NULL, 1, 0), EINVAL);
	CHECK_ERR(copy_file_range(p[0], NULL, out, NULL, 1, 0), EINVAL);
	CHECK_OK(close(p[0]));
	CHECK_OK(close(p[1]));
	CHECK_OK(close(dir));
	dir = CHECK_OK(open("/tmp/fsmisc-out", O_WRONLY | O_APPEND));
	CHECK_ERR(copy_file_range(in, NULL, dir, NULL, 1, 0), EBADF);
	CHECK_OK(close(dir));
	dir = CHECK_OK(open("/tmp/fsmisc-out", O_RDONLY));
	CHECK_ERR(copy_file_range(in, NULL, dir, NULL, 1, 0), EBADF);
	CHECK_OK(close(dir));
	/* A zero length copies nothing, successfully. */
	CHECK_EQ(copy_file_range(in, NULL, out, NULL, 0, 0), 0);
	CHECK_OK(close(out));
	CHECK_OK(close(in));
}

/* The kernel's struct statx, for musl 1.2.3 which has none. */
struct k_statx {
	uint32_t mask, blksize;
	uint64_t attributes;
	uint32_t nlink, uid, gid;
	uint16_t mode, pad0;
	uint64_t ino, size, blocks, attributes_mask;
	struct { int64_t sec; uint32_t nsec; int32_t pad; } t[4];
	uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
	uint64_t mnt_id;
	uint64_t spare[13];
};
_Static_assert(sizeof(struct k_statx) == 256, "struct statx");

#define K_STATX_BASIC		0x7ffU
#define K_STATX_MNT_ID		0x1000U
#define K_ATTR_MOUNT_ROOT	0x2000U
#define K_ATTR_TMPFS		(0x10U | 0x20U | 0x40U)	/* immutable.. */

static void statx_fd(int fd, struct k_statx *sx, unsigned int mode)
{
	struct stat st;

	memset(sx, 0xa5, sizeof(*sx));
	CHECK_OK(syscall(SYS_statx, fd, "", AT_EMPTY_PATH, K_STATX_BASIC, sx));
	CHECK_EQ(sx->mask & (K_STATX_BASIC | K_STATX_MNT_ID),
		 K_STATX_BASIC | K_STATX_MNT_ID);
	CHECK(sx->mnt_id != 0);
	CHECK_EQ(sx->mode & S_IFMT, mode);
	CHECK_EQ(sx->attributes & K_ATTR_MOUNT_ROOT, 0);
	CHECK(sx->attributes_mask & K_ATTR_MOUNT_ROOT);
	CHECK_OK(fstat(fd, &st));
	CHECK_EQ(sx->ino, st.st_ino);
}

static void case_statx_any_descriptor(void)
{
	int fd = open_m(O_RDWR), p[2], pfd, proc;
	struct k_statx sx, root;

	statx_fd(fd, &sx, S_IFREG);
	CHECK_EQ(sx.attributes_mask & K_ATTR_TMPFS, K_ATTR_TMPFS);
	CHECK_OK(pipe(p));
	statx_fd(p[0], &sx, S_IFIFO);
	pfd = CHECK_OK(open(FILE_M, O_PATH));
	statx_fd(pfd, &sx, S_IFREG);
	proc = CHECK_OK(open("/proc/meminfo", O_RDONLY));
	statx_fd(proc, &sx, S_IFREG);
	/* A mount's root says so, and its mount id matches the mount's. */
	CHECK_OK(syscall(SYS_statx, AT_FDCWD, "/proc", 0, K_STATX_BASIC,
			 &root));
	CHECK(root.attributes & K_ATTR_MOUNT_ROOT);
	CHECK_EQ(root.mnt_id, sx.mnt_id);
	/* Without AT_EMPTY_PATH an empty name is ENOENT; bad flags EINVAL. */
	CHECK_ERR(syscall(SYS_statx, fd, "", 0, K_STATX_BASIC, &sx), ENOENT);
	CHECK_ERR(syscall(SYS_statx, fd, "", 0x10000, K_STATX_BASIC, &sx),
		  EINVAL);
	CHECK_ERR(syscall(SYS_statx, fd, "", AT_EMPTY_PATH, 0x80000000U, &sx),
		  EINVAL);
	CHECK_ERR(syscall(SYS_statx, -1, "", AT_EMPTY_PATH, K_STATX_BASIC,
			  &sx), EBADF);
	CHECK_OK(close(proc));
	CHECK_OK(close(pfd));
	CHECK_OK(close(p[0]));
	CHECK_OK(close(p[1]));
	CHECK_OK(close(fd));
}

static void case_faccessat2_flags(void)
{
	int fd = open_m(O_RDWR);

	unlink("/tmp/fsmisc-dangling");
	CHECK_OK(symlink("/tmp/fsmisc-none", "/tmp/fsmisc-dangling"));
	CHECK_OK(syscall(SYS_faccessat2, AT_FDCWD, FILE_M, R_OK | W_OK,
			 AT_EACCESS));
	CHECK_ERR(syscall(SYS_faccessat2, AT_FDCWD, "/tmp/fsmisc-dangling",
			  F_OK, 0), ENOENT);
	CHECK_OK(syscall(SYS_faccessat2, AT_FDCWD, "/tmp/fsmisc-dangling",
			 F_OK, AT_SYMLINK_NOFOLLOW));
	CHECK_OK(syscall(SYS_faccessat2, fd, "", R_OK, AT_EMPTY_PATH));
	CHECK_ERR(syscall(SYS_faccessat2, fd, "", R_OK, 0), ENOENT);
	CHECK_ERR(syscall(SYS_faccessat2, AT_FDCWD, FILE_M, F_OK, 0x1),
		  EINVAL);
	CHECK_ERR(syscall(SYS_faccessat2, AT_FDCWD, FILE_M, 8, 0), EINVAL);
	CHECK_OK(unlink("/tmp/fsmisc-dangling"));
	CHECK_OK(close(fd));
}

static const struct t_case cases[] = {
	{ case_fadvise, "fadvise" },
	{ case_readahead, "readahead" },
	{ case_sync_file_range, "sync_file_range" },
	{ case_copy_file_range, "copy_file_range" },
	{ case_statx_any_descriptor, "statx_any_descriptor" },
	{ case_faccessat2_flags, "faccessat2_flags" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
