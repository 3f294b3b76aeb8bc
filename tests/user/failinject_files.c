/*
 * failinject_files.c - file and pipe calls with each of their
 * allocations failing in turn (failinject.h). Basalt-only: the cases
 * skip without fail-nth.
 *
 * open of an existing file (the lookup) and creating one, writing pages
 * into a file, a pipe and its first write, mkdir, symlink, rename,
 * reading a generated /proc file, and mounting a tmpfs. Each failure must
 * be ENOMEM (a write may instead stop short: that is a success); Linux
 * also answers ENFILE when it cannot allocate the file of a new
 * descriptor. A tmpfs page that cannot be had is ENOSPC: Basalt's tmpfs
 * takes memory running out for the file system being full, as Linux's
 * shmem does when its overcommit check refuses the page
 * (kernel/fs/tmpfs_file.c).
 */
#include "failinject.h"

#include <dirent.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/uio.h>

static char dir[64], path_a[96], path_b[96];
static int fds[2] = { -1, -1 };
static char page[3 * T_PAGE];

static void close_fds(void)
{
	for (int i = 0; i < 2; i++)
		if (fds[i] >= 0)
			CHECK_OK(close(fds[i]));
	fds[0] = fds[1] = -1;
}

static long err_or_fd(long r, int slot)
{
	if (r < 0)
		return -errno;
	fds[slot] = (int)r;
	return 0;
}

/* A directory of our own in /tmp holding a, and names for b. */
static void setup_dir(void)
{
	snprintf(dir, sizeof(dir), "/tmp/failinject-%d", (int)getpid());
	snprintf(path_a, sizeof(path_a), "%s/a", dir);
	snprintf(path_b, sizeof(path_b), "%s/b", dir);
	CHECK_OK(mkdir(dir, 0700));
	CHECK_OK(close(CHECK_OK(open(path_a, O_CREAT | O_WRONLY, 0600))));
}

static void undo_dir(void)
{
	close_fds();
	unlink(path_a);
	if (unlink(path_b) != 0)
		rmdir(path_b);
	CHECK_OK(rmdir(dir));
}

static long act_open(void) { return err_or_fd(open(path_a, O_RDONLY), 0); }
static long act_creat(void)
{
	return err_or_fd(open(path_b, O_CREAT | O_EXCL | O_RDWR, 0600), 0);
}

static void setup_write(void)
{
	setup_dir();
	fds[0] = CHECK_OK(open(path_a, O_RDWR));
}

static long act_write(void)
{
	long r = pwrite(fds[0], page, sizeof(page), 0);

	return r < 0 ? -errno : 0;
}

static long act_pipe(void)
{
	long r = pipe(fds);

	if (r)
		return -errno;
	return write(fds[1], "x", 1) < 0 ? -errno : 0;
}

/*
 * Regression: pipe-end-failure-leaks-path. When the file of one end could
 * not be allocated, file_open_path released and cleared the pipe's own
 * path instead of a copy, so the pipe's dentry and inode (512 bytes)
 * were never freed.
 */
static long act_pipe_only(void) { return pipe(fds) ? -errno : 0; }

static long act_mkdir(void) { return mkdir(path_b, 0700) ? -errno : 0; }
static long act_symlink(void) { return symlink("a", path_b) ? -errno : 0; }
static long act_rename(void)
{
	return rename(path_a, path_b) ? -errno : 0;
}


static long act_proc_read(void)
{
	long r = err_or_fd(open("/proc/self/maps", O_RDONLY), 0);

	if (r)
		return r;
	return read(fds[0], page, sizeof(page)) < 0 ? -errno : 0;
}

static long act_readv_writev(void)
{
	struct iovec iov[3] = {
		{ page, 100 }, { page + 100, 200 }, { page + 300, 300 },
	};

	if (pwritev(fds[0], iov, 3, 0) < 0)
		return -errno;
	return preadv(fds[0], iov, 3, 0) < 0 ? -errno : 0;
}

static long act_getdents(void)
{
	long r = err_or_fd(open(dir, O_RDONLY | O_DIRECTORY), 0);

	if (r)
		return r;
	return syscall(SYS_getdents64, fds[0], page, sizeof(page)) < 0 ?
		-errno : 0;
}

