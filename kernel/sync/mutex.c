/* Sleeping mutexes (sync/mutex.h), built on a wait queue. */
#include <sync/mutex.h>
#include <arch/cpu.h>
#include <lib/printk.h>

void mutex_init(struct mutex *m, const char *name)
{
	waitq_init(&m->wq, name);
	m->owner = NULL;
	m->name = name;
}

/* Not interruptible: a signal must not break a kernel critical section. */
void mutex_lock(struct mutex *m)
{
	struct task *self = current;

	spin_lock(&m->wq.lock);
	if (m->owner == self)
		panic("mutex_lock: %s: recursive lock", m->name);
	while (m->owner)
		waitq_sleep_uninterruptible(&m->wq);
	m->owner = self;
	spin_unlock(&m->wq.lock);
}

bool mutex_trylock(struct mutex *m)
{
	bool got;

	spin_lock(&m->wq.lock);
	got = !m->owner;
	if (got)
		m->owner = current;
	spin_unlock(&m->wq.lock);
	return got;
}

void mutex_unlock(struct mutex *m)
{
	spin_lock(&m->wq.lock);
	if (m->owner != current)
		panic("mutex_unlock: %s not held", m->name);
	m->owner = NULL;
	waitq_wake_one(&m->wq);
	spin_unlock(&m->wq.lock);
}

bool mutex_held(const struct mutex *m)
{
	return m->owner == current;
}
