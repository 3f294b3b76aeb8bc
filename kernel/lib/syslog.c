/*
 * syslog(2) (glibc's klogctl): reading and clearing the kernel log ring
 * (kernel/lib/printk.c) and setting the console level, as `dmesg` uses
 * it; and the /proc/sys/kernel/dmesg_restrict knob that governs who may.
 *
 * Linux's rules: with dmesg_restrict 0 (the default) anyone may read the
 * whole log (READ_ALL) and ask its size (SIZE_BUFFER); every other action
 * (and, with dmesg_restrict 1, those too) needs CAP_SYSLOG, here euid 0.
 * The permission check comes before the action is even looked at, so an
 * unknown action is EPERM for others and EINVAL for root.
 *
 * READ is the destructive read of the one system-wide reader position; it
 * sleeps until there is something to read. printk cannot wake it (printk
 * runs under any lock, the scheduler's included), so the reader looks
 * again every READ_POLL_NS: the log is read by people, not by the clock.
 */
#include <types.h>
#include <uapi/errno.h>
#include <lib/printk.h>
#include <lib/string.h>
#include <mm/kmalloc.h>
#include <mm/uaccess.h>
#include <proc/sched.h>
#include <proc/task.h>
#include <lib/parse.h>
#include <sync/spinlock.h>
#include <syscall/syscall.h>

enum {
	SYSLOG_ACTION_CLOSE,
	SYSLOG_ACTION_OPEN,
	SYSLOG_ACTION_READ,
	SYSLOG_ACTION_READ_ALL,
	SYSLOG_ACTION_READ_CLEAR,
	SYSLOG_ACTION_CLEAR,
	SYSLOG_ACTION_CONSOLE_OFF,
	SYSLOG_ACTION_CONSOLE_ON,
	SYSLOG_ACTION_CONSOLE_LEVEL,
	SYSLOG_ACTION_SIZE_UNREAD,
	SYSLOG_ACTION_SIZE_BUFFER,
};

#define MINIMUM_CONSOLE_LOGLEVEL 1	/* CONSOLE_OFF leaves emergencies */
#define READ_POLL_NS	(50 * 1000 * 1000ULL)

/* Guarded by syslog_lock (never held across a copy or a sleep). */
static struct spinlock syslog_lock = SPINLOCK_INIT("syslog");
static uint64_t read_pos;		/* SYSLOG_ACTION_READ's reader */
static uint64_t clear_pos;		/* READ_ALL starts here (CLEAR) */
static int saved_console_level = -1;	/* CONSOLE_OFF's, or -1 */

static int dmesg_restrict;		/* atomic: 0 or 1 */

static bool syslog_allowed(int type)
{
	bool open_to_all = !__atomic_load_n(&dmesg_restrict, __ATOMIC_RELAXED)
		&& (type == SYSLOG_ACTION_READ_ALL ||
		    type == SYSLOG_ACTION_SIZE_BUFFER);

	return open_to_all || current->cred.euid == 0;
}

/* A kernel buffer for len bytes of log, and checks Linux makes first. */
static long syslog_buffer(char __user *buf, int len, char **kbuf)
{
	if (!buf || len < 0)
		return -EINVAL;
	if (len == 0)
		return 0;
	if (!user_range_ok((uint64_t)buf, (size_t)len))
		return -EFAULT;
	*kbuf = kmalloc(MIN((size_t)len, (size_t)LOG_BUF_LEN));
	return *kbuf ? 1 : -ENOMEM;
}

static uint64_t syslog_get(uint64_t *p)
{
	uint64_t v;

	spin_lock(&syslog_lock);
	v = *p;
	spin_unlock(&syslog_lock);
	return v;
}

/* Wait for unread records; 0 or -ERESTARTSYS. */
static int syslog_wait(void)
{
	while (log_unread(syslog_get(&read_pos)) == 0) {
		if (signal_pending())
			return -ERESTARTSYS;
		int err = sched_sleep_ns(READ_POLL_NS);
		if (err)
			return err;
	}
	return 0;
}

/*
 * READ: the next records, consumed once they reached the user. Of two
 * racing readers, the one that moves the position first wins; the other
 * reads again from the new position.
 */
