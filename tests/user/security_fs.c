/*
 * security_fs.c - holes and gaps in the file calls that a review found
 * (issue 12), each case named after its bug:
 *
 *   fifo-open-accmode-3-use-after-free  open() of a FIFO with access mode 3
 *       succeeded, counted as neither reader nor writer; the pipe was
 *       freed under it when the last counted opener closed (a double free
 *       or a hang). Linux: EINVAL.
 *   seek-data-huge-sparse-file          SEEK_DATA on a 2^40-byte sparse
 *       tmpfs file walked it page by page for seconds under the inode
 *       lock; tmpfs sizes are bounded by MAX_LFS_FILESIZE as on Linux.
 *   partial-fault-transfers-count       read/write/readv/writev into a
 *       buffer that ends in an unmapped page returned EFAULT and nothing;
 *       Linux transfers the bytes before the fault and returns their count.
 *   mount-null-fstype-einval            mount with a NULL type gave EFAULT.
 *   fcntl-getlk-valid-call-not-einval   F_GETLK was EINVAL for every
 *       argument. Basalt has no record locks yet, so no lock is ever held
 *       and F_GETLK truthfully answers F_UNLCK; F_SETLK cannot be granted.
 */
#define _GNU_SOURCE
#include "t.h"

#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#define FIFO "/tmp/security-fs-fifo"
#define FILE_A "/tmp/security-fs-a"
#define FILE_B "/tmp/security-fs-b"

/* ---- fifo-open-accmode-3-use-after-free ------------------------------- */

static void fifo_round(int unused)
{
	int a, b;

	(void)unused;
	CHECK_OK(mknod(FIFO, S_IFIFO | 0644, 0));
	/* The sequence from the report, which panicked Basalt. */
	a = CHECK_OK(open(FIFO, O_RDWR));
	CHECK_ERR(open(FIFO, 3 | O_NONBLOCK), EINVAL);
	CHECK_ERR(open(FIFO, 3), EINVAL);
	CHECK_OK(close(a));
	/* The pipe is still sound: a new reader and writer meet. */
	a = CHECK_OK(open(FIFO, O_RDONLY | O_NONBLOCK));
	b = CHECK_OK(open(FIFO, O_WRONLY | O_NONBLOCK));
	CHECK_EQ(write(b, "x", 1), 1);
	char c = 0;
	CHECK_EQ(read(a, &c, 1), 1);
	CHECK_EQ(c, 'x');
	CHECK_OK(close(b));
	CHECK_OK(close(a));
	CHECK_OK(unlink(FIFO));
}

static void fifo_rounds(int rounds)
{
	for (int i = 0; i < rounds; i++)
		fifo_round(i);
}

static void case_fifo_open_accmode_3_use_after_free(void)
{
	int fd;
	char c;

	fifo_rounds(3);
	t_check_no_leak("FIFO opens with mode 3", fifo_rounds, 30);
	/* A regular file opens with mode 3 (Linux: for ioctls only), and
	 * reading or writing it is EBADF. */
	fd = CHECK_OK(open(FILE_A, O_RDWR | O_CREAT | O_TRUNC, 0600));
	CHECK_OK(close(fd));
	fd = CHECK_OK(open(FILE_A, 3));
	CHECK_ERR(read(fd, &c, 1), EBADF);
	CHECK_ERR(write(fd, "x", 1), EBADF);
	CHECK_OK(close(fd));
	CHECK_OK(unlink(FILE_A));
}

/* ---- seek-data-huge-sparse-file --------------------------------------- */

#define TIB (1LL << 40)

