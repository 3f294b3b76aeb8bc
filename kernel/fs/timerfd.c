/*
 * timerfd_create, timerfd_settime, timerfd_gettime: a timer read through
 * a file (Linux's fs/timerfd.c). Each expiry adds to a count that read
 * returns as a u64 and resets; poll sees POLLIN while the count is not
 * zero (through the file's poll op, like every other file).
 *
 * The timer is a ktimer on the monotonic clock (relative times, and
 * MONOTONIC and BOOTTIME absolute ones) or the wall clock (absolute
 * REALTIME times, which follow clock_settime). As in Linux a periodic
 * timer does not re-arm itself when it fires: the next read (or
 * gettime) counts the periods that passed and re-arms it. With
 * TFD_TIMER_CANCEL_ON_SET an absolute REALTIME timer is cancelled when
 * the wall clock is set: read fails with ECANCELED.
 *
 * The alarm clocks need a wake-up RTC, which Basalt does not drive:
 * EINVAL (Linux would accept them with CAP_WAKE_ALARM).
 *
 * Locks: each timerfd's wq.lock guards its state; cancel_lock guards the
 * list of timers that cancel on set and is taken before a wq.lock.
 */
#include "vfs.h"
#include <fs/anon.h>
#include <fs/fs.h>
#include <fs/poll.h>
#include <fs/timerfd.h>
#include <mm/kmalloc.h>
#include <mm/uaccess.h>
#include <proc/sched.h>
#include <proc/signal.h>
#include <sync/spinlock.h>
#include <sync/waitq.h>
#include <syscall/syscall.h>
#include <time/ktimer.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/poll.h>
#include <uapi/time.h>

#define TFD_TIMER_ABSTIME	1
#define TFD_TIMER_CANCEL_ON_SET	2
#define NSEC_PER_SEC		1000000000ULL
#define KTIME_MAX		((uint64_t)INT64_MAX)

struct itimerspec {
	struct timespec it_interval;
	struct timespec it_value;
};

struct timerfd {
	struct waitq wq;		/* readers; its lock guards the rest */
	struct ktimer kt;
	clockid_t clock;		/* fixed */
	uint64_t ticks;			/* expirations not yet read */
	bool expired;			/* fired; a periodic one waits for read */
	uint64_t interval;		/* ns; 0: one-shot */
	bool cancel_on_set;		/* on cancel_list */
	bool canceled;			/* the wall clock was set */
	struct list_head cancel_link;	/* guarded by cancel_lock */
	struct poll_head poll;		/* epoll's wake-ups (fs/poll.h) */
};

static struct spinlock cancel_lock = SPINLOCK_INIT("timerfd_cancel");
static LIST_HEAD(cancel_list);		/* guarded by cancel_lock */

static const struct file_ops timerfd_ops;

/* The tick: count the expiry and wake readers and pollers. */
static void timerfd_fire(struct ktimer *kt)
{
	struct timerfd *t = container_of(kt, struct timerfd, kt);

	spin_lock(&t->wq.lock);
	t->expired = true;
	t->ticks++;
	waitq_wake_all(&t->wq);
	spin_unlock(&t->wq.lock);
	poll_notify(&t->poll, POLLIN | POLLRDNORM);
}

/* A periodic timer that fired: count the periods since, re-arm.
 * wq.lock held. */
static void timerfd_catch_up(struct timerfd *t)
{
	uint64_t now, next, n;

	spin_assert_held(&t->wq.lock);
	if (!t->expired || !t->interval)
		return;
	now = ktimer_now(t->kt.base);
	next = t->kt.expires_ns;
	n = now < next ? 0 : (now - next) / t->interval + 1;
	if (n)
		t->ticks += n - 1;	/* the first one was counted */
	t->expired = false;
	ktimer_start(&t->kt, t->kt.base, next + n * t->interval);
}

