// UNIT_SOURCES: kernel/sync/lockdep.c
/*
 * lockdep-lite (kernel/sync/lockdep.c) on the host: the kernel cannot
 * carry a deliberately bad lock path to prove the checker catches one,
 * so here it is fed lock operations directly. Each host thread plays one
 * task; lockdep's environment (kernel/sync/lockdep_env.c in the kernel)
 * is replaced by the few functions below.
 *
 * An inversion (direct or through a third lock), a second lock of a held
 * class, and the release of a lock not held panic; locks released out of
 * order, trylocks against the order, nested subclasses in their order,
 * and locks taken in an interrupt over a task's held mutex do not.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sync/lockdep.h>
#include <lib/ksyms.h>
#include "unit.h"

/* ---- The environment ------------------------------------------------- */

static _Thread_local struct lockdep_task self;
static pthread_mutex_t graph = PTHREAD_MUTEX_INITIALIZER;

struct lockdep_task *lockdep_current(void) { return &self; }
unsigned long lockdep_irq_off(void) { return 0; }
void lockdep_irq_restore(unsigned long flags) { (void)flags; }

unsigned long lockdep_graph_lock(void)
{
	pthread_mutex_lock(&graph);
	return 0;
}

void lockdep_graph_unlock(unsigned long flags)
{
	pthread_mutex_unlock(&graph);
}

const char *ksyms_lookup(uint64_t addr, uint64_t *offset)
{
	*offset = addr;
	return "caller";
}

/* ---- Fake locks ------------------------------------------------------- */

struct fake_lock {
	const char *name;
	enum lockdep_kind kind;
	uint16_t class;
};

#define SPIN(n) { .name = (n), .kind = LOCKDEP_SPIN }
#define MUTEX(n) { .name = (n), .kind = LOCKDEP_MUTEX }

static void take_sub(struct fake_lock *l, unsigned int sub)
{
	lockdep_acquire(l, &l->class, l->name, l->kind, sub, false, 0x10);
}

static void take(struct fake_lock *l) { take_sub(l, 0); }

static void try_take(struct fake_lock *l)
{
	lockdep_acquire(l, &l->class, l->name, l->kind, 0, true, 0x20);
}

static void drop(struct fake_lock *l)
{
	lockdep_release(l, l->class, l->name, 0x30);
}

/* ---- Cases ------------------------------------------------------------ */

static void test_inversion_panics(void)
{
	struct fake_lock a = MUTEX("a"), b = SPIN("b");

	lockdep_enable();
	take(&a);
	take(&b);
	drop(&b);
	drop(&a);
	take(&b);
	UT_EXPECT_PANIC(take(&a));
}

static void test_transitive_inversion_panics(void)
{
	struct fake_lock a = SPIN("a"), b = SPIN("b"), c = SPIN("c");

	lockdep_enable();
	take(&a);
	take(&b);
	drop(&a);		/* out of order: fine */
	drop(&b);
	take(&b);
	take(&c);
	drop(&c);
	drop(&b);
	take(&c);
	UT_EXPECT_PANIC(take(&a));	/* a -> b -> c was seen */
	UT_EXPECT_PANIC(take(&b));	/* c -> b: the reverse of b -> c */
}

static void test_consistent_order_is_quiet(void)
{
	struct fake_lock a = SPIN("a"), b = SPIN("b"), c = SPIN("c");
	unsigned int classes, pairs;

	lockdep_enable();
	for (int i = 0; i < 3; i++) {
		take(&a);
		take(&b);
		take(&c);
		drop(&b);
		drop(&c);
		drop(&a);
	}
	take(&a);
	take(&c);
	drop(&c);
	drop(&a);
	lockdep_counts(&classes, &pairs);
	UT_ASSERT_EQ(classes, 3);
	UT_ASSERT_EQ(pairs, 3);		/* a->b, b->c, a->c */
	UT_ASSERT_EQ(self.depth, 0);
	UT_ASSERT(lockdep_on);
}

static void test_same_class_needs_nesting(void)
{
	char name2[] = "inode";		/* same text, another pointer */
	struct fake_lock i1 = MUTEX("inode"), i2 = MUTEX(name2);

	lockdep_enable();
	take(&i1);
	UT_EXPECT_PANIC(take(&i2));
	take_sub(&i2, 1);		/* annotated: fine */
	drop(&i1);
	drop(&i2);
	take_sub(&i2, 1);
	UT_EXPECT_PANIC(take(&i1));	/* but not the other way round */
}

static void test_release_of_unheld_panics(void)
{
	struct fake_lock a = SPIN("a"), b = SPIN("b");

	lockdep_enable();
	take(&a);
	UT_EXPECT_PANIC(drop(&b));
	drop(&a);
	UT_EXPECT_PANIC(drop(&a));
}

static void test_trylock_orders_nothing(void)
{
	struct fake_lock a = SPIN("a"), b = SPIN("b"), c = SPIN("c");

	lockdep_enable();
	take(&a);
	take(&b);
	drop(&b);
	drop(&a);
	take(&b);
	try_take(&a);		/* cannot deadlock: it never waits */
	drop(&a);
	drop(&b);
	/* But what is taken under a trylocked lock is ordered after it,
	 * and after the lock held below it. */
	take(&c);
	try_take(&a);
	take(&b);		/* c -> b recorded (through the trylock) */
	drop(&b);
	drop(&a);
	drop(&c);
	take(&b);
	UT_EXPECT_PANIC(take(&c));
}

