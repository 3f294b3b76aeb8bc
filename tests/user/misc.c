/*
 * misc.c - the small system calls every C library calls at start-up or on
 * the side: uname, clocks, nanosleep, sched_yield, getrandom, credentials,
 * resource limits, the signal mask and actions (as state; delivery is
 * tested in signal.c),
 * arch_prctl and set_tid_address.
 *
 * Clocks are checked for order only ("time did not go backwards"), never
 * for how much time passed. Signal state is read and written through the
 * raw calls with the kernel's own layouts (8-byte sigset_t), since the C
 * libraries translate theirs.
 */
#define _GNU_SOURCE
#include "t.h"

#include <sys/auxv.h>

#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The kernel's struct sigaction on x86-64. */
struct k_sigaction {
	void *handler;
	unsigned long flags;
	void *restorer;
	uint64_t mask;
};

#define BIT(sig) (1ULL << ((sig) - 1))

static void case_uname(void)
{
	struct utsname u, raw;

	CHECK_OK(uname(&u));
	CHECK_EQ(strcmp(u.sysname, "Linux"), 0);
	CHECK_EQ(strcmp(u.machine, "x86_64"), 0);
	CHECK(u.release[0] >= '1' && u.release[0] <= '9');
	CHECK_OK(syscall(SYS_uname, &raw));
	CHECK_EQ(memcmp(&u, &raw, sizeof(u)), 0);
}

static long long ns(const struct timespec *ts)
{
	return ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

static void case_clock_monotonic(void)
{
	struct timespec prev, now;

	/* The C library may answer from the vDSO; mix it with the raw call. */
	CHECK_OK(clock_gettime(CLOCK_MONOTONIC, &prev));
	for (int i = 0; i < 1000; i++) {
		if (i % 2)
			CHECK_OK(clock_gettime(CLOCK_MONOTONIC, &now));
		else
			CHECK_OK(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &now));
		CHECK(now.tv_nsec >= 0 && now.tv_nsec < 1000000000);
		if (ns(&now) < ns(&prev))
			T_FAIL("CLOCK_MONOTONIC went back from %lld to %lld ns",
			       ns(&prev), ns(&now));
		prev = now;
	}
}

/*
 * Programs find the vDSO through AT_SYSINFO_EHDR: an ELF image whose
 * clock_gettime the C library calls instead of the system call.
 */
static void case_vdso(void)
{
	const unsigned char *ehdr = (const void *)getauxval(AT_SYSINFO_EHDR);

	CHECK(ehdr != NULL);
	CHECK(memcmp(ehdr, "\177ELF", 4) == 0);
	CHECK_EQ(ehdr[4], 2);		/* ELFCLASS64 */
	CHECK_EQ(((const uint16_t *)ehdr)[8], 3);	/* e_type ET_DYN */
}

static void case_realtime(void)
{
	struct timeval tv, tv2;
	struct timespec ts;

	/*
	 * time() is coarse (it may lag the precise clocks by up to a tick),
	 * so it is only compared against readings taken after it.
	 */
	time_t t1 = time(NULL);
	CHECK_OK(gettimeofday(&tv, NULL));
	CHECK_OK(syscall(SYS_gettimeofday, &tv2, NULL));
	CHECK_OK(syscall(SYS_clock_gettime, CLOCK_REALTIME, &ts));
	time_t t2 = syscall(SYS_time, NULL);
	time_t t3;
	CHECK_EQ(syscall(SYS_time, &t3), t3);

	CHECK(tv.tv_usec >= 0 && tv.tv_usec < 1000000);
	CHECK(tv2.tv_usec >= 0 && tv2.tv_usec < 1000000);
	CHECK(ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000);
	CHECK(t1 <= tv.tv_sec);
	CHECK(tv.tv_sec * 1000000LL + tv.tv_usec <= tv2.tv_sec * 1000000LL + tv2.tv_usec);
	CHECK(tv2.tv_sec <= ts.tv_sec);
	/* musl's time() reads the precise clock, Linux's time(2) the coarse
	 * one, which may lag it by a tick across a second: one second slack. */
	CHECK(t1 <= t2 + 1 && t2 <= t3);
}

