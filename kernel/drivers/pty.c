/*
 * Pseudo-terminals, as Linux's Unix 98 ptys: opening /dev/ptmx (5:2) makes
 * a pair and returns its master; the slave is /dev/pts/N on a devpts
 * mount (kernel/fs/devpts.c), a terminal with the N_TTY line discipline
 * of tty.c. What the master writes is typed at the slave; what the slave
 * prints (output and echo) waits in a ring for the master to read.
 *
 * A pair lives while either side is open. The slave is locked until the
 * master unlocks it (TIOCSPTLCK, unlockpt(3)); TIOCGPTN gives N
 * (ptsname(3)). When the master closes, the slave is hung up (reads
 * return 0, writes -EIO); when the last slave file closes, the master
 * reads -EIO once the ring is empty.
 *
 * Locking: pty_lock guards the table and each pair's open counts and
 * lock; p->owq.lock guards the output ring. The line discipline writes
 * to the ring with the tty's lock held, and a master reader checks the
 * slave's count under the ring's lock, so the order is tty.wq.lock,
 * owq.lock, pty_lock.
 */
#include <types.h>
#include <fs/file.h>
#include <fs/chrdev.h>
#include <drivers/pty.h>
#include <lib/string.h>
#include <mm/kmalloc.h>
#include <mm/uaccess.h>
#include <proc/task.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/poll.h>
#include "tty_ldisc.h"

#define PTY_MAX		64	/* pairs at once */
#define PTY_OUT		8192	/* slave output not yet read by the master */

struct pty {
	struct tty tty;			/* the slave's terminal */
	struct waitq owq;		/* owq.lock guards out, ohead, otail */
	char out[PTY_OUT];
	unsigned int ohead, otail;	/* free-running */
	bool held;			/* output stopped: the master reads */
	unsigned int hold_at;		/* ...only what came before this */
	int index;			/* fixed */
	uid_t uid;			/* of /dev/pts/N: ptmx's opener */
	gid_t gid;
	/* Guarded by pty_lock (read without it only as a hint). */
	bool locked;			/* the slave may not be opened */
	bool master_open;
	bool slave_seen;		/* the slave was opened once */
	int slave_opens;
};

static struct spinlock pty_lock = SPINLOCK_INIT("pty");
static struct pty *pty_table[PTY_MAX];		/* guarded by pty_lock */

/* ---- The slave's screen: the output ring -------------------------------- */

static unsigned int pty_out_count(const struct pty *p)
{
	return p->ohead - p->otail;
}

/* What the master may read: while output is stopped, not what came
 * after the stop (Linux's pty_write takes nothing then). */
static unsigned int pty_readable(const struct pty *p)
{
	return p->held ? p->hold_at - p->otail : p->ohead - p->otail;
}

/* tty_ops.flow: hold the screen from here, or let it all go. */
static void pty_flow(struct tty *t, bool stopped)
{
	struct pty *p = t->driver;

	spin_lock(&p->owq.lock);
	p->held = stopped;
	p->hold_at = p->ohead;
	spin_unlock(&p->owq.lock);
	if (!stopped) {
		waitq_wake_all(&p->owq);
		poll_wake();
	}
}

/* tty_ops.write: keep what fits (echo beyond a full ring is lost). */
static void pty_screen_write(struct tty *t, const char *buf, size_t len)
{
	struct pty *p = t->driver;

	spin_lock(&p->owq.lock);
	for (size_t i = 0; i < len && pty_out_count(p) < PTY_OUT; i++)
		p->out[p->ohead++ % PTY_OUT] = buf[i];
	spin_unlock(&p->owq.lock);
	waitq_wake_all(&p->owq);
	poll_wake();
}

static bool pty_master_gone(struct pty *p)
{
	return !__atomic_load_n(&p->master_open, __ATOMIC_RELAXED);
}

/* tty_ops.wait_room: a slave writer waits for the master to read. */
static int pty_wait_room(struct tty *t, size_t len)
{
	struct pty *p = t->driver;
	int err = 0;

	spin_lock(&p->owq.lock);
	while (!err && PTY_OUT - pty_out_count(p) < len)
		err = pty_master_gone(p) ? -EIO : waitq_sleep(&p->owq);
	spin_unlock(&p->owq.lock);
	return err;
}