static void case_seek_data_huge_sparse_file(void)
{
	char buf[2];
	int fd = CHECK_OK(open(FILE_A, O_RDWR | O_CREAT | O_TRUNC, 0600));

	CHECK_OK(ftruncate(fd, TIB));
	CHECK_ERR(lseek(fd, 0, SEEK_DATA), ENXIO);
	CHECK_EQ(lseek(fd, 0, SEEK_HOLE), 0);
	CHECK_EQ(lseek(fd, TIB / 2, SEEK_HOLE), TIB / 2);
	/* One byte of data at the very end. */
	CHECK_EQ(pwrite(fd, "x", 1, TIB - 1), 1);
	CHECK_EQ(lseek(fd, 0, SEEK_DATA), TIB - T_PAGE);
	CHECK_EQ(lseek(fd, TIB - 1, SEEK_DATA), TIB - 1);
	CHECK_EQ(lseek(fd, TIB - T_PAGE, SEEK_HOLE), TIB);
	CHECK_ERR(lseek(fd, TIB, SEEK_DATA), ENXIO);

	/* The largest size tmpfs allows is MAX_LFS_FILESIZE (2^63 - 1). */
	CHECK_OK(ftruncate(fd, INT64_MAX));
	CHECK_EQ(lseek(fd, 0, SEEK_DATA), TIB - T_PAGE);
	CHECK_EQ(lseek(fd, TIB, SEEK_HOLE), TIB);
	CHECK_ERR(lseek(fd, TIB, SEEK_DATA), ENXIO);
	CHECK_EQ(lseek(fd, INT64_MAX - 1, SEEK_HOLE), INT64_MAX - 1);
	/* The last byte below the limit can be written... */
	CHECK_EQ(pwrite(fd, "y", 1, INT64_MAX - 1), 1);
	CHECK_EQ(pread(fd, buf, 2, INT64_MAX - 2), 2);
	CHECK(buf[0] == 0 && buf[1] == 'y');
	/* ...not past it: the end would overflow (EINVAL), and allocation
	 * past the limit is EFBIG. */
	CHECK_ERR(pwrite(fd, "zz", 2, INT64_MAX - 1), EINVAL);
	/* Appending: a write reaching past the limit is cut short, and one
	 * starting at it is EFBIG. */
	int app = CHECK_OK(open(FILE_A, O_WRONLY | O_APPEND));
	CHECK_OK(ftruncate(fd, INT64_MAX - 1));
	CHECK_EQ(write(app, "ab", 2), 1);
	CHECK_ERR(write(app, "c", 1), EINVAL);	/* its offset + 1 overflows */
	CHECK_EQ(lseek(app, 0, SEEK_SET), 0);
	CHECK_ERR(write(app, "c", 1), EFBIG);
	CHECK_EQ(write(app, "c", 0), 0);
	CHECK_OK(close(app));
	CHECK_ERR(fallocate(fd, 0, INT64_MAX - T_PAGE, 2 * T_PAGE), EFBIG);
	CHECK_ERR(fallocate(fd, 0, 1, INT64_MAX), EFBIG);
	CHECK_ERR(ftruncate(fd, -1), EINVAL);
	/* Giving it all back is as quick. */
	CHECK_OK(ftruncate(fd, 0));
	CHECK_ERR(lseek(fd, 0, SEEK_DATA), ENXIO);
	CHECK_OK(close(fd));
	CHECK_OK(unlink(FILE_A));
}

/* ---- partial-fault-transfers-count ------------------------------------ */

/* Three pages of which the last is unmapped: two usable, then a fault. */
static char *two_pages_then_hole(void)
{
	char *p = t_map(3 * T_PAGE, PROT_READ | PROT_WRITE);

	CHECK_OK(munmap(p + 2 * T_PAGE, T_PAGE));
	return p;
}

/* A file of three pages, page i filled with 'a' + i; open read-write. */
static int three_page_file(const char *path)
{
	int fd = CHECK_OK(open(path, O_RDWR | O_CREAT | O_TRUNC, 0600));
	static char page[T_PAGE];

	for (int i = 0; i < 3; i++) {
		memset(page, 'a' + i, T_PAGE);
		CHECK_EQ(write(fd, page, T_PAGE), T_PAGE);
	}
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

static int all_bytes(const char *p, size_t n, char c)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != c)
			return 0;
	return 1;
}

