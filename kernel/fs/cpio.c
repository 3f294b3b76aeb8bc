/*
 * Parsing of newc cpio archives. A newc entry is a 110-byte ASCII header
 * (magic and 13 fields of 8 hex digits), the NUL-terminated name, padding
 * to a multiple of 4, the data, and padding again. Every length read from
 * the archive is checked against what is left before it is used: the
 * archive comes from the boot loader and is not trusted to be well formed.
 */
#include <types.h>
#include <uapi/errno.h>
#include <lib/string.h>
#include "cpio.h"

#define CPIO_HDR_LEN	110
#define CPIO_FIELDS	13
#define CPIO_TRAILER	"TRAILER!!!"

enum {
	F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE,
	F_DEVMAJOR, F_DEVMINOR, F_RDEVMAJOR, F_RDEVMINOR, F_NAMESIZE, F_CHECK,
};

void cpio_reader_init(struct cpio_reader *r, const void *data, size_t len)
{
	r->base = data;
	r->len = data ? len : 0;
	r->pos = 0;
}

/* Eight hex digits, both cases; false on anything else. */
static bool parse_hex8(const uint8_t *s, uint32_t *out)
{
	uint32_t v = 0;

	for (int i = 0; i < 8; i++) {
		uint8_t c = s[i];
		uint32_t d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return false;
		v = (v << 4) | d;
	}
	*out = v;
	return true;
}

/* Advance past n bytes padded to 4 from the archive start; false if short. */
static bool skip_padded(const struct cpio_reader *r, size_t *pos, size_t n)
{
	size_t left = r->len - *pos;
	size_t padded;

	if (n > left)
		return false;
	padded = ALIGN_UP(*pos + n, (size_t)4);
	*pos = MIN(padded, r->len);
	return true;
}

static bool checksum_ok(const uint8_t *data, size_t size, uint32_t want)
{
	uint32_t sum = 0;

	for (size_t i = 0; i < size; i++)
		sum += data[i];
	return sum == want;
}

/* Fill e from the header at r->pos; the new position goes to *next. */
static int parse_entry(const struct cpio_reader *r, struct cpio_entry *e,
		       size_t *next)
{
	const uint8_t *h = r->base + r->pos;
	uint32_t f[CPIO_FIELDS];
	size_t pos = r->pos + CPIO_HDR_LEN;
	bool crc;

	if (r->len - r->pos < CPIO_HDR_LEN)
		return -EINVAL;
	if (memcmp(h, "07070", 5) != 0 || (h[5] != '1' && h[5] != '2'))
		return -EINVAL;
	crc = h[5] == '2';
	for (int i = 0; i < CPIO_FIELDS; i++)
		if (!parse_hex8(h + 6 + 8 * i, &f[i]))
			return -EINVAL;
	if (f[F_NAMESIZE] == 0 || f[F_NAMESIZE] > r->len - pos)
		return -EINVAL;
	e->name = (const char *)r->base + pos;
	e->name_len = f[F_NAMESIZE] - 1;
	if (e->name[e->name_len] != '\0' ||
	    strnlen(e->name, e->name_len) != e->name_len)
		return -EINVAL;
	if (!skip_padded(r, &pos, f[F_NAMESIZE]))
		return -EINVAL;
	e->data = r->base + pos;
	e->size = f[F_FILESIZE];
	if (!skip_padded(r, &pos, e->size))
		return -EINVAL;
	if (crc && !checksum_ok(e->data, e->size, f[F_CHECK]))
		return -EINVAL;
	e->ino = f[F_INO];
	e->mode = f[F_MODE];
	e->uid = f[F_UID];
	e->gid = f[F_GID];
	e->nlink = f[F_NLINK];
	e->mtime = f[F_MTIME];
	e->devmajor = f[F_DEVMAJOR];
	e->devminor = f[F_DEVMINOR];
	e->rdevmajor = f[F_RDEVMAJOR];
	e->rdevminor = f[F_RDEVMINOR];
	*next = pos;
	return 0;
}

int cpio_next(struct cpio_reader *r, struct cpio_entry *e)
{
	for (;;) {
		size_t next;
		int err;

		/* Zero padding may follow a trailer (concatenated archives). */
		while (r->pos < r->len && r->base[r->pos] == 0)
			r->pos++;
		if (r->pos >= r->len)
			return 0;
		err = parse_entry(r, e, &next);
		if (err)
			return err;
		r->pos = next;
		if (strcmp(e->name, CPIO_TRAILER) != 0)
			return 1;
	}
}
