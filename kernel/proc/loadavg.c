/*
 * The load average, as Linux computes it (kernel/sched/loadavg.c): every
 * LOAD_FREQ the number of active tasks (runnable, running, or in an
 * uninterruptible sleep) is folded into three exponentially damped
 * moving averages, with the decay factors of 1, 5 and 15 minutes in
 * FSHIFT-bit fixed point. /proc/loadavg and sysinfo(2) report them.
 *
 * The scheduler calls the hooks with sched_lock held, which also guards
 * the uninterruptible count; the averages are read without a lock, each
 * word atomically.
 */
#include <proc/sched.h>
#include <proc/task.h>

#define LOAD_FREQ_NS	(5ULL * 1000 * 1000 * 1000)
#define EXP_1		1884	/* FIXED_1 / exp(5 s / 1 min) */
#define EXP_5		2014	/* FIXED_1 / exp(5 s / 5 min) */
#define EXP_15		2037	/* FIXED_1 / exp(5 s / 15 min) */

static unsigned long avenrun[3];	/* atomic words */
static unsigned long nr_uninterruptible;	/* guarded by sched_lock */
static uint64_t next_sample_ns = LOAD_FREQ_NS;	/* guarded by sched_lock */

/* Linux's calc_load: rounds up while the load grows, so a steady load
 * of n reaches n rather than stopping just short of it. */
static unsigned long calc_load(unsigned long load, unsigned long exp,
			       unsigned long active)
{
	unsigned long newload = load * exp + active * (FIXED_1 - exp);

	if (active >= load)
		newload += FIXED_1 - 1;
	return newload / FIXED_1;
}

void loadavg_tick(uint64_t now_ns, unsigned long nr_running)
{
	const unsigned long exps[3] = { EXP_1, EXP_5, EXP_15 };
	unsigned long active;

	spin_assert_held(&sched_lock);
	if (now_ns < next_sample_ns)
		return;
	/* One sample per tick at most; a long stall is not made up for. */
	next_sample_ns += LOAD_FREQ_NS;
	if (next_sample_ns <= now_ns)
		next_sample_ns = now_ns + LOAD_FREQ_NS;
	active = (nr_running + nr_uninterruptible) * FIXED_1;
	for (int i = 0; i < 3; i++)
		__atomic_store_n(&avenrun[i],
				 calc_load(__atomic_load_n(&avenrun[i],
							   __ATOMIC_RELAXED),
					   exps[i], active),
				 __ATOMIC_RELAXED);
}

void loadavg_get(unsigned long avg[3])
{
	for (int i = 0; i < 3; i++)
		avg[i] = __atomic_load_n(&avenrun[i], __ATOMIC_RELAXED);
}

void loadavg_sleeping(struct task *t)
{
	spin_assert_held(&sched_lock);
	if (t->state == TASK_SLEEPING && !t->interruptible &&
	    !t->load_counted) {
		t->load_counted = true;
		nr_uninterruptible++;
	}
}

void loadavg_woken(struct task *t)
{
	spin_assert_held(&sched_lock);
	if (t->load_counted) {
		t->load_counted = false;
		nr_uninterruptible--;
	}
}

unsigned long loadavg_nr_uninterruptible(void)
{
	spin_assert_held(&sched_lock);
	return nr_uninterruptible;
}
