/*
 * The files of fault injection (mm/fault_inject.h), which exist only with
 * "fault_inject" on the kernel command line.
 *
 * /proc/<pid>/fail-nth: the countdown of the calling thread (Linux has
 * the file as /proc/thread-self/fail-nth), only in the caller's own
 * directory, whose pid must be the calling thread's. Unlike the other
 * procfs files it is read and written on the spot, without allocating
 * anything: arming the countdown and reading it back must not count
 * against it.
 *
 * /proc/fault_inject: counters (see proc_fault_inject_show).
 */
#include "procfs.h"
#include <lib/printk.h>
#include <mm/fault_inject.h>
#include <mm/kmalloc.h>
#include <mm/page.h>
#include <proc/task.h>

/* The thread the file is about: the caller, if the directory names it. */
static struct task *fail_nth_task(struct file *f)
{
	struct task *t = current;

	return proc_file_pid(f) == t->tid ? t : NULL;
}

static ssize_t fail_nth_read(struct file *f, struct iobuf *io, off_t *pos)
{
	struct task *t = fail_nth_task(f);
	char buf[16];
	size_t len, n;

	if (!t)
		return -EPERM;
	len = (size_t)snprintf(buf, sizeof(buf), "%u\n",
			       fault_inject_get_nth(t));
	if (*pos < 0 || (size_t)*pos >= len)
		return 0;
	n = iobuf_copy_out(io, 0, buf + *pos, MIN(io->len, len - (size_t)*pos));
	if (n == 0)
		return -EFAULT;
	*pos += (off_t)n;
	return (ssize_t)n;
}

/* A decimal number, perhaps followed by a newline (Linux's kstrtouint). */
static ssize_t fail_nth_write(struct file *f, struct iobuf *io, off_t *pos)
{
	struct task *t = fail_nth_task(f);
	char buf[16];
	size_t len = io->len;
	uint64_t v = 0;

	if (!t)
		return -EPERM;
	if (len == 0 || len >= sizeof(buf))
		return -EINVAL;
	if (iobuf_copy_in(buf, io, 0, len) != len)
		return -EFAULT;
	if (buf[len - 1] == '\n')
		len--;
	if (len == 0)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		if (buf[i] < '0' || buf[i] > '9')
			return -EINVAL;
		v = v * 10 + (uint64_t)(buf[i] - '0');
		if (v > UINT32_MAX)
			return -ERANGE;
	}
	fault_inject_set_nth(t, (unsigned int)v);
	return (ssize_t)io->len;
}

static off_t fail_nth_llseek(struct file *f, off_t off, int whence)
{
	if (whence == SEEK_CUR)
		off += f->pos;
	else if (whence != SEEK_SET)
		return -EINVAL;
	if (off < 0)
		return -EINVAL;
	return f->pos = off;
}

const struct file_ops proc_fail_nth_ops = {
	.read = fail_nth_read,
	.write = fail_nth_write,
	.llseek = fail_nth_llseek,
};

bool proc_fault_inject_present(void)
{
	return fault_inject_enabled;
}

/*
 * /proc/fault_inject, also only with the switch: the failures injected
 * since boot, and the kernel's own memory to the byte (kmalloc's live
 * objects by size class, its slab and large pages, free pages), which a
 * leak test compares around a failed call: a leaked object shows at
 * once, where MemFree moves only when a whole page goes.
 */
long proc_fault_inject_show(char *buf, size_t size, pid_t pid)
{
	struct kmalloc_stats st;
	int n;

	kmalloc_get_stats(&st);
	n = snprintf(buf, size,
		     "injected_page %lu\ninjected_kmalloc %lu\n"
		     "kmalloc_bytes %lu\nkmalloc_slab_pages %lu\n"
		     "kmalloc_large_pages %lu\nfree_pages %lu\n",
		     (unsigned long)fault_inject_count(FAULT_PAGE),
		     (unsigned long)fault_inject_count(FAULT_KMALLOC),
		     (unsigned long)st.bytes_in_use,
		     (unsigned long)st.slab_pages,
		     (unsigned long)st.large_pages,
		     (unsigned long)page_count_free());
	return (size_t)n >= size ? -ENOMEM : n;
}
