/*
 * badptr_files.c - bad pointers in the calls that take path names, and in
 * those that report on files and directories (see badptr.h).
 *
 * The setups name the scratch directory's files by relative paths: f (a
 * file of two pages), d and d2 (empty directories), l (a symlink to f),
 * l2 (a dangling symlink with a 32-byte target); "new" is a name that
 * does not exist. Each call is otherwise valid and would succeed, so the
 * error can only come from the probed pointer.
 *
 * Linux copies every path in before it looks anything up (getname), so a
 * bad second path fails with EFAULT even when the first names nothing.
 * A NULL `times` means "now" (utime, utimes, futimesat, utimensat). The
 * mount rows use an unknown file system type, so a call that gets past
 * its pointers fails with ENODEV instead of mounting anything; Linux
 * copies a mount's data page with a copy that may stop short, so data
 * that runs off the end of a mapping is no error.
 */
#include "badptr.h"


#define AT_CWD (-100L)

static char stat_buf[512];
static long times2[4];		/* two timespecs or timevals: zero */

static void s_access(struct bp_call *c) { c->a[0] = (long)"f"; c->a[1] = F_OK; }
static void s_chdir(struct bp_call *c) { c->a[0] = (long)"d"; }
static void s_chmod(struct bp_call *c) { c->a[0] = (long)"f"; c->a[1] = 0644; }
static void s_chown(struct bp_call *c) { c->a[0] = (long)"f"; }
static void s_lchown(struct bp_call *c) { c->a[0] = (long)"l"; }
static void s_creat(struct bp_call *c) { c->a[0] = (long)"new"; c->a[1] = 0644; }
static void s_mkdir(struct bp_call *c) { c->a[0] = (long)"new"; c->a[1] = 0755; }
static void s_mknod(struct bp_call *c)
{
	c->a[0] = (long)"new";
	c->a[1] = S_IFIFO | 0644;
}
static void s_open(struct bp_call *c) { c->a[0] = (long)"f"; c->a[1] = O_RDONLY; }
static void s_rmdir(struct bp_call *c) { c->a[0] = (long)"d2"; }
static void s_unlink(struct bp_call *c) { c->a[0] = (long)"g"; }
static void s_truncate(struct bp_call *c) { c->a[0] = (long)"f"; c->a[1] = 2 * BP_PAGE; }
static void s_stat(struct bp_call *c)
{
	c->a[0] = (long)"f";
	c->a[1] = (long)stat_buf;
}
static void s_lstat(struct bp_call *c)
{
	c->a[0] = (long)"l";
	c->a[1] = (long)stat_buf;
}
static void s_statfs(struct bp_call *c)
{
	c->a[0] = (long)".";
	c->a[1] = (long)stat_buf;
}
static void s_fstat(struct bp_call *c)
{
	c->a[0] = CHECK_OK(open("f", O_RDONLY));
	c->a[1] = (long)stat_buf;
}
static void s_readlink(struct bp_call *c)
{
	c->a[0] = (long)"l2";
	c->a[1] = (long)bp_buf;
	c->a[2] = 64;
}
static void s_two(struct bp_call *c)		/* link, rename, symlink */
{
	c->a[0] = (long)"f";
	c->a[1] = (long)"new";
}
static void s_utime(struct bp_call *c)
{
	c->a[0] = (long)"f";
	c->a[1] = (long)times2;
}
static void s_getcwd(struct bp_call *c)
{
	c->a[0] = (long)bp_buf;
	c->a[1] = BP_PAGE;
}
static void s_getdents64(struct bp_call *c)
{
	c->a[0] = CHECK_OK(open(".", O_RDONLY | O_DIRECTORY));
	c->a[1] = (long)bp_buf;
	c->a[2] = BP_PAGE;
}
static void s_memfd(struct bp_call *c) { c->a[0] = (long)"badptr"; }
static void s_umount(struct bp_call *c) { c->a[0] = (long)"d"; }
static void s_mount(struct bp_call *c)
{
	c->a[0] = (long)"none";
	c->a[1] = (long)"d";
	c->a[2] = (long)"badptrfs";	/* no such type: ENODEV */
	c->a[4] = (long)"";
}

