/*
 * Time system calls: reading the POSIX clocks (clock_gettime,
 * clock_getres, gettimeofday, time) and sleeping on them (nanosleep,
 * clock_nanosleep).
 *
 * Every clock is derived from two sources the scheduler keeps:
 * clock_monotonic_ns() (time since boot) and clock_realtime_ns() (RTC at
 * boot + monotonic). Basalt never suspends, so BOOTTIME equals MONOTONIC;
 * it has no NTP slewing, so MONOTONIC_RAW equals MONOTONIC; the TAI offset
 * is 0 as on a Linux that was never told otherwise; the COARSE clocks read
 * the precise source, so their resolution, like every other clock's, is
 * 1 ns. The alarm clocks need a wake-up RTC, which Basalt does not drive:
 * they behave as on a Linux without one (EINVAL to read, EOPNOTSUPP to
 * sleep on). Sleeping on a clock follows Linux's table of which clocks
 * have an nsleep operation.
 *
 * CPU-time clocks read proc/cputime.c's accounting: the caller's own
 * thread and process, other threads of its process, and any process
 * (Linux's pid_for_clock rules). Sleeping on a process's CPU clock is
 * supported; on a thread's it is EINVAL (Linux: for the caller's own).
 * clock_settime and settimeofday set the wall clock (root only).
 */
#include <types.h>
#include <uapi/errno.h>
#include <uapi/time.h>
#include <mm/uaccess.h>
#include <proc/sched.h>
#include <proc/task.h>
#include <proc/signal.h>
#include <proc/cputime.h>
#include <syscall/syscall.h>
#include <sync/spinlock.h>
#include <fs/timerfd.h>
#include "internal.h"

#define NSEC_PER_SEC	1000000000ULL
#define NSEC_PER_USEC	1000ULL
#define KTIME_MAX	((uint64_t)INT64_MAX)
#define TICK_NS		(NSEC_PER_SEC / 250)	/* the arch timer's HZ */

enum clock_source {
	SRC_NONE,		/* not a clock: EINVAL */
	SRC_REAL,		/* wall clock */
	SRC_MONO,		/* time since boot */
	SRC_PROCESS_CPU,	/* CPU time of the calling process */
	SRC_THREAD_CPU,		/* CPU time of the calling thread */
	SRC_ALARM,		/* needs a wake-up RTC: none */
};

struct clock_desc {
	enum clock_source src;
	bool can_sleep;		/* Linux's k_clock has an nsleep operation */
};

/* Linux's posix_clocks[] table, with the source each clock reads. */

static const struct clock_desc posix_clocks[MAX_CLOCKS] = {
	[CLOCK_REALTIME]		= { SRC_REAL, true },
	[CLOCK_MONOTONIC]		= { SRC_MONO, true },
	[CLOCK_PROCESS_CPUTIME_ID]	= { SRC_PROCESS_CPU, true },
	[CLOCK_THREAD_CPUTIME_ID]	= { SRC_THREAD_CPU, false },
	[CLOCK_MONOTONIC_RAW]		= { SRC_MONO, false },
	[CLOCK_REALTIME_COARSE]		= { SRC_REAL, false },
	[CLOCK_MONOTONIC_COARSE]	= { SRC_MONO, false },
	[CLOCK_BOOTTIME]		= { SRC_MONO, true },
	[CLOCK_REALTIME_ALARM]		= { SRC_ALARM, false },
	[CLOCK_BOOTTIME_ALARM]		= { SRC_ALARM, false },
	[CLOCK_TAI]			= { SRC_REAL, true },
};

/*
 * A negative id is a CPU-time clock (see uapi/time.h). Linux's
 * pid_for_clock(): pid 0 means the caller; a thread clock must name a
 * thread of the caller's process; a process clock names any process
 * (by its pid, or by the caller's own tid).
 */
static struct clock_desc cpu_clock_lookup(clockid_t id)
{
	bool thread = CPUCLOCK_PERTHREAD(id);

	if (CPUCLOCK_WHICH(id) >= CPUCLOCK_MAX)
		return (struct clock_desc){ SRC_NONE, false };
	return (struct clock_desc){
		thread ? SRC_THREAD_CPU : SRC_PROCESS_CPU, true };
}

static struct clock_desc clock_lookup(clockid_t id)
{
	if (id < 0)
		return cpu_clock_lookup(id);
	if (id >= MAX_CLOCKS)
		return (struct clock_desc){ SRC_NONE, false };
	return posix_clocks[id];
}

