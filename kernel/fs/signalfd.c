/*
 * signalfd and signalfd4: a file that reads the caller's pending signals
 * of a mask as struct signalfd_siginfo records, instead of their handlers
 * running (Linux's fs/signalfd.c).
 *
 * A read takes signals of the mask off the reading thread's own pending
 * set, then its process's (proc/signal_deliver.c's order, queued
 * real-time instances one by one), and blocks until one comes unless
 * O_NONBLOCK; poll reports POLLIN while one is pending for the polling
 * thread. Senders wake the process's signalfd_wait queue and, while any
 * signalfd is open, poll_wake (so poll and epoll look again). Every
 * signalfd is a file on one shared inode of an internal, unmounted file
 * system, as Linux's anonymous inode. The mask is per open file and
 * guarded by its lock; signalfd() on an existing one replaces it.
 */
#include "vfs.h"
#include <fs/anon.h>
#include <lib/string.h>
#include <mm/kmalloc.h>
#include <mm/uaccess.h>
#include <proc/signal.h>
#include <proc/task.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/poll.h>
#include <uapi/signal.h>
#include <syscall/syscall.h>

#define SFD_CLOEXEC	O_CLOEXEC
#define SFD_NONBLOCK	O_NONBLOCK

/* struct signalfd_siginfo, 128 bytes (uapi/linux/signalfd.h). */
struct signalfd_siginfo {
	uint32_t ssi_signo;
	int32_t ssi_errno;
	int32_t ssi_code;
	uint32_t ssi_pid;
	uint32_t ssi_uid;
	int32_t ssi_fd;
	uint32_t ssi_tid;
	uint32_t ssi_band;
	uint32_t ssi_overrun;
	uint32_t ssi_trapno;
	int32_t ssi_status;
	int32_t ssi_int;
	uint64_t ssi_ptr;
	uint64_t ssi_utime;
	uint64_t ssi_stime;
	uint64_t ssi_addr;
	uint16_t ssi_addr_lsb;
	uint16_t pad2;
	int32_t ssi_syscall;
	uint64_t ssi_call_addr;
	uint32_t ssi_arch;
	uint8_t pad[28];
};
_Static_assert(sizeof(struct signalfd_siginfo) == 128, "signalfd_siginfo");
_Static_assert(offsetof(struct signalfd_siginfo, ssi_ptr) == 48, "ssi_ptr");
_Static_assert(offsetof(struct signalfd_siginfo, ssi_addr) == 72, "ssi_addr");

struct signalfd_ctx {
	struct spinlock lock;
	uint64_t mask;			/* guarded by lock */
};

static uint32_t nr_open;		/* atomic: open signalfds */

bool signalfd_exists(void)
{
	return __atomic_load_n(&nr_open, __ATOMIC_RELAXED) != 0;
}

static uint64_t ctx_mask(struct signalfd_ctx *c)
{
	uint64_t m;

	spin_lock(&c->lock);
	m = c->mask;
	spin_unlock(&c->lock);
	return m;
}

/* The record for one signal, from what the kernel's siginfo holds. */
static void fill_record(struct signalfd_siginfo *r, int sig,
			const struct ksiginfo *info)
{
	struct siginfo si;

	memset(&si, 0, sizeof(si));
	signal_fill_siginfo(&si, sig, info);
	memset(r, 0, sizeof(*r));
	r->ssi_signo = (uint32_t)sig;
	r->ssi_errno = si.si_errno;
	r->ssi_code = si.si_code;
	r->ssi_pid = (uint32_t)si.u.rt.pid;
	r->ssi_uid = si.u.rt.uid;
	r->ssi_int = (int32_t)si.u.rt.value;
	r->ssi_ptr = si.u.rt.value;
	if (info->code == SI_TIMER) {
		r->ssi_pid = r->ssi_uid = 0;
		r->ssi_tid = (uint32_t)si.u.timer.tid;
		r->ssi_overrun = (uint32_t)si.u.timer.overrun;
		r->ssi_int = (int32_t)si.u.timer.value;
		r->ssi_ptr = si.u.timer.value;
	} else if (sig == SIGCHLD && info->code > 0) {
		r->ssi_status = si.u.chld.status;
		r->ssi_utime = (uint64_t)si.u.chld.utime;
		r->ssi_stime = (uint64_t)si.u.chld.stime;
		r->ssi_int = 0;
		r->ssi_ptr = 0;
	} else if (info->fault) {
		r->ssi_pid = r->ssi_uid = 0;
		r->ssi_int = 0;
		r->ssi_ptr = 0;
		r->ssi_addr = info->addr;
		r->ssi_trapno = (uint32_t)current->fault_trapno;
	} else if (sig == SIGIO && info->code > 0) {
		r->ssi_pid = r->ssi_uid = 0;
		r->ssi_band = (uint32_t)info->band;
		r->ssi_fd = info->fd;
	}
}

