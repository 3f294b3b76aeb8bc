/*
 * files.c - the file system calls on the initramfs (/tests, /dev, /proc)
 * and on files created in /tmp: open/openat, read/write and their vector
 * and positional forms, lseek, the stat family, getdents64, access,
 * readlink, getcwd/chdir, unlink, and how descriptors behave across fork
 * and exec (the table is copied, the open file and its offset shared,
 * O_CLOEXEC descriptors closed).
 *
 * Files in /tmp are named after the case's pid and removed at the end.
 * The program runs as its own exec target: "files-LIBC --check-fds A B".
 */
#define _GNU_SOURCE
#include "t.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

extern char **environ;

/* The kernel's struct statx (musl 1.2.3 has no definition of its own). */
struct t_statx_time {
	int64_t tv_sec;
	uint32_t tv_nsec;
	int32_t reserved;
};
struct t_statx {
	uint32_t mask, blksize;
	uint64_t attributes;
	uint32_t nlink, uid, gid;
	uint16_t mode, pad;
	uint64_t ino, size, blocks, attributes_mask;
	struct t_statx_time atime, btime, ctime, mtime;
	uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
	uint64_t spare[14];
};
_Static_assert(sizeof(struct t_statx) == 256, "struct statx is 256 bytes");
#define T_STATX_BASIC 0x7ffU	/* STATX_BASIC_STATS */

/* The linux_dirent64 records getdents64 returns. */
struct t_dirent64 {
	uint64_t ino;
	int64_t off;
	unsigned short reclen;
	unsigned char type;
	char name[];
};

/* The encoding of dev_t in struct stat (Linux new_encode_dev). */
static uint64_t encode_dev(uint32_t major, uint32_t minor)
{
	return (minor & 0xff) | ((uint64_t)major << 8) |
	       ((uint64_t)(minor & ~0xffU) << 12);
}

static char *tmp_name(char *buf, size_t len, const char *tag)
{
	snprintf(buf, len, "/tmp/files-%d-%s", (int)getpid(), tag);
	return buf;
}

/* Creates path with exactly the given contents; returns nothing. */
static void make_file(const char *path, const char *data, size_t len)
{
	int fd = CHECK_OK(open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644));
	CHECK_EQ(write(fd, data, len), (long)len);
	CHECK_OK(close(fd));
}

/* Reads exactly len bytes from fd (looping over short reads). */
static void read_all(int fd, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		long n = CHECK_OK(read(fd, (char *)buf + got, len - got));
		if (n == 0)
			T_FAIL("read: end of file after %zu of %zu bytes", got, len);
		got += n;
	}
}

static void case_self_is_elf(void)
{
	int fd = CHECK_OK(open(t_self(), O_RDONLY));
	struct stat st;
	char magic[4];

	read_all(fd, magic, 4);
	CHECK_EQ(memcmp(magic, "\x7f" "ELF", 4), 0);
	CHECK_OK(fstat(fd, &st));
	CHECK(S_ISREG(st.st_mode));
	CHECK((st.st_mode & 0111) != 0);
	CHECK(st.st_size > 4096);
	CHECK_EQ(lseek(fd, 0, SEEK_END), st.st_size);
	CHECK_OK(close(fd));
}