/* The *at calls: the same arguments after a directory descriptor. */
static void s_at(struct bp_call *c, void (*plain)(struct bp_call *))
{
	struct bp_call p = { .a = { 0 } };

	plain(&p);
	c->a[0] = AT_CWD;
	for (int i = 0; i < 4; i++)
		c->a[i + 1] = p.a[i];
}
static void s_faccessat(struct bp_call *c) { s_at(c, s_access); }
static void s_fchmodat(struct bp_call *c) { s_at(c, s_chmod); }
static void s_fchownat(struct bp_call *c) { s_at(c, s_chown); }
static void s_mkdirat(struct bp_call *c) { s_at(c, s_mkdir); }
static void s_mknodat(struct bp_call *c) { s_at(c, s_mknod); }
static void s_openat(struct bp_call *c) { s_at(c, s_open); }
static void s_unlinkat(struct bp_call *c) { s_at(c, s_unlink); }
static void s_readlinkat(struct bp_call *c) { s_at(c, s_readlink); }
static void s_newfstatat(struct bp_call *c) { s_at(c, s_stat); }
static void s_futimesat(struct bp_call *c) { s_at(c, s_utime); }
static void s_utimensat(struct bp_call *c) { s_at(c, s_utime); }
static void s_statx(struct bp_call *c)
{
	c->a[0] = AT_CWD;
	c->a[1] = (long)"f";
	c->a[3] = 0x7ff;		/* STATX_BASIC_STATS */
	c->a[4] = (long)stat_buf;
}
/* olddfd, old, newdfd, new (linkat, renameat, renameat2) */
static void s_two_at(struct bp_call *c)
{
	c->a[0] = AT_CWD;
	c->a[1] = (long)"f";
	c->a[2] = AT_CWD;
	c->a[3] = (long)"new";
}
static void s_symlinkat(struct bp_call *c)
{
	c->a[0] = (long)"f";
	c->a[1] = AT_CWD;
	c->a[2] = (long)"new";
}

#define PATH(name, arg, setup)                                             \
	BP_ROW(name, arg, "path", BP_STRING, setup, EF, EF, EF, EF)

