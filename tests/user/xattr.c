/*
 * xattr.c - the extended-attribute calls answer as Linux 6.1's tmpfs does
 * for files that have none: ENODATA for the namespaces tmpfs serves
 * (security.*, trusted.*, system.posix_acl_*), EOPNOTSUPP for user.* and
 * unknown ones, ERANGE/E2BIG/EINVAL for bad names, sizes and flags, and
 * empty lists. Debian's `ls -l` asks lgetxattr for security.selinux and
 * printed "Function not implemented" while these were ENOSYS
 * (regression: ls-l-getxattr-enosys).
 */
#define _GNU_SOURCE
#include "t.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#define DIR_X "/tmp/xattr-dir"
#define FILE_X DIR_X "/f"
#define LINK_X DIR_X "/l"

static void setup(void)
{
	mkdir(DIR_X, 0755);
	CHECK_OK(close(CHECK_OK(open(FILE_X, O_RDWR | O_CREAT, 0644))));
	unlink(LINK_X);
	CHECK_OK(symlink("f", LINK_X));
}

static void case_ls_l_getxattr_enosys(void)
{
	char buf[64];

	setup();
	CHECK_ERR(lgetxattr(FILE_X, "security.selinux", buf, sizeof(buf)),
		  ENODATA);
	CHECK_ERR(getxattr(FILE_X, "system.posix_acl_access", buf,
			   sizeof(buf)), ENODATA);
	CHECK_ERR(lgetxattr(LINK_X, "security.selinux", NULL, 0), ENODATA);
	CHECK_ERR(getxattr(DIR_X, "system.posix_acl_default", buf,
			   sizeof(buf)), ENODATA);
}

static void case_get_namespaces(void)
{
	char buf[64];
	int fd;

	setup();
	fd = CHECK_OK(open(FILE_X, O_RDONLY));
	CHECK_ERR(getxattr(FILE_X, "user.x", buf, sizeof(buf)), EOPNOTSUPP);
	CHECK_ERR(fgetxattr(fd, "user.x", buf, sizeof(buf)), EOPNOTSUPP);
	CHECK_ERR(fgetxattr(fd, "trusted.x", buf, sizeof(buf)), ENODATA);
	CHECK_ERR(fgetxattr(fd, "security.x", buf, 0), ENODATA);
	CHECK_ERR(getxattr(FILE_X, "system.other", buf, 8), EOPNOTSUPP);
	CHECK_ERR(getxattr(FILE_X, "foo.bar", buf, 8), EOPNOTSUPP);
	/* The bare prefix names no attribute. */
	CHECK_ERR(getxattr(FILE_X, "security.", buf, 8), EINVAL);
	/* user.* exists only on files and directories: a symlink has none. */
	CHECK_ERR(lgetxattr(LINK_X, "user.x", buf, 8), ENODATA);
	CHECK_ERR(getxattr(LINK_X, "user.x", buf, 8), EOPNOTSUPP);
	CHECK_ERR(getxattr(DIR_X "/none", "user.x", buf, 8), ENOENT);
	CHECK_OK(close(fd));
}

static void case_names_and_descriptors(void)
{
	char name[300], buf[8];
	int fd, pfd;

	setup();
	memset(name, 'a', sizeof(name) - 1);
	memcpy(name, "user.", 5);
	name[sizeof(name) - 1] = 0;
	CHECK_ERR(getxattr(FILE_X, "", buf, 8), ERANGE);
	CHECK_ERR(getxattr(FILE_X, name, buf, 8), ERANGE);
	name[255] = 0;			/* 255 bytes: a valid length */
	CHECK_ERR(getxattr(FILE_X, name, buf, 8), EOPNOTSUPP);
	CHECK_ERR(getxattr(FILE_X, (char *)t_unmapped_page(), buf, 8),
		  EFAULT);
	CHECK_ERR(fgetxattr(-1, "user.x", buf, 8), EBADF);
	CHECK_ERR(fgetxattr(999, "user.x", buf, 8), EBADF);
	pfd = CHECK_OK(open(FILE_X, O_PATH));
	CHECK_ERR(fgetxattr(pfd, "security.x", buf, 8), EBADF);
	CHECK_ERR(flistxattr(pfd, buf, 8), EBADF);
	CHECK_ERR(fremovexattr(pfd, "security.x"), EBADF);
	fd = CHECK_OK(open(FILE_X, O_RDONLY));
	CHECK_ERR(fsetxattr(fd, "user.x", "v", 1, 4), EINVAL);
	CHECK_ERR(fsetxattr(fd, "", "v", 1, 0), ERANGE);
	CHECK_ERR(fsetxattr(fd, "user.x", "v", 65537, 0), E2BIG);
	CHECK_ERR(fsetxattr(fd, "user.x", t_unmapped_page(), 1, 0), EFAULT);
	CHECK_OK(close(fd));
	CHECK_OK(close(pfd));
}