/* One signal of mask: wait for it unless nonblock (0, -EAGAIN or
 * -ERESTARTSYS). */
static int take_one(uint64_t mask, bool nonblock, int *sig,
		    struct ksiginfo *info)
{
	struct waitq *wq = &current->group->signalfd_wait;
	int err = 0;

	spin_lock(&wq->lock);
	while (!(*sig = signal_dequeue_set(mask, info))) {
		err = nonblock ? -EAGAIN : waitq_sleep(wq);
		if (err)
			break;
	}
	spin_unlock(&wq->lock);
	return err;
}

static ssize_t signalfd_read(struct file *f, struct iobuf *io, off_t *pos)
{
	struct signalfd_ctx *c = f->private;
	bool nonblock = __atomic_load_n(&f->flags, __ATOMIC_RELAXED) &
			O_NONBLOCK;
	size_t count = io->len / sizeof(struct signalfd_siginfo), done = 0;
	struct signalfd_siginfo rec;
	struct ksiginfo info;
	int sig, err;

	if (!count)
		return -EINVAL;
	for (; done < count; done++) {
		/* Only the first record may wait (Linux). */
		err = take_one(ctx_mask(c), nonblock || done, &sig, &info);
		if (err)
			return done ? (ssize_t)(done * sizeof(rec)) : err;
		fill_record(&rec, sig, &info);
		if (iobuf_copy_out(io, done * sizeof(rec), &rec, sizeof(rec)) !=
		    sizeof(rec))
			return done ? (ssize_t)(done * sizeof(rec)) : -EFAULT;
	}
	return (ssize_t)(done * sizeof(rec));
}

/* Readable while a signal of the mask is pending for the poller. */
static unsigned int signalfd_poll(struct file *f)
{
	struct signalfd_ctx *c = f->private;
	uint64_t pending =
		__atomic_load_n(&current->pending, __ATOMIC_RELAXED) |
		__atomic_load_n(&current->group->shared_pending,
				__ATOMIC_RELAXED);

	return (pending & ctx_mask(c)) ? POLLIN | POLLRDNORM : 0;
}

static void signalfd_release(struct file *f)
{
	kfree(f->private);
	__atomic_sub_fetch(&nr_open, 1, __ATOMIC_RELAXED);
}

static const struct file_ops signalfd_ops = {
	.read = signalfd_read,
	.poll = signalfd_poll,
	.release = signalfd_release,
	.llseek = anon_noop_llseek,	/* Linux's noop_llseek */
};

/* A new signalfd with mask, installed as a descriptor. */
static long signalfd_create(uint64_t mask, int flags)
{
	struct signalfd_ctx *c = kzalloc(sizeof(*c));
	struct file *f;
	int fd;

	if (!c)
		return -ENOMEM;
	spin_init(&c->lock, "signalfd");
	c->mask = mask;
	f = anon_file_open("anon_inode:[signalfd]", 0600, &signalfd_ops, c,
			   flags);
	if (IS_ERR(f)) {
		kfree(c);
		return PTR_ERR(f);
	}
	__atomic_add_fetch(&nr_open, 1, __ATOMIC_RELAXED);
	fd = fd_install(f, 0, flags & O_CLOEXEC);
	if (fd < 0)
		file_put(f);		/* releases c */
	return fd;
}

/* signalfd on an existing descriptor: a new mask (EINVAL if it is not
 * a signalfd). */
static long signalfd_update(int fd, uint64_t mask)
{
	struct file *f = fd_get(fd);
	struct signalfd_ctx *c;

	if (!f)
		return -EBADF;
	if (f->ops != &signalfd_ops) {
		file_put(f);
		return -EINVAL;
	}
	c = f->private;
	spin_lock(&c->lock);
	c->mask = mask;
	spin_unlock(&c->lock);
	file_put(f);
	waitq_wake_all(&current->group->signalfd_wait);
	poll_wake();
	return fd;
}

SYSCALL_DEFINE4(signalfd4, int, fd, const uint64_t __user *, umask,
		size_t, sizemask, int, flags)
{
	uint64_t mask;

	if (flags & ~(SFD_CLOEXEC | SFD_NONBLOCK))
		return -EINVAL;
	if (sizemask != sizeof(mask))
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	mask &= ~UNBLOCKABLE;
	return fd == -1 ? signalfd_create(mask, flags)
			: signalfd_update(fd, mask);
}

SYSCALL_DEFINE3(signalfd, int, fd, const uint64_t __user *, umask,
		size_t, sizemask)
{
	return do_sys_signalfd4(fd, umask, sizemask, 0);
}