static void case_stat_family_agrees(void)
{
	const char *self = t_self();
	struct stat st, lst, at, fst;
	struct t_statx sx;

	int fd = CHECK_OK(open(self, O_RDONLY));
	CHECK_OK(syscall(SYS_stat, self, &st));
	CHECK_OK(syscall(SYS_lstat, self, &lst));
	CHECK_OK(syscall(SYS_newfstatat, (long)AT_FDCWD, self, &at, 0));
	CHECK_OK(syscall(SYS_fstat, fd, &fst));
	memset(&sx, 0, sizeof(sx));
	CHECK_OK(syscall(SYS_statx, (long)AT_FDCWD, self, 0, T_STATX_BASIC, &sx));

	const struct stat *all[] = { &lst, &at, &fst };
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(all[i]->st_ino, st.st_ino);
		CHECK_EQ(all[i]->st_dev, st.st_dev);
		CHECK_EQ(all[i]->st_mode, st.st_mode);
		CHECK_EQ(all[i]->st_size, st.st_size);
		CHECK_EQ(all[i]->st_nlink, st.st_nlink);
	}
	CHECK_EQ(sx.mask & T_STATX_BASIC & ~0x400U, T_STATX_BASIC & ~0x400U);
	CHECK_EQ(sx.ino, st.st_ino);
	CHECK_EQ(sx.size, st.st_size);
	CHECK_EQ(sx.mode, st.st_mode);
	CHECK_EQ(sx.nlink, st.st_nlink);
	CHECK_EQ(sx.uid, st.st_uid);
	CHECK_EQ(encode_dev(sx.dev_major, sx.dev_minor), st.st_dev);
	CHECK_EQ(sx.mtime.tv_sec, st.st_mtim.tv_sec);

	/* AT_EMPTY_PATH with "" means the descriptor itself. */
	CHECK_OK(syscall(SYS_newfstatat, fd, "", &at, AT_EMPTY_PATH));
	CHECK_EQ(at.st_ino, st.st_ino);
	memset(&sx, 0, sizeof(sx));
	CHECK_OK(syscall(SYS_statx, fd, "", AT_EMPTY_PATH, T_STATX_BASIC, &sx));
	CHECK_EQ(sx.ino, st.st_ino);
	CHECK_OK(close(fd));
}

static void case_stat_kinds(void)
{
	struct stat st;
	struct t_statx sx;

	CHECK_OK(stat("/tmp", &st));
	CHECK(S_ISDIR(st.st_mode));
	CHECK_OK(stat("/", &st));
	CHECK(S_ISDIR(st.st_mode));
	CHECK_OK(stat("/proc/meminfo", &st));
	CHECK(S_ISREG(st.st_mode));

	/* Device numbers: /dev/null is 1:3, /dev/console 5:1. */
	CHECK_OK(stat("/dev/null", &st));
	CHECK(S_ISCHR(st.st_mode));
	CHECK_EQ(st.st_rdev, 0x103);
	CHECK_OK(syscall(SYS_statx, (long)AT_FDCWD, "/dev/null", 0, T_STATX_BASIC, &sx));
	CHECK_EQ(sx.rdev_major, 1);
	CHECK_EQ(sx.rdev_minor, 3);
	CHECK_OK(stat("/dev/console", &st));
	CHECK(S_ISCHR(st.st_mode));
	CHECK_EQ(st.st_rdev, 0x501);
}

static void case_path_errors(void)
{
	char path[600], huge[5000];
	struct stat st;

	snprintf(path, sizeof(path), "%s/x", t_self());
	CHECK_ERR(stat("/nonexistent", &st), ENOENT);
	CHECK_ERR(stat("/nonexistent/x", &st), ENOENT);
	CHECK_ERR(stat("", &st), ENOENT);
	CHECK_ERR(stat(path, &st), ENOTDIR);		/* a file as directory */
	CHECK_ERR(open(path, O_RDONLY), ENOTDIR);
	CHECK_ERR(open("", O_RDONLY), ENOENT);
	CHECK_ERR(open("/nonexistent", O_RDONLY), ENOENT);

	memset(path, 0, sizeof(path));
	memcpy(path, "/tmp/", 5);
	memset(path + 5, 'a', 300);			/* NAME_MAX is 255 */
	CHECK_ERR(stat(path, &st), ENAMETOOLONG);
	CHECK_ERR(open(path, O_RDWR | O_CREAT, 0644), ENAMETOOLONG);
	memset(huge, 'b', sizeof(huge) - 1);		/* PATH_MAX is 4096 */
	huge[0] = '/';
	huge[sizeof(huge) - 1] = '\0';
	CHECK_ERR(stat(huge, &st), ENAMETOOLONG);
}

/* Calls fn on every entry of the open directory fd; returns the count. */
static int list_dir(int fd, void (*fn)(const struct t_dirent64 *, void *), void *arg)
{
	static char buf[4096];
	int count = 0;
	long n;

	while ((n = CHECK_OK(syscall(SYS_getdents64, fd, buf, sizeof(buf)))) > 0) {
		for (long off = 0; off < n;) {
			const struct t_dirent64 *d = (const void *)(buf + off);
			CHECK(d->reclen > 0 && d->reclen % 8 == 0);
			fn(d, arg);
			count++;
			off += d->reclen;
		}
	}
	return count;
}

