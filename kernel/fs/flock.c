/*
 * flock(2): whole-file locks owned by the open file description, so
 * every descriptor dup'ed or inherited from one open shares the lock,
 * and it goes when the description's last reference does. As Linux's
 * flock_lock_inode: asking again for the type held is a no-op; asking
 * for the other type first drops the held lock (a conversion is not
 * atomic, and a failed LOCK_NB conversion leaves no lock), then waits
 * for, or refuses (EWOULDBLOCK), a conflicting lock of another file.
 */
#include "locks.h"
#include <proc/task.h>
#include <syscall/syscall.h>

#define LOCK_SH		1
#define LOCK_EX		2
#define LOCK_NB		4
#define LOCK_UN		8

/* The flock lock f holds, or NULL (lock_mutex held). */
static struct file_lock *flock_find(struct file *f)
{
	struct file_lock *fl;

	mutex_assert_held(&lock_mutex);
	list_for_each_entry(fl, &lock_list, link)
		if (fl->kind == LK_FLOCK && fl->owner == f)
			return fl;
	return NULL;
}

static bool flock_conflict(struct file *f, short type)
{
	struct file_lock *fl;

	list_for_each_entry(fl, &lock_list, link)
		if (fl->kind == LK_FLOCK && fl->inode == f->inode &&
		    fl->owner != f &&
		    (type == F_WRLCK || fl->type == F_WRLCK))
			return true;
	return false;
}

/*
 * One attempt under lock_mutex: 0 when done (new is used or freed),
 * -EAGAIN on a conflict (*gen: the generation to wait on).
 */
static int flock_try(struct file *f, short type, struct file_lock **new,
		     uint64_t *gen)
{
	struct file_lock *held = flock_find(f);

	mutex_assert_held(&lock_mutex);
	if (held && held->type == type)
		return 0;
	if (held) {
		lock_free(held);
		locks_wake();
	}
	if (type == F_UNLCK)
		return 0;
	if (flock_conflict(f, type)) {
		*gen = locks_generation();
		return -EAGAIN;
	}
	(*new)->inode = f->inode;
	(*new)->owner = f;
	(*new)->kind = LK_FLOCK;
	(*new)->type = type;
	(*new)->pid = current->tgid;
	(*new)->end = OFFSET_MAX;
	list_add_tail(&(*new)->link, &lock_list);
	*new = NULL;
	return 0;
}

static long flock_set(struct file *f, short type, bool wait)
{
	struct file_lock *new = NULL;
	uint64_t gen;
	int err;

	if (type != F_UNLCK) {
		new = lock_alloc();
		if (!new)
			return -ENOLCK;
	}
	for (;;) {
		mutex_lock(&lock_mutex);
		err = flock_try(f, type, &new, &gen);
		mutex_unlock(&lock_mutex);
		if (err != -EAGAIN || !wait)
			break;
		err = locks_wait(gen);
		if (err)
			break;
	}
	lock_discard(new);
	return err;
}

SYSCALL_DEFINE2(flock, int, fd, unsigned int, cmd)
{
	struct file *f = fd_get_io(fd);
	short type;
	long err;

	if (!f)
		return -EBADF;
	switch (cmd & ~(unsigned int)LOCK_NB) {
	case LOCK_SH:
		type = F_RDLCK;
		break;
	case LOCK_EX:
		type = F_WRLCK;
		break;
	case LOCK_UN:
		type = F_UNLCK;
		break;
	default:
		file_put(f);
		return -EINVAL;
	}
	err = flock_set(f, type, !(cmd & LOCK_NB));
	file_put(f);
	return err;
}
