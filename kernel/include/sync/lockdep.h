/*
 * lockdep-lite: a lock-order checker, off unless the kernel command line
 * says `lockdep` (docs/locking.md#lockdep-lite).
 *
 * Every lock belongs to a class, one per name string and kind (all the
 * inodes' locks are one class, "inode"). Each task keeps a stack of the
 * locks it holds. Taking lock B while holding A records the pair A -> B;
 * taking B when B -> ... -> A was recorded before panics, naming both
 * orders and where each was seen. Holding two locks of one class panics
 * too, unless the second is taken with a subclass (spin_lock_nested,
 * mutex_lock_nested): a documented order between them, such as two futex
 * buckets lower address first.
 *
 * When it is off, each lock operation pays one test of lockdep_on.
 */
#ifndef BASALT_SYNC_LOCKDEP_H
#define BASALT_SYNC_LOCKDEP_H

#include <types.h>

#define LOCKDEP_MAX_HELD	24	/* locks one task holds at once */
#define LOCKDEP_SUBCLASSES	8	/* 0 (plain) .. 7 */
#define LOCKDEP_CLASS_NONE	0xffff	/* a lock never tracked */

enum lockdep_kind { LOCKDEP_SPIN, LOCKDEP_MUTEX };

struct lockdep_held {
	const void *lock;
	uint64_t ip;		/* where it was taken */
	uint16_t class;
	bool trylock;		/* taken without waiting: orders nothing */
};

/* Per task (struct task's lockdep): the locks it holds, oldest first. */
struct lockdep_task {
	uint8_t depth;
	/*
	 * Entries below irq_base belong to the code an interrupt came in
	 * over: the handler does not wait for them, so its own locks are
	 * not ordered after them.
	 */
	uint8_t irq_base;
	struct lockdep_held held[LOCKDEP_MAX_HELD];
};

extern bool lockdep_on;		/* set once at boot; read on every lock op */
extern bool lockdep_requested;	/* "lockdep" was on the command line */

/* The command-line switch: start checking (before any lock is taken). */
void lockdep_enable(void);

/*
 * Called before waiting for a lock (after taking it, for a trylock).
 * *class caches the lock's class (0: not looked up yet); name and kind
 * find it the first time. sub is the subclass (0 for a plain lock op).
 */
void lockdep_acquire(const void *lock, uint16_t *class, const char *name,
		     enum lockdep_kind kind, unsigned int sub, bool trylock,
		     uint64_t ip);
/* Called on unlock; locks may be released in any order. */
void lockdep_release(const void *lock, uint16_t class, const char *name,
		     uint64_t ip);
/*
 * Put a lock that another task took on this task's stack, unchecked: a
 * new task's first code releases the sched_lock that the task which
 * switched to it took (sched_finish_switch).
 */
void lockdep_adopt(const void *lock, uint16_t *class, const char *name,
		   enum lockdep_kind kind);

/* Bracket an interrupt handler: returns what lockdep_irq_exit restores. */
unsigned int lockdep_irq_enter(void);
void lockdep_irq_exit(unsigned int saved);

/* Classes and order pairs recorded so far, and the room for them
 * (/proc/lockdep_stats). */
void lockdep_counts(unsigned int *classes, unsigned int *pairs);
void lockdep_limits(unsigned int *classes, unsigned int *pairs);

/*
 * The environment (kernel/sync/lockdep_env.c; the unit test has its own):
 * the current task's stack (NULL before tasks exist), interrupts off
 * while a task changes its stack, and the checker's own lock, which is
 * not tracked and keeps interrupts off while held.
 */
struct lockdep_task *lockdep_current(void);
unsigned long lockdep_irq_off(void);		/* returns what to restore */
void lockdep_irq_restore(unsigned long flags);
unsigned long lockdep_graph_lock(void);
void lockdep_graph_unlock(unsigned long flags);

#endif