static const struct tty_ops pty_tty_ops = {
	.write = pty_screen_write,
	.wait_room = pty_wait_room,
	.flow = pty_flow,
};

/* ---- Lifetime ----------------------------------------------------------- */

/* Drop a side; the pair goes with its last one. */
static void pty_release_side(struct pty *p, bool master)
{
	bool free_it;

	spin_lock(&pty_lock);
	if (master)
		__atomic_store_n(&p->master_open, false, __ATOMIC_RELAXED);
	else
		p->slave_opens--;
	free_it = !p->master_open && p->slave_opens == 0;
	if (free_it)
		pty_table[p->index] = NULL;
	spin_unlock(&pty_lock);
	if (free_it) {
		kfree(p);
		return;
	}
	if (master)
		tty_hangup(&p->tty);
	waitq_wake_all(&p->owq);	/* master readers: maybe -EIO now */
	poll_wake();
}

bool pty_of_session(pid_t sid, dev_t *dev, pid_t *fg)
{
	bool found = false;

	/* pty_lock keeps every pair in the table alive while we look. */
	spin_lock(&pty_lock);
	for (int i = 0; i < PTY_MAX && !found; i++)
		if (pty_table[i] && tty_session_is(&pty_table[i]->tty, sid, fg)) {
			*dev = MKDEV(PTY_SLAVE_MAJOR, (unsigned int)i);
			found = true;
		}
	spin_unlock(&pty_lock);
	return found;
}

pid_t pty_session_drop(pid_t sid)
{
	pid_t fg = -1;

	spin_lock(&pty_lock);
	for (int i = 0; i < PTY_MAX && fg < 0; i++)
		if (pty_table[i])
			fg = tty_session_drop(&pty_table[i]->tty, sid);
	spin_unlock(&pty_lock);
	return fg;
}

static int ptmx_open(struct inode *inode, struct file *f)
{
	struct pty *p = kzalloc(sizeof(*p));
	int index = -1;

	if (!p)
		return -ENOMEM;
	/* Whole before it is published: devpts may look at once. */
	tty_setup(&p->tty, &pty_tty_ops, p);
	waitq_init(&p->owq, "pty_output");
	p->uid = current->cred.euid;
	p->gid = current->cred.egid;
	p->locked = true;
	p->master_open = true;
	spin_lock(&pty_lock);
	for (int i = 0; i < PTY_MAX && index < 0; i++)
		if (!pty_table[i])
			index = i;
	if (index >= 0) {
		p->index = index;
		pty_table[index] = p;
	}
	spin_unlock(&pty_lock);
	if (index < 0) {
		kfree(p);
		return -ENOSPC;		/* Linux: past kernel.pty.max */
	}
	f->private = p;
	file_nonseekable(f);
	return 0;
}

static void ptmx_release(struct file *f)
{
	pty_release_side(f->private, true);
}

/* ---- The master side ---------------------------------------------------- */

/* Linux: once every slave file is closed, reading the master is -EIO. */
static bool pty_slave_gone(struct pty *p)
{
	bool gone;

	spin_lock(&pty_lock);
	gone = p->slave_seen && p->slave_opens == 0;
	spin_unlock(&pty_lock);
	return gone;
}

static ssize_t ptmx_read(struct file *f, struct iobuf *io, off_t *pos)
{
	struct pty *p = f->private;
	size_t len = MIN(io->len, (size_t)PTY_OUT), n = 0;
	char *kbuf;
	int err = 0;

	if (!len)
		return 0;
	kbuf = kmalloc(len);
	if (!kbuf)
		return -ENOMEM;
	spin_lock(&p->owq.lock);
	while (!pty_readable(p) && !err) {
		if (pty_slave_gone(p))
			err = -EIO;
		else if (f->flags & O_NONBLOCK)
			err = -EAGAIN;
		else
			err = waitq_sleep(&p->owq);
	}
	while (!err && n < len && pty_readable(p))
		kbuf[n++] = p->out[p->otail++ % PTY_OUT];
	spin_unlock(&p->owq.lock);
	waitq_wake_all(&p->owq);	/* writers waiting for room */
	if (n && !iobuf_copy_out(io, 0, kbuf, n))
		err = -EFAULT;
	kfree(kbuf);
	return err ? err : (ssize_t)n;
}