static void case_clock_bad_id(void)
{
	struct timespec ts;

	CHECK_ERR(syscall(SYS_clock_gettime, 12345, &ts), EINVAL);
	CHECK_ERR(syscall(SYS_clock_gettime, 16, &ts), EINVAL);	/* MAX_CLOCKS */
	/* (Negative ids name CPU-time clocks of other processes: not used.) */
}

static void case_nanosleep(void)
{
	struct timespec before, after, req = { 0, 10 * 1000 * 1000 };

	CHECK_OK(clock_gettime(CLOCK_MONOTONIC, &before));
	CHECK_EQ(syscall(SYS_nanosleep, &req, NULL), 0);
	CHECK_OK(clock_gettime(CLOCK_MONOTONIC, &after));
	CHECK(ns(&after) >= ns(&before));

	struct timespec zero = { 0, 0 };
	CHECK_EQ(syscall(SYS_nanosleep, &zero, NULL), 0);
}

static void case_nanosleep_invalid(void)
{
	struct timespec big_ns = { 0, 1000000000 }, neg_ns = { 0, -1 };
	struct timespec neg_s = { -1, 0 };

	CHECK_ERR(syscall(SYS_nanosleep, &big_ns, NULL), EINVAL);
	CHECK_ERR(syscall(SYS_nanosleep, &neg_ns, NULL), EINVAL);
	CHECK_ERR(syscall(SYS_nanosleep, &neg_s, NULL), EINVAL);
}

static void case_sched_yield(void)
{
	for (int i = 0; i < 100; i++)
		CHECK_EQ(syscall(SYS_sched_yield), 0);
}

static int all_zero(const unsigned char *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i])
			return 0;
	return 1;
}

static void case_getrandom(void)
{
	static unsigned char a[64], b[64], big[4096];

	CHECK_EQ(syscall(SYS_getrandom, a, sizeof(a), 0), (long)sizeof(a));
	CHECK_EQ(syscall(SYS_getrandom, b, sizeof(b), 0), (long)sizeof(b));
	CHECK_EQ(syscall(SYS_getrandom, big, sizeof(big), 0), (long)sizeof(big));
	/* 512 random bits: a false failure is not going to happen. */
	CHECK(!all_zero(a, sizeof(a)));
	CHECK(memcmp(a, b, sizeof(a)) != 0);
	CHECK(!all_zero(big + 4000, 64));	/* the tail was filled too */
	CHECK_EQ(syscall(SYS_getrandom, a, 0, 0), 0);
	CHECK_ERR(syscall(SYS_getrandom, a, sizeof(a), 0x40), EINVAL);
}

static void case_credentials(void)
{
	/* The tests run as root on both kernels. */
	CHECK_EQ(getuid(), 0);
	CHECK_EQ(geteuid(), 0);
	CHECK_EQ(getgid(), 0);
	CHECK_EQ(getegid(), 0);
	CHECK_EQ(syscall(SYS_getuid), 0);
	CHECK_EQ(syscall(SYS_geteuid), 0);
	CHECK_EQ(syscall(SYS_getgid), 0);
	CHECK_EQ(syscall(SYS_getegid), 0);
}

static void check_sane(const struct rlimit *r)
{
	CHECK(r->rlim_cur > 0);
	CHECK(r->rlim_max == RLIM_INFINITY || r->rlim_cur <= r->rlim_max);
}

static void case_rlimit_stack(void)
{
	struct rlimit p, g, self;

	CHECK_OK(syscall(SYS_prlimit64, 0, RLIMIT_STACK, NULL, &p));
	CHECK_OK(syscall(SYS_getrlimit, RLIMIT_STACK, &g));
	CHECK_OK(syscall(SYS_prlimit64, getpid(), RLIMIT_STACK, NULL, &self));
	check_sane(&p);
	CHECK(p.rlim_cur >= 128 * 1024);	/* a stack must fit somewhere */
	CHECK_EQ(p.rlim_cur, g.rlim_cur);
	CHECK_EQ(p.rlim_max, g.rlim_max);
	CHECK_EQ(p.rlim_cur, self.rlim_cur);

	CHECK_OK(syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, &p));
	check_sane(&p);
	CHECK(p.rlim_cur >= 3);
	CHECK_ERR(syscall(SYS_prlimit64, 0, 1000, NULL, &p), EINVAL);
	CHECK_ERR(syscall(SYS_getrlimit, 1000, &p), EINVAL);
}