static long syslog_read(char __user *buf, int len)
{
	char *kbuf = NULL;
	long r = syslog_buffer(buf, len, &kbuf);
	uint64_t from, pos;
	bool moved;

	if (r <= 0)
		return r;
	do {
		r = syslog_wait();
		if (r)
			break;
		from = pos = syslog_get(&read_pos);
		r = (long)log_read_next(&pos, kbuf,
					MIN((size_t)len, (size_t)LOG_BUF_LEN));
		if (copy_to_user(buf, kbuf, (size_t)r)) {
			r = -EFAULT;
			break;
		}
		spin_lock(&syslog_lock);
		moved = read_pos != from;
		if (!moved)
			read_pos = pos;
		spin_unlock(&syslog_lock);
	} while (moved);
	kfree(kbuf);
	return r;
}

/* READ_ALL and READ_CLEAR: the newest records that fit, since CLEAR. */
static long syslog_read_all(char __user *buf, int len, bool clear)
{
	char *kbuf = NULL;
	long r = syslog_buffer(buf, len, &kbuf);

	if (r <= 0)
		return r;
	uint64_t end = log_end();

	r = (long)log_read_newest(syslog_get(&clear_pos), kbuf,
				  MIN((size_t)len, (size_t)LOG_BUF_LEN));
	if (copy_to_user(buf, kbuf, (size_t)r)) {
		r = -EFAULT;
	} else if (clear) {
		spin_lock(&syslog_lock);
		clear_pos = MAX(clear_pos, end);
		spin_unlock(&syslog_lock);
	}
	kfree(kbuf);
	return r;
}

/* CONSOLE_OFF, CONSOLE_ON and CONSOLE_LEVEL, as Linux: OFF saves the
 * level once, ON restores it, LEVEL sets 1..8 and forgets a saved one. */
static long syslog_console(int type, int len)
{
	long r = 0;

	spin_lock(&syslog_lock);
	if (type == SYSLOG_ACTION_CONSOLE_OFF && saved_console_level < 0) {
		saved_console_level = printk_level;
		__atomic_store_n(&printk_level, MINIMUM_CONSOLE_LOGLEVEL,
				 __ATOMIC_RELAXED);
	} else if (type == SYSLOG_ACTION_CONSOLE_ON &&
		   saved_console_level >= 0) {
		__atomic_store_n(&printk_level, saved_console_level,
				 __ATOMIC_RELAXED);
		saved_console_level = -1;
	} else if (type == SYSLOG_ACTION_CONSOLE_LEVEL) {
		if (len < 1 || len > 8) {
			r = -EINVAL;
		} else {
			__atomic_store_n(&printk_level, len, __ATOMIC_RELAXED);
			saved_console_level = -1;
		}
	}
	spin_unlock(&syslog_lock);
	return r;
}

SYSCALL_DEFINE3(syslog, int, type, char __user *, buf, int, len)
{
	if (!syslog_allowed(type))
		return -EPERM;
	switch (type) {
	case SYSLOG_ACTION_CLOSE:
	case SYSLOG_ACTION_OPEN:
		return 0;
	case SYSLOG_ACTION_READ:
		return syslog_read(buf, len);
	case SYSLOG_ACTION_READ_ALL:
	case SYSLOG_ACTION_READ_CLEAR:
		return syslog_read_all(buf, len,
				       type == SYSLOG_ACTION_READ_CLEAR);
	case SYSLOG_ACTION_CLEAR:
		spin_lock(&syslog_lock);
		clear_pos = log_end();
		spin_unlock(&syslog_lock);
		return 0;
	case SYSLOG_ACTION_CONSOLE_OFF:
	case SYSLOG_ACTION_CONSOLE_ON:
	case SYSLOG_ACTION_CONSOLE_LEVEL:
		return syslog_console(type, len);
	case SYSLOG_ACTION_SIZE_UNREAD:
		return (long)log_unread(syslog_get(&read_pos));
	case SYSLOG_ACTION_SIZE_BUFFER:
		return LOG_BUF_LEN;
	default:
		return -EINVAL;
	}
}

int syslog_sysctl_read(const char *name, char *buf, size_t size)
{
	if (strcmp(name, "dmesg_restrict"))
		return -ENOENT;
	return snprintf(buf, size, "%d\n",
			__atomic_load_n(&dmesg_restrict, __ATOMIC_RELAXED));
}

/* Linux: only CAP_SYS_ADMIN may change it, to 0 or 1. */
int syslog_sysctl_write(const char *name, const char *buf, size_t len)
{
	long v;

	if (strcmp(name, "dmesg_restrict"))
		return -ENOENT;
	if (current->cred.euid != 0)
		return -EPERM;
	if (parse_long(buf, len, &v) || v < 0 || v > 1)
		return -EINVAL;
	__atomic_store_n(&dmesg_restrict, (int)v, __ATOMIC_RELAXED);
	return 0;
}
