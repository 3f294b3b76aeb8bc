// UNIT_SOURCES: kernel/proc/loadavg.c
/*
 * The load average (kernel/proc/loadavg.c) against Linux's arithmetic:
 * the first 5-second sample of one busy task gives 0.08 (164/2048), a
 * steady load of n converges to exactly n, an idle machine decays by the
 * 1-minute factor each sample, samples come once per 5 seconds whatever
 * the tick rate, and the uninterruptible count follows sleeps and wakes.
 */
#include <string.h>
#include <proc/sched.h>
#include <proc/task.h>
#include "unit.h"

struct spinlock sched_lock = SPINLOCK_INIT("sched");

#define SEC 1000000000ULL

static uint64_t now_ns;

/* One tick every 4 ms for secs seconds with n runnable tasks. */
static void run(unsigned int secs, unsigned long n)
{
	for (uint64_t end = now_ns + secs * SEC; now_ns < end;) {
		now_ns += 4000000;
		spin_lock(&sched_lock);
		loadavg_tick(now_ns, n);
		spin_unlock(&sched_lock);
	}
}

static void test_first_sample(void)
{
	unsigned long avg[3];

	run(4, 1);
	loadavg_get(avg);
	UT_ASSERT_EQ(avg[0], 0UL);		/* no sample before 5 s */
	run(1, 1);
	loadavg_get(avg);
	UT_ASSERT_EQ(avg[0], 164UL);		/* 0.08, as Linux shows */
	UT_ASSERT_EQ(avg[1], 34UL);		/* (2048 - 2014) rounded up */
	UT_ASSERT_EQ(avg[2], 11UL);
}

static void test_converges_and_decays(void)
{
	unsigned long avg[3], before;

	run(600, 2);				/* ten minutes of load 2 */
	loadavg_get(avg);
	UT_ASSERT_EQ(avg[0], 2 * FIXED_1);
	UT_ASSERT(avg[1] > FIXED_1 && avg[1] <= 2 * FIXED_1);
	UT_ASSERT(avg[2] < avg[1]);
	before = avg[0];
	run(5, 0);
	loadavg_get(avg);
	UT_ASSERT_EQ(avg[0], before * 1884 / FIXED_1);
}

static void test_uninterruptible_count(void)
{
	static struct task t, u;

	spin_lock(&sched_lock);
	t.state = TASK_SLEEPING;
	t.interruptible = false;
	loadavg_sleeping(&t);
	loadavg_sleeping(&t);			/* counted once */
	UT_ASSERT_EQ(loadavg_nr_uninterruptible(), 1UL);
	u.state = TASK_SLEEPING;
	u.interruptible = true;
	loadavg_sleeping(&u);			/* S: not counted */
	UT_ASSERT_EQ(loadavg_nr_uninterruptible(), 1UL);
	loadavg_woken(&u);
	loadavg_woken(&t);
	UT_ASSERT_EQ(loadavg_nr_uninterruptible(), 0UL);
	loadavg_woken(&t);			/* woken twice: still 0 */
	UT_ASSERT_EQ(loadavg_nr_uninterruptible(), 0UL);
	spin_unlock(&sched_lock);
}

UNIT_MAIN(UNIT_CASE(test_first_sample), UNIT_CASE(test_converges_and_decays),
	  UNIT_CASE(test_uninterruptible_count))