static void test_irq_is_a_new_context(void)
{
	struct fake_lock m = MUTEX("m"), s = SPIN("s"), n = MUTEX("n");

	lockdep_enable();
	take(&m);
	unsigned int saved = lockdep_irq_enter();
	take(&s);		/* not ordered after the task's m */
	drop(&s);
	lockdep_irq_exit(saved);
	drop(&m);
	take(&s);
	UT_EXPECT_PANIC(lockdep_irq_enter());	/* a spinlock is held */
	drop(&s);
	take(&n);
	take(&m);		/* nothing said m -> n */
	drop(&m);
	drop(&n);
	take(&m);
	saved = lockdep_irq_enter();
	UT_EXPECT_PANIC(drop(&m));	/* the handler does not own m */
	take(&s);
	UT_EXPECT_PANIC(lockdep_irq_exit(saved));	/* still holds s */
}

static void test_off_does_nothing(void)
{
	struct fake_lock a = SPIN("a"), b = SPIN("b");

	take(&a);
	take(&b);
	drop(&b);
	drop(&a);
	take(&b);
	take(&a);
	UT_ASSERT_EQ(self.depth, 0);
}

/* Locks of classes of their own, named "N0", "N1", ... */
#define NR_MANY 130
static struct fake_lock many[NR_MANY];
static char many_names[NR_MANY][16];

static void make_many(void)
{
	for (int i = 0; i < NR_MANY; i++) {
		snprintf(many_names[i], sizeof(many_names[i]), "N%u",
			 (unsigned int)i);
		many[i] = (struct fake_lock)SPIN(many_names[i]);
	}
}

static void test_too_many_held_stops(void)
{
	make_many();
	lockdep_enable();
	for (int i = 0; i < LOCKDEP_MAX_HELD; i++)
		take(&many[i]);
	UT_ASSERT(lockdep_on);
	take(&many[LOCKDEP_MAX_HELD]);	/* says so, stops: no panic */
	UT_ASSERT(!lockdep_on);
	for (int i = LOCKDEP_MAX_HELD; i >= 0; i--)
		drop(&many[i]);
	take(&many[1]);
	take(&many[0]);			/* not checked any more */
}

static void test_full_pair_table_stops(void)
{
	unsigned int classes, pairs, max_classes, max_pairs;

	make_many();
	lockdep_enable();
	lockdep_limits(&max_classes, &max_pairs);
	/* Every i -> j with i < j: no cycle, more pairs than there is room. */
	for (int i = 0; i < NR_MANY && lockdep_on; i++) {
		for (int j = i + 1; j < NR_MANY && lockdep_on; j++) {
			take(&many[i]);
			take(&many[j]);
			drop(&many[j]);
			drop(&many[i]);
		}
	}
	UT_ASSERT(!lockdep_on);
	lockdep_counts(&classes, &pairs);
	UT_ASSERT_EQ(pairs, max_pairs);
	UT_ASSERT_EQ(classes, NR_MANY);
}

/* Threads on "CPUs" of their own, all in one order over 16 locks. */
#define NR_LOCKS 16
static struct fake_lock shared[NR_LOCKS];
static char shared_names[NR_LOCKS][16];

static void *ordered_worker(void *arg)
{
	uint64_t seed = (uintptr_t)arg * 2654435761u + 1;

	for (int round = 0; round < 2000; round++) {
		int first, second;
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		first = (seed >> 33) % NR_LOCKS;
		second = (seed >> 45) % NR_LOCKS;
		if (first == second)
			continue;
		if (first > second) {
			int t = first;
			first = second;
			second = t;
		}
		take(&shared[first]);
		take(&shared[second]);
		drop(&shared[first]);
		drop(&shared[second]);
	}
	return NULL;
}

static void test_parallel_tasks_agree(void)
{
	pthread_t th[4];
	unsigned int classes, pairs;

	for (int i = 0; i < NR_LOCKS; i++) {
		snprintf(shared_names[i], sizeof(shared_names[i]), "L%u", (unsigned int)i);
		shared[i] = (struct fake_lock)SPIN(shared_names[i]);
	}
	lockdep_enable();
	for (uintptr_t i = 0; i < 4; i++)
		UT_ASSERT(!pthread_create(&th[i], NULL, ordered_worker,
					  (void *)i));
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	lockdep_counts(&classes, &pairs);
	UT_ASSERT_EQ(classes, NR_LOCKS);
	UT_ASSERT(pairs <= NR_LOCKS * (NR_LOCKS - 1) / 2);
	UT_ASSERT(lockdep_on);
	take(&shared[NR_LOCKS - 1]);
	UT_EXPECT_PANIC(take(&shared[0]));
}

UNIT_MAIN(UNIT_CASE(test_inversion_panics),
	  UNIT_CASE(test_transitive_inversion_panics),
	  UNIT_CASE(test_consistent_order_is_quiet),
	  UNIT_CASE(test_same_class_needs_nesting),
	  UNIT_CASE(test_release_of_unheld_panics),
	  UNIT_CASE(test_trylock_orders_nothing),
	  UNIT_CASE(test_irq_is_a_new_context),
	  UNIT_CASE(test_off_does_nothing),
	  UNIT_CASE(test_too_many_held_stops),
	  UNIT_CASE(test_full_pair_table_stops),
	  UNIT_CASE(test_parallel_tasks_agree))
