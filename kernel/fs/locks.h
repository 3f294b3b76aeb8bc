/*
 * Advisory file locks, private to the lock files of kernel/fs (locks.c,
 * flock.c, posix_locks.c, lock_deadlock.c).
 *
 * Every lock held in the system is one struct file_lock on one global
 * list, guarded by lock_mutex. There are three kinds, as in Linux:
 *
 *   flock  whole-file, owned by the open file description (struct file);
 *          conflicts only with other flock locks;
 *   POSIX  byte ranges owned by the process's descriptor table (so the
 *          threads of a process share them), tagged with the locker's pid;
 *   OFD    byte ranges owned by the open file description.
 *
 * POSIX and OFD locks conflict with each other; one owner's ranges on an
 * inode never overlap, and its ranges of the same type never touch (they
 * are merged). A task that must wait records what it waits for in a
 * struct lock_waiter (on the waiter list, same mutex) so the deadlock
 * check can follow the chain of blocked owners, then sleeps on lock_wq
 * until lock_gen changes: every release bumps it and wakes all waiters,
 * who retry. The list is short in practice; a linear scan keeps it simple.
 */
#ifndef BASALT_FS_LOCKS_H
#define BASALT_FS_LOCKS_H

#include "vfs.h"

#define OFFSET_MAX	INT64_MAX

enum lock_kind { LK_FLOCK, LK_POSIX, LK_OFD };

struct file_lock {
	struct list_head link;		/* in lock_list */
	struct inode *inode;		/* the locked file */
	const void *owner;		/* files table (POSIX) or file */
	enum lock_kind kind;
	short type;			/* F_RDLCK or F_WRLCK */
	pid_t pid;			/* POSIX: the locker's tgid */
	off_t start, end;		/* inclusive; flock: the whole file */
};

struct lock_waiter {
	struct list_head link;		/* in lock_waiters */
	const void *owner;		/* a blocked POSIX owner */
	const void *blocker;		/* the owner it waits for */
};

extern struct mutex lock_mutex;
extern struct list_head lock_list;	/* guarded by lock_mutex */
extern struct list_head lock_waiters;	/* guarded by lock_mutex */

/* Something was released: let every waiter retry. */
void locks_wake(void);
/* The generation a waiter sleeps on; read with lock_mutex held. */
uint64_t locks_generation(void);
/*
 * Sleep until locks_wake() after generation gen (lock_mutex not held).
 * 0, or -ERESTARTSYS when a signal arrives.
 */
int locks_wait(uint64_t gen);
/* A zeroed lock, or NULL (counted in lock_count while it exists). */
struct file_lock *lock_alloc(void);
/* Free a lock that was never put on lock_list (NULL is fine). */
void lock_discard(struct file_lock *fl);
/* Unlink and free one lock (lock_mutex held). */
void lock_free(struct file_lock *fl);

/* Whether the POSIX owner `owner`, about to wait for blocker's owner,
 * would close a circle of waiting owners (lock_deadlock.c). */
bool posix_locks_deadlock(const void *owner, const void *blocker);

#endif
