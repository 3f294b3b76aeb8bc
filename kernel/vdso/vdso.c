/*
 * The vDSO: a tiny shared object the kernel maps into every process, so
 * that reading the clock (and getcpu) costs a function call instead of a
 * system call, as on Linux (glibc and musl look these symbols up through
 * AT_SYSINFO_EHDR, even in static programs). It runs in user mode: it
 * reads the TSC and the kernel's clock data page (mapped read-only one
 * page below this image) and falls back to the real system call for
 * anything it does not handle, and for everything when the kernel keeps
 * time from a counter user mode cannot read (the HPET).
 *
 * Built as user code with its own flags (kernel/kernel.mk), not as part
 * of the kernel.
 */
#include <arch/vdso_data.h>

#define SYS_gettimeofday	96
#define SYS_time		201
#define SYS_clock_gettime	228
#define SYS_clock_getres	229
#define SYS_getcpu		309

#define CLOCK_REALTIME		0
#define CLOCK_MONOTONIC		1
#define CLOCK_MONOTONIC_RAW	4
#define CLOCK_REALTIME_COARSE	5
#define CLOCK_MONOTONIC_COARSE	6
#define CLOCK_BOOTTIME		7

struct timespec { int64_t tv_sec, tv_nsec; };
struct timeval { int64_t tv_sec, tv_usec; };
struct timezone { int tz_minuteswest, tz_dsttime; };

/* Defined by the linker script: the data page just below the image. */
extern const volatile struct vdso_data vdso_data
	__attribute__((visibility("hidden")));

static long syscall2(long nr, long a, long b)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b)
			 : "rcx", "r11", "memory");
	return ret;
}

static uint64_t monotonic_ns(void)
{
	return vdso_cycles_to_ns(vdso_rdtsc() - vdso_data.tsc_at_boot,
				 vdso_data.tsc_mult);
}

static uint64_t realtime_ns(void)
{
	return vdso_data.realtime_at_boot_ns + monotonic_ns();
}

/* The kernel's clock source is not the TSC: every read is a system call. */
static int clock_needs_syscall(void)
{
	return vdso_data.clock_mode != VDSO_CLOCK_TSC;
}

int __vdso_clock_gettime(int clock, struct timespec *ts)
{
	uint64_t ns;

	if (clock_needs_syscall())
		return (int)syscall2(SYS_clock_gettime, clock, (long)ts);
	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		ns = realtime_ns();
		break;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		ns = monotonic_ns();
		break;
	default:
		return (int)syscall2(SYS_clock_gettime, clock, (long)ts);
	}
	ts->tv_sec = (int64_t)(ns / 1000000000);
	ts->tv_nsec = (int64_t)(ns % 1000000000);
	return 0;
}

int __vdso_gettimeofday(struct timeval *tv, struct timezone *tz)
{
	/* The kernel keeps the timezone settimeofday sets. */
	if (clock_needs_syscall() || tz)
		return (int)syscall2(SYS_gettimeofday, (long)tv, (long)tz);
	if (tv) {
		uint64_t ns = realtime_ns();
		tv->tv_sec = (int64_t)(ns / 1000000000);
		tv->tv_usec = (int64_t)(ns % 1000000000 / 1000);
	}
	return 0;
}

int64_t __vdso_time(int64_t *t)
{
	if (clock_needs_syscall())
		return syscall2(SYS_time, (long)t, 0);
	int64_t s = (int64_t)(realtime_ns() / 1000000000);

	if (t)
		*t = s;
	return s;
}

int __vdso_clock_getres(int clock, struct timespec *res)
{
	return (int)syscall2(SYS_clock_getres, clock, (long)res);
}

static long syscall3(long nr, long a, long b, long c)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b),
			 "d"(c) : "rcx", "r11", "memory");
	return ret;
}

/*
 * The kernel keeps (node << 12) | cpu in each CPU's MSR_TSC_AUX, as
 * Linux does; RDPID reads it alone, RDTSCP with the TSC. Either is one
 * instruction, so the answer is the CPU the thread was on at that
 * instant (it may move right after, as with the system call).
 */
long __vdso_getcpu(unsigned *cpu, unsigned *node, void *unused)
{
	uint64_t aux;
	uint32_t lo, hi, aux32;

	switch (vdso_data.getcpu_mode) {
	case VDSO_GETCPU_RDPID:
		__asm__ volatile("rdpid %0" : "=r"(aux));
		break;
	case VDSO_GETCPU_RDTSCP:
		__asm__ volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(aux32));
		aux = aux32;
		break;
	default:
		return syscall3(SYS_getcpu, (long)cpu, (long)node,
				(long)unused);
	}
	if (cpu)
		*cpu = (unsigned)(aux & 0xfff);
	if (node)
		*node = (unsigned)((aux >> 12) & 0xfffff);
	return 0;
}

int clock_gettime(int, struct timespec *)
	__attribute__((weak, alias("__vdso_clock_gettime")));
int gettimeofday(struct timeval *, struct timezone *)
	__attribute__((weak, alias("__vdso_gettimeofday")));
int64_t time(int64_t *) __attribute__((weak, alias("__vdso_time")));
int clock_getres(int, struct timespec *)
	__attribute__((weak, alias("__vdso_clock_getres")));
long getcpu(unsigned *, unsigned *, void *)
	__attribute__((weak, alias("__vdso_getcpu")));