static void case_rlimit_set(void)
{
	struct rlimit old, now, lower;

	CHECK_OK(syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, &old));
	lower = (struct rlimit){ 64, old.rlim_max };
	/* Setting returns the previous value through the same call. */
	CHECK_OK(syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, &lower, &now));
	CHECK_EQ(now.rlim_cur, old.rlim_cur);
	CHECK_OK(syscall(SYS_getrlimit, RLIMIT_NOFILE, &now));
	CHECK_EQ(now.rlim_cur, 64);
	CHECK_EQ(now.rlim_max, old.rlim_max);

	struct rlimit inverted = { 65, 64 };	/* cur above max */
	CHECK_ERR(syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, &inverted, NULL), EINVAL);
	CHECK_ERR(syscall(SYS_setrlimit, RLIMIT_NOFILE, &inverted), EINVAL);

	/* Inherited across fork. */
	pid_t pid = t_fork();
	if (pid == 0) {
		CHECK_OK(syscall(SYS_getrlimit, RLIMIT_NOFILE, &now));
		CHECK_EQ(now.rlim_cur, 64);
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
}

static uint64_t get_mask(void)
{
	uint64_t m = 0;

	CHECK_OK(syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &m, 8));
	return m;
}

static void set_mask(int how, uint64_t m)
{
	CHECK_OK(syscall(SYS_rt_sigprocmask, how, &m, NULL, 8));
}

static void case_sigprocmask(void)
{
	uint64_t old, m;

	set_mask(SIG_SETMASK, BIT(SIGUSR1) | BIT(SIGUSR2));
	CHECK_EQ(get_mask(), BIT(SIGUSR1) | BIT(SIGUSR2));
	set_mask(SIG_BLOCK, BIT(SIGTERM));
	CHECK_EQ(get_mask(), BIT(SIGUSR1) | BIT(SIGUSR2) | BIT(SIGTERM));
	set_mask(SIG_UNBLOCK, BIT(SIGUSR1));
	CHECK_EQ(get_mask(), BIT(SIGUSR2) | BIT(SIGTERM));

	/* The old mask comes back in the same call. */
	m = BIT(SIGHUP);
	CHECK_OK(syscall(SYS_rt_sigprocmask, SIG_SETMASK, &m, &old, 8));
	CHECK_EQ(old, BIT(SIGUSR2) | BIT(SIGTERM));

	/* SIGKILL and SIGSTOP cannot be blocked: silently left out. */
	set_mask(SIG_SETMASK, BIT(SIGKILL) | BIT(SIGSTOP) | BIT(SIGINT));
	CHECK_EQ(get_mask(), BIT(SIGINT));

	/* Real-time signals live in the upper half of the 64-bit set. */
	set_mask(SIG_SETMASK, BIT(40) | BIT(64));
	CHECK_EQ(get_mask(), BIT(40) | BIT(64));

	/* A child inherits the mask. */
	pid_t pid = t_fork();
	if (pid == 0)
		_exit(get_mask() == (BIT(40) | BIT(64)) ? 0 : 1);
	CHECK_EXITED(t_wait(pid), 0);

	CHECK_ERR(syscall(SYS_rt_sigprocmask, 3, &m, NULL, 8), EINVAL);
	CHECK_ERR(syscall(SYS_rt_sigprocmask, (long)-1, &m, NULL, 8), EINVAL);
	CHECK_ERR(syscall(SYS_rt_sigprocmask, SIG_BLOCK, &m, NULL, 4), EINVAL);
	CHECK_ERR(syscall(SYS_rt_sigprocmask, SIG_BLOCK, &m, NULL, 16), EINVAL);
	set_mask(SIG_SETMASK, 0);
	CHECK_EQ(get_mask(), 0);
}

static struct k_sigaction get_action(int sig)
{
	struct k_sigaction ka;

	memset(&ka, 0x5a, sizeof(ka));
	CHECK_OK(syscall(SYS_rt_sigaction, sig, NULL, &ka, 8));
	return ka;
}

