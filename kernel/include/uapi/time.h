/*
 * Linux time ABI (uapi/linux/time.h, time_types.h): the structures of the
 * clock and sleep system calls and the POSIX clock ids. On x86-64 every
 * field of timespec and timeval is 64 bits.
 */
#ifndef BASALT_UAPI_TIME_H
#define BASALT_UAPI_TIME_H

#include <types.h>

/* struct __kernel_timespec */
struct timespec {
	int64_t tv_sec;
	int64_t tv_nsec;
};

/* struct __kernel_old_timeval */
struct timeval {
	int64_t tv_sec;
	int64_t tv_usec;
};

struct timezone {
	int32_t tz_minuteswest;	/* minutes west of Greenwich */
	int32_t tz_dsttime;	/* type of DST correction */
};

_Static_assert(sizeof(struct timespec) == 16, "timespec ABI");
_Static_assert(offsetof(struct timespec, tv_nsec) == 8, "timespec ABI");
_Static_assert(sizeof(struct timeval) == 16, "timeval ABI");
_Static_assert(offsetof(struct timeval, tv_usec) == 8, "timeval ABI");
_Static_assert(sizeof(struct timezone) == 8, "timezone ABI");

typedef int32_t clockid_t;

#define CLOCK_REALTIME			0
#define CLOCK_MONOTONIC			1
#define CLOCK_PROCESS_CPUTIME_ID	2
#define CLOCK_THREAD_CPUTIME_ID		3
#define CLOCK_MONOTONIC_RAW		4
#define CLOCK_REALTIME_COARSE		5
#define CLOCK_MONOTONIC_COARSE		6
#define CLOCK_BOOTTIME			7
#define CLOCK_REALTIME_ALARM		8
#define CLOCK_BOOTTIME_ALARM		9
/* 10 was CLOCK_SGI_CYCLE, removed from Linux: invalid. */
#define CLOCK_TAI			11
#define MAX_CLOCKS			16

/* clock_nanosleep flags */
#define TIMER_ABSTIME			0x01

/*
 * Negative clock ids name the CPU-time clock of a thread or process
 * (clock_getcpuclockid, pthread_getcpuclockid): ~pid << 3 | perthread | which.
 */
#define CPUCLOCK_PID(clock)		(~((clock) >> 3))
#define CPUCLOCK_PERTHREAD_MASK		4
#define CPUCLOCK_PERTHREAD(clock)	(((clock) & CPUCLOCK_PERTHREAD_MASK) != 0)
#define CPUCLOCK_WHICH(clock)		((clock) & 3)
#define CPUCLOCK_PROF			0
#define CPUCLOCK_VIRT			1
#define CPUCLOCK_SCHED			2
#define CPUCLOCK_MAX			3
#define CLOCKFD				CPUCLOCK_MAX

#endif
