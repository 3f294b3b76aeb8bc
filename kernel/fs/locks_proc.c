/*
 * /proc/locks: every advisory lock held, one line each, in Linux's
 * format (fs/locks.c lock_get_status), which lslocks and people parse:
 *
 *   1: POSIX  ADVISORY  WRITE 123 00:02:45 0 EOF
 *   2: FLOCK  ADVISORY  READ 124 00:02:46 0 EOF
 *   3: OFDLCK ADVISORY  READ -1 00:02:45 10 19
 *
 * kind, type, the locker's pid (-1 for OFD locks), the file's device
 * (major:minor in hex) and inode number, and the range (flock locks:
 * "0 EOF"). Newest first, as Linux adds each lock at the head of its
 * list. Waiters, which Linux lists with "->", are not shown.
 */
#include "locks.h"
#include "procfs.h"
#include <fs/chrdev.h>

static const char *const kind_names[] = {
	[LK_FLOCK] = "FLOCK  ADVISORY ",
	[LK_POSIX] = "POSIX  ADVISORY ",
	[LK_OFD] = "OFDLCK ADVISORY ",
};

static int lock_line(struct proc_text *t, int id, const struct file_lock *fl)
{
	dev_t dev = fl->inode->sb->dev;
	int err;

	err = proc_text_printf(t, "%d: %s %s %d %02x:%02x:%llu ", id,
			       kind_names[fl->kind],
			       fl->type == F_WRLCK ? "WRITE" : "READ",
			       fl->kind == LK_OFD ? -1 : (int)fl->pid,
			       MAJOR(dev), MINOR(dev),
			       (unsigned long long)fl->inode->ino);
	if (err)
		return err;
	if (fl->kind == LK_FLOCK || fl->end == OFFSET_MAX)
		return proc_text_printf(t, "%lld EOF\n",
					(long long)fl->start);
	return proc_text_printf(t, "%lld %lld\n", (long long)fl->start,
				(long long)fl->end);
}

int locks_proc_generate(struct proc_text *t, pid_t pid)
{
	struct list_head *e;
	int id = 0, err = 0;

	(void)pid;
	mutex_lock(&lock_mutex);
	for (e = lock_list.prev; e != &lock_list && !err; e = e->prev)
		err = lock_line(t, ++id, list_entry(e, struct file_lock, link));
	mutex_unlock(&lock_mutex);
	return err;
}