/* The task whose CPU clock id names (pid_for_clock), or NULL.
 * proc_tree_lock held. */
static struct task *cpu_clock_task(clockid_t id)
{
	pid_t pid = CPUCLOCK_PID(id);
	struct task *t;

	spin_assert_held(&proc_tree_lock);
	if (CPUCLOCK_PERTHREAD(id)) {
		t = pid ? task_find(pid) : current;
		return t && t->group == current->group ? t : NULL;
	}
	if (!pid || pid == current->tid)
		return current->group->leader;
	t = task_find(pid);
	return t && t->tid == t->tgid ? t : NULL;
}

/*
 * A CPU-time clock's value: SCHED the exact run time, PROF user+system
 * time, VIRT user time (Linux's CPUCLOCK_*), of a thread or a process.
 */
static int cpu_clock_read(clockid_t id, uint64_t *ns)
{
	int which = CPUCLOCK_WHICH(id);
	struct cputime ct;
	struct task *t;

	spin_lock(&proc_tree_lock);
	t = cpu_clock_task(id);
	if (t && CPUCLOCK_PERTHREAD(id))
		cputime_of_thread(t, &ct);
	else if (t)
		cputime_of_process_locked(t->group, &ct);
	spin_unlock(&proc_tree_lock);
	if (!t)
		return -EINVAL;
	*ns = which == CPUCLOCK_VIRT ? ct.utime : ct.utime + ct.stime;
	return 0;
}

/* Current value of clock id, or -EINVAL if it cannot be read. */
static int clock_read(clockid_t id, uint64_t *ns)
{
	switch (clock_lookup(id).src) {
	case SRC_REAL:
		*ns = clock_realtime_ns();
		return 0;
	case SRC_MONO:
		*ns = clock_monotonic_ns();
		return 0;
	case SRC_PROCESS_CPU:
	case SRC_THREAD_CPU:
		if (id >= 0)	/* the caller's own: the exact clocks */
			return *ns = task_cputime_ns(current,
					id == CLOCK_PROCESS_CPUTIME_ID), 0;
		return cpu_clock_read(id, ns);
	default:
		return -EINVAL;
	}
}

static struct timespec ns_to_timespec(uint64_t ns)
{
	return (struct timespec){ (int64_t)(ns / NSEC_PER_SEC),
				  (int64_t)(ns % NSEC_PER_SEC) };
}

static int put_timespec(struct timespec __user *u, uint64_t ns)
{
	struct timespec ts = ns_to_timespec(ns);

	return copy_to_user(u, &ts, sizeof(ts)) ? -EFAULT : 0;
}

/* Linux's timespec64_valid(): a non-negative time, nsec in range. */
static bool timespec_valid(const struct timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 &&
	       (uint64_t)ts->tv_nsec < NSEC_PER_SEC;
}

/* A valid timespec in ns, saturating at KTIME_MAX like Linux. */
static uint64_t timespec_to_ns(const struct timespec *ts)
{
	if ((uint64_t)ts->tv_sec >= KTIME_MAX / NSEC_PER_SEC)
		return KTIME_MAX;
	return (uint64_t)ts->tv_sec * NSEC_PER_SEC + (uint64_t)ts->tv_nsec;
}

SYSCALL_DEFINE2(clock_gettime, clockid_t, which, struct timespec __user *, tp)
{
	uint64_t ns;
	int err = clock_read(which, &ns);

	if (err)
		return err;
	return put_timespec(tp, ns);
}

/*
 * Every readable clock counts in nanoseconds, but for the PROF and VIRT
 * CPU clocks, which count ticks (Linux: 1/HZ); a NULL res is allowed.
 */
SYSCALL_DEFINE2(clock_getres, clockid_t, which, struct timespec __user *, res)
{
	uint64_t ns;
	int err = clock_read(which, &ns);

	if (err)
		return err;
	ns = which < 0 && CPUCLOCK_WHICH(which) != CPUCLOCK_SCHED ?
	     NSEC_PER_SEC / 250 : 1;
	return res ? put_timespec(res, ns) : 0;
}

/* The kernel's timezone: only settimeofday uses it (as Linux's sys_tz). */
static struct spinlock tz_lock = SPINLOCK_INIT("sys_tz");
static struct timezone sys_tz;		/* guarded by tz_lock */

SYSCALL_DEFINE2(gettimeofday, struct timeval __user *, tv,
		struct timezone __user *, tz)
{
	struct timezone z;