struct wanted {
	const char *name;
	int type;
	int seen;
};

static void mark_wanted(const struct t_dirent64 *d, void *arg)
{
	for (struct wanted *w = arg; w->name; w++) {
		if (strcmp(d->name, w->name) != 0)
			continue;
		w->seen++;
		if (d->type != w->type)
			T_FAIL("%s: d_type %d, want %d", d->name, d->type, w->type);
	}
}

static void check_all_seen(const struct wanted *w, int times)
{
	for (; w->name; w++)
		if (w->seen != times)
			T_FAIL("%s seen %d times, want %d", w->name, w->seen, times);
}

static void case_getdents_tests_dir(void)
{
	char dir[512], hello[64];
	const char *self = t_self();
	const char *base = strrchr(self, '/') + 1;

	snprintf(dir, sizeof(dir), "%.*s", (int)(base - self), self);
	snprintf(hello, sizeof(hello), "hello-%s", t_libc());
	struct wanted w[] = {
		{ ".", DT_DIR, 0 }, { "..", DT_DIR, 0 },
		{ base, DT_REG, 0 }, { hello, DT_REG, 0 }, { NULL, 0, 0 },
	};
	int fd = CHECK_OK(open(dir, O_RDONLY | O_DIRECTORY));
	CHECK(list_dir(fd, mark_wanted, w) >= 4);
	check_all_seen(w, 1);
	/* At the end it stays at the end; lseek to 0 starts over. */
	CHECK_EQ(syscall(SYS_getdents64, fd, dir, sizeof(dir)), 0);
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
	list_dir(fd, mark_wanted, w);
	check_all_seen(w, 2);
	CHECK_OK(close(fd));
}

static void case_getdents_errors(void)
{
	char buf[256];
	int dir = CHECK_OK(open("/", O_RDONLY | O_DIRECTORY));
	int file = CHECK_OK(open(t_self(), O_RDONLY));

	/* Too small for even one record. */
	CHECK_ERR(syscall(SYS_getdents64, dir, buf, 8), EINVAL);
	CHECK_ERR(syscall(SYS_getdents64, file, buf, sizeof(buf)), ENOTDIR);
	CHECK_ERR(syscall(SYS_getdents64, 999, buf, sizeof(buf)), EBADF);
	CHECK_ERR(open(t_self(), O_RDONLY | O_DIRECTORY), ENOTDIR);
	close(dir);
	close(file);
}

static void case_getdents_tmp(void)
{
	char a[64], b[64];
	char *base_a = tmp_name(a, sizeof(a), "ls-a") + 5;
	char *base_b = tmp_name(b, sizeof(b), "ls-b") + 5;

	make_file(a, "a", 1);
	make_file(b, "b", 1);
	struct wanted w[] = { { base_a, DT_REG, 0 }, { base_b, DT_REG, 0 }, { NULL, 0, 0 } };
	int fd = CHECK_OK(open("/tmp", O_RDONLY | O_DIRECTORY));
	list_dir(fd, mark_wanted, w);
	check_all_seen(w, 1);
	CHECK_OK(close(fd));

	CHECK_OK(unlink(a));
	struct wanted gone[] = { { base_a, DT_REG, 0 }, { NULL, 0, 0 } };
	fd = CHECK_OK(open("/tmp", O_RDONLY | O_DIRECTORY));
	list_dir(fd, mark_wanted, gone);
	check_all_seen(gone, 0);
	CHECK_OK(close(fd));
	CHECK_OK(unlink(b));
}

static void case_access(void)
{
	const char *self = t_self();
	const char *base = strrchr(self, '/') + 1;
	char dir[512];

	snprintf(dir, sizeof(dir), "%.*s", (int)(base - self), self);
	CHECK_OK(access(self, F_OK));
	CHECK_OK(access(self, R_OK | X_OK));
	CHECK_OK(syscall(SYS_access, "/tmp", R_OK | W_OK | X_OK));
	CHECK_OK(syscall(SYS_faccessat, (long)AT_FDCWD, self, R_OK));
	int dfd = CHECK_OK(open(dir, O_RDONLY | O_DIRECTORY));
	CHECK_OK(syscall(SYS_faccessat, dfd, base, X_OK));	/* relative to dfd */
	CHECK_ERR(syscall(SYS_faccessat, dfd, "nonexistent", F_OK), ENOENT);
	CHECK_OK(close(dfd));
	CHECK_ERR(syscall(SYS_access, "/nonexistent", F_OK), ENOENT);
	CHECK_ERR(syscall(SYS_access, self, 0x100), EINVAL);	/* bad mode */
}

