/*
 * lock_failinject.c - the lock, splice and copy calls with each of their
 * allocations failing in turn (failinject.h). Basalt-only: the cases
 * skip without fail-nth.
 *
 * A record lock that splits another, a flock lock, splice both ways
 * between a file and a pipe, tee and copy_file_range. A lock that cannot
 * be allocated is ENOLCK, as Linux's; the others answer ENOMEM, or
 * ENOSPC for a tmpfs page (see failinject_files.c). Every
 * failure must leave memory where it was once the descriptors close.
 */
#include "failinject.h"

#include <sys/file.h>

#define FILE_F "/tmp/lock-failinject"
#define FILE_G "/tmp/lock-failinject-out"

static int fd = -1, out = -1, p[2] = { -1, -1 }, q[2] = { -1, -1 };
static char data[T_PAGE];

static void close_all(void)
{
	int *all[] = { &fd, &out, &p[0], &p[1], &q[0], &q[1] };

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		if (*all[i] >= 0)
			CHECK_OK(close(*all[i]));
		*all[i] = -1;
	}
}

static void setup_files(void)
{
	fd = CHECK_OK(open(FILE_F, O_RDWR | O_CREAT | O_TRUNC, 0600));
	out = CHECK_OK(open(FILE_G, O_RDWR | O_CREAT | O_TRUNC, 0600));
	CHECK_EQ(write(fd, data, sizeof(data)), (ssize_t)sizeof(data));
	CHECK_OK(pipe(p));
	CHECK_OK(pipe(q));
	CHECK_EQ(write(p[1], data, 100), 100);
}

static void undo_files(void)
{
	close_all();
	CHECK_OK(unlink(FILE_F));
	CHECK_OK(unlink(FILE_G));
}

static long neg_errno(long r)
{
	return r < 0 ? -errno : 0;
}

static long act_record_lock(void)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
			    .l_len = 100 };

	if (fcntl(fd, F_SETLK, &fl) < 0)
		return -errno;
	fl = (struct flock){ .l_type = F_RDLCK, .l_whence = SEEK_SET,
			     .l_start = 20, .l_len = 10 };	/* a split */
	if (fcntl(fd, F_SETLK, &fl) < 0)
		return -errno;
	fl.l_type = F_WRLCK;
	return neg_errno(fcntl(out, F_OFD_SETLK, &fl));
}

static long act_flock(void)
{
	return neg_errno(flock(fd, LOCK_EX));
}

static long act_splice(void)
{
	loff_t off = 0;

	if (splice(fd, &off, q[1], NULL, 100, 0) < 0)
		return -errno;
	if (splice(p[0], NULL, out, &off, 100, 0) < 0)
		return -errno;
	return neg_errno(tee(q[0], p[1], 100, 0));
}

static long act_copy(void)
{
	loff_t off = 0;

	return neg_errno(copy_file_range(fd, &off, out, NULL, 1000, 0));
}

FI_OP(record_lock, .name = "record locks", .act = act_record_lock,
      .undo = undo_files, .allowed = { ENOLCK }, .setup = setup_files)
FI_OP(flock, .name = "flock", .act = act_flock, .undo = undo_files,
      .allowed = { ENOLCK }, .setup = setup_files)
FI_OP(splice, .name = "splice and tee", .act = act_splice,
      .undo = undo_files, .allowed = { ENOMEM, ENOSPC },
      .setup = setup_files)
FI_OP(copy, .name = "copy_file_range", .act = act_copy, .undo = undo_files,
      .allowed = { ENOMEM, ENOSPC }, .setup = setup_files)

static const struct t_case cases[] = {
	{ case_record_lock, "record_lock" },
	{ case_flock, "flock" },
	{ case_splice, "splice" },
	{ case_copy, "copy_file_range" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