static const struct bp_row rows[] = {
	PATH(access, 0, s_access),
	PATH(chdir, 0, s_chdir),
	PATH(chmod, 0, s_chmod),
	PATH(chown, 0, s_chown),
	PATH(chroot, 0, s_chdir),
	PATH(creat, 0, s_creat),
	PATH(faccessat, 1, s_faccessat),
	PATH(faccessat2, 1, s_faccessat),
	PATH(fchmodat, 1, s_fchmodat),
	PATH(fchownat, 1, s_fchownat),
	PATH(futimesat, 1, s_futimesat),
	BP_ROW(futimesat, 2, "times", 32, s_futimesat, OK, EF, EF, EF),
	PATH(lchown, 0, s_lchown),
	BP_ROW(link, 0, "old", BP_STRING, s_two, EF, EF, EF, EF),
	BP_ROW(link, 1, "new", BP_STRING, s_two, EF, EF, EF, EF),
	BP_ROW(linkat, 1, "old", BP_STRING, s_two_at, EF, EF, EF, EF),
	BP_ROW(linkat, 3, "new", BP_STRING, s_two_at, EF, EF, EF, EF),
	PATH(lstat, 0, s_lstat),
	BP_ROW(lstat, 1, "buf", 144, s_lstat, EF, EF, EF, EF),
	BP_ROW(memfd_create, 0, "name", BP_STRING, s_memfd, EF, EF, EF, EF),
	PATH(mkdir, 0, s_mkdir),
	PATH(mkdirat, 1, s_mkdirat),
	PATH(mknod, 0, s_mknod),
	PATH(mknodat, 1, s_mknodat),
	BP_ROW(mount, 0, "source", BP_STRING, s_mount, ENODEV, EF, EF, EF),
	BP_ROW(mount, 1, "target", BP_STRING, s_mount, EF, EF, EF, EF),
	BP_ROW(mount, 2, "type", BP_STRING, s_mount, EINVAL, EF, EF, EF),
	BP_ROW(mount, 4, "data", BP_PAGE, s_mount, ENODEV, EF, EF, ENODEV),
	PATH(newfstatat, 1, s_newfstatat),
	BP_ROW(newfstatat, 2, "buf", 144, s_newfstatat, EF, EF, EF, EF),
	PATH(open, 0, s_open),
	PATH(openat, 1, s_openat),
	PATH(readlink, 0, s_readlink),
	BP_ROW(readlink, 1, "buf", 32, s_readlink, EF, EF, EF, EF),
	PATH(readlinkat, 1, s_readlinkat),
	BP_ROW(readlinkat, 2, "buf", 32, s_readlinkat, EF, EF, EF, EF),
	BP_ROW(rename, 0, "old", BP_STRING, s_two, EF, EF, EF, EF),
	BP_ROW(rename, 1, "new", BP_STRING, s_two, EF, EF, EF, EF),
	BP_ROW(renameat, 1, "old", BP_STRING, s_two_at, EF, EF, EF, EF),
	BP_ROW(renameat, 3, "new", BP_STRING, s_two_at, EF, EF, EF, EF),
	BP_ROW(renameat2, 1, "old", BP_STRING, s_two_at, EF, EF, EF, EF),
	BP_ROW(renameat2, 3, "new", BP_STRING, s_two_at, EF, EF, EF, EF),
	PATH(rmdir, 0, s_rmdir),
	PATH(stat, 0, s_stat),
	BP_ROW(stat, 1, "buf", 144, s_stat, EF, EF, EF, EF),
	PATH(statfs, 0, s_statfs),
	BP_ROW(statfs, 1, "buf", 120, s_statfs, EF, EF, EF, EF),
	PATH(statx, 1, s_statx),
	BP_ROW(statx, 4, "buf", 256, s_statx, EF, EF, EF, EF),
	BP_ROW(symlink, 0, "target", BP_STRING, s_two, EF, EF, EF, EF),
	BP_ROW(symlink, 1, "linkpath", BP_STRING, s_two, EF, EF, EF, EF),
	BP_ROW(symlinkat, 0, "target", BP_STRING, s_symlinkat, EF, EF, EF, EF),
	BP_ROW(symlinkat, 2, "linkpath", BP_STRING, s_symlinkat, EF, EF, EF, EF),
	PATH(truncate, 0, s_truncate),
	PATH(umount2, 0, s_umount),
	PATH(unlink, 0, s_unlink),
	PATH(unlinkat, 1, s_unlinkat),
	PATH(utime, 0, s_utime),
	BP_ROW(utime, 1, "times", 16, s_utime, OK, EF, EF, EF),
	PATH(utimensat, 1, s_utimensat),
	BP_ROW(utimensat, 2, "times", 32, s_utimensat, OK, EF, EF, EF),
	PATH(utimes, 0, s_utime),
	BP_ROW(utimes, 1, "times", 32, s_utime, OK, EF, EF, EF),
	BP_ROW(fstat, 1, "buf", 144, s_fstat, EF, EF, EF, EF),
	BP_ROW(fstatfs, 1, "buf", 120, s_fstat, EF, EF, EF, EF),
	/* The cwd is longer than the 8 bytes placed before the edge. */
	BP_ROW(getcwd, 0, "buf", 8, s_getcwd, EF, EF, EF, EF),
	/* "." is 24 bytes: straddling, the first entry fits, the next not. */
	BP_ROW(getdents64, 1, "dirp", 48, s_getdents64, EF, EF, EF, RET(24)),
};

BP_NONE_LIST = {
	BP_NONE(fchdir, "a descriptor only"),
	BP_NONE(fchmod, "a descriptor and a mode"),
	BP_NONE(fchown, "a descriptor and ids"),
	BP_NONE(ftruncate, "a descriptor and a length"),
	BP_NONE(fallocate, "a descriptor and a range of the file"),
	BP_NONE(fsync, "a descriptor only"),
	BP_NONE(fdatasync, "a descriptor only"),
	BP_NONE(sync, "no arguments"),
	BP_NONE(syncfs, "a descriptor only"),
	BP_NONE(umask, "a mode only"),
};

BP_TABLE_MAIN(rows)
