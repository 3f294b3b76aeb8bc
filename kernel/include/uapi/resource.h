/*
 * Linux resource limits and usage (uapi/linux/resource.h,
 * asm-generic/resource.h): the RLIMIT_* numbering, struct rlimit as
 * getrlimit/setrlimit use it, struct rlimit64 of prlimit64 (identical on
 * x86-64), and struct rusage.
 */
#ifndef BASALT_UAPI_RESOURCE_H
#define BASALT_UAPI_RESOURCE_H

#include <types.h>
#include <uapi/time.h>

#define RLIMIT_CPU		0	/* CPU time in seconds */
#define RLIMIT_FSIZE		1	/* largest file size */
#define RLIMIT_DATA		2	/* max data size */
#define RLIMIT_STACK		3	/* max stack size */
#define RLIMIT_CORE		4	/* max core file size */
#define RLIMIT_RSS		5	/* max resident set size */
#define RLIMIT_NPROC		6	/* max number of processes */
#define RLIMIT_NOFILE		7	/* max number of open files */
#define RLIMIT_MEMLOCK		8	/* max locked-in-memory address space */
#define RLIMIT_AS		9	/* address space limit */
#define RLIMIT_LOCKS		10	/* maximum file locks held */
#define RLIMIT_SIGPENDING	11	/* max number of pending signals */
#define RLIMIT_MSGQUEUE		12	/* maximum bytes in POSIX mqueues */
#define RLIMIT_NICE		13	/* max nice prio allowed to raise to */
#define RLIMIT_RTPRIO		14	/* maximum realtime priority */
#define RLIMIT_RTTIME		15	/* timeout for RT tasks in us */
#define RLIM_NLIMITS		16

#define RLIM_INFINITY		(~0UL)
#define RLIM64_INFINITY		(~0ULL)

struct rlimit {
	uint64_t rlim_cur;
	uint64_t rlim_max;
};

struct rlimit64 {
	uint64_t rlim_cur;
	uint64_t rlim_max;
};

_Static_assert(sizeof(struct rlimit) == 16, "rlimit ABI");
_Static_assert(sizeof(struct rlimit64) == 16, "rlimit64 ABI");

#define RUSAGE_SELF		0
#define RUSAGE_CHILDREN		(-1)
#define RUSAGE_BOTH		(-2)
#define RUSAGE_THREAD		1

struct rusage {
	struct timeval ru_utime;	/* user time used */
	struct timeval ru_stime;	/* system time used */
	int64_t ru_maxrss;		/* maximum resident set size (KiB) */
	int64_t ru_ixrss;
	int64_t ru_idrss;
	int64_t ru_isrss;
	int64_t ru_minflt;		/* page reclaims */
	int64_t ru_majflt;		/* page faults */
	int64_t ru_nswap;
	int64_t ru_inblock;
	int64_t ru_oublock;
	int64_t ru_msgsnd;
	int64_t ru_msgrcv;
	int64_t ru_nsignals;
	int64_t ru_nvcsw;		/* voluntary context switches */
	int64_t ru_nivcsw;		/* involuntary context switches */
};

_Static_assert(sizeof(struct rusage) == 144, "rusage ABI");
_Static_assert(offsetof(struct rusage, ru_maxrss) == 32, "rusage ABI");

#endif
