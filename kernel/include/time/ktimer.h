/*
 * Kernel timers (kernel/time/ktimer.c): run a function once a clock
 * reaches a deadline. The arch timer interrupts at the earliest pending
 * deadline (timer_kick), so a timer fires when due, never before it.
 *
 * A timer counts against the monotonic clock or the wall clock; a timer
 * on the wall clock follows clock_settime (an absolute CLOCK_REALTIME
 * timer fires when the wall clock reaches its time, as in Linux).
 */
#ifndef BASALT_TIME_KTIMER_H
#define BASALT_TIME_KTIMER_H

#include <types.h>
#include <lib/list.h>

enum ktimer_base {
	KTIMER_MONO,		/* clock_monotonic_ns() */
	KTIMER_REAL,		/* clock_realtime_ns() */
};

struct ktimer {
	struct list_head link;	/* on the pending list; ktimer_lock */
	uint64_t expires_ns;	/* on base's clock; ktimer_lock */
	enum ktimer_base base;	/* ktimer_lock */
	bool queued;		/* on the list; ktimer_lock */
	bool running;		/* its function runs now; ktimer_lock */
	/*
	 * Called from the tick, in interrupt context, with no lock held and
	 * interrupts off. It may start its own timer again; it must not
	 * cancel or free it.
	 */
	void (*fn)(struct ktimer *t);
};

void ktimer_init(struct ktimer *t, void (*fn)(struct ktimer *t));
/* (Re)arm t for expires_ns on base's clock. */
void ktimer_start(struct ktimer *t, enum ktimer_base base, uint64_t expires_ns);
/* Disarm t; once it returns t's function no longer runs (it waits for a
 * run under way). Returns whether t was pending. Not from t's function. */
bool ktimer_cancel(struct ktimer *t);
/* The same without waiting, for a caller holding a lock t's function
 * takes: -1 if the function runs now (drop the lock and try again),
 * else whether t was pending. */
int ktimer_try_cancel(struct ktimer *t);
/* Whether t is armed. */
bool ktimer_pending(const struct ktimer *t);
/* The current time of base's clock. */
uint64_t ktimer_now(enum ktimer_base base);

/* The timer interrupt: run the functions of the timers that are due. */
void ktimer_run(void);
/* The earliest pending deadline in monotonic time; UINT64_MAX if none. */
uint64_t ktimer_next_deadline(void);

#endif