static void case_set_and_remove(void)
{
	setup();
	CHECK_ERR(setxattr(FILE_X, "user.x", "v", 1, 0), EOPNOTSUPP);
	CHECK_ERR(lsetxattr(LINK_X, "user.x", "v", 1, 0), EPERM);
	CHECK_ERR(removexattr(FILE_X, "user.x"), EOPNOTSUPP);
	CHECK_ERR(removexattr(FILE_X, "security.x"), ENODATA);
	CHECK_ERR(lremovexattr(LINK_X, "trusted.x"), ENODATA);
	CHECK_ERR(removexattr(FILE_X, "foo.x"), EOPNOTSUPP);
	/* Basalt-only: tmpfs there keeps no attributes, so it refuses to
	 * store one (EOPNOTSUPP) instead of pretending; Linux stores it. */
	if (is_basalt()) {
		CHECK_ERR(setxattr(FILE_X, "trusted.x", "v", 1, 0),
			  EOPNOTSUPP);
	} else {
		char buf[8];

		CHECK_OK(setxattr(FILE_X, "trusted.x", "v", 1, 0));
		CHECK_EQ(getxattr(FILE_X, "trusted.x", buf, sizeof(buf)), 1);
		CHECK_OK(removexattr(FILE_X, "trusted.x"));
	}
}

static void case_list_is_empty(void)
{
	char buf[64];
	int fd;

	setup();
	fd = CHECK_OK(open(FILE_X, O_RDONLY));
	CHECK_EQ(listxattr(FILE_X, buf, sizeof(buf)), 0);
	CHECK_EQ(llistxattr(LINK_X, buf, sizeof(buf)), 0);
	CHECK_EQ(flistxattr(fd, NULL, 0), 0);
	CHECK_EQ(listxattr(DIR_X, NULL, 0), 0);
	CHECK_EQ(listxattr("/proc/meminfo", buf, sizeof(buf)), 0);
	CHECK_ERR(listxattr(DIR_X "/none", buf, sizeof(buf)), ENOENT);
	CHECK_ERR(flistxattr(-1, buf, sizeof(buf)), EBADF);
	CHECK_OK(close(fd));
}

static void case_procfs_has_no_handlers(void)
{
	char buf[8];

	CHECK_ERR(getxattr("/proc/meminfo", "security.x", buf, 8),
		  EOPNOTSUPP);
	CHECK_ERR(getxattr("/proc/meminfo", "user.x", buf, 8),
		  EOPNOTSUPP);
}

static void work(int round)
{
	char buf[8];

	(void)round;
	getxattr(FILE_X, "security.x", buf, sizeof(buf));
	setxattr(FILE_X, "user.x", "v", 1, 0);
	listxattr(FILE_X, buf, sizeof(buf));
}

static void case_no_leak(void)
{
	setup();
	t_check_no_leak("xattr calls", work, 200);
}

static const struct t_case cases[] = {
	{ case_ls_l_getxattr_enosys, "ls-l-getxattr-enosys" },
	{ case_get_namespaces, "get_namespaces" },
	{ case_names_and_descriptors, "names_and_descriptors" },
	{ case_set_and_remove, "set_and_remove" },
	{ case_list_is_empty, "list_is_empty" },
	{ case_procfs_has_no_handlers, "procfs_has_no_handlers" },
	{ case_no_leak, "no_leak" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
