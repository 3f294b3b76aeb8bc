/*
 * How big pipes are (Linux 6.1's fs/pipe.c: alloc_pipe_info,
 * pipe_set_size, round_pipe_size, and the fs.pipe-* sysctls):
 *
 *   a new pipe has 16 pages, fewer if fs.pipe-max-size is smaller (for
 *   non-root), and 2 once its user's pipes hold more than
 *   fs.pipe-user-pages-soft pages (16384; 0: no limit; non-root);
 *   F_SETPIPE_SZ rounds up to a power-of-two number of pages: EINVAL
 *   beyond 2 GiB, EPERM above pipe-max-size or over the soft limit when
 *   growing (non-root), EBUSY below what the pipe holds now; it returns
 *   the new size, as F_GETPIPE_SZ does.
 *
 * Pages are counted per real uid (Linux's user_struct) for the pipes'
 * whole capacity, not their contents. "Root" is an effective uid of 0
 * (Linux's CAP_SYS_RESOURCE / CAP_SYS_ADMIN).
 */
#include "pipe.h"
#include <lib/parse.h>
#include <lib/printk.h>
#include <lib/string.h>
#include <mm/kmalloc.h>
#include <mm/page.h>
#include <proc/task.h>
#include <uapi/fcntl.h>
#include <uapi/poll.h>

struct pipe_user {
	struct list_head link;		/* in pipe_users; under users_lock */
	uid_t uid;
	unsigned long pages;		/* slots of its pipes */
	unsigned int refs;		/* its pipes */
};

static struct spinlock users_lock = SPINLOCK_INIT("pipe users");
static LIST_HEAD(pipe_users);		/* guarded by users_lock */
static unsigned int pipe_max_size = 1048576;		/* atomic */
static unsigned long pipe_user_pages_soft = 16384;	/* atomic */

static bool unprivileged(void)
{
	return current->cred.euid != 0;
}

/* Linux's round_pipe_size: 0 for more than 2 GiB. */
static unsigned long round_pipe_size(unsigned long size)
{
	unsigned long r = PAGE_SIZE;

	if (size > (1UL << 31))
		return 0;
	while (r < size)
		r <<= 1;
	return r;
}

/* Add delta (maybe negative) slots to u's count; the new count. */
static unsigned long account(struct pipe_user *u, long delta)
{
	unsigned long n;

	spin_lock(&users_lock);
	u->pages += delta;
	n = u->pages;
	spin_unlock(&users_lock);
	return n;
}

static bool over_soft(unsigned long pages)
{
	unsigned long soft = __atomic_load_n(&pipe_user_pages_soft,
					     __ATOMIC_RELAXED);

	return soft && pages > soft;
}

/* The caller's record, with a reference; NULL if out of memory. */
static struct pipe_user *user_get(uid_t uid)
{
	struct pipe_user *u, *fresh = kzalloc(sizeof(*fresh));

	spin_lock(&users_lock);
	list_for_each_entry(u, &pipe_users, link)
		if (u->uid == uid)
			goto found;
	u = fresh;
	fresh = NULL;
	if (u) {
		u->uid = uid;
		list_add_tail(&u->link, &pipe_users);
	}
found:
	if (u)
		u->refs++;
	spin_unlock(&users_lock);
	kfree(fresh);
	return u;
}

static void user_put(struct pipe_user *u)
{
	bool last;

	spin_lock(&users_lock);
	last = --u->refs == 0;
	if (last)
		list_del(&u->link);
	spin_unlock(&users_lock);
	if (last)
		kfree(u);
}

int pipe_account_new(struct pipe *p)
{
	unsigned int bufs = PIPE_DEF_BUFFERS;
	unsigned int max = __atomic_load_n(&pipe_max_size, __ATOMIC_RELAXED);

	p->user = user_get(current->cred.uid);
	if (!p->user)
		return -ENOMEM;
	if (bufs * PAGE_SIZE > max && unprivileged())
		bufs = max / PAGE_SIZE;
	if (over_soft(account(p->user, bufs)) && unprivileged()) {
		account(p->user, (long)PIPE_MIN_DEF_BUFFERS - bufs);
		bufs = PIPE_MIN_DEF_BUFFERS;
	}
	p->nr_bufs = p->nr_accounted = bufs;
	return 0;
}

