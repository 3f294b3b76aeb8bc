// UNIT_SOURCES: kernel/proc/sched_policy.c
/*
 * The run-queue balancer's decisions (kernel/proc/sched_policy.c): a
 * woken task goes back to its idle CPU, else to an idle one, else to the
 * least loaded, always within its affinity; an idle CPU steals any
 * waiting task it may run, a busy one only evens out a gap of two.
 */
#include "../../kernel/proc/sched_policy.h"
#include "unit.h"

#define ALL	(~(cpumask_t)0)

static void test_wake_prefers_idle_prev(void)
{
	struct cpu_load l[2] = { { .busy = false }, { .busy = false } };

	UT_ASSERT_EQ(sched_pick_cpu(l, 2, ALL, 1), 1u);
	UT_ASSERT_EQ(sched_pick_cpu(l, 2, ALL, 0), 0u);
}

static void test_wake_moves_to_idle_cpu(void)
{
	struct cpu_load l[4] = { { .busy = true }, { .busy = true },
				 { .busy = false }, { .busy = true } };

	UT_ASSERT_EQ(sched_pick_cpu(l, 4, ALL, 0), 2u);
	/* Not where the affinity forbids it. */
	UT_ASSERT_EQ(sched_pick_cpu(l, 4, cpumask_of(0) | cpumask_of(3), 0), 0u);
}

static void test_wake_least_loaded_prev_on_tie(void)
{
	struct cpu_load l[3] = { { .queued = 2, .busy = true },
				 { .queued = 1, .busy = true },
				 { .queued = 1, .busy = true } };

	UT_ASSERT_EQ(sched_pick_cpu(l, 3, ALL, 0), 1u);
	UT_ASSERT_EQ(sched_pick_cpu(l, 3, ALL, 2), 2u);	/* tie: prev */
	UT_ASSERT_EQ(sched_pick_cpu(l, 3, cpumask_of(0), 2), 0u); /* forced */
}

static void test_idle_cpu_steals_anything_movable(void)
{
	struct cpu_load l[3] = { { .busy = false },
				 { .queued = 1, .movable = 1, .busy = true },
				 { .queued = 3, .movable = 0, .busy = true } };

	/* CPU 2 has more, but nothing CPU 0 may run. */
	UT_ASSERT_EQ(sched_pick_busiest(l, 3, 0, true), 1);
	l[1].movable = 0;
	UT_ASSERT_EQ(sched_pick_busiest(l, 3, 0, true), -1);
}

static void test_busy_cpu_balances_only_a_gap_of_two(void)
{
	struct cpu_load l[2] = { { .busy = true },
				 { .queued = 1, .movable = 1, .busy = true } };

	UT_ASSERT_EQ(sched_pick_busiest(l, 2, 0, false), -1);	/* 1 vs 2 */
	l[1].queued = l[1].movable = 2;
	UT_ASSERT_EQ(sched_pick_busiest(l, 2, 0, false), 1);	/* 1 vs 3 */
	UT_ASSERT_EQ(sched_pick_busiest(l, 2, 1, false), -1);	/* never itself */
}

static void test_balancing_converges(void)
{
	/* Eight CPU-bound tasks queued on CPU 0 of four: pulls by the
	 * others, each taking from the busiest, end with two per CPU. */
	struct cpu_load l[4] = { { .queued = 7, .movable = 7, .busy = true } };

	for (int round = 0; round < 16; round++)
		for (unsigned int self = 0; self < 4; self++) {
			bool idle = !l[self].busy && !l[self].queued;
			int from = sched_pick_busiest(l, 4, self, idle);

			if (from < 0)
				continue;
			l[from].queued--;
			l[from].movable--;
			if (idle)
				l[self].busy = true;
			else {
				l[self].queued++;
				l[self].movable++;
			}
		}
	for (unsigned int c = 0; c < 4; c++)
		UT_ASSERT_EQ(cpu_load_of(&l[c]), 2u);
}

UNIT_MAIN(UNIT_CASE(test_wake_prefers_idle_prev),
	  UNIT_CASE(test_wake_moves_to_idle_cpu),
	  UNIT_CASE(test_wake_least_loaded_prev_on_tie),
	  UNIT_CASE(test_idle_cpu_steals_anything_movable),
	  UNIT_CASE(test_busy_cpu_balances_only_a_gap_of_two),
	  UNIT_CASE(test_balancing_converges))
