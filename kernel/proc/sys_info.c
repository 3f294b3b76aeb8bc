/*
 * System identification and statistics: uname(2), sethostname(2),
 * setdomainname(2) and sysinfo(2).
 *
 * uname reports sysname "Linux" and a Linux-style release, because C
 * libraries and test suites parse the release to decide what the kernel
 * supports (see DESIGN.md); the version field names Basalt. Only root
 * (CAP_SYS_ADMIN) changes the host and domain names; uts_lock keeps
 * uname from seeing half of a change.
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
#include <sync/spinlock.h>
#include <syscall/syscall.h>

static struct spinlock uts_lock = SPINLOCK_INIT("uts");
static struct utsname basalt_uts = {	/* guarded by uts_lock */
	.sysname = "Linux",
	.nodename = "basalt",
	.release = "6.1.0-basalt",
	.version = "#1 Basalt " __DATE__ " " __TIME__,
	.machine = "x86_64",
	.domainname = "(none)",
};

SYSCALL_DEFINE1(uname, struct utsname __user *, name)
{
	struct utsname u;

	spin_lock(&uts_lock);
	u = basalt_uts;
	spin_unlock(&uts_lock);
	if (copy_to_user(name, &u, sizeof(u)))
		return -EFAULT;
	return 0;
}

/*
 * Linux's sethostname/setdomainname: privilege first (EPERM), then the
 * length (EINVAL beyond 64), then the bytes, which need no NUL; the rest
 * of the field is cleared.
 */
static long set_uts_field(char *field, const char __user *name, int len)
{
	char tmp[UTSNAME_LEN - 1];

	if (current->cred.euid != 0)
		return -EPERM;
	if (len < 0 || len > (int)sizeof(tmp))
		return -EINVAL;
	if (copy_from_user(tmp, name, (size_t)len))
		return -EFAULT;
	spin_lock(&uts_lock);
	memcpy(field, tmp, (size_t)len);
	memset(field + len, 0, UTSNAME_LEN - (size_t)len);
	spin_unlock(&uts_lock);
	return 0;
}

SYSCALL_DEFINE2(sethostname, const char __user *, name, int, len)
{
	return set_uts_field(basalt_uts.nodename, name, len);
}

SYSCALL_DEFINE2(setdomainname, const char __user *, name, int, len)
{
	return set_uts_field(basalt_uts.domainname, name, len);
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
