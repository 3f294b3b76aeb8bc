/*
 * poll, ppoll, select and pselect6, and the sync family.
 *
 * Readiness comes from each file's ->poll op (files without one are
 * always ready, as in Linux). Waiting is deliberately simple: one global
 * wait queue that every readiness change wakes (poll_wake, called by the
 * tty and pipes), with a sequence number to close the race between
 * checking the files and going to sleep. Every poller rechecks on every
 * event: fine for a small system, and the place to add per-file queues
 * when it is not.
 */
#include "vfs.h"
#include <fs/poll.h>
#include <lib/string.h>
#include <mm/kmalloc.h>
#include <mm/uaccess.h>
#include <proc/sched.h>
#include <proc/signal.h>
#include <proc/task.h>
#include <uapi/poll.h>
#include <uapi/time.h>
#include <uapi/resource.h>
#include <syscall/syscall.h>

#define DEFAULT_POLLMASK (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)

static struct waitq poll_wq;
static uint64_t poll_seq;		/* atomic: bumped by every wake */
static bool poll_ready;			/* poll_wq initialised */

void poll_wake(void)
{
	__atomic_add_fetch(&poll_seq, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&poll_ready, __ATOMIC_ACQUIRE))
		waitq_wake_all(&poll_wq);
}

void poll_init(void)
{
	waitq_init(&poll_wq, "poll");
	__atomic_store_n(&poll_ready, true, __ATOMIC_RELEASE);
}

/* ---- Poll heads: per-object notification (fs/poll.h) ---------------- */

void poll_head_init(struct poll_head *h, const char *name)
{
	spin_init(&h->lock, name);
	list_init(&h->entries);
	h->nest = 0;
}

void poll_head_add(struct poll_head *h, struct poll_entry *e)
{
	spin_lock(&h->lock);
	list_add_tail(&e->link, &h->entries);
	spin_unlock(&h->lock);
}

void poll_head_remove(struct poll_head *h, struct poll_entry *e)
{
	spin_lock(&h->lock);
	list_del(&e->link);
	spin_unlock(&h->lock);
}

void poll_notify_nested(struct poll_head *h, unsigned int events,
			unsigned int sub)
{
	struct poll_entry *e;

	spin_lock_nested(&h->lock, sub);
	h->nest = sub + 1;
	list_for_each_entry(e, &h->entries, link)
		e->wake(e, events);
	h->nest = 0;
	spin_unlock(&h->lock);
	poll_wake();
}

void poll_notify(struct poll_head *h, unsigned int events)
{
	poll_notify_nested(h, events, 0);
}

struct poll_head *file_poll_head(struct file *f)
{
	return f->ops->poll_head ? f->ops->poll_head(f) : NULL;
}

unsigned int file_poll(struct file *f)
{
	return f->ops->poll ? f->ops->poll(f) : DEFAULT_POLLMASK;
}

uint64_t poll_seq_read(void)
{
	return __atomic_load_n(&poll_seq, __ATOMIC_SEQ_CST);
}

/* The events of fd that are in want (plus ERR/HUP/NVAL, always). */
static unsigned int poll_fd(int fd, unsigned int want)
{
	struct file *f;
	unsigned int mask;

	if (fd < 0)
		return 0;
	f = fd_get(fd);
	if (!f || (f->mode & FMODE_PATH)) {
		file_put(f);
		return POLLNVAL;
	}
	mask = file_poll(f);
	file_put(f);
	return mask & (want | POLLERR | POLLHUP);
}

/*
 * Sleep until the next poll_wake after sequence seq, the deadline
 * (absolute monotonic ns; 0: none) or a signal. 0, -ETIMEDOUT, or
 * -ERESTARTNOHAND: Linux's poll and select fail with EINTR when a handler
 * runs, even with SA_RESTART, and restart otherwise (Linux then shortens
 * the timeout by the time slept; here the full timeout starts again).
 */
int poll_sleep(uint64_t seq, uint64_t deadline)
{
	uint64_t now = clock_monotonic_ns();
	int err = 0;

	if (deadline && now >= deadline)
		return -ETIMEDOUT;
	spin_lock(&poll_wq.lock);
	if (__atomic_load_n(&poll_seq, __ATOMIC_SEQ_CST) == seq)
		err = deadline ? waitq_sleep_timeout(&poll_wq, deadline - now)
			       : waitq_sleep(&poll_wq);
	spin_unlock(&poll_wq.lock);
	return err == -ERESTARTSYS ? -ERESTARTNOHAND : err;
}

/* One pass over the pollfds: fill revents, return how many are ready. */
static int poll_scan(struct pollfd *pfd, unsigned int n)
{
	int ready = 0;

	for (unsigned int i = 0; i < n; i++) {
		pfd[i].revents = (int16_t)poll_fd(pfd[i].fd,
						  (uint16_t)pfd[i].events);
		ready += pfd[i].revents != 0;
	}
	return ready;
}