void pipe_account_free(struct pipe *p)
{
	if (!p->user)
		return;
	account(p->user, -(long)p->nr_accounted);
	user_put(p->user);
}

/* Move the contents into a ring of n slots; -EBUSY if they do not fit. */
static int resize_ring(struct pipe *p, unsigned int n)
{
	struct pipe_buf *bufs = kzalloc(n * sizeof(*bufs)), *old;
	unsigned int used;

	if (!bufs)
		return -ENOMEM;
	spin_lock(&p->wq.lock);
	used = p->head - p->tail;
	if (used > n) {
		spin_unlock(&p->wq.lock);
		kfree(bufs);
		return -EBUSY;
	}
	for (unsigned int i = 0; i < used; i++)
		bufs[i] = p->bufs[(p->tail + i) & (p->nr_bufs - 1)];
	old = p->bufs;
	p->bufs = bufs;
	p->nr_bufs = n;
	p->tail = 0;
	p->head = used;
	spin_unlock(&p->wq.lock);
	kfree(old);
	waitq_wake_all(&p->wq);		/* writers may have room now */
	poll_notify(&p->poll, POLLOUT | POLLWRNORM);
	return 0;
}

/* F_SETPIPE_SZ. Resizes serialise on read_lock: a reader holding it
 * keeps slot indices, which a resize renumbers. */
static long pipe_set_size(struct pipe *p, unsigned int arg)
{
	unsigned long size = round_pipe_size(arg);
	unsigned int n = (unsigned int)(size / PAGE_SIZE), cur;
	unsigned long pages;
	int err;

	if (!n)
		return -EINVAL;
	mutex_lock(&p->read_lock);
	spin_lock(&p->wq.lock);
	cur = p->nr_bufs;
	spin_unlock(&p->wq.lock);
	err = -EPERM;
	if (n > cur && size > __atomic_load_n(&pipe_max_size, __ATOMIC_RELAXED)
	    && unprivileged())
		goto out;
	pages = account(p->user, (long)n - p->nr_accounted);
	if (n > cur && over_soft(pages) && unprivileged()) {
		account(p->user, (long)p->nr_accounted - n);
		goto out;
	}
	err = resize_ring(p, n);
	if (err)
		account(p->user, (long)p->nr_accounted - n);
	else
		p->nr_accounted = n;
out:
	mutex_unlock(&p->read_lock);
	return err ? (long)err : (long)(n * PAGE_SIZE);
}

long pipe_fcntl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct pipe *p = pipe_of(f);
	long r;

	if (!p)
		return -EBADF;
	if (cmd == F_SETPIPE_SZ)
		return pipe_set_size(p, (unsigned int)arg);
	spin_lock(&p->wq.lock);
	r = (long)p->nr_bufs * PAGE_SIZE;
	spin_unlock(&p->wq.lock);
	return r;
}

int pipe_sysctl_read(const char *name, char *buf, size_t size)
{
	if (!strcmp(name, "pipe-max-size"))
		return snprintf(buf, size, "%u\n",
				__atomic_load_n(&pipe_max_size,
						__ATOMIC_RELAXED));
	if (!strcmp(name, "pipe-user-pages-soft"))
		return snprintf(buf, size, "%lu\n",
				__atomic_load_n(&pipe_user_pages_soft,
						__ATOMIC_RELAXED));
	return -ENOENT;
}

int pipe_sysctl_write(const char *name, const char *text, size_t len)
{
	long v;
	unsigned long size;

	if (strcmp(name, "pipe-max-size") &&
	    strcmp(name, "pipe-user-pages-soft"))
		return -ENOENT;
	if (current->cred.euid != 0)
		return -EPERM;
	if (parse_long(text, len, &v) < 0 || v < 0)
		return -EINVAL;
	if (!strcmp(name, "pipe-user-pages-soft")) {
		__atomic_store_n(&pipe_user_pages_soft, (unsigned long)v,
				 __ATOMIC_RELAXED);
		return 0;
	}
	/* Linux's proc_dopipe_max_size: rounded as F_SETPIPE_SZ rounds. */
	size = v > (long)UINT32_MAX ? 0UL : round_pipe_size((unsigned long)v);
	if (!size)
		return -EINVAL;
	__atomic_store_n(&pipe_max_size, (unsigned int)size, __ATOMIC_RELAXED);
	return 0;
}