void timerfd_clock_was_set(void)
{
	struct timerfd *t;

	spin_lock(&cancel_lock);
	list_for_each_entry(t, &cancel_list, cancel_link) {
		spin_lock(&t->wq.lock);
		t->canceled = true;
		waitq_wake_all(&t->wq);
		spin_unlock(&t->wq.lock);
		poll_notify(&t->poll, POLLIN | POLLRDNORM);
	}
	spin_unlock(&cancel_lock);
}

/* Wait for an expiry (unless O_NONBLOCK), then hand over the count. */
static ssize_t timerfd_read(struct file *f, struct iobuf *io, off_t *pos)
{
	struct timerfd *t = f->private;
	uint64_t ticks;
	int err = 0;

	if (io->len < sizeof(ticks))
		return -EINVAL;
	spin_lock(&t->wq.lock);
	while (!t->ticks && !t->canceled && !err) {
		if (f->flags & O_NONBLOCK)
			err = -EAGAIN;
		else
			err = waitq_sleep(&t->wq);
	}
	if (!err && t->canceled) {	/* reported once, as Linux's */
		t->ticks = 0;
		t->expired = false;
		t->canceled = false;
		err = -ECANCELED;
	}
	if (!err)
		timerfd_catch_up(t);
	ticks = t->ticks;
	t->ticks = 0;
	spin_unlock(&t->wq.lock);
	if (err)
		return err;
	if (iobuf_copy_out(io, 0, &ticks, sizeof(ticks)) != sizeof(ticks))
		return -EFAULT;
	return sizeof(ticks);
}

static unsigned int timerfd_poll(struct file *f)
{
	struct timerfd *t = f->private;
	unsigned int mask;

	spin_lock(&t->wq.lock);
	mask = t->ticks || t->canceled ? POLLIN | POLLRDNORM : 0;
	spin_unlock(&t->wq.lock);
	return mask;
}

static struct poll_head *timerfd_poll_head(struct file *f)
{
	return &((struct timerfd *)f->private)->poll;
}

static void cancel_list_set(struct timerfd *t, bool on)
{
	spin_lock(&cancel_lock);
	if (t->cancel_on_set && !on)
		list_del(&t->cancel_link);
	else if (!t->cancel_on_set && on)
		list_add_tail(&t->cancel_link, &cancel_list);
	t->cancel_on_set = on;
	spin_unlock(&cancel_lock);
}

static void timerfd_release(struct file *f)
{
	struct timerfd *t = f->private;

	cancel_list_set(t, false);
	ktimer_cancel(&t->kt);
	kfree(t);
}

static const struct file_ops timerfd_ops = {
	.read = timerfd_read,
	.poll = timerfd_poll,
	.poll_head = timerfd_poll_head,
	.release = timerfd_release,
	.llseek = anon_noop_llseek,	/* Linux's noop_llseek: lseek is 0 */
};

/* What is left and the interval (Linux's do_timerfd_gettime: a periodic
 * timer that fired is caught up first). wq.lock held. */
static void timerfd_get(struct timerfd *t, struct itimerspec *cur)
{
	uint64_t left = 0, now;

	spin_assert_held(&t->wq.lock);
	timerfd_catch_up(t);
	if (ktimer_pending(&t->kt)) {
		now = ktimer_now(t->kt.base);
		left = t->kt.expires_ns > now ? t->kt.expires_ns - now : 0;
	}
	cur->it_value = (struct timespec){ (int64_t)(left / NSEC_PER_SEC),
					   (int64_t)(left % NSEC_PER_SEC) };
	cur->it_interval = (struct timespec){
		(int64_t)(t->interval / NSEC_PER_SEC),
		(int64_t)(t->interval % NSEC_PER_SEC) };
}

static bool ts_ok(const struct timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 &&
	       (uint64_t)ts->tv_nsec < NSEC_PER_SEC;
}

static uint64_t ts_ns(const struct timespec *ts)
{
	if ((uint64_t)ts->tv_sec >= KTIME_MAX / NSEC_PER_SEC)
		return KTIME_MAX;
	return (uint64_t)ts->tv_sec * NSEC_PER_SEC + (uint64_t)ts->tv_nsec;
}

