/*
 * /dev/kmsg (1:11): the kernel log (kernel/lib/printk.c) one record per
 * read, in Linux's format "pri,seq,usec,-;text\n", from the oldest record
 * kept at open; and a write adds a record, as Linux's devkmsg_write: an
 * optional "<N>" prefix gives the level (and facility, if not 0; else
 * LOG_USER), the default level is 4, one trailing newline is dropped.
 *
 * A read with nothing new sleeps (EAGAIN with O_NONBLOCK), looking again
 * every KMSG_POLL_NS, as syslog's READ does (printk cannot wake anyone);
 * a reader that fell behind the ring gets EPIPE once, then goes on from
 * the oldest record. A buffer too small for the record is EINVAL.
 */
#include <types.h>
#include <fs/chrdev.h>
#include <fs/file.h>
#include <lib/printk.h>
#include <lib/string.h>
#include <mm/kmalloc.h>
#include <proc/sched.h>
#include <proc/task.h>
#include <sync/mutex.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>

#define KMSG_POLL_NS	(50 * 1000 * 1000ULL)
#define LOG_USER	(1 << 3)
#define DEFAULT_LEVEL	4

/* An open /dev/kmsg: where its reader stands (guarded by f->pos_lock,
 * which the VFS takes only for regular files and directories). */
struct kmsg_reader {
	uint64_t pos, seq;
};

static int kmsg_open(struct inode *inode, struct file *f)
{
	struct kmsg_reader *r = kmalloc(sizeof(*r));

	if (!r)
		return -ENOMEM;
	log_start(&r->pos, &r->seq);
	f->private = r;
	return 0;
}

static void kmsg_release(struct file *f)
{
	kfree(f->private);
}

/* "<pri>[    s.usec] text" into "pri,seq,usec,-;text\n". */
static size_t kmsg_format(const char *rec, size_t len, uint64_t seq,
			  char *out, size_t size)
{
	unsigned long pri = 0, sec = 0, usec = 0;
	size_t i = 1, n;

	while (i < len && rec[i] >= '0' && rec[i] <= '9')
		pri = pri * 10 + (unsigned long)(rec[i++] - '0');
	i += 2;					/* ">[" */
	while (i < len && rec[i] == ' ')
		i++;
	while (i < len && rec[i] >= '0' && rec[i] <= '9')
		sec = sec * 10 + (unsigned long)(rec[i++] - '0');
	for (i++; i < len && rec[i] >= '0' && rec[i] <= '9'; i++)
		usec = usec * 10 + (unsigned long)(rec[i] - '0');
	i = MIN(i + 2, len);			/* "] " */
	n = (size_t)snprintf(out, size, "%lu,%lu,%lu,-;", pri,
			     (unsigned long)seq, sec * 1000000 + usec);
	if (n + (len - i) + 1 > size)
		return 0;
	memcpy(out + n, rec + i, len - i);
	out[n + len - i] = '\n';
	return n + len - i + 1;
}

static ssize_t kmsg_read(struct file *f, struct iobuf *io, off_t *pos)
{
	struct kmsg_reader *r = f->private;
	char *rec = kmalloc(2 * LOG_LINE_MAX + 256);
	char *out = rec + LOG_LINE_MAX + 128;
	uint64_t seq;
	ssize_t ret;
	int n;

	if (!rec)
		return -ENOMEM;
	mutex_lock(&f->pos_lock);
	for (;;) {
		seq = r->seq;
		n = log_read_record(&r->pos, &r->seq, rec, LOG_LINE_MAX + 128);
		if (n != 0)
			break;
		if (f->flags & O_NONBLOCK) {
			n = -EAGAIN;
			break;
		}
		if (signal_pending()) {
			n = -ERESTARTSYS;
			break;
		}
		n = sched_sleep_ns(KMSG_POLL_NS);
		if (n)
			break;
	}
	mutex_unlock(&f->pos_lock);
	if (n < 0) {
		ret = n;
	} else {
		size_t len = kmsg_format(rec, (size_t)n, seq, out,
					 MIN(io->len, (size_t)LOG_LINE_MAX +
					     128));
		ret = len ? (ssize_t)iobuf_copy_out(io, 0, out, len) : -EINVAL;
		if (len && (size_t)ret < len)
			ret = -EFAULT;
	}
	kfree(rec);
	return ret;
}

static ssize_t kmsg_write(struct file *f, struct iobuf *io, off_t *pos)
{
	unsigned int pri = LOG_USER | DEFAULT_LEVEL;
	size_t len = io->len, skip = 0;
	char *buf;

	if (len > LOG_LINE_MAX)
		return -EINVAL;
	buf = kmalloc(LOG_LINE_MAX + 1);
	if (!buf)
		return -ENOMEM;
	if (iobuf_copy_in(buf, io, 0, len) != len) {
		kfree(buf);
		return -EFAULT;
	}
	if (len > 2 && buf[0] == '<') {
		unsigned int u = 0;
		size_t i = 1;

		while (i < len && buf[i] >= '0' && buf[i] <= '9')
			u = u * 10 + (unsigned int)(buf[i++] - '0');
		if (i > 1 && i < len && buf[i] == '>') {
			pri = (u & ~7U) ? u : (LOG_USER | u);
			skip = i + 1;
		}
	}
	if (len > skip && buf[len - 1] == '\n')
		len--;
	log_user(pri, buf + skip, len - skip);
	kfree(buf);
	return (ssize_t)io->len;
}

static const struct file_ops kmsg_ops = {
	.open = kmsg_open,
	.release = kmsg_release,
	.read = kmsg_read,
	.write = kmsg_write,
};

void kmsg_init(void)
{
	chrdev_register(1, 11, &kmsg_ops);
}
