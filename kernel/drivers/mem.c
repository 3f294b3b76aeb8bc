/*
 * The memory character devices of Linux's major 1: /dev/null (1:3),
 * /dev/zero (1:5), /dev/full (1:7), /dev/random (1:8) and /dev/urandom
 * (1:9), with Linux's semantics: null reads EOF and swallows writes, zero
 * and full read zeros, full refuses writes with ENOSPC, the random devices
 * read the kernel's random_bytes() and accept (and ignore) writes.
 */
#include <types.h>
#include <fs/file.h>
#include <fs/chrdev.h>
#include <lib/random.h>
#include <mm/vm_object.h>
#include <proc/task.h>
#include <uapi/errno.h>

#define MEM_MAJOR 1

static ssize_t null_read(struct file *f, struct iobuf *io, off_t *pos)
{
	return 0;
}

static ssize_t null_write(struct file *f, struct iobuf *io, off_t *pos)
{
	return (ssize_t)io->len;
}

/* null, zero and full: lseek always lands on 0 (Linux's null_lseek). */
static off_t null_llseek(struct file *f, off_t off, int whence)
{
	return f->pos = 0;
}

/*
 * Reading zeros, in chunks so a huge read can be interrupted by a signal.
 * Each chunk's clear_user is also a preemption point (docs/locking.md), so
 * a read of hundreds of MiB lets other processes run.
 */
static ssize_t zero_read(struct file *f, struct iobuf *io, off_t *pos)
{
	size_t done = 0;

	while (done < io->len) {
		size_t n = MIN(io->len - done, (size_t)65536);
		size_t moved = iobuf_clear(io, done, n);

		done += moved;
		if (moved < n)
			return done ? (ssize_t)done : -EFAULT;
		if (done < io->len && signal_pending())
			break;
	}
	return (ssize_t)done;
}

static ssize_t full_write(struct file *f, struct iobuf *io, off_t *pos)
{
	return -ENOSPC;
}

static ssize_t random_read(struct file *f, struct iobuf *io, off_t *pos)
{
	char buf[256];
	size_t done = 0;

	while (done < io->len) {
		size_t n = MIN(io->len - done, sizeof(buf)), moved;

		random_bytes(buf, n);
		moved = iobuf_copy_out(io, done, buf, n);
		done += moved;
		if (moved < n)
			return done ? (ssize_t)done : -EFAULT;
		if (done < io->len && done % 4096 == 0 && signal_pending())
			break;
	}
	return (ssize_t)done;
}

/* Linux's noop_llseek: the position does not move. */
static off_t random_llseek(struct file *f, off_t off, int whence)
{
	return f->pos;
}

/*
 * Mapping /dev/zero gives zero-filled memory: MAP_SHARED a new shared
 * object, exactly like MAP_SHARED|MAP_ANONYMOUS (Linux's
 * shmem_zero_setup); MAP_PRIVATE plain private anonymous memory.
 */
static int zero_mmap(struct file *f, bool shared, uint64_t len,
		     struct vm_object **obj)
{
	*obj = NULL;
	if (!shared)
		return 0;
	*obj = vm_object_create_anon(len);
	return *obj ? 0 : -ENOMEM;
}

static const struct file_ops null_ops = {
	.read = null_read, .write = null_write, .llseek = null_llseek,
};

static const struct file_ops zero_ops = {
	.read = zero_read, .write = null_write, .llseek = null_llseek,
	.mmap = zero_mmap,
};

static const struct file_ops full_ops = {
	.read = zero_read, .write = full_write, .llseek = null_llseek,
};

static const struct file_ops random_ops = {
	.read = random_read, .write = null_write, .llseek = random_llseek,
};

void memdev_init(void)
{
	chrdev_register(MEM_MAJOR, 3, &null_ops);
	chrdev_register(MEM_MAJOR, 5, &zero_ops);
	chrdev_register(MEM_MAJOR, 7, &full_ops);
	chrdev_register(MEM_MAJOR, 8, &random_ops);
	chrdev_register(MEM_MAJOR, 9, &random_ops);
}