static void partial_tmpfs_read(char *buf)
{
	int fd = three_page_file(FILE_A);
	struct iovec iov[2] = { { buf, T_PAGE }, { buf + T_PAGE, 2 * T_PAGE } };

	CHECK_EQ(read(fd, buf, 3 * T_PAGE), 2 * T_PAGE);
	CHECK(all_bytes(buf, T_PAGE, 'a') && all_bytes(buf + T_PAGE, T_PAGE,
						       'b'));
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 2 * T_PAGE);
	CHECK_EQ(pread(fd, buf, 3 * T_PAGE, T_PAGE), 2 * T_PAGE);
	CHECK(all_bytes(buf, T_PAGE, 'b') && all_bytes(buf + T_PAGE, T_PAGE,
						       'c'));
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
	CHECK_EQ(readv(fd, iov, 2), 2 * T_PAGE);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 2 * T_PAGE);
	/* Not at a page of the file: the count is exact to the byte. */
	CHECK_EQ(pread(fd, buf + 2 * T_PAGE - 10, 100, 5), 10);
	CHECK(all_bytes(buf + 2 * T_PAGE - 10, 10, 'a'));
	CHECK_OK(close(fd));
}

static void partial_tmpfs_write(char *buf)
{
	int fd = CHECK_OK(open(FILE_B, O_RDWR | O_CREAT | O_TRUNC, 0600));
	struct iovec iov[2] = { { buf, T_PAGE }, { buf + T_PAGE, 2 * T_PAGE } };
	struct stat st;

	memset(buf, 'p', 2 * T_PAGE);
	CHECK_EQ(write(fd, buf, 3 * T_PAGE), 2 * T_PAGE);
	CHECK_OK(fstat(fd, &st));
	CHECK_EQ(st.st_size, 2 * T_PAGE);
	CHECK_EQ(st.st_blocks, 2 * T_PAGE / 512);	/* no page for the rest */
	CHECK_EQ(writev(fd, iov, 2), 2 * T_PAGE);
	CHECK_EQ(pwrite(fd, buf + 2 * T_PAGE - 10, 100, 1), 10);
	CHECK_OK(fstat(fd, &st));
	CHECK_EQ(st.st_size, 4 * T_PAGE);
	CHECK_EQ(pread(fd, buf, 16, 0), 16);
	CHECK(all_bytes(buf, 16, 'p'));
	CHECK_OK(close(fd));
	CHECK_OK(unlink(FILE_B));
}

/* The pipe keeps what could not be delivered. */
static void partial_pipe(char *buf)
{
	int p[2];

	CHECK_OK(pipe(p));
	memset(buf, 'a', T_PAGE);
	memset(buf + T_PAGE, 'b', T_PAGE);
	CHECK_EQ(write(p[1], buf, 3 * T_PAGE), 2 * T_PAGE);
	memset(buf, 0, 2 * T_PAGE);
	CHECK_EQ(read(p[0], buf + T_PAGE, 2 * T_PAGE), T_PAGE);
	CHECK(all_bytes(buf + T_PAGE, T_PAGE, 'a'));
	CHECK_EQ(read(p[0], buf, 2 * T_PAGE), T_PAGE);
	CHECK(all_bytes(buf, T_PAGE, 'b'));
	CHECK_OK(close(p[0]));
	CHECK_OK(close(p[1]));
}

static void partial_dev_zero(char *buf)
{
	int fd = CHECK_OK(open("/dev/zero", O_RDONLY));

	memset(buf, 1, 2 * T_PAGE);
	CHECK_EQ(read(fd, buf, 3 * T_PAGE), 2 * T_PAGE);
	CHECK(all_bytes(buf, 2 * T_PAGE, 0));
	CHECK_OK(close(fd));
}

/* /proc files copy out of their generated text. */
static void partial_procfs(char *buf)
{
	int fd = CHECK_OK(open("/proc/self/stat", O_RDONLY));

	CHECK_EQ(read(fd, buf + 2 * T_PAGE - 7, 64), 7);
	CHECK_OK(close(fd));
}

static void case_partial_fault_transfers_count(void)
{
	char *buf = two_pages_then_hole();

	partial_tmpfs_read(buf);
	partial_tmpfs_write(buf);
	partial_pipe(buf);
	partial_dev_zero(buf);
	partial_procfs(buf);
	CHECK_OK(unlink(FILE_A));
}

/* ---- mount-null-fstype-einval ----------------------------------------- */

static void case_mount_null_fstype_einval(void)
{
	const char *dir = "/tmp/security-fs-mnt";

	CHECK_OK(mkdir(dir, 0755));
	CHECK_ERR(mount("none", dir, NULL, 0, NULL), EINVAL);
	/* The target is looked up first. */
	CHECK_ERR(mount("none", "/tmp/security-fs-none/x", NULL, 0, NULL),
		  ENOENT);
	/* Nothing was mounted there. */
	CHECK_ERR(umount(dir), EINVAL);
	CHECK_OK(rmdir(dir));
}

