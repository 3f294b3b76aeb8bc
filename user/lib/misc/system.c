/* system.c - uname and sched_yield. */
#include <sched.h>
#include <sys/utsname.h>
#include "../internal/syscall.h"

int uname(struct utsname *u)
{
	return (int)__syscall_ret(sys_call1(SYS_uname, (long)u));
}

int sched_yield(void)
{
	return (int)__syscall_ret(sys_call0(SYS_sched_yield));
}
