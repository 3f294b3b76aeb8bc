/*
 * openat2(2): openat with an extensible struct open_how, and strict: the
 * flags, mode and resolve fields are checked as Linux 6.1's
 * build_open_flags does (unknown open flags, a mode without O_CREAT or
 * O_TMPFILE, mode bits outside 07777, O_PATH with flags other than
 * O_DIRECTORY, O_NOFOLLOW and O_CLOEXEC, unknown or contradictory
 * resolve flags: EINVAL), before the name is read. A larger struct from
 * a newer program is accepted when its extra bytes are zero (E2BIG
 * otherwise); a smaller one than the first version is EINVAL.
 *
 * The RESOLVE_* restrictions are applied by the path walk (namei.c)
 * with Linux 6.1's answers: RESOLVE_NO_XDEV (-EXDEV on crossing a mount
 * either way), RESOLVE_NO_MAGICLINKS (-ELOOP on a procfs fd/cwd/exe/root
 * link), RESOLVE_NO_SYMLINKS (-ELOOP on any symlink followed),
 * RESOLVE_BENEATH (-EXDEV for an absolute name or symlink, or a ".."
 * above the start) and RESOLVE_IN_ROOT (the start acts as "/").
 * RESOLVE_CACHED asks for a lookup that needs no file system I/O: every
 * Basalt file system is in memory, so it is always such a lookup, except
 * that, as in Linux, O_CREAT, O_TRUNC and O_TMPFILE are -EAGAIN at once.
 */
#include "vfs.h"
#include <mm/uaccess.h>
#include <syscall/syscall.h>

struct open_how {
	uint64_t flags;
	uint64_t mode;
	uint64_t resolve;
};
_Static_assert(sizeof(struct open_how) == 24, "struct open_how");

#define OPEN_HOW_SIZE_VER0	24

#define RESOLVE_NO_XDEV		0x01
#define RESOLVE_NO_MAGICLINKS	0x02
#define RESOLVE_NO_SYMLINKS	0x04
#define RESOLVE_BENEATH		0x08
#define RESOLVE_IN_ROOT		0x10
#define RESOLVE_CACHED		0x20
#define VALID_RESOLVE_FLAGS	0x3f

#define VALID_OPEN_FLAGS						\
	(O_RDONLY | O_WRONLY | O_RDWR | O_CREAT | O_EXCL | O_NOCTTY |	\
	 O_TRUNC | O_APPEND | O_NDELAY | O_DSYNC | FASYNC | O_DIRECT |	\
	 O_LARGEFILE | O_DIRECTORY | O_NOFOLLOW | O_NOATIME | O_CLOEXEC | \
	 O_PATH | __O_TMPFILE | __O_SYNC)
#define O_PATH_FLAGS	(O_DIRECTORY | O_NOFOLLOW | O_PATH | O_CLOEXEC)

/* copy_struct_from_user: the known part, and zeros beyond it. */
static long open_how_copy(struct open_how *how,
			  const struct open_how __user *uhow, size_t usize)
{
	const char __user *rest = (const char __user *)uhow + sizeof(*how);
	char chunk[64];

	if (usize < OPEN_HOW_SIZE_VER0)
		return -EINVAL;
	if (copy_from_user(how, uhow, sizeof(*how)))
		return -EFAULT;
	for (size_t left = usize - sizeof(*how); left; ) {
		size_t n = MIN(left, sizeof(chunk));

		if (copy_from_user(chunk, rest, n))
			return -EFAULT;
		for (size_t i = 0; i < n; i++)
			if (chunk[i])
				return -E2BIG;
		rest += n;
		left -= n;
	}
	return 0;
}

/* build_open_flags' checks that only openat2 makes. */
static long open_how_check(const struct open_how *how)
{
	uint64_t flags = how->flags;

	if (flags & ~(uint64_t)VALID_OPEN_FLAGS)
		return -EINVAL;
	if (how->resolve & ~(uint64_t)VALID_RESOLVE_FLAGS)
		return -EINVAL;
	if ((how->resolve & RESOLVE_BENEATH) &&
	    (how->resolve & RESOLVE_IN_ROOT))
		return -EINVAL;
	if ((flags & O_CREAT) || (flags & __O_TMPFILE)) {
		if (how->mode & ~(uint64_t)S_IALLUGO)
			return -EINVAL;
	} else if (how->mode) {
		return -EINVAL;
	}
	if ((flags & O_PATH) && (flags & ~(uint64_t)O_PATH_FLAGS))
		return -EINVAL;
	if ((how->resolve & RESOLVE_CACHED) &&
	    (flags & (O_TRUNC | O_CREAT | __O_TMPFILE)))
		return -EAGAIN;
	return 0;
}

/* The LOOKUP_* restrictions the resolve flags ask for. */
static unsigned int open_how_lookup(uint64_t resolve)
{
	unsigned int lookup = 0;

	if (resolve & RESOLVE_NO_XDEV)
		lookup |= LOOKUP_NO_XDEV;
	if (resolve & RESOLVE_NO_MAGICLINKS)
		lookup |= LOOKUP_NO_MAGICLINKS;
	if (resolve & RESOLVE_NO_SYMLINKS)
		lookup |= LOOKUP_NO_SYMLINKS;
	if (resolve & RESOLVE_BENEATH)
		lookup |= LOOKUP_BENEATH;
	if (resolve & RESOLVE_IN_ROOT)
		lookup |= LOOKUP_IN_ROOT;
	return lookup;
}

SYSCALL_DEFINE4(openat2, int, dfd, const char __user *, name,
		const struct open_how __user *, uhow, size_t, usize)
{
	struct open_how how;
	long err = open_how_copy(&how, uhow, usize);

	if (!err)
		err = open_how_check(&how);
	if (err)
		return err;
	return open_user_lookup(dfd, name, (int)how.flags, (mode_t)how.mode,
				open_how_lookup(how.resolve));
}