/* deadline: absolute monotonic ns, 0 for none, 1 for "do not wait". */
static long do_poll(struct pollfd __user *ufds, unsigned int n,
		    uint64_t deadline)
{
	struct pollfd *pfd;
	long r;

	if (n > current->rlimits[RLIMIT_NOFILE][0])
		return -EINVAL;
	pfd = kmalloc(sizeof(*pfd) * n + 1);
	if (!pfd)
		return -ENOMEM;
	if (copy_from_user(pfd, ufds, sizeof(*pfd) * n)) {
		kfree(pfd);
		return -EFAULT;
	}
	for (;;) {
		uint64_t seq = __atomic_load_n(&poll_seq, __ATOMIC_SEQ_CST);

		r = poll_scan(pfd, n);
		if (r || deadline == 1)
			break;
		r = poll_sleep(seq, deadline);
		if (r == -ETIMEDOUT) {
			r = 0;
			break;
		}
		if (r)
			break;
	}
	if (r >= 0)
		for (unsigned int i = 0; i < n; i++)
			if (put_user(pfd[i].revents, &ufds[i].revents))
				r = -EFAULT;
	kfree(pfd);
	return r;
}

/* The absolute deadline for a relative timeout in ns. */
static uint64_t deadline_after(uint64_t ns)
{
	return ns == 0 ? 1 : clock_monotonic_ns() + ns;
}

SYSCALL_DEFINE3(poll, struct pollfd __user *, ufds, unsigned int, n,
		int, timeout_ms)
{
	uint64_t deadline = timeout_ms < 0 ? 0 :
		deadline_after((uint64_t)timeout_ms * 1000000);

	return do_poll(ufds, n, deadline);
}