static void case_sigaction(void)
{
	struct k_sigaction ka = { SIG_IGN, SA_RESTART, NULL,
				  BIT(SIGUSR2) | BIT(SIGKILL) | BIT(SIGSTOP) };
	struct k_sigaction old;

	CHECK_OK(syscall(SYS_rt_sigaction, SIGUSR1, &ka, NULL, 8));
	struct k_sigaction got = get_action(SIGUSR1);
	CHECK(got.handler == SIG_IGN);
	CHECK_EQ(got.flags, SA_RESTART);
	/* SIGKILL and SIGSTOP are dropped from sa_mask as well. */
	CHECK_EQ(got.mask, BIT(SIGUSR2));

	/* Replacing returns the previous action in the same call. */
	struct k_sigaction dfl = { SIG_DFL, 0, NULL, 0 };
	CHECK_OK(syscall(SYS_rt_sigaction, SIGUSR1, &dfl, &old, 8));
	CHECK(old.handler == SIG_IGN);
	CHECK_EQ(old.mask, BIT(SIGUSR2));
	CHECK(get_action(SIGUSR1).handler == SIG_DFL);

	/* Each signal has its own slot. */
	CHECK_OK(syscall(SYS_rt_sigaction, SIGUSR2, &ka, NULL, 8));
	CHECK(get_action(SIGUSR1).handler == SIG_DFL);
	CHECK(get_action(SIGUSR2).handler == SIG_IGN);
	CHECK_OK(syscall(SYS_rt_sigaction, 64, &ka, NULL, 8));
	CHECK(get_action(64).handler == SIG_IGN);

	/* A child inherits ignored signals. */
	pid_t pid = t_fork();
	if (pid == 0)
		_exit(get_action(SIGUSR2).handler == SIG_IGN ? 0 : 1);
	CHECK_EXITED(t_wait(pid), 0);
}

static void case_sigaction_invalid(void)
{
	struct k_sigaction ka = { SIG_IGN, 0, NULL, 0 }, old;

	CHECK_ERR(syscall(SYS_rt_sigaction, SIGKILL, &ka, NULL, 8), EINVAL);
	CHECK_ERR(syscall(SYS_rt_sigaction, SIGSTOP, &ka, NULL, 8), EINVAL);
	CHECK_ERR(syscall(SYS_rt_sigaction, 0, &ka, NULL, 8), EINVAL);
	CHECK_ERR(syscall(SYS_rt_sigaction, 65, &ka, NULL, 8), EINVAL);
	CHECK_ERR(syscall(SYS_rt_sigaction, (long)-1, NULL, &old, 8), EINVAL);
	CHECK_ERR(syscall(SYS_rt_sigaction, SIGUSR1, &ka, NULL, 16), EINVAL);
	/* Reading SIGKILL's action is allowed: it is the default. */
	CHECK_OK(syscall(SYS_rt_sigaction, SIGKILL, NULL, &old, 8));
	CHECK(old.handler == SIG_DFL);
}

static void case_libc_signal_roundtrip(void)
{
	struct sigaction sa;

	signal(SIGUSR1, SIG_DFL);
	CHECK(signal(SIGUSR1, SIG_IGN) == SIG_DFL);
	CHECK_OK(sigaction(SIGUSR1, NULL, &sa));
	CHECK(sa.sa_handler == SIG_IGN);
	CHECK(signal(SIGUSR1, SIG_DFL) == SIG_IGN);

	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	CHECK_OK(sigprocmask(SIG_BLOCK, &set, NULL));
	CHECK_OK(sigprocmask(SIG_BLOCK, NULL, &old));
	CHECK(sigismember(&old, SIGUSR2));
	CHECK(!sigismember(&old, SIGUSR1));
}

static long read_fs0(void)
{
	long v;

	__asm__ volatile("mov %%fs:0, %0" : "=r"(v));
	return v;
}

static long read_gs0(void)
{
	long v;

	__asm__ volatile("mov %%gs:0, %0" : "=r"(v));
	return v;
}