static void case_readlink(void)
{
	char buf[64];

	CHECK_ERR(syscall(SYS_readlink, t_self(), buf, sizeof(buf)), EINVAL);
	CHECK_ERR(syscall(SYS_readlink, "/tmp", buf, sizeof(buf)), EINVAL);
	CHECK_ERR(syscall(SYS_readlink, "/nonexistent", buf, sizeof(buf)), ENOENT);
	CHECK_ERR(syscall(SYS_readlink, t_self(), buf, 0), EINVAL);
}

/* The raw getcwd returns the length including the NUL. */
static void check_cwd(const char *want)
{
	char buf[256];

	CHECK_EQ(syscall(SYS_getcwd, buf, sizeof(buf)), (long)strlen(want) + 1);
	if (strcmp(buf, want) != 0)
		T_FAIL("cwd is \"%s\", want \"%s\"", buf, want);
	CHECK(getcwd(buf, sizeof(buf)) == buf);
	CHECK_EQ(strcmp(buf, want), 0);
}

static void case_getcwd_chdir(void)
{
	char buf[256], name[64];
	struct stat st;

	CHECK_OK(chdir("/"));
	check_cwd("/");
	CHECK_OK(chdir("tmp"));			/* relative */
	check_cwd("/tmp");
	CHECK_ERR(syscall(SYS_getcwd, buf, 4), ERANGE);	/* "/tmp" needs 5 */
	CHECK_OK(chdir(".."));
	check_cwd("/");
	CHECK_OK(chdir(".."));			/* the root is its own parent */
	check_cwd("/");
	CHECK_OK(chdir("/tmp/."));
	check_cwd("/tmp");

	/* Relative names now resolve in /tmp. */
	snprintf(name, sizeof(name), "files-%d-rel", (int)getpid());
	make_file(name, "r", 1);
	CHECK_OK(stat(tmp_name(buf, sizeof(buf), "rel"), &st));
	CHECK_EQ(st.st_size, 1);
	CHECK_OK(unlink(name));

	CHECK_ERR(chdir(t_self()), ENOTDIR);
	CHECK_ERR(chdir("/nonexistent"), ENOENT);
	check_cwd("/tmp");			/* failures changed nothing */
}