/* Typed at the slave, byte by byte through its line discipline. (Bytes
 * beyond a full input buffer are dropped, where Linux would wait.) */
static ssize_t ptmx_write(struct file *f, struct iobuf *io, off_t *pos)
{
	struct pty *p = f->private;
	char in[128];
	size_t done = 0;

	while (done < io->len) {
		size_t want = MIN(io->len - done, sizeof(in));
		size_t n = iobuf_copy_in(in, io, done, want);

		if (!n)
			return done ? (ssize_t)done : -EFAULT;
		for (size_t i = 0; i < n; i++)
			tty_receive(&p->tty, in[i]);
		done += n;
		if (n < want)
			break;
	}
	return (ssize_t)done;
}

static unsigned int ptmx_poll(struct file *f)
{
	struct pty *p = f->private;
	unsigned int mask = POLLOUT | POLLWRNORM;
	bool data;

	spin_lock(&p->owq.lock);
	data = pty_readable(p) != 0;
	spin_unlock(&p->owq.lock);
	if (data)
		mask |= POLLIN | POLLRDNORM;
	else if (pty_slave_gone(p))
		mask |= POLLHUP;
	return mask;
}

static long ptmx_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct pty *p = f->private;
	int __user *up = (int __user *)arg;
	int v;

	switch (cmd) {
	case TIOCGPTN:
		return put_user(p->index, up) ? -EFAULT : 0;
	case TIOCSPTLCK:
		if (get_user(v, up))
			return -EFAULT;
		spin_lock(&pty_lock);
		p->locked = v != 0;
		spin_unlock(&pty_lock);
		return 0;
	case TIOCGPTLCK:
		spin_lock(&pty_lock);
		v = p->locked;
		spin_unlock(&pty_lock);
		return put_user(v, up) ? -EFAULT : 0;
	case FIONREAD:
		spin_lock(&p->owq.lock);
		v = (int)pty_readable(p);
		spin_unlock(&p->owq.lock);
		return put_user(v, up) ? -EFAULT : 0;
	case TCGETS:
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
	case TIOCGWINSZ:
	case TIOCSWINSZ:
		/* The pair's one set of modes and size: the slave's. */
		return tty_ioctl(&p->tty, cmd, arg);
	default:
		return -ENOTTY;
	}
}

static const struct file_ops ptmx_ops = {
	.open = ptmx_open,
	.release = ptmx_release,
	.read = ptmx_read,
	.write = ptmx_write,
	.llseek = tty_file_llseek,
	.ioctl = ptmx_ioctl,
	.poll = ptmx_poll,
};

/* ---- The slave side ----------------------------------------------------- */

static void pts_release(struct file *f)
{
	struct tty *t = f->private;

	pty_release_side(t->driver, false);
}

static const struct file_ops pts_ops = {
	.release = pts_release,
	.read = tty_file_read,
	.write = tty_file_write,
	.llseek = tty_file_llseek,
	.ioctl = tty_file_ioctl,
	.poll = tty_file_poll,
	.poll_head = tty_file_poll_head,
};

int pty_open_slave(unsigned int index, struct file *f)
{
	struct pty *p = NULL;
	int err = -EIO;

	spin_lock(&pty_lock);
	if (index < PTY_MAX)
		p = pty_table[index];
	if (p && p->master_open && !p->locked) {
		p->slave_opens++;
		p->slave_seen = true;
		err = 0;
	}
	spin_unlock(&pty_lock);
	if (err)
		return err;
	f->ops = &pts_ops;
	f->private = &p->tty;
	file_nonseekable(f);
	return 0;
}

/* ---- For devpts --------------------------------------------------------- */

int pty_next(int from, uid_t *uid, gid_t *gid)
{
	int found = -1;

	spin_lock(&pty_lock);
	for (int i = from < 0 ? 0 : from; i < PTY_MAX && found < 0; i++) {
		if (pty_table[i]) {
			found = i;
			*uid = pty_table[i]->uid;
			*gid = pty_table[i]->gid;
		}
	}
	spin_unlock(&pty_lock);
	return found;
}

void pty_init(void)
{
	chrdev_register(5, 2, &ptmx_ops);
}