static void case_arch_prctl_fs(void)
{
	/*
	 * The C library keeps its thread pointer in FS, so between setting a
	 * foreign FS base and restoring the old one only raw system calls
	 * and plain memory accesses are allowed; checks come afterwards.
	 */
	static long area[8] = { 0x1234abcd };
	long old = 0, got = 0, seen, seen_after_yield, set, reset, child;
	int status = 0;

	CHECK_EQ(t_raw(SYS_arch_prctl, T_ARCH_GET_FS, &old), 0);
	set = t_raw(SYS_arch_prctl, T_ARCH_SET_FS, area);
	t_raw(SYS_arch_prctl, T_ARCH_GET_FS, &got);
	seen = read_fs0();
	for (int i = 0; i < 10; i++)
		t_raw(SYS_sched_yield, 0, 0, 0);
	seen_after_yield = read_fs0();
	child = t_raw(SYS_fork, 0, 0, 0);
	if (child == 0)	/* the base is part of the copied thread state */
		t_raw(SYS_exit_group, read_fs0() == 0x1234abcd ? 0 : 1, 0, 0);
	reset = t_raw(SYS_arch_prctl, T_ARCH_SET_FS, old);

	CHECK_EQ(set, 0);
	CHECK_EQ(reset, 0);
	CHECK_EQ(got, (long)area);
	CHECK_EQ(seen, 0x1234abcd);
	CHECK_EQ(seen_after_yield, 0x1234abcd);
	CHECK(child > 0);
	CHECK_EQ(waitpid(child, &status, 0), child);
	CHECK_EXITED(status, 0);
	CHECK_EQ(t_raw(SYS_arch_prctl, T_ARCH_GET_FS, &got), 0);
	CHECK_EQ(got, old);
}

static void case_arch_prctl_gs(void)
{
	static long area[8] = { 0x5678ef01 };
	long got = -1;

	/* Neither C library uses GS in user space. */
	CHECK_EQ(t_raw(SYS_arch_prctl, T_ARCH_SET_GS, area), 0);
	CHECK_EQ(t_raw(SYS_arch_prctl, T_ARCH_GET_GS, &got), 0);
	CHECK_EQ(got, (long)area);
	CHECK_EQ(read_gs0(), 0x5678ef01);
	CHECK_EQ(t_raw(SYS_arch_prctl, T_ARCH_SET_GS, 0), 0);
	CHECK_EQ(t_raw(SYS_arch_prctl, T_ARCH_GET_GS, &got), 0);
	CHECK_EQ(got, 0);
}

static void case_arch_prctl_invalid(void)
{
	long got;

	/* Bases outside user space are refused with EPERM, not EINVAL. */
	CHECK_EQ(t_raw(SYS_arch_prctl, T_ARCH_SET_FS, T_KERNEL_TEXT), -EPERM);
	CHECK_EQ(t_raw(SYS_arch_prctl, T_ARCH_SET_FS, T_NONCANONICAL), -EPERM);
	/* (Not T_USER_END: with 5-level paging Linux accepts it.) */
	CHECK_EQ(t_raw(SYS_arch_prctl, T_ARCH_SET_GS, T_KERNEL_DIRECT), -EPERM);
	CHECK_EQ(t_raw(SYS_arch_prctl, 0x9999, &got), -EINVAL);
}

static void case_set_tid_address(void)
{
	static int word;
	long tid = syscall(SYS_gettid);

	CHECK_EQ(tid, getpid());
	CHECK_EQ(t_raw(SYS_set_tid_address, &word, 0, 0), tid);
	CHECK_EQ(t_raw(SYS_set_tid_address, NULL, 0, 0), tid);
}

static const struct t_case cases[] = {
	{ case_uname, "uname" },
	{ case_clock_monotonic, "clock_monotonic" },
	{ case_vdso, "vdso" },
	{ case_realtime, "realtime" },
	{ case_clock_bad_id, "clock_bad_id" },
	{ case_nanosleep, "nanosleep" },
	{ case_nanosleep_invalid, "nanosleep_invalid" },
	{ case_sched_yield, "sched_yield" },
	{ case_getrandom, "getrandom" },
	{ case_credentials, "credentials" },
	{ case_rlimit_stack, "rlimit_stack" },
	{ case_rlimit_set, "rlimit_set" },
	{ case_sigprocmask, "sigprocmask" },
	{ case_sigaction, "sigaction" },
	{ case_sigaction_invalid, "sigaction_invalid" },
	{ case_libc_signal_roundtrip, "libc_signal_roundtrip" },
	{ case_arch_prctl_fs, "arch_prctl_fs" },
	{ case_arch_prctl_gs, "arch_prctl_gs" },
	{ case_arch_prctl_invalid, "arch_prctl_invalid" },
	{ case_set_tid_address, "set_tid_address" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
