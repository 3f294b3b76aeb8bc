/*
 * iobuf: the buffer a file operation reads into or writes from, in user
 * space (read(2), write(2)) or in the kernel (kernel_read_at, sendfile's
 * bounce buffer), so one implementation serves both.
 *
 * A user buffer may stop part-way: a page in the middle may be unmapped,
 * or not writable. Linux then transfers the bytes before the fault and
 * the call returns their count (EFAULT only when there are none), so the
 * helpers report how many bytes they moved. The copy is tried whole; if
 * it faults, it is redone a page at a time up to the first page that
 * faults. Access is decided per page, so that count is exact to the byte,
 * as Linux's copy_to_user reports it; redoing a copy writes the same bytes
 * again, which nothing can tell from doing it once.
 */
#include "vfs.h"
#include <lib/string.h>
#include <mm/uaccess.h>

enum iobuf_op { IOBUF_OUT, IOBUF_IN, IOBUF_CLEAR };

static int user_op(enum iobuf_op op, char __user *u, char *k, size_t n)
{
	switch (op) {
	case IOBUF_OUT:
		return copy_to_user(u, k, n);
	case IOBUF_IN:
		return copy_from_user(k, u, n);
	default:
		return clear_user(u, n);
	}
}

/* How many of the n bytes at user address u op moves (k: kernel side). */
static size_t user_op_prefix(enum iobuf_op op, char __user *u, char *k,
			     size_t n)
{
	size_t done = 0;

	if (!user_op(op, u, k, n))
		return n;
	while (done < n) {
		size_t in_page = PAGE_SIZE - ((uintptr_t)(u + done) % PAGE_SIZE);
		size_t chunk = MIN(n - done, in_page);

		if (user_op(op, u + done, k ? k + done : NULL, chunk))
			break;
		done += chunk;
	}
	return done;
}

size_t iobuf_copy_out(struct iobuf *io, size_t off, const void *src, size_t n)
{
	if (iobuf_is_user(io))
		return user_op_prefix(IOBUF_OUT, io->ubuf + off, (char *)src,
				      n);
	memcpy(io->kbuf + off, src, n);
	return n;
}

size_t iobuf_copy_in(void *dst, struct iobuf *io, size_t off, size_t n)
{
	if (iobuf_is_user(io))
		return user_op_prefix(IOBUF_IN, io->ubuf + off, dst, n);
	memcpy(dst, io->kbuf + off, n);
	return n;
}

size_t iobuf_clear(struct iobuf *io, size_t off, size_t n)
{
	if (iobuf_is_user(io))
		return user_op_prefix(IOBUF_CLEAR, io->ubuf + off, NULL, n);
	memset(io->kbuf + off, 0, n);
	return n;
}
