/*
 * System identification and statistics: uname(2) and sysinfo(2).
 *
 * uname reports sysname "Linux" and a Linux-style release, because C
 * libraries and test suites parse the release to decide what the kernel
 * supports (see DESIGN.md); the version field names Basalt. The host name
 * is fixed (sethostname is not implemented), so the structure is constant
 * and needs no lock.
 */
#include <types.h>
#include <uapi/errno.h>
#include <uapi/utsname.h>
#include <uapi/sysinfo.h>
#include <lib/string.h>
#include <mm/page.h>
#include <mm/uaccess.h>
#include <proc/sched.h>
#include <proc/task.h>
#include <syscall/syscall.h>

static const struct utsname basalt_uts = {
	.sysname = "Linux",
	.nodename = "basalt",
	.release = "6.1.0-basalt",
	.version = "#1 Basalt " __DATE__ " " __TIME__,
	.machine = "x86_64",
	.domainname = "(none)",
};

SYSCALL_DEFINE1(uname, struct utsname __user *, name)
{
	if (copy_to_user(name, &basalt_uts, sizeof(basalt_uts)))
		return -EFAULT;
	return 0;
}

#define NSEC_PER_SEC 1000000000ULL

/*
 * Fill *info as Linux's do_sysinfo(): uptime rounded up to whole seconds,
 * memory in bytes with mem_unit 1 (Linux scales page counts to bytes
 * whenever that does not overflow, which on 64 bits is always). No swap.
 * Load averages are 0: the scheduler keeps none yet.
 */
static void sysinfo_fill(struct sysinfo *info)
{
	uint64_t up = clock_monotonic_ns();

	memset(info, 0, sizeof(*info));
	info->uptime = (int64_t)(up / NSEC_PER_SEC + (up % NSEC_PER_SEC != 0));
	info->totalram = page_count_total() * PAGE_SIZE;
	info->freeram = page_count_free() * PAGE_SIZE;
	info->procs = (uint16_t)nr_threads();	/* truncated like Linux */
	info->mem_unit = 1;
}

SYSCALL_DEFINE1(sysinfo, struct sysinfo __user *, uinfo)
{
	struct sysinfo info;

	sysinfo_fill(&info);
	if (copy_to_user(uinfo, &info, sizeof(info)))
		return -EFAULT;
	return 0;
}