static long act_sendfile(void)
{
	long r = err_or_fd(open(path_b, O_CREAT | O_WRONLY, 0600), 1);

	if (r)
		return r;
	return sendfile(fds[1], fds[0], NULL, T_PAGE) < 0 ? -errno : 0;
}

static void setup_sendfile(void)
{
	setup_write();
	CHECK_EQ(pwrite(fds[0], page, T_PAGE, 0), T_PAGE);
}

static long act_poll(void)
{
	struct pollfd p[3] = {
		{ .fd = 0, .events = POLLIN }, { .fd = 1, .events = POLLOUT },
		{ .fd = fds[0], .events = POLLIN },
	};

	return poll(p, 3, 0) < 0 ? -errno : 0;
}

static void setup_poll(void) { setup_write(); }

static char *mapped;

static long act_memfd(void)
{
	long r = err_or_fd(memfd_create("failinject", MFD_CLOEXEC), 0);
	void *p;

	if (r)
		return r;
	if (pwrite(fds[0], page, sizeof(page), 0) < 0)
		return -errno;
	p = mmap(NULL, sizeof(page), PROT_READ, MAP_SHARED, fds[0], 0);
	if (p == MAP_FAILED)
		return -errno;
	mapped = p;
	return 0;
}

static void undo_memfd(void)
{
	if (mapped)
		CHECK_OK(munmap(mapped, sizeof(page)));
	mapped = NULL;
	close_fds();
}

static long act_tmpfile(void)
{
	long r = err_or_fd(open(dir, O_TMPFILE | O_RDWR, 0600), 0);

	if (r)
		return r;
	return pwrite(fds[0], page, T_PAGE, 0) < 0 ? -errno : 0;
}

static long act_link_unlink(void)
{
	if (link(path_a, path_b))
		return -errno;
	return unlink(path_a) ? -errno : 0;
}

/* Grow a file to three pages' worth of data, then cut it back. */
static long act_truncate(void)
{
	if (pwrite(fds[0], page, sizeof(page), 0) < 0)
		return -errno;
	if (ftruncate(fds[0], 100))
		return -errno;
	return ftruncate(fds[0], 4 * T_PAGE) ? -errno : 0;
}

static bool mounted;

static long act_mount(void)
{
	if (mount("none", dir, "tmpfs", 0, "size=1m"))
		return -errno;
	mounted = true;
	return 0;
}

static void undo_mount(void)
{
	if (mounted)
		CHECK_OK(umount(dir));
	mounted = false;
	undo_dir();
}

FI_OP(open, .name = "open", .act = act_open, .undo = undo_dir,
      .allowed = { ENOMEM, ENFILE }, .setup = setup_dir)
FI_OP(creat, .name = "open(O_CREAT)", .act = act_creat, .undo = undo_dir,
      .allowed = { ENOMEM, ENFILE }, .setup = setup_dir)
FI_OP(write, .name = "write of three pages", .act = act_write,
      .undo = undo_dir, .allowed = { ENOSPC }, .setup = setup_write)
FI_OP(pipe, .name = "pipe and write", .act = act_pipe, .undo = close_fds,
      .allowed = { ENOMEM, ENFILE })
FI_OP(pipe_leak, .name = "pipe", .act = act_pipe_only, .undo = close_fds,
      .allowed = { ENOMEM, ENFILE })
FI_OP(mkdir, .name = "mkdir", .act = act_mkdir, .undo = undo_dir,
      .setup = setup_dir)
FI_OP(symlink, .name = "symlink", .act = act_symlink, .undo = undo_dir,
      .setup = setup_dir)
FI_OP(rename, .name = "rename", .act = act_rename, .undo = undo_dir,
      .setup = setup_dir)
FI_OP(proc, .name = "read of /proc/self/maps", .act = act_proc_read,
      .undo = close_fds, .allowed = { ENOMEM, ENFILE })
FI_OP(mount, .name = "mount tmpfs", .act = act_mount, .undo = undo_mount,
      .setup = setup_dir)
FI_OP(vectors, .name = "pwritev and preadv", .act = act_readv_writev,
      .undo = undo_dir, .allowed = { ENOMEM, ENOSPC }, .setup = setup_write)