/* ---- fcntl-getlk-valid-call-not-einval -------------------------------- */

static void case_fcntl_getlk_valid_call_not_einval(void)
{
	int fd = CHECK_OK(open(FILE_A, O_RDWR | O_CREAT | O_TRUNC, 0600));
	int rd = CHECK_OK(open(FILE_A, O_RDONLY));
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
			    .l_start = 10, .l_len = 20, .l_pid = 0 };

	/* Nobody holds a lock: F_UNLCK, and the rest as it was. */
	CHECK_OK(fcntl(fd, F_GETLK, &fl));
	CHECK_EQ(fl.l_type, F_UNLCK);
	CHECK_EQ(fl.l_start, 10);
	CHECK_EQ(fl.l_len, 20);
	fl.l_type = F_RDLCK;
	fl.l_whence = SEEK_END;
	CHECK_OK(fcntl(rd, F_GETLK, &fl));	/* testing needs no write */
	CHECK_EQ(fl.l_type, F_UNLCK);
	fl.l_type = F_WRLCK;
	CHECK_OK(fcntl(fd, F_OFD_GETLK, &fl));
	CHECK_EQ(fl.l_type, F_UNLCK);

	/* What Linux refuses, Basalt refuses alike. */
	fl = (struct flock){ .l_type = F_UNLCK, .l_whence = SEEK_SET };
	CHECK_ERR(fcntl(fd, F_GETLK, &fl), EINVAL);
	fl = (struct flock){ .l_type = 7, .l_whence = SEEK_SET };
	CHECK_ERR(fcntl(fd, F_GETLK, &fl), EINVAL);
	fl = (struct flock){ .l_type = F_WRLCK, .l_whence = 3 };
	CHECK_ERR(fcntl(fd, F_GETLK, &fl), EINVAL);
	fl = (struct flock){ .l_type = F_WRLCK, .l_whence = SEEK_SET,
			     .l_start = -1 };
	CHECK_ERR(fcntl(fd, F_GETLK, &fl), EINVAL);
	fl = (struct flock){ .l_type = F_WRLCK, .l_whence = SEEK_SET,
			     .l_start = 5, .l_len = -6 };
	CHECK_ERR(fcntl(fd, F_GETLK, &fl), EINVAL);
	fl = (struct flock){ .l_type = F_WRLCK, .l_whence = SEEK_SET,
			     .l_start = INT64_MAX, .l_len = 2 };
	CHECK_ERR(fcntl(fd, F_GETLK, &fl), EOVERFLOW);
	fl = (struct flock){ .l_type = F_WRLCK, .l_whence = SEEK_SET,
			     .l_pid = 1 };
	CHECK_ERR(fcntl(fd, F_OFD_GETLK, &fl), EINVAL);
	CHECK_ERR(fcntl(fd, F_GETLK, t_unmapped_page()), EFAULT);

	/* Setting: a write lock needs a file open for writing (EBADF);
	 * unlocking what nobody holds succeeds. */
	fl = (struct flock){ .l_type = F_WRLCK, .l_whence = SEEK_SET };
	CHECK_ERR(fcntl(rd, F_SETLK, &fl), EBADF);
	fl.l_type = F_UNLCK;
	CHECK_OK(fcntl(fd, F_SETLK, &fl));
	/* A write lock on a file open for writing is granted. */
	fl.l_type = F_WRLCK;
	CHECK_OK(fcntl(fd, F_SETLK, &fl));
	CHECK_OK(close(rd));
	CHECK_OK(close(fd));
	CHECK_OK(unlink(FILE_A));
}

static const struct t_case cases[] = {
	{ case_fifo_open_accmode_3_use_after_free,
	  "fifo-open-accmode-3-use-after-free" },
	{ case_seek_data_huge_sparse_file, "seek-data-huge-sparse-file" },
	{ case_partial_fault_transfers_count,
	  "partial-fault-transfers-count" },
	{ case_mount_null_fstype_einval, "mount-null-fstype-einval" },
	{ case_fcntl_getlk_valid_call_not_einval,
	  "fcntl-getlk-valid-call-not-einval" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
