/* Sleeping mutexes (sync/mutex.h), built on a wait queue. */
#include <sync/mutex.h>
#include <sync/lockdep.h>
#include <arch/cpu.h>
#include <lib/printk.h>

void mutex_init(struct mutex *m, const char *name)
{
	waitq_init(&m->wq, name);
	/*
	 * The inner lock only guards owner, is held for a few instructions
	 * and never around another lock but sched_lock; lockdep checks the
	 * mutex itself instead.
	 */
	m->wq.lock.dep_class = LOCKDEP_CLASS_NONE;
	m->owner = NULL;
	m->name = name;
	m->dep_class = 0;
}

/* Not interruptible: a signal must not break a kernel critical section. */
static inline void mutex_acquire(struct mutex *m, unsigned int sub,
				 uint64_t ip)
{
	struct task *self = current;

	if (unlikely(lockdep_on))
		lockdep_acquire(m, &m->dep_class, m->name, LOCKDEP_MUTEX, sub,
				false, ip);
	spin_lock(&m->wq.lock);
	if (m->owner == self)
		panic("mutex_lock: %s: recursive lock", m->name);
	while (m->owner)
		waitq_sleep_uninterruptible(&m->wq);
	m->owner = self;
	spin_unlock(&m->wq.lock);
}

void mutex_lock(struct mutex *m)
{
	mutex_acquire(m, 0, (uint64_t)__builtin_return_address(0));
}

void mutex_lock_nested(struct mutex *m, unsigned int sub)
{
	mutex_acquire(m, sub, (uint64_t)__builtin_return_address(0));
}

bool mutex_trylock(struct mutex *m)
{
	bool got;

	spin_lock(&m->wq.lock);
	got = !m->owner;
	if (got)
		m->owner = current;
	spin_unlock(&m->wq.lock);
	if (got && unlikely(lockdep_on))
		lockdep_acquire(m, &m->dep_class, m->name, LOCKDEP_MUTEX, 0,
				true, (uint64_t)__builtin_return_address(0));
	return got;
}

void mutex_unlock(struct mutex *m)
{
	spin_lock(&m->wq.lock);
	if (m->owner != current)
		panic("mutex_unlock: %s not held", m->name);
	if (unlikely(lockdep_on))
		lockdep_release(m, m->dep_class, m->name,
				(uint64_t)__builtin_return_address(0));
	m->owner = NULL;
	waitq_wake_one(&m->wq);
	spin_unlock(&m->wq.lock);
}

bool mutex_held(const struct mutex *m)
{
	return m->owner == current;
}