static void case_cwd_per_process(void)
{
	CHECK_OK(chdir("/tmp"));
	pid_t pid = t_fork();
	if (pid == 0) {
		check_cwd("/tmp");		/* inherited */
		CHECK_OK(chdir("/"));
		check_cwd("/");
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
	check_cwd("/tmp");			/* the child's chdir was its own */
}

static void case_create_write_read(void)
{
	static char out[10000], in[10000];
	char path[64];
	struct stat st;

	tmp_name(path, sizeof(path), "rw");
	for (size_t i = 0; i < sizeof(out); i++)
		out[i] = (char)(i * 7 % 251);
	int fd = CHECK_OK(open(path, O_RDWR | O_CREAT | O_EXCL, 0600));
	CHECK_EQ(write(fd, out, sizeof(out)), (long)sizeof(out));
	CHECK_OK(fstat(fd, &st));
	CHECK(S_ISREG(st.st_mode));
	CHECK_EQ(st.st_mode & 0777, 0600);
	CHECK_EQ(st.st_size, (long)sizeof(out));
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
	read_all(fd, in, sizeof(in));
	CHECK_EQ(memcmp(in, out, sizeof(in)), 0);
	CHECK_EQ(read(fd, in, 10), 0);		/* end of file */
	CHECK_OK(close(fd));

	CHECK_ERR(open(path, O_RDWR | O_CREAT | O_EXCL, 0600), EEXIST);
	/* Reopened, the data is still there. */
	fd = CHECK_OK(open(path, O_RDONLY));
	read_all(fd, in, sizeof(in));
	CHECK_EQ(memcmp(in, out, sizeof(in)), 0);
	CHECK_OK(close(fd));
	/* O_TRUNC empties it. */
	fd = CHECK_OK(open(path, O_WRONLY | O_TRUNC));
	CHECK_OK(fstat(fd, &st));
	CHECK_EQ(st.st_size, 0);
	CHECK_OK(close(fd));
	CHECK_OK(unlink(path));
}

static void case_large_file(void)
{
	static char block[4096];
	char path[64];
	int fd = CHECK_OK(open(tmp_name(path, sizeof(path), "large"),
			       O_RDWR | O_CREAT | O_TRUNC, 0644));

	for (int i = 0; i < 256; i++) {		/* 1 MiB */
		memset(block, i, sizeof(block));
		CHECK_EQ(write(fd, block, sizeof(block)), (long)sizeof(block));
	}
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
	for (int i = 0; i < 256; i++) {
		read_all(fd, block, sizeof(block));
		for (size_t j = 0; j < sizeof(block); j++)
			if (block[j] != (char)i)
				T_FAIL("block %d byte %zu is %d", i, j, block[j]);
	}
	CHECK_OK(close(fd));
	CHECK_OK(unlink(path));
}

static void case_lseek(void)
{
	char path[64], c;
	int fd = CHECK_OK(open(tmp_name(path, sizeof(path), "seek"),
			       O_RDWR | O_CREAT | O_TRUNC, 0644));

	CHECK_EQ(write(fd, "0123456789", 10), 10);
	CHECK_EQ(lseek(fd, 3, SEEK_SET), 3);
	CHECK_EQ(read(fd, &c, 1), 1);
	CHECK_EQ(c, '3');
	CHECK_EQ(lseek(fd, 2, SEEK_CUR), 6);
	CHECK_EQ(lseek(fd, -1, SEEK_CUR), 5);
	CHECK_EQ(read(fd, &c, 1), 1);
	CHECK_EQ(c, '5');
	CHECK_EQ(lseek(fd, -2, SEEK_END), 8);
	CHECK_EQ(read(fd, &c, 1), 1);
	CHECK_EQ(c, '8');
	CHECK_EQ(lseek(fd, 0, SEEK_END), 10);
	CHECK_ERR(lseek(fd, -11, SEEK_END), EINVAL);	/* before the start */
	CHECK_ERR(lseek(fd, -1, SEEK_SET), EINVAL);
	CHECK_ERR(lseek(fd, 0, 99), EINVAL);		/* bad whence */
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 10);		/* errors moved nothing */

	/* Seeking past the end is allowed; writing there leaves zeros. */
	CHECK_EQ(lseek(fd, 20, SEEK_SET), 20);
	CHECK_EQ(read(fd, &c, 1), 0);
	CHECK_EQ(write(fd, "x", 1), 1);
	CHECK_EQ(lseek(fd, 0, SEEK_END), 21);
	char buf[11];
	CHECK_EQ(pread(fd, buf, 11, 10), 11);
	CHECK_EQ(memcmp(buf, "\0\0\0\0\0\0\0\0\0\0x", 11), 0);
	CHECK_ERR(lseek(999, 0, SEEK_SET), EBADF);
	CHECK_OK(close(fd));
	CHECK_OK(unlink(path));
}

static void case_pread_pwrite(void)
{
	char path[64], buf[16];
	struct stat st;
	int fd = CHECK_OK(open(tmp_name(path, sizeof(path), "pio"),
			       O_RDWR | O_CREAT | O_TRUNC, 0644));

	CHECK_EQ(pwrite(fd, "hello", 5, 5000), 5);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 0);		/* offset untouched */
	CHECK_OK(fstat(fd, &st));
	CHECK_EQ(st.st_size, 5005);
	CHECK_EQ(pread(fd, buf, 5, 5000), 5);
	CHECK_EQ(memcmp(buf, "hello", 5), 0);
	CHECK_EQ(pread(fd, buf, 4, 4998), 4);
	CHECK_EQ(memcmp(buf, "\0\0he", 4), 0);
	CHECK_EQ(pread(fd, buf, 16, 5003), 2);		/* short at the end */
	CHECK_EQ(pread(fd, buf, 16, 9000), 0);		/* beyond the end */
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 0);
	CHECK_ERR(syscall(SYS_pread64, fd, buf, 4, (long)-1), EINVAL);
	CHECK_ERR(syscall(SYS_pwrite64, fd, buf, 4, (long)-1), EINVAL);
	CHECK_OK(close(fd));
	CHECK_OK(unlink(path));
}