FI_OP(getdents, .name = "getdents64", .act = act_getdents,
      .undo = undo_dir, .allowed = { ENOMEM, ENFILE }, .setup = setup_dir)
FI_OP(sendfile, .name = "sendfile", .act = act_sendfile, .undo = undo_dir,
      .allowed = { ENOMEM, ENFILE, ENOSPC }, .setup = setup_sendfile)
FI_OP(poll, .name = "poll", .act = act_poll, .undo = undo_dir,
      .setup = setup_poll)
FI_OP(memfd, .name = "memfd_create, write and mmap", .act = act_memfd,
      .undo = undo_memfd, .allowed = { ENOMEM, ENFILE, ENOSPC })
FI_OP(tmpfile, .name = "open(O_TMPFILE) and write", .act = act_tmpfile,
      .undo = undo_dir, .allowed = { ENOMEM, ENFILE, ENOSPC },
      .setup = setup_dir)
FI_OP(link, .name = "link and unlink", .act = act_link_unlink,
      .undo = undo_dir, .setup = setup_dir)
FI_OP(truncate, .name = "write and ftruncate", .act = act_truncate,
      .undo = undo_dir, .allowed = { ENOMEM, ENOSPC }, .setup = setup_write)

/* The file's own contract, as Linux's fail-nth. */
static void case_fail_nth_file(void)
{
	char buf[16] = { 0 };
	int fd;

	fi_open();
	fi_arm(1000);
	CHECK_EQ(fi_left(), 1000);
	getpid();			/* allocates nothing */
	CHECK_EQ(fi_left(), 1000);
	fd = CHECK_OK(open("/proc/self/maps", O_RDONLY));	/* allocates */
	CHECK(fi_left() < 1000);
	fi_arm(0);
	CHECK_OK(close(fd));
	CHECK_EQ(fi_left(), 0);
	CHECK_ERR(write(fi_fd, "x1", 2), EINVAL);
	CHECK_EQ(write(fi_fd, "2\n", 2), 2);		/* a newline is fine */
	CHECK_EQ(pread(fi_fd, buf, sizeof(buf) - 1, 0), 2);
	CHECK(!strcmp(buf, "2\n"));
	/* The second allocation of open() fails, once. */
	CHECK_ERR(open("/proc/self/maps", O_RDONLY), ENOMEM);
	CHECK_EQ(fi_left(), 0);
	fd = CHECK_OK(open("/proc/self/maps", O_RDONLY));
	CHECK_OK(close(fd));
	/* Another process's file is not this thread's: EPERM. */
	pid_t pid = t_fork();
	if (pid == 0) {
		CHECK_ERR(pread(fi_fd, buf, sizeof(buf), 0), EPERM);
		CHECK_ERR(write(fi_fd, "1", 1), EPERM);
		/* And a child starts with nothing armed. */
		fi_open();
		CHECK_EQ(fi_left(), 0);
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
	fi_arm(1000);
	pid = t_fork();
	if (pid == 0) {
		fi_open();
		CHECK_EQ(fi_left(), 0);
		_exit(0);
	}
	CHECK(fi_left() < 1000);	/* the fork counted in the parent */
	fi_arm(0);
	CHECK_EXITED(t_wait(pid), 0);
}

static const struct t_case cases[] = {
	{ case_fail_nth_file, "fail-nth-file" },
	{ case_open, "open" },
	{ case_creat, "open-creat" },
	{ case_write, "write" },
	{ case_pipe, "pipe" },
	{ case_pipe_leak, "pipe-end-failure-leaks-path" },
	{ case_mkdir, "mkdir" },
	{ case_symlink, "symlink" },
	{ case_rename, "rename" },
	{ case_proc, "proc-read" },
	{ case_mount, "mount" },
	{ case_vectors, "pwritev-preadv" },
	{ case_getdents, "getdents64" },
	{ case_sendfile, "sendfile" },
	{ case_poll, "poll" },
	{ case_memfd, "memfd" },
	{ case_tmpfile, "o-tmpfile" },
	{ case_link, "link-unlink" },
	{ case_truncate, "ftruncate" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
