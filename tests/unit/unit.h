/*
 * Host unit tests: assertions and a case-table runner (tests/unit/shim.c).
 *
 * A test program is tests/unit/test_NAME.c. Its first lines name the kernel
 * sources it is built with, e.g.
 *
 *	// UNIT_SOURCES: kernel/mm/page_alloc.c kernel/mm/kmalloc.c
 *
 * and it ends with a table of cases:
 *
 *	static void test_split(void) { ... UT_ASSERT(x == 1); ... }
 *	UNIT_MAIN(UNIT_CASE(test_split), UNIT_CASE(test_merge))
 *
 * Each case runs in its own forked child, so a failing assertion, a panic
 * or a sanitizer report fails that case only, and every case starts from a
 * fresh kernel state. `make unit` builds each program with the host gcc
 * under AddressSanitizer and UndefinedBehaviorSanitizer, with -DUNIT_TEST.
 *
 * What the shim provides in place of the kernel environment:
 *   - spin_*, mutex_*, waitq_* (real locks, usable from host pthreads;
 *     waitq_sleep drops the lock, yields and returns 0: callers loop anyway),
 *     irq_save/irq_restore (no-ops), clock_monotonic_ns, signal_pending
 *     (false), strlcpy;
 *   - printk (to stderr; levels above printk_level, default LOG_WARN, are
 *     dropped; UNIT_VERBOSE=1 in the environment shows everything) and
 *     panic (prints, then aborts: the case fails);
 *   - fake physical memory: unit_mem_init(n) makes n usable frames, backed
 *     by a host buffer, and hands them to the real buddy allocator (list
 *     kernel/mm/page_alloc.c in UNIT_SOURCES). phys_to_virt/virt_to_phys
 *     work on it. At the end of the case the runner fails the case if the
 *     free-page count is not back to its value after unit_mem_init;
 *   - kmalloc/kzalloc/kfree: the real slab allocator when UNIT_SOURCES lists
 *     kernel/mm/kmalloc.c (it then needs page_alloc.c and unit_mem_init);
 *     otherwise weak malloc-backed versions, so ASan checks every object
 *     and LeakSanitizer reports what was never freed.
 * Kernel headers that include arch/cpu.h (proc/task.h) cannot be used on
 * the host: it reads %gs.
 */
#ifndef BASALT_TESTS_UNIT_H
#define BASALT_TESTS_UNIT_H

#include <types.h>

struct unit_case {
	const char *name;
	void (*fn)(void);
};

#define UNIT_CASE(f) { #f, f }

/* Runs every case in a child process; returns the process exit status. */
int unit_run(const struct unit_case *cases, size_t n);

#define UNIT_MAIN(...)							\
	int main(void)							\
	{								\
		static const struct unit_case unit_cases[] = { __VA_ARGS__ }; \
		return unit_run(unit_cases, ARRAY_SIZE(unit_cases));	\
	}

/* Report a failed check and end the case. */
noreturn void unit_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define UT_ASSERT(cond)							\
	do {								\
		if (!(cond))						\
			unit_fail(__FILE__, __LINE__, "%s", #cond);	\
	} while (0)

/* Integer equality, printing both values when it fails. */
#define UT_ASSERT_EQ(a, b)						\
	do {								\
		long long ut_a_ = (long long)(a), ut_b_ = (long long)(b); \
		if (ut_a_ != ut_b_)					\
			unit_fail(__FILE__, __LINE__,			\
				  "%s == %s (%lld != %lld)", #a, #b,	\
				  ut_a_, ut_b_);			\
	} while (0)

/*
 * Assert that stmt panics (or trips BUG_ON). It runs in a forked child so
 * the state it corrupts is thrown away; the caller's state is untouched.
 */
int unit_panic_fork(void);		/* 0 in the child */
noreturn void unit_panic_missed(void);	/* child: stmt returned */
bool unit_panic_seen(int child);	/* parent: did the child panic? */
#define UT_EXPECT_PANIC(stmt)						\
	do {								\
		int ut_child_ = unit_panic_fork();			\
		if (ut_child_ == 0) {					\
			stmt;						\
			unit_panic_missed();				\
		}							\
		if (!unit_panic_seen(ut_child_))			\
			unit_fail(__FILE__, __LINE__,			\
				  "expected a panic from: %s", #stmt);	\
	} while (0)

/*
 * Deterministic pseudo-random numbers (xorshift64*). The seed comes from
 * UNIT_SEED in the environment, else a fixed value; a failing case prints
 * the seed so the run can be repeated.
 */
uint64_t unit_rand(void);
static inline uint64_t unit_rand_below(uint64_t n) { return unit_rand() % n; }

/*
 * Fake physical memory of nframes usable 4 KiB frames (frame 0 exists but
 * stays reserved, so no allocation ever has physical address 0). Replaces
 * any previous fake memory. Needs kernel/mm/page_alloc.c.
 */
void unit_mem_init(size_t nframes);
/* Drop the fake memory without the end-of-case leak check. */
void unit_mem_fini(void);
/* page_count_free() right after unit_mem_init(). */
uint64_t unit_mem_initial_free(void);

/*
 * The OOM killer's hooks are stubs: nothing is ever killed, and an
 * allocation without ALLOC_USER may go this far into the page
 * allocator's reserve (RESERVE_KEEP unless a test changes it).
 */
extern enum alloc_reserve unit_alloc_reserve;

#endif