static void case_readv_writev(void)
{
	char path[64], a[3], b[4], c[10];
	int fd = CHECK_OK(open(tmp_name(path, sizeof(path), "vec"),
			       O_RDWR | O_CREAT | O_TRUNC, 0644));
	struct iovec out[] = {
		{ "abc", 3 }, { "", 0 }, { "defg", 4 }, { "hij", 3 },
	};

	CHECK_EQ(syscall(SYS_writev, fd, out, 4), 10);
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
	struct iovec in[] = { { a, 3 }, { b, 4 }, { c, 10 } };
	CHECK_EQ(syscall(SYS_readv, fd, in, 3), 10);	/* c gets only 3 */
	CHECK_EQ(memcmp(a, "abc", 3), 0);
	CHECK_EQ(memcmp(b, "defg", 4), 0);
	CHECK_EQ(memcmp(c, "hij", 3), 0);
	CHECK_EQ(syscall(SYS_readv, fd, in, 3), 0);	/* end of file */
	CHECK_EQ(syscall(SYS_writev, fd, out, 0), 0);
	CHECK_ERR(syscall(SYS_writev, fd, out, (long)-1), EINVAL);
	CHECK_ERR(syscall(SYS_readv, fd, in, 1025), EINVAL);	/* > IOV_MAX */
	CHECK_OK(close(fd));
	CHECK_OK(unlink(path));
}

static void case_append(void)
{
	char path[64], buf[16];

	make_file(tmp_name(path, sizeof(path), "app"), "abc", 3);
	int fd = CHECK_OK(open(path, O_RDWR | O_APPEND));
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
	CHECK_EQ(write(fd, "de", 2), 2);		/* still at the end */
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 5);
	CHECK_EQ(pread(fd, buf, sizeof(buf), 0), 5);
	CHECK_EQ(memcmp(buf, "abcde", 5), 0);
	CHECK_OK(close(fd));
	CHECK_OK(unlink(path));
}

static void case_unlink(void)
{
	char path[64], slash[80], buf[8];
	struct stat st;

	make_file(tmp_name(path, sizeof(path), "unl"), "still here", 10);
	int fd = CHECK_OK(open(path, O_RDONLY));
	CHECK_OK(unlink(path));
	CHECK_ERR(stat(path, &st), ENOENT);
	CHECK_ERR(open(path, O_RDONLY), ENOENT);
	CHECK_ERR(unlink(path), ENOENT);
	/* The open descriptor keeps the data alive. */
	CHECK_OK(fstat(fd, &st));
	CHECK_EQ(st.st_nlink, 0);
	CHECK_EQ(st.st_size, 10);
	read_all(fd, buf, 5);
	CHECK_EQ(memcmp(buf, "still", 5), 0);
	CHECK_OK(close(fd));

	/* A name can be reused at once, for a new file. */
	make_file(path, "new", 3);
	CHECK_OK(stat(path, &st));
	CHECK_EQ(st.st_size, 3);
	snprintf(slash, sizeof(slash), "%s/", path);
	CHECK_ERR(unlink(slash), ENOTDIR);
	CHECK_OK(unlink(path));
}

static void case_fd_errors(void)
{
	char path[64], c;
	int rd = CHECK_OK(open(t_self(), O_RDONLY));
	int dir = CHECK_OK(open("/tmp", O_RDONLY | O_DIRECTORY));

	make_file(tmp_name(path, sizeof(path), "wo"), "x", 1);
	int wr = CHECK_OK(open(path, O_WRONLY));
	CHECK_ERR(write(rd, "x", 1), EBADF);		/* opened read-only */
	CHECK_ERR(read(wr, &c, 1), EBADF);		/* opened write-only */
	CHECK_ERR(read(dir, &c, 1), EISDIR);
	CHECK_ERR(write(dir, "x", 1), EBADF);
	CHECK_ERR(open("/tmp", O_WRONLY), EISDIR);
	CHECK_ERR(open("/tmp", O_RDWR), EISDIR);
	CHECK_OK(close(rd));
	CHECK_ERR(close(rd), EBADF);			/* twice */
	CHECK_ERR(read(rd, &c, 1), EBADF);
	CHECK_ERR(fstat(rd, &(struct stat){ 0 }), EBADF);
	CHECK_ERR(close(-1), EBADF);
	CHECK_ERR(read(12345, &c, 1), EBADF);
	CHECK_OK(close(wr));
	CHECK_OK(close(dir));
	CHECK_OK(unlink(path));
}

