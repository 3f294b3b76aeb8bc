/*
 * shmopen.c - the other ways to share memory through a file: mappings of
 * /dev/zero (MAP_SHARED is shared anonymous memory, MAP_PRIVATE private
 * zero-filled memory) and POSIX shared memory objects (shm_open(3), which
 * both C libraries implement as files in the tmpfs the runner mounts on
 * /dev/shm).
 */
#define _GNU_SOURCE
#include "t.h"
#include "maptest.h"

#include <sys/stat.h>

#define SHARED MAP_SHARED
#define PRIVATE MAP_PRIVATE

static void case_dev_zero_shared(void)
{
	int fd = CHECK_OK(open("/dev/zero", O_RDWR));
	char *p = map_fd(4 * T_PAGE, RW, SHARED, fd, 0);

	CHECK_OK(close(fd));
	check_bytes(p, 4 * T_PAGE, 0);
	pid_t pid = t_fork();
	if (pid == 0) {
		fill_bytes(p + T_PAGE, T_PAGE, 'z');
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
	check_bytes(p + T_PAGE, T_PAGE, 'z');
	check_bytes(p + 2 * T_PAGE, 2 * T_PAGE, 0);
	CHECK_OK(munmap(p, 4 * T_PAGE));
}

static void case_dev_zero_private(void)
{
	int fd = CHECK_OK(open("/dev/zero", O_RDWR));
	char *p = map_fd(4 * T_PAGE, RW, PRIVATE, fd, 0);
	char c = 1;

	check_bytes(p, 4 * T_PAGE, 0);
	p[0] = 'p';
	pid_t pid = t_fork();
	if (pid == 0) {
		CHECK_EQ(p[0], 'p');
		fill_bytes(p, 4 * T_PAGE, 'c');
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
	CHECK_EQ(p[0], 'p');
	check_bytes(p + 1, 4 * T_PAGE - 1, 0);
	CHECK_EQ(read(fd, &c, 1), 1);	/* /dev/zero itself is unchanged */
	CHECK_EQ(c, 0);
	CHECK_OK(munmap(p, 4 * T_PAGE));
	CHECK_OK(close(fd));
}

/* Parent and child each add 1000 to a counter in a shm_open object;
 * the object outlives its name while a mapping holds it. */
static void case_shm_open_counter(void)
{
	char name[64], path[80];
	struct stat st;

	snprintf(name, sizeof(name), "/filemap-shm-%d", (int)getpid());
	snprintf(path, sizeof(path), "/dev/shm%s", name);
	int fd = CHECK_OK(shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600));
	CHECK_OK(stat(path, &st));		/* it lives in /dev/shm */
	CHECK_OK(ftruncate(fd, T_PAGE));
	check_counter_shared_by_fork(fd);
	volatile int *counter = (volatile int *)map_fd(T_PAGE, RW, SHARED, fd, 0);
	CHECK_OK(shm_unlink(name));
	CHECK_ERR(stat(path, &st), ENOENT);
	CHECK_ERR(shm_open(name, O_RDWR, 0), ENOENT);
	CHECK_EQ(*counter, 2000);		/* the mapping outlives the name */
	CHECK_OK(munmap((void *)counter, T_PAGE));
	CHECK_OK(close(fd));
}

static void case_shm_open_missing(void)
{
	CHECK_ERR(shm_open("/filemap-no-such-object", O_RDWR, 0), ENOENT);
	CHECK_ERR(shm_unlink("/filemap-no-such-object"), ENOENT);
}

static const struct t_case cases[] = {
	{ case_dev_zero_shared, "dev_zero_shared" },
	{ case_dev_zero_private, "dev_zero_private" },
	{ case_shm_open_counter, "shm_open_counter" },
	{ case_shm_open_missing, "shm_open_missing" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
