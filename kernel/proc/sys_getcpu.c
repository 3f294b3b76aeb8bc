/*
 * getcpu(2): the CPU the caller runs on, and its memory node (always 0:
 * one node). The answer may be stale by the time the caller looks at it
 * (the task may move), as on Linux. The vDSO's getcpu reads the same
 * numbers from MSR_TSC_AUX without entering the kernel (cpu_set_tsc_aux)
 * and calls this only on a CPU that has neither RDPID nor RDTSCP.
 */
#include <arch/smp.h>
#include <mm/uaccess.h>
#include <syscall/syscall.h>
#include <uapi/errno.h>

/* The third argument, Linux's struct getcpu_cache, is unused since
 * 2.6.24 and ignored, as Linux ignores it. */
SYSCALL_DEFINE3(getcpu, unsigned int __user *, cpup,
		unsigned int __user *, nodep, void __user *, unused)
{
	unsigned int cpu = smp_processor_id(), node = 0;

	if (cpup && put_user(cpu, cpup))
		return -EFAULT;
	if (nodep && put_user(node, nodep))
		return -EFAULT;
	return 0;
}
