/*
 * The shared machinery of advisory locks (see locks.h): the global lock
 * list and its mutex, the wait and wake-up of blocked lockers, and the
 * hooks that drop locks when files close:
 *
 *   locks_remove_posix()  a descriptor of the file was closed: its
 *                         process loses its POSIX locks on the file, as
 *                         POSIX requires (even through another fd);
 *   locks_remove_file()   the open file description's last reference is
 *                         gone: its flock and OFD locks go.
 */
#include "locks.h"
#include <mm/kmalloc.h>

struct mutex lock_mutex;
LIST_HEAD(lock_list);
LIST_HEAD(lock_waiters);

static struct waitq lock_wq;		/* lock_wq.lock guards lock_gen */
static uint64_t lock_gen;
static uint64_t lock_count;		/* atomic: locks held, for fast exits */

void locks_init(void)
{
	mutex_init(&lock_mutex, "file locks");
	waitq_init(&lock_wq, "file lock waiters");
}

uint64_t locks_generation(void)
{
	uint64_t g;

	spin_lock(&lock_wq.lock);
	g = lock_gen;
	spin_unlock(&lock_wq.lock);
	return g;
}

void locks_wake(void)
{
	spin_lock(&lock_wq.lock);
	lock_gen++;
	spin_unlock(&lock_wq.lock);
	waitq_wake_all(&lock_wq);
}

int locks_wait(uint64_t gen)
{
	int err = 0;

	spin_lock(&lock_wq.lock);
	while (lock_gen == gen && !err)
		err = waitq_sleep(&lock_wq);
	spin_unlock(&lock_wq.lock);
	return err;
}

struct file_lock *lock_alloc(void)
{
	struct file_lock *fl = kzalloc(sizeof(*fl));

	if (fl)
		__atomic_add_fetch(&lock_count, 1, __ATOMIC_RELAXED);
	return fl;
}

/* A lock that was never linked (an unused spare). */
void lock_discard(struct file_lock *fl)
{
	if (!fl)
		return;
	__atomic_sub_fetch(&lock_count, 1, __ATOMIC_RELAXED);
	kfree(fl);
}

void lock_free(struct file_lock *fl)
{
	mutex_assert_held(&lock_mutex);
	list_del(&fl->link);
	lock_discard(fl);
}

/* Drop every lock pick() selects; wakes the waiters if any went. */
static void locks_remove_if(bool (*pick)(const struct file_lock *,
					 const void *, const struct inode *),
			    const void *owner, const struct inode *inode)
{
	struct file_lock *fl, *next;
	bool any = false;

	if (!__atomic_load_n(&lock_count, __ATOMIC_RELAXED))
		return;
	mutex_lock(&lock_mutex);
	list_for_each_entry_safe(fl, next, &lock_list, link) {
		if (pick(fl, owner, inode)) {
			lock_free(fl);
			any = true;
		}
	}
	mutex_unlock(&lock_mutex);
	if (any)
		locks_wake();
}

static bool pick_posix(const struct file_lock *fl, const void *owner,
		       const struct inode *inode)
{
	return fl->kind == LK_POSIX && fl->owner == owner &&
	       fl->inode == inode;
}

static bool pick_file(const struct file_lock *fl, const void *owner,
		      const struct inode *inode)
{
	(void)inode;
	return fl->kind != LK_POSIX && fl->owner == owner;
}

void locks_remove_posix(struct file *f, const void *files)
{
	if (f)
		locks_remove_if(pick_posix, files, f->inode);
}

void locks_remove_file(struct file *f)
{
	locks_remove_if(pick_file, f, NULL);
}