	spin_lock(&tz_lock);
	z = sys_tz;
	spin_unlock(&tz_lock);
	if (tv) {
		uint64_t ns = clock_realtime_ns();
		struct timeval v = {
			(int64_t)(ns / NSEC_PER_SEC),
			(int64_t)(ns % NSEC_PER_SEC / NSEC_PER_USEC),
		};

		if (copy_to_user(tv, &v, sizeof(v)))
			return -EFAULT;
	}
	if (tz && copy_to_user(tz, &z, sizeof(z)))
		return -EFAULT;
	return 0;
}

/* Linux's TIME_SETTOD_SEC_MAX: 30 years short of the end of ktime. */
#define SETTOD_SEC_MAX	(KTIME_MAX / NSEC_PER_SEC - 30ULL * 31536000ULL)

/*
 * Linux's do_sys_settimeofday64: the new time must be valid (EINVAL),
 * the caller privileged (CAP_SYS_TIME: euid 0, else EPERM), the
 * timezone within 15 hours, and the wall clock may not go back before
 * the moment of boot (monotonic time would be negative: EINVAL).
 * Sleeps and absolute CLOCK_REALTIME timers follow the new time.
 */
static long set_time(const struct timespec *ts, const struct timezone *tz)
{
	uint64_t ns, base;

	if (ts && (!timespec_valid(ts) ||
		   (uint64_t)ts->tv_sec >= SETTOD_SEC_MAX))
		return -EINVAL;
	if (current->cred.euid != 0)
		return -EPERM;
	if (tz && (tz->tz_minuteswest > 15 * 60 || tz->tz_minuteswest < -15 * 60))
		return -EINVAL;
	if (ts) {
		ns = timespec_to_ns(ts);
		if (ns < clock_monotonic_ns())
			return -EINVAL;
		base = timer_set_realtime_base(ns);
		vdso_set_realtime_base(base);
		timerfd_clock_was_set();
	}
	if (tz) {
		spin_lock(&tz_lock);
		sys_tz = *tz;
		spin_unlock(&tz_lock);
	}
	return 0;
}

/* Only CLOCK_REALTIME can be set; a CPU-time clock answers EPERM. */
SYSCALL_DEFINE2(clock_settime, clockid_t, which,
		const struct timespec __user *, utp)
{
	struct clock_desc c = clock_lookup(which);
	struct timespec ts;

	if (which != CLOCK_REALTIME && (which >= 0 || c.src == SRC_NONE))
		return -EINVAL;
	if (copy_from_user(&ts, utp, sizeof(ts)))
		return -EFAULT;
	if (which < 0) {
		uint64_t ns;

		return clock_read(which, &ns) ?: -EPERM;
	}
	return set_time(&ts, NULL);
}

SYSCALL_DEFINE2(settimeofday, const struct timeval __user *, utv,
		const struct timezone __user *, utz)
{
	struct timeval tv;
	struct timezone tz;
	struct timespec ts;

	if (utv) {
		if (copy_from_user(&tv, utv, sizeof(tv)))
			return -EFAULT;
		if (tv.tv_sec < 0 || tv.tv_usec < 0 || tv.tv_usec >= 1000000)
			return -EINVAL;
		ts = (struct timespec){ tv.tv_sec, tv.tv_usec * 1000 };
	}
	if (utz && copy_from_user(&tz, utz, sizeof(tz)))
		return -EFAULT;
	return set_time(utv ? &ts : NULL, utz ? &tz : NULL);
}

SYSCALL_DEFINE1(time, int64_t __user *, tloc)
{
	int64_t now = (int64_t)(clock_realtime_ns() / NSEC_PER_SEC);

	if (tloc && put_user(now, tloc))
		return -EFAULT;
	return now;
}

/* How often an absolute CLOCK_REALTIME sleep looks at the wall clock,
 * which clock_settime may move past its deadline. */
#define REALTIME_RECHECK_NS	(50ULL * 1000 * 1000)

/*
 * Sleep on clock src until *req (abs) or for *req (relative). Returns 0,
 * or -EINTR when a signal cut the sleep short; then, for a relative sleep
 * with rem, the time left is written there (-EFAULT if that fails).
 * Relative sleeps count monotonic time (as Linux's, whatever the clock);
 * an absolute CLOCK_REALTIME one wakes when the wall clock reaches its
 * time, even if clock_settime moved the wall clock meanwhile.
 * An early wake-up without a signal just sleeps again.
 */
