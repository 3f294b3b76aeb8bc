/*
 * A reader for "newc" cpio archives (magic 070701, or 070702 with a data
 * checksum), the initramfs format (kernel/fs/cpio.c). Pure code: it only
 * reads the caller's buffer and never past its end, so the host unit tests
 * can feed it any bytes (tests/unit/test_cpio.c).
 */
#ifndef BASALT_FS_CPIO_H
#define BASALT_FS_CPIO_H

#include <types.h>

struct cpio_entry {
	const char *name;	/* NUL-terminated, inside the archive */
	size_t name_len;	/* without the NUL */
	uint32_t ino, mode, uid, gid, nlink, mtime;
	uint32_t devmajor, devminor;	/* of the file system it came from */
	uint32_t rdevmajor, rdevminor;	/* of a device node */
	const void *data;	/* file contents or symlink target */
	size_t size;
};

struct cpio_reader {
	const uint8_t *base;
	size_t len;
	size_t pos;
};

void cpio_reader_init(struct cpio_reader *r, const void *data, size_t len);

/*
 * Read the next entry. Trailer entries ("TRAILER!!!") and the zero padding
 * between concatenated archives are skipped. Returns 1 with *e filled,
 * 0 at the end of the buffer, or -EINVAL when the bytes are not a valid
 * archive (bad magic or hex digit, a name without its NUL, a size past the
 * end, a bad checksum); the reader then stays at the bad entry.
 */
int cpio_next(struct cpio_reader *r, struct cpio_entry *e);

#endif
