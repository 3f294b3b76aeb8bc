/*
 * badptr_fsmisc.c - bad pointers in the extended-attribute calls and the
 * other file calls of issue 11 (see badptr.h).
 *
 * The setups use the scratch file f and symlink l. The attribute asked
 * for is security.x, which tmpfs serves and f does not have: a get or a
 * remove that gets past its pointers fails with ENODATA, so the value
 * buffer of a get is never touched. Linux copies a set's whole value in
 * before it looks at the name's namespace (setxattr_copy), so a bad value
 * is EFAULT; the set otherwise fails as user.* does on tmpfs (EOPNOTSUPP).
 * A file without attributes lists none and writes nothing.
 * copy_file_range reads both offsets in before it copies anything.
 */
#include "badptr.h"

static void s_getxattr(struct bp_call *c)
{
	c->a[0] = (long)"f";
	c->a[1] = (long)"security.x";
	c->a[2] = (long)bp_buf;
	c->a[3] = 8;
}
static void s_lgetxattr(struct bp_call *c)
{
	s_getxattr(c);
	c->a[0] = (long)"l";
}
static void s_fgetxattr(struct bp_call *c)
{
	s_getxattr(c);
	c->a[0] = CHECK_OK(open("f", O_RDONLY));
}
static void s_setxattr(struct bp_call *c)
{
	c->a[0] = (long)"f";
	c->a[1] = (long)"user.x";
	c->a[2] = (long)bp_buf;
	c->a[3] = 8;
}
static void s_fsetxattr(struct bp_call *c)
{
	s_setxattr(c);
	c->a[0] = CHECK_OK(open("f", O_RDONLY));
}
static void s_listxattr(struct bp_call *c)
{
	c->a[0] = (long)"f";
	c->a[1] = (long)bp_buf;
	c->a[2] = 8;
}
static void s_flistxattr(struct bp_call *c)
{
	c->a[0] = CHECK_OK(open("f", O_RDONLY));
	c->a[1] = (long)bp_buf;
	c->a[2] = 8;
}
static void s_removexattr(struct bp_call *c)
{
	c->a[0] = (long)"f";
	c->a[1] = (long)"security.x";
}
static void s_fremovexattr(struct bp_call *c)
{
	c->a[0] = CHECK_OK(open("f", O_RDONLY));
	c->a[1] = (long)"security.x";
}

static off_t copy_off;
static void s_copy_file_range(struct bp_call *c)
{
	c->a[0] = CHECK_OK(open("f", O_RDONLY));
	c->a[1] = (long)&copy_off;
	c->a[2] = CHECK_OK(open("g", O_WRONLY));
	c->a[3] = (long)&copy_off;
	c->a[4] = 16;
}

static void s_splice_in(struct bp_call *c)	/* file -> pipe */
{
	int p[2];

	CHECK_OK(pipe(p));
	c->a[0] = CHECK_OK(open("f", O_RDONLY));
	c->a[1] = (long)&copy_off;
	c->a[2] = p[1];
	c->a[4] = 16;
}
static void s_splice_out(struct bp_call *c)	/* pipe -> file */
{
	int p[2];

	CHECK_OK(pipe(p));
	CHECK_EQ(write(p[1], "0123456789abcdef", 16), 16);
	c->a[0] = p[0];
	c->a[2] = CHECK_OK(open("g", O_WRONLY));
	c->a[3] = (long)&copy_off;
	c->a[4] = 16;
}

static uint64_t open_how[3];	/* flags O_RDONLY, mode 0, resolve 0 */
static void s_openat2(struct bp_call *c)
{
	c->a[0] = -100;			/* AT_FDCWD */
	c->a[1] = (long)"f";
	c->a[2] = (long)open_how;
	c->a[3] = sizeof(open_how);
}

#define PATH(name, arg, setup)                                             \
	BP_ROW(name, arg, "path", BP_STRING, setup, EF, EF, EF, EF)
#define NAME(name, arg, setup)                                             \
	BP_ROW(name, arg, "name", BP_STRING, setup, EF, EF, EF, EF)
#define VALUE(name, setup)                                                 \
	BP_ROW(name, 2, "value", 8, setup, ENODATA, ENODATA, ENODATA, ENODATA)

static const struct bp_row rows[] = {
	PATH(getxattr, 0, s_getxattr),
	NAME(getxattr, 1, s_getxattr),
	VALUE(getxattr, s_getxattr),
	PATH(lgetxattr, 0, s_lgetxattr),
	NAME(lgetxattr, 1, s_lgetxattr),
	VALUE(lgetxattr, s_lgetxattr),
	NAME(fgetxattr, 1, s_fgetxattr),
	VALUE(fgetxattr, s_fgetxattr),
	PATH(setxattr, 0, s_setxattr),
	NAME(setxattr, 1, s_setxattr),
	BP_ROW(setxattr, 2, "value", 8, s_setxattr, EF, EF, EF, EF),
	PATH(lsetxattr, 0, s_setxattr),
	NAME(lsetxattr, 1, s_setxattr),
	BP_ROW(lsetxattr, 2, "value", 8, s_setxattr, EF, EF, EF, EF),
	NAME(fsetxattr, 1, s_fsetxattr),
	BP_ROW(fsetxattr, 2, "value", 8, s_fsetxattr, EF, EF, EF, EF),
	PATH(listxattr, 0, s_listxattr),
	BP_ROW(listxattr, 1, "list", 8, s_listxattr, RET(0), RET(0), RET(0),
	       RET(0)),
	PATH(llistxattr, 0, s_listxattr),
	BP_ROW(llistxattr, 1, "list", 8, s_listxattr, RET(0), RET(0), RET(0),
	       RET(0)),
	BP_ROW(flistxattr, 1, "list", 8, s_flistxattr, RET(0), RET(0), RET(0),
	       RET(0)),
	PATH(removexattr, 0, s_removexattr),
	NAME(removexattr, 1, s_removexattr),
	PATH(lremovexattr, 0, s_removexattr),
	NAME(lremovexattr, 1, s_removexattr),
	NAME(fremovexattr, 1, s_fremovexattr),
	/* NULL: the file's own offset (the copy is done). */
	BP_ROW(copy_file_range, 1, "off_in", 8, s_copy_file_range, OK, EF, EF,
	       EF),
	PATH(openat2, 1, s_openat2),
	BP_ROW(openat2, 2, "how", 24, s_openat2, EF, EF, EF, EF),
	BP_ROW(splice, 1, "off_in", 8, s_splice_in, OK, EF, EF, EF),
	BP_ROW(splice, 3, "off_out", 8, s_splice_out, OK, EF, EF, EF),
	BP_ROW(copy_file_range, 3, "off_out", 8, s_copy_file_range, OK, EF,
	       EF, EF),
};

BP_NONE_LIST = {
	BP_NONE(flock, "a descriptor and an operation"),
	BP_NONE(fadvise64, "a descriptor, a range and the advice"),
	BP_NONE(tee, "two descriptors, a length and flags"),
	BP_NONE(readahead, "a descriptor and a range"),
	BP_NONE(sync_file_range, "a descriptor, a range and flags"),
};

BP_TABLE_MAIN(rows)