static long sleep_on_clock(enum clock_source src, bool abs,
			   const struct timespec *req,
			   struct timespec __user *rem)
{
	bool real = abs && src == SRC_REAL;
	uint64_t (*clock)(void) = real ? clock_realtime_ns : clock_monotonic_ns;
	uint64_t ns = timespec_to_ns(req), deadline, now, left;

	/* ns <= KTIME_MAX and uptime is far below 2^63: no overflow. */
	deadline = abs ? ns : clock_monotonic_ns() + ns;
	while ((now = clock()) < deadline) {
		left = deadline - now;
		if (real && left > REALTIME_RECHECK_NS)
			left = REALTIME_RECHECK_NS;
		/*
		 * Only a signal that will be handled (or kill us) ends the
		 * sleep. After a stop, Linux restarts the sleep through
		 * restart_syscall towards the same deadline; sleeping on here
		 * is what the program sees of that. A handled signal returns
		 * EINTR, with or without SA_RESTART, as on Linux.
		 */
		if (sched_sleep_ns(left) == 0 ||
		    signal_stop_in_sleep())	/* stopped and continued */
			continue;
		if (!abs && rem) {
			now = clock_monotonic_ns();
			if (put_timespec(rem, now < deadline ? deadline - now : 0))
				return -EFAULT;
		}
		return -EINTR;
	}
	return 0;
}

/*
 * Sleep until a process's CPU-time clock reaches *req (abs) or has
 * moved by it: other threads (or the process of another clock) do the
 * work. The clock is looked at every tick, so the sleep ends within a
 * tick of its time. A handled signal ends it with EINTR and, for a
 * relative sleep, the CPU time still to go in rem (Linux's
 * posix_cpu_nsleep).
 */
static long sleep_on_cpu_clock(clockid_t id, bool abs,
			       const struct timespec *req,
			       struct timespec __user *rem)
{
	uint64_t ns = timespec_to_ns(req), now, deadline;
	int err = clock_read(id, &now);

	if (err)
		return err;
	deadline = abs ? ns : now + ns;
	while (now < deadline) {
		if (sched_sleep_ns(TICK_NS) != 0 &&
		    !signal_stop_in_sleep()) {	/* a stop sleeps on */
			if (!abs && rem && put_timespec(rem, deadline - now))
				return -EFAULT;
			return -EINTR;
		}
		if (clock_read(id, &now))
			return -EINVAL;	/* the process was reaped */
	}
	return 0;
}

/*
 * Linux's restart_syscall resumes what a stop interrupted, from the
 * restart block that call left. Basalt's sleeps resume in place (above),
 * so no restart block is ever left and this is Linux's answer when there
 * is none (do_no_restart_syscall).
 */
SYSCALL_DEFINE0(restart_syscall)
{
	return -EINTR;
}

SYSCALL_DEFINE2(nanosleep, const struct timespec __user *, req,
		struct timespec __user *, rem)
{
	struct timespec t;

	if (copy_from_user(&t, req, sizeof(t)))
		return -EFAULT;
	if (!timespec_valid(&t))
		return -EINVAL;
	return sleep_on_clock(SRC_MONO, false, &t, rem);
}

/*
 * Linux checks in this order: unknown clock (EINVAL), clock without a
 * sleep operation (EOPNOTSUPP), unreadable request (EFAULT), invalid
 * request (EINVAL), then the clock's own checks: a thread may not sleep
 * on its own CPU clock (EINVAL). Flag bits other than TIMER_ABSTIME are
 * ignored.
 */
SYSCALL_DEFINE4(clock_nanosleep, clockid_t, which, int, flags,
		const struct timespec __user *, req,
		struct timespec __user *, rem)
{
	struct clock_desc c = clock_lookup(which);
	struct timespec t;

	if (c.src == SRC_NONE)
		return -EINVAL;
	if (!c.can_sleep)
		return -EOPNOTSUPP;
	if (copy_from_user(&t, req, sizeof(t)))
		return -EFAULT;
	if (!timespec_valid(&t))
		return -EINVAL;
	if (c.src == SRC_THREAD_CPU)
		return -EINVAL;
	if (c.src == SRC_PROCESS_CPU)
		return sleep_on_cpu_clock(which, flags & TIMER_ABSTIME, &t, rem);
	return sleep_on_clock(c.src, flags & TIMER_ABSTIME, &t, rem);
}
