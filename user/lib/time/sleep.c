/*
 * sleep.c - sleeping: nanosleep, clock_nanosleep (which returns the
 * error instead of setting errno, as POSIX says), sleep and usleep;
 * pause, which sleeps until a signal is caught (always -1, EINTR), and
 * alarm, which asks for SIGALRM in so many seconds. sleep returns the
 * seconds left when a signal cut it short.
 */
#include <errno.h>
#include <time.h>
#include <unistd.h>
#include "../internal/syscall.h"

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	return (int)__syscall_ret(sys_call2(SYS_nanosleep, (long)req,
					    (long)rem));
}

int clock_nanosleep(clockid_t clk, int flags, const struct timespec *req,
		    struct timespec *rem)
{
	return (int)-sys_call4(SYS_clock_nanosleep, clk, flags, (long)req,
			       (long)rem);
}

unsigned sleep(unsigned seconds)
{
	struct timespec ts = { seconds, 0 };

	if (nanosleep(&ts, &ts) < 0)
		return (unsigned)ts.tv_sec + (ts.tv_nsec > 0);
	return 0;
}

int usleep(useconds_t usec)
{
	struct timespec ts = { usec / 1000000, (long)(usec % 1000000) * 1000 };

	return nanosleep(&ts, NULL);
}

int pause(void)
{
	return (int)__syscall_ret(sys_call0(SYS_pause));
}

unsigned alarm(unsigned seconds)
{
	return (unsigned)sys_call1(SYS_alarm, seconds);
}
