/*
 * Record locks: fcntl's F_GETLK, F_SETLK and F_SETLKW (POSIX locks, owned
 * by the process's descriptor table) and F_OFD_GETLK, F_OFD_SETLK and
 * F_OFD_SETLKW (owned by the open file description). The argument is
 * read and checked as Linux's fs/locks.c does, in its order.
 *
 * Setting a range first cuts it out of the owner's own locks (splitting
 * one that covers it on both sides), then, unless unlocking, inserts it
 * merged with the owner's locks of the same type that overlap or touch
 * it: the owner's locks stay disjoint, so F_GETLK sees what Linux shows.
 */
#include "locks.h"
#include <mm/uaccess.h>
#include <proc/task.h>

/* A lock request, once checked. */
struct lock_req {
	struct inode *inode;
	const void *owner;
	enum lock_kind kind;
	short type;
	pid_t pid;
	off_t start, end;
};

/*
 * Linux's flock64_to_posix_lock: the locked range [*start, *end] from
 * the description (l_len 0: to the end of any file; negative: the bytes
 * before l_start), and the type. 0, -EINVAL or -EOVERFLOW.
 */
static int flock_range(struct file *f, const struct flock *l, off_t *start,
		       off_t *end)
{
	off_t base;

	switch (l->l_whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = f->pos;
		break;
	case SEEK_END:
		mutex_lock(&f->inode->lock);
		base = f->inode->size;
		mutex_unlock(&f->inode->lock);
		break;
	default:
		return -EINVAL;
	}
	if (l->l_start > OFFSET_MAX - base)
		return -EOVERFLOW;
	*start = base + l->l_start;
	if (*start < 0)
		return -EINVAL;
	if (l->l_len > 0) {
		if (l->l_len - 1 > OFFSET_MAX - *start)
			return -EOVERFLOW;
		*end = *start + (l->l_len - 1);
	} else if (l->l_len < 0) {
		if (*start + l->l_len < 0)
			return -EINVAL;
		*end = *start - 1;
		*start += l->l_len;
	} else {
		*end = OFFSET_MAX;
	}
	if (l->l_type != F_RDLCK && l->l_type != F_WRLCK &&
	    l->l_type != F_UNLCK)
		return -EINVAL;
	return 0;
}

static bool is_range_lock(const struct file_lock *fl)
{
	return fl->kind == LK_POSIX || fl->kind == LK_OFD;
}

/* The first lock of another owner that req conflicts with, or NULL. */
static struct file_lock *posix_conflict(const struct lock_req *req)
{
	struct file_lock *fl;

	list_for_each_entry(fl, &lock_list, link) {
		if (!is_range_lock(fl) || fl->inode != req->inode ||
		    fl->owner == req->owner)
			continue;
		if (fl->end < req->start || fl->start > req->end)
			continue;
		if (req->type == F_WRLCK || fl->type == F_WRLCK)
			return fl;
	}
	return NULL;
}

/* Whether [a.start, a.end] and fl overlap or touch. */
static bool touches(const struct lock_req *r, const struct file_lock *fl)
{
	return !(fl->end < r->start - 1 && r->start > 0) &&
	       !(r->end < OFFSET_MAX && fl->start > r->end + 1);
}

/*
 * Cut req's range out of fl, a lock of the same owner that overlaps it;
 * a lock that covers both sides is split with *spare.
 */
static void posix_cut(struct file_lock *fl, const struct lock_req *req,
		      struct file_lock **spare)
{
	if (fl->start < req->start && fl->end > req->end) {
		struct file_lock *tail = *spare;

		*spare = NULL;
		*tail = *fl;
		tail->start = req->end + 1;
		list_add(&tail->link, &fl->link);
		fl->end = req->start - 1;
	} else if (fl->start < req->start) {
		fl->end = req->start - 1;
	} else if (fl->end > req->end) {
		fl->start = req->end + 1;
	} else {
		lock_free(fl);
	}
}

/* Apply req to its owner's locks (lock_mutex held; no conflict). */
static void posix_apply(struct lock_req *req, struct file_lock **new,
			struct file_lock **spare)
{
	struct file_lock *fl, *next;

	mutex_assert_held(&lock_mutex);
	list_for_each_entry_safe(fl, next, &lock_list, link) {
		if (!is_range_lock(fl) || fl->inode != req->inode ||
		    fl->owner != req->owner || !touches(req, fl))
			continue;
		if (req->type == fl->type) {
			/* Merge: the new lock absorbs this one. */
			req->start = MIN(req->start, fl->start);
			req->end = MAX(req->end, fl->end);
			lock_free(fl);
		} else if (!(fl->end < req->start || fl->start > req->end)) {
			posix_cut(fl, req, spare);
		}
	}
	if (req->type == F_UNLCK)
		return;
	fl = *new;
	*new = NULL;
	fl->inode = req->inode;
	fl->owner = req->owner;
	fl->kind = req->kind;
	fl->type = req->type;
	fl->pid = req->pid;
	fl->start = req->start;
	fl->end = req->end;
	list_add_tail(&fl->link, &lock_list);
}

