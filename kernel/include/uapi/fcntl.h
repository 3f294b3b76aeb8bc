/*
 * open(2) flags, fcntl(2) commands and the *at() conventions of Linux
 * x86-64 (include/uapi/asm-generic/fcntl.h, include/uapi/linux/fcntl.h).
 */
#ifndef BASALT_UAPI_FCNTL_H
#define BASALT_UAPI_FCNTL_H

#include <types.h>

#define O_ACCMODE	00000003
#define O_RDONLY	00000000
#define O_WRONLY	00000001
#define O_RDWR		00000002
#define O_CREAT		00000100
#define O_EXCL		00000200
#define O_NOCTTY	00000400
#define O_TRUNC		00001000
#define O_APPEND	00002000
#define O_NONBLOCK	00004000
#define O_DSYNC		00010000
#define FASYNC		00020000
#define O_DIRECT	00040000
#define O_LARGEFILE	00100000
#define O_DIRECTORY	00200000
#define O_NOFOLLOW	00400000
#define O_NOATIME	01000000
#define O_CLOEXEC	02000000
#define __O_SYNC	04000000
#define O_SYNC		(__O_SYNC | O_DSYNC)
#define O_PATH		010000000
#define __O_TMPFILE	020000000
#define O_TMPFILE	(__O_TMPFILE | O_DIRECTORY)
#define O_NDELAY	O_NONBLOCK

#define F_DUPFD		0
#define F_GETFD		1
#define F_SETFD		2
#define F_GETFL		3
#define F_SETFL		4
#define F_GETLK		5
#define F_SETLK		6
#define F_SETLKW	7
#define F_SETOWN	8
#define F_GETOWN	9
#define F_LINUX_SPECIFIC_BASE	1024
#define F_DUPFD_CLOEXEC	(F_LINUX_SPECIFIC_BASE + 6)
#define F_GETPIPE_SZ	(F_LINUX_SPECIFIC_BASE + 8)
#define FD_CLOEXEC	1

/* Record locks: open-file-description locks, lock types. */
#define F_OFD_GETLK	36
#define F_OFD_SETLK	37
#define F_OFD_SETLKW	38
#define F_RDLCK		0
#define F_WRLCK		1
#define F_UNLCK		2

/* fcntl's record lock description (struct flock; == flock64 on x86-64). */
struct flock {
	short l_type;
	short l_whence;
	int64_t l_start;
	int64_t l_len;
	int32_t l_pid;
};
_Static_assert(sizeof(struct flock) == 32, "struct flock");
_Static_assert(offsetof(struct flock, l_start) == 8, "l_start");
_Static_assert(offsetof(struct flock, l_len) == 16, "l_len");
_Static_assert(offsetof(struct flock, l_pid) == 24, "l_pid");

#define AT_FDCWD		-100
#define AT_SYMLINK_NOFOLLOW	0x100
#define AT_EACCESS		0x200
#define AT_REMOVEDIR		0x200
#define AT_SYMLINK_FOLLOW	0x400
#define AT_NO_AUTOMOUNT		0x800
#define AT_EMPTY_PATH		0x1000
#define AT_STATX_SYNC_TYPE	0x6000
#define AT_STATX_SYNC_AS_STAT	0x0000
#define AT_STATX_FORCE_SYNC	0x2000
#define AT_STATX_DONT_SYNC	0x4000

/* File seals (fcntl F_ADD_SEALS / F_GET_SEALS; memfd_create). */
#define F_ADD_SEALS		1033
#define F_GET_SEALS		1034
#define F_SEAL_SEAL		0x0001	/* no more seals */
#define F_SEAL_SHRINK		0x0002	/* size may not shrink */
#define F_SEAL_GROW		0x0004	/* size may not grow */
#define F_SEAL_WRITE		0x0008	/* contents may not change */
#define F_SEAL_FUTURE_WRITE	0x0010	/* no new writers; mappings stay */

/* access(2) modes. */
#define F_OK	0
#define X_OK	1
#define W_OK	2
#define R_OK	4

/* lseek(2). */
#define SEEK_SET	0
#define SEEK_CUR	1
#define SEEK_END	2
#define SEEK_DATA	3
#define SEEK_HOLE	4

/* renameat2(2). */
#define RENAME_NOREPLACE	(1 << 0)
#define RENAME_EXCHANGE		(1 << 1)
#define RENAME_WHITEOUT		(1 << 2)

/* utimensat(2). */
#define UTIME_NOW	((1L << 30) - 1L)
#define UTIME_OMIT	((1L << 30) - 2L)

#define PATH_MAX	4096	/* bytes in a path, including the NUL */
#define NAME_MAX	255	/* bytes in one component */
#define MAXSYMLINKS	40	/* symlinks followed in one lookup */

#endif
