/* sigset.c - signal sets (one 64-bit mask, as the kernel's). */
#include <errno.h>
#include <signal.h>

static int bad(int sig)
{
	if (sig < 1 || sig >= NSIG) {
		errno = EINVAL;
		return 1;
	}
	return 0;
}

int sigemptyset(sigset_t *set)
{
	set->sig[0] = 0;
	return 0;
}

int sigfillset(sigset_t *set)
{
	set->sig[0] = ~0UL;
	return 0;
}

int sigaddset(sigset_t *set, int sig)
{
	if (bad(sig))
		return -1;
	set->sig[0] |= 1UL << (sig - 1);
	return 0;
}

int sigdelset(sigset_t *set, int sig)
{
	if (bad(sig))
		return -1;
	set->sig[0] &= ~(1UL << (sig - 1));
	return 0;
}

int sigismember(const sigset_t *set, int sig)
{
	if (bad(sig))
		return -1;
	return !!(set->sig[0] & (1UL << (sig - 1)));
}
