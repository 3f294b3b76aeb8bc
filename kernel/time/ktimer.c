/*
 * Kernel timers: one list of pending timers, looked at by every timer
 * interrupt (the arch timer interrupts at the earliest deadline).
 * Expired timers are taken off the list one at a time and their function
 * runs with ktimer_lock dropped, so a function may re-arm its timer and
 * take other locks (a timer that sends a signal takes proc_tree_lock).
 * ktimer_lock is therefore a leaf: nothing is taken while holding it.
 *
 * A plain list, scanned whole on each tick: Basalt has a few timers at a
 * time (a process's alarm, its POSIX timers, timerfds). A sorted tree is
 * the change to make when that stops being true.
 */
#include <time/ktimer.h>
#include <arch/cpu.h>
#include <proc/sched.h>
#include <sync/spinlock.h>

static struct spinlock ktimer_lock = SPINLOCK_INIT("ktimer");
static LIST_HEAD(pending);		/* guarded by ktimer_lock */

void ktimer_init(struct ktimer *t, void (*fn)(struct ktimer *t))
{
	list_init(&t->link);
	t->expires_ns = 0;
	t->base = KTIMER_MONO;
	t->queued = t->running = false;
	t->fn = fn;
}

uint64_t ktimer_now(enum ktimer_base base)
{
	return base == KTIMER_REAL ? clock_realtime_ns() : clock_monotonic_ns();
}

/* A deadline on base's clock as monotonic time (the wall clock is the
 * monotonic clock plus an offset that clock_settime moves). */
static uint64_t to_mono(enum ktimer_base base, uint64_t ns)
{
	uint64_t offset;

	if (base == KTIMER_MONO)
		return ns;
	offset = clock_realtime_ns() - clock_monotonic_ns();
	return ns > offset ? ns - offset : 0;
}

uint64_t ktimer_next_deadline(void)
{
	uint64_t next = UINT64_MAX;
	struct ktimer *t;

	spin_lock(&ktimer_lock);
	list_for_each_entry(t, &pending, link)
		next = MIN(next, to_mono(t->base, t->expires_ns));
	spin_unlock(&ktimer_lock);
	return next;
}

void ktimer_start(struct ktimer *t, enum ktimer_base base, uint64_t expires_ns)
{
	spin_lock(&ktimer_lock);
	if (t->queued)
		list_del(&t->link);
	t->base = base;
	t->expires_ns = expires_ns;
	t->queued = true;
	list_add_tail(&t->link, &pending);
	spin_unlock(&ktimer_lock);
	timer_kick(to_mono(base, expires_ns));
}

int ktimer_try_cancel(struct ktimer *t)
{
	int was = -1;

	spin_lock(&ktimer_lock);
	if (!t->running) {
		was = t->queued;
		if (was)
			list_del(&t->link);
		t->queued = false;
	}
	spin_unlock(&ktimer_lock);
	return was;
}

bool ktimer_cancel(struct ktimer *t)
{
	int was;

	while ((was = ktimer_try_cancel(t)) < 0)
		cpu_relax();		/* another CPU runs it */
	return was;
}

bool ktimer_pending(const struct ktimer *t)
{
	return __atomic_load_n(&t->queued, __ATOMIC_RELAXED);
}

/* The first pending timer that is due, taken off the list; NULL if none. */
static struct ktimer *take_expired(uint64_t mono, uint64_t real)
{
	struct ktimer *t;

	list_for_each_entry(t, &pending, link) {
		uint64_t now = t->base == KTIMER_REAL ? real : mono;

		if (t->expires_ns <= now) {
			list_del(&t->link);
			t->queued = false;
			t->running = true;
			return t;
		}
	}
	return NULL;
}

void ktimer_run(void)
{
	uint64_t mono = clock_monotonic_ns(), real = clock_realtime_ns();
	struct ktimer *t;

	spin_lock(&ktimer_lock);
	while ((t = take_expired(mono, real)) != NULL) {
		spin_unlock(&ktimer_lock);
		t->fn(t);
		spin_lock(&ktimer_lock);
		t->running = false;
	}
	spin_unlock(&ktimer_lock);
}