static void case_openat(void)
{
	char path[64], name[64], buf[4];
	int tmp = CHECK_OK(open("/tmp", O_RDONLY | O_DIRECTORY));
	int file = CHECK_OK(open(t_self(), O_RDONLY));

	tmp_name(path, sizeof(path), "at");
	snprintf(name, sizeof(name), "%s", path + 5);
	int fd = CHECK_OK(openat(tmp, name, O_RDWR | O_CREAT | O_EXCL, 0644));
	CHECK_EQ(write(fd, "at", 2), 2);
	CHECK_OK(close(fd));
	fd = CHECK_OK(open(path, O_RDONLY));		/* it is in /tmp */
	read_all(fd, buf, 2);
	CHECK_EQ(memcmp(buf, "at", 2), 0);
	CHECK_OK(close(fd));

	CHECK_OK(chdir("/"));
	snprintf(name, sizeof(name), "tmp/%s", path + 5);
	CHECK_OK(close(CHECK_OK(openat(AT_FDCWD, name, O_RDONLY))));
	/* An absolute path ignores the directory descriptor entirely. */
	CHECK_OK(close(CHECK_OK(openat(file, path, O_RDONLY))));
	CHECK_OK(close(CHECK_OK(openat(12345, path, O_RDONLY))));
	CHECK_ERR(openat(file, "x", O_RDONLY), ENOTDIR);
	CHECK_ERR(openat(12345, "x", O_RDONLY), EBADF);
	CHECK_OK(close(tmp));
	CHECK_OK(close(file));
	CHECK_OK(unlink(path));
}

static void case_lowest_fd(void)
{
	int a = CHECK_OK(open("/dev/null", O_RDONLY));
	int b = CHECK_OK(open("/dev/null", O_RDONLY));

	CHECK(b > a);
	CHECK_OK(close(a));
	CHECK_EQ(open("/dev/null", O_RDONLY), a);	/* lowest free number */
	CHECK_OK(close(a));
	CHECK_OK(close(b));
}

/*
 * /proc/<pid>/stat and cmdline, what ps reads: "pid (comm) state ppid ...", and
 * the parent's directory is listed in /proc.
 */
static void case_proc_stat(void)
{
	char path[64], buf[512], comm[32], state;
	int pid, ppid, fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)getpid());
	fd = CHECK_OK(open(path, O_RDONLY | O_CLOEXEC));
	n = CHECK_OK(read(fd, buf, sizeof(buf) - 1));
	close(fd);
	buf[n] = '\0';
	CHECK_EQ(sscanf(buf, "%d (%31[^)]) %c %d", &pid, comm, &state, &ppid), 4);
	CHECK_EQ(pid, (int)getpid());
	CHECK_EQ(ppid, (int)getppid());
	CHECK(state == 'R');
	DIR *d = opendir("/proc");
	CHECK(d != NULL);
	bool found = false;
	for (struct dirent *e; (e = readdir(d)) != NULL;)
		if (atoi(e->d_name) == (int)getppid())
			found = true;
	closedir(d);
	CHECK(found);

	/* cmdline: the argv strings, each with its NUL. */
	fd = CHECK_OK(open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC));
	n = CHECK_OK(read(fd, buf, sizeof(buf) - 1));
	close(fd);
	CHECK_EQ((size_t)n, strlen(program_invocation_name) + 1);
	CHECK(strcmp(buf, program_invocation_name) == 0);
}

static void case_dev_null_and_proc(void)
{
	static char buf[8192];
	int fd = CHECK_OK(open("/dev/null", O_RDWR));

	CHECK_EQ(write(fd, "discarded", 9), 9);
	CHECK_EQ(read(fd, buf, sizeof(buf)), 0);
	CHECK_OK(close(fd));

	fd = CHECK_OK(open("/proc/meminfo", O_RDONLY));
	long n = CHECK_OK(read(fd, buf, sizeof(buf) - 1));
	buf[n] = '\0';
	CHECK(strstr(buf, "MemTotal:") != NULL);
	CHECK(strstr(buf, "MemFree:") != NULL);
	CHECK_OK(close(fd));
	long total = strtol(strstr(buf, "MemTotal:") + 9, NULL, 10);
	long free_kb = t_memfree_kb();
	CHECK(free_kb > 0 && free_kb < total);
}