/* A user timespec as a deadline; -EINVAL for a bad one. */
int poll_timespec_deadline(const struct timespec __user *uts,
			   uint64_t *deadline)
{
	struct timespec ts;

	*deadline = 0;
	if (!uts)
		return 0;
	if (copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
		return -EINVAL;
	*deadline = deadline_after((uint64_t)ts.tv_sec * 1000000000 +
				   (uint64_t)ts.tv_nsec);
	return 0;
}

/*
 * ppoll/pselect6's signal mask: installed for the wait, then restored.
 * (Linux restores it only after a handler has run; the difference shows
 * only when a signal arrives during the wait.)
 */
int poll_sigmask_swap(const uint64_t __user *umask, size_t size,
		      uint64_t *old)
{
	uint64_t mask;

	*old = current->sigmask;
	if (!umask)
		return 0;
	if (size != sizeof(mask))
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	/* SIGKILL (9) and SIGSTOP (19) cannot be blocked. */
	current->sigmask = mask & ~((1ULL << 8) | (1ULL << 18));
	return 0;
}

/* Linux writes the time left back to ppoll's and pselect's timespec. */
static void timespec_left(struct timespec __user *uts, uint64_t deadline)
{
	uint64_t now = clock_monotonic_ns(), left = 0;
	struct timespec ts;

	if (!uts)
		return;
	if (deadline > 1 && deadline > now)
		left = deadline - now;
	ts.tv_sec = (int64_t)(left / 1000000000);
	ts.tv_nsec = (int64_t)(left % 1000000000);
	(void)copy_to_user(uts, &ts, sizeof(ts));
}

SYSCALL_DEFINE5(ppoll, struct pollfd __user *, ufds, unsigned int, n,
		struct timespec __user *, uts,
		const uint64_t __user *, umask, size_t, masksize)
{
	uint64_t deadline, old;
	long r = poll_timespec_deadline(uts, &deadline);

	if (!r)
		r = poll_sigmask_swap(umask, masksize, &old);
	if (r)
		return r;
	r = do_poll(ufds, n, deadline);
	current->sigmask = old;
	timespec_left(uts, deadline);
	return r;
}

/* ---- select ------------------------------------------------------------ */

#define SEL_IN	(POLLIN | POLLRDNORM | POLLRDBAND | POLLHUP | POLLERR)
#define SEL_OUT	(POLLOUT | POLLWRNORM | POLLWRBAND | POLLERR)
#define SEL_EX	POLLPRI

struct fdsets {
	uint64_t *in[3];	/* what the caller asks about */
	uint64_t *out[3];	/* what is ready */
	size_t words;
};

static bool bit(const uint64_t *set, int fd)
{
	return set && ((set[fd / 64] >> (fd % 64)) & 1);
}

/* One pass: fill the result sets, return the number of bits set. */
static long select_scan(struct fdsets *s, int n)
{
	static const unsigned int want[3] = { SEL_IN, SEL_OUT, SEL_EX };
	long count = 0;

	for (int i = 0; i < 3; i++)
		if (s->out[i])
			memset(s->out[i], 0, s->words * 8);
	for (int fd = 0; fd < n; fd++) {
		unsigned int mask;

		if (!bit(s->in[0], fd) && !bit(s->in[1], fd) &&
		    !bit(s->in[2], fd))
			continue;
		mask = poll_fd(fd, SEL_IN | SEL_OUT | SEL_EX);
		if (mask & POLLNVAL)
			return -EBADF;
		for (int i = 0; i < 3; i++) {
			if (bit(s->in[i], fd) && (mask & want[i])) {
				s->out[i][fd / 64] |= 1ULL << (fd % 64);
				count++;
			}
		}
	}
	return count;
}

static long select_wait(struct fdsets *s, int n, uint64_t deadline)
{
	for (;;) {
		uint64_t seq = __atomic_load_n(&poll_seq, __ATOMIC_SEQ_CST);
		long r = select_scan(s, n);

		if (r || deadline == 1)
			return r;
		r = poll_sleep(seq, deadline);
		if (r == -ETIMEDOUT)
			return 0;
		if (r)
			return r;
	}
}

static long do_select(int n, uint64_t __user **usets, uint64_t deadline)
{
	struct fdsets s = { .words = 0 };
	uint64_t *mem;
	long r = 0;

	if (n < 0)
		return -EINVAL;
	if (n > fd_table_size())
		n = fd_table_size();
	s.words = ((size_t)n + 63) / 64;
	mem = kzalloc(6 * s.words * 8 + 1);
	if (!mem)
		return -ENOMEM;
	for (int i = 0; i < 3 && !r; i++) {
		if (!usets[i])
			continue;
		s.in[i] = mem + i * s.words;
		s.out[i] = mem + (3 + i) * s.words;
		if (copy_from_user(s.in[i], usets[i], s.words * 8))
			r = -EFAULT;
	}
	if (!r)
		r = select_wait(&s, n, deadline);
	for (int i = 0; i < 3 && r >= 0; i++)
		if (s.out[i] && copy_to_user(usets[i], s.out[i], s.words * 8))
			r = -EFAULT;
	kfree(mem);
	return r;
}

SYSCALL_DEFINE5(select, int, n, uint64_t __user *, in, uint64_t __user *,
		out, uint64_t __user *, ex, struct timeval __user *, utv)
{
	uint64_t __user *sets[3] = { in, out, ex };
	uint64_t deadline = 0, now, left = 0;
	struct timeval tv;
	long r;

	if (utv) {
		if (copy_from_user(&tv, utv, sizeof(tv)))
			return -EFAULT;
		if (tv.tv_sec < 0 || tv.tv_usec < 0 || tv.tv_usec >= 1000000)
			return -EINVAL;
		deadline = deadline_after((uint64_t)tv.tv_sec * 1000000000 +
					  (uint64_t)tv.tv_usec * 1000);
	}
	r = do_select(n, sets, deadline);
	if (utv) {
		now = clock_monotonic_ns();
		if (deadline > 1 && deadline > now)
			left = deadline - now;
		tv.tv_sec = (int64_t)(left / 1000000000);
		tv.tv_usec = (int64_t)(left % 1000000000 / 1000);
		(void)copy_to_user(utv, &tv, sizeof(tv));
	}
	return r;
}

struct pselect_sigmask {
	const uint64_t __user *mask;
	size_t size;
};

SYSCALL_DEFINE6(pselect6, int, n, uint64_t __user *, in,
		uint64_t __user *, out, uint64_t __user *, ex,
		struct timespec __user *, uts,
		const struct pselect_sigmask __user *, usig)
{
	uint64_t __user *sets[3] = { in, out, ex };
	struct pselect_sigmask sig = { NULL, 0 };
	uint64_t deadline, old;
	long r = poll_timespec_deadline(uts, &deadline);

	if (!r && usig && copy_from_user(&sig, usig, sizeof(sig)))
		r = -EFAULT;
	if (!r)
		r = poll_sigmask_swap(sig.mask, sig.size, &old);
	if (r)
		return r;
	r = do_select(n, sets, deadline);
	current->sigmask = old;
	timespec_left(uts, deadline);
	return r;
}

/* ---- sync family ----------------------------------------------------- */

/* Everything lives in memory: there is never anything to write back. */
SYSCALL_DEFINE0(sync)
{
	return 0;
}

SYSCALL_DEFINE1(syncfs, int, fd)
{
	struct file *f = fd_get(fd);

	if (!f)
		return -EBADF;
	file_put(f);
	return 0;
}

/* tmpfs files and directories have a (no-op) fsync; nothing else does. */
static long fsync_fd(int fd)
{
	struct file *f = fd_get_io(fd);
	const struct fs_type *type;
	long r = -EINVAL;

	if (!f)
		return -EBADF;
	type = f->inode->sb->type;
	if ((S_ISREG(f->inode->mode) || S_ISDIR(f->inode->mode)) &&
	    (type == &tmpfs_type || type == &rootfs_type))
		r = 0;
	file_put(f);
	return r;
}

SYSCALL_DEFINE1(fsync, int, fd)
{
	return fsync_fd(fd);
}

SYSCALL_DEFINE1(fdatasync, int, fd)
{
	return fsync_fd(fd);
}