/* The timerfd behind fd (a reference), or an error: EBADF, or EINVAL for
 * another kind of file. */
static struct file *timerfd_fget(int fd)
{
	struct file *f = fd_get(fd);

	if (!f)
		return ERR_PTR(-EBADF);
	if (f->ops != &timerfd_ops) {
		file_put(f);
		return ERR_PTR(-EINVAL);
	}
	return f;
}

/* Disarm t and arm it as new says (Linux's timerfd_setup): the count
 * restarts at 0. wq.lock held; false if the ktimer is firing (retry). */
static bool timerfd_setup(struct timerfd *t, int flags,
			  const struct itimerspec *new)
{
	bool abs = flags & TFD_TIMER_ABSTIME;
	enum ktimer_base base;
	uint64_t value = ts_ns(&new->it_value);

	spin_assert_held(&t->wq.lock);
	if (ktimer_try_cancel(&t->kt) < 0)
		return false;
	t->ticks = 0;
	t->expired = false;
	t->canceled = false;
	t->interval = ts_ns(&new->it_interval);
	if (!value)
		return true;
	base = abs && t->clock == CLOCK_REALTIME ? KTIMER_REAL : KTIMER_MONO;
	ktimer_start(&t->kt, base, abs ? value : ktimer_now(base) + value);
	return true;
}

SYSCALL_DEFINE4(timerfd_settime, int, fd, int, flags,
		const struct itimerspec __user *, unew,
		struct itimerspec __user *, uold)
{
	struct itimerspec new, old;
	struct timerfd *t;
	struct file *f;
	bool cancel;

	if (copy_from_user(&new, unew, sizeof(new)))
		return -EFAULT;
	if ((flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET)) ||
	    !ts_ok(&new.it_value) || !ts_ok(&new.it_interval))
		return -EINVAL;
	f = timerfd_fget(fd);
	if (IS_ERR(f))
		return PTR_ERR(f);
	t = f->private;
	/* Linux: only an absolute REALTIME timer can be cancelled. */
	cancel = t->clock == CLOCK_REALTIME && (flags & TFD_TIMER_ABSTIME) &&
		 (flags & TFD_TIMER_CANCEL_ON_SET);
	cancel_list_set(t, cancel);
	for (;;) {
		spin_lock(&t->wq.lock);
		timerfd_get(t, &old);
		if (timerfd_setup(t, flags, &new))
			break;
		spin_unlock(&t->wq.lock);
	}
	spin_unlock(&t->wq.lock);
	file_put(f);
	if (uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE2(timerfd_gettime, int, fd, struct itimerspec __user *, ucur)
{
	struct itimerspec cur;
	struct timerfd *t;
	struct file *f = timerfd_fget(fd);

	if (IS_ERR(f))
		return PTR_ERR(f);
	t = f->private;
	spin_lock(&t->wq.lock);
	timerfd_get(t, &cur);
	spin_unlock(&t->wq.lock);
	file_put(f);
	return copy_to_user(ucur, &cur, sizeof(cur)) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(timerfd_create, int, clockid, int, flags)
{
	struct timerfd *t;
	struct file *f;
	int fd;

	if ((flags & ~(O_CLOEXEC | O_NONBLOCK)) ||
	    (clockid != CLOCK_MONOTONIC && clockid != CLOCK_REALTIME &&
	     clockid != CLOCK_BOOTTIME))
		return -EINVAL;
	t = kzalloc(sizeof(*t));
	if (!t)
		return -ENOMEM;
	waitq_init(&t->wq, "timerfd");
	poll_head_init(&t->poll, "timerfd poll");
	ktimer_init(&t->kt, timerfd_fire);
	list_init(&t->cancel_link);
	t->clock = clockid;
	f = anon_file_open("anon_inode:[timerfd]", 0600, &timerfd_ops, t,
			   flags);
	if (IS_ERR(f)) {
		kfree(t);
		return PTR_ERR(f);
	}
	fd = fd_install(f, 0, flags & O_CLOEXEC);
	if (fd < 0)
		file_put(f);	/* releases t */
	return fd;
}