/*
 * One attempt under lock_mutex: 0 when applied, -EAGAIN on a conflict
 * (*blocker: its owner), -EDEADLK when waiting would close a circle.
 */
static int posix_try(struct lock_req *req, bool wait, struct file_lock **new,
		     struct file_lock **spare, const void **blocker)
{
	struct file_lock *c = req->type == F_UNLCK ? NULL :
			      posix_conflict(req);

	mutex_assert_held(&lock_mutex);
	if (c) {
		*blocker = c->owner;
		if (wait && req->kind == LK_POSIX &&
		    posix_locks_deadlock(req->owner, c->owner))
			return -EDEADLK;
		return -EAGAIN;
	}
	posix_apply(req, new, spare);
	return 0;
}

/* Set req, sleeping for conflicts when wait (F_SETLKW); the spares are
 * taken first, so nothing is allocated with lock_mutex held. */
static long posix_set(struct lock_req *req, bool wait)
{
	struct file_lock *new = lock_alloc(), *spare = lock_alloc();
	struct lock_waiter w = { .owner = req->owner };
	uint64_t gen = 0;
	long err;

	if (!new || !spare) {
		err = -ENOLCK;
		goto out;
	}
	mutex_lock(&lock_mutex);
	for (;;) {
		err = posix_try(req, wait, &new, &spare, &w.blocker);
		if (err != -EAGAIN || !wait)
			break;
		gen = locks_generation();
		list_add_tail(&w.link, &lock_waiters);
		mutex_unlock(&lock_mutex);
		err = locks_wait(gen);
		mutex_lock(&lock_mutex);
		list_del(&w.link);
		if (err)
			break;
	}
	mutex_unlock(&lock_mutex);
	if (!err)
		locks_wake();	/* a cut or an unlock may free a waiter */
out:
	lock_discard(new);
	lock_discard(spare);
	return err;
}

static void lock_req_init(struct lock_req *req, struct file *f,
			  unsigned int cmd, short type)
{
	bool ofd = cmd == F_OFD_GETLK || cmd == F_OFD_SETLK ||
		   cmd == F_OFD_SETLKW;

	req->inode = f->inode;
	req->kind = ofd ? LK_OFD : LK_POSIX;
	req->owner = ofd ? (const void *)f : (const void *)current->files;
	req->pid = current->tgid;
	req->type = type;
}

/* Linux's fcntl_getlk: the first conflicting lock, or F_UNLCK. */
static long lock_test(struct file *f, unsigned int cmd, struct flock *l)
{
	struct lock_req req;
	struct file_lock *c;
	int err;

	if (cmd != F_OFD_GETLK && l->l_type != F_RDLCK &&
	    l->l_type != F_WRLCK)
		return -EINVAL;
	lock_req_init(&req, f, cmd, l->l_type);
	err = flock_range(f, l, &req.start, &req.end);
	if (err)
		return err;
	if (cmd == F_OFD_GETLK && l->l_pid != 0)
		return -EINVAL;
	mutex_lock(&lock_mutex);
	c = posix_conflict(&req);
	if (c) {
		l->l_type = c->type;
		l->l_whence = SEEK_SET;
		l->l_start = c->start;
		l->l_len = c->end == OFFSET_MAX ? 0 : c->end - c->start + 1;
		l->l_pid = c->kind == LK_OFD ? -1 : c->pid;
	} else {
		l->l_type = F_UNLCK;
	}
	mutex_unlock(&lock_mutex);
	return 0;
}

/* Linux's fcntl_setlk. */
static long lock_set(struct file *f, unsigned int cmd, const struct flock *l)
{
	struct lock_req req;
	int err;

	lock_req_init(&req, f, cmd, l->l_type);
	err = flock_range(f, l, &req.start, &req.end);
	if (err)
		return err;
	if ((l->l_type == F_RDLCK && !(f->mode & FMODE_READ)) ||
	    (l->l_type == F_WRLCK && !(f->mode & FMODE_WRITE)))
		return -EBADF;
	if ((cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW) && l->l_pid != 0)
		return -EINVAL;
	return posix_set(&req, cmd == F_SETLKW || cmd == F_OFD_SETLKW);
}

long fcntl_lock(struct file *f, unsigned int cmd, void __user *arg)
{
	struct flock l;
	long err;

	if (copy_from_user(&l, arg, sizeof(l)))
		return -EFAULT;
	if (cmd == F_GETLK || cmd == F_OFD_GETLK) {
		err = lock_test(f, cmd, &l);
		if (!err && copy_to_user(arg, &l, sizeof(l)))
			err = -EFAULT;
		return err;
	}
	return lock_set(f, cmd, &l);
}