static int check_fds(const char *closed, const char *kept)
{
	struct stat st;
	char c;

	if (fstat(atoi(closed), &st) == 0 || errno != EBADF)
		return 1;			/* O_CLOEXEC was not honoured */
	if (read(atoi(kept), &c, 1) != 1 || c != '3')
		return 2;			/* offset not carried over */
	return 0;
}

static void case_cloexec_across_exec(void)
{
	char path[64], sa[16], sb[16];

	make_file(tmp_name(path, sizeof(path), "cloexec"), "0123456789", 10);
	int closed = CHECK_OK(open(path, O_RDONLY | O_CLOEXEC));
	int kept = CHECK_OK(open(path, O_RDONLY));
	CHECK_EQ(lseek(kept, 3, SEEK_SET), 3);
	snprintf(sa, sizeof(sa), "%d", closed);
	snprintf(sb, sizeof(sb), "%d", kept);

	pid_t pid = t_fork();
	if (pid == 0) {
		char *argv[] = { (char *)t_self(), "--check-fds", sa, sb, NULL };
		execve(t_self(), argv, environ);
		T_FAIL("execve: errno %s", t_errname(errno));
	}
	CHECK_EXITED(t_wait(pid), 0);
	/* The new program read one byte through the shared open file. */
	CHECK_EQ(lseek(kept, 0, SEEK_CUR), 4);
	CHECK_OK(close(closed));			/* still open here */
	CHECK_OK(close(kept));
	CHECK_OK(unlink(path));
}

static void case_fd_table_across_fork(void)
{
	volatile int *child_fd = t_shared_ints();
	char path[64], c;
	struct stat st;

	make_file(tmp_name(path, sizeof(path), "fork"), "0123456789", 10);
	int fd = CHECK_OK(open(path, O_RDONLY));
	pid_t pid = t_fork();
	if (pid == 0) {
		/* Reading moves the offset both processes share. */
		read_all(fd, &c, 1);
		read_all(fd, &c, 1);
		/* A descriptor opened here exists only here. */
		*child_fd = CHECK_OK(open("/dev/null", O_RDONLY));
		CHECK_OK(close(fd));
		CHECK_ERR(fstat(fd, &st), EBADF);
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
	CHECK_OK(fstat(fd, &st));	/* the child's close was its own */
	CHECK_ERR(fstat(*child_fd, &st), EBADF);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 2);
	read_all(fd, &c, 1);
	CHECK_EQ(c, '2');
	CHECK_OK(close(fd));
	CHECK_OK(unlink(path));
}

static const struct t_case cases[] = {
	{ case_self_is_elf, "self_is_elf" },
	{ case_stat_family_agrees, "stat_family_agrees" },
	{ case_stat_kinds, "stat_kinds" },
	{ case_path_errors, "path_errors" },
	{ case_getdents_tests_dir, "getdents_tests_dir" },
	{ case_getdents_errors, "getdents_errors" },
	{ case_getdents_tmp, "getdents_tmp" },
	{ case_access, "access" },
	{ case_readlink, "readlink" },
	{ case_getcwd_chdir, "getcwd_chdir" },
	{ case_cwd_per_process, "cwd_per_process" },
	{ case_create_write_read, "create_write_read" },
	{ case_large_file, "large_file" },
	{ case_lseek, "lseek" },
	{ case_pread_pwrite, "pread_pwrite" },
	{ case_readv_writev, "readv_writev" },
	{ case_append, "append" },
	{ case_unlink, "unlink" },
	{ case_fd_errors, "fd_errors" },
	{ case_openat, "openat" },
	{ case_lowest_fd, "lowest_fd" },
	{ case_dev_null_and_proc, "dev_null_and_proc" },
	{ case_proc_stat, "proc_stat" },
	{ case_cloexec_across_exec, "cloexec_across_exec" },
	{ case_fd_table_across_fork, "fd_table_across_fork" },
};

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "--check-fds") == 0)
		return check_fds(argv[2], argv[3]);
	return T_RUN(argc, argv, cases);
}
