/*
 * Small per-task and whole-machine system calls: set_tid_address,
 * set_robust_list/get_robust_list, arch_prctl, sched_yield, getrandom
 * and reboot.
 *
 * The per-task ones only store values that other code uses later: the
 * clear_child_tid address (written and futex-woken at thread exit), the
 * robust-futex list head (walked at exit), the FS base (restored by the
 * context switch). They reach only the calling task; get_robust_list of
 * another task answers -ESRCH.
 */
#include <types.h>
#include <uapi/errno.h>
#include <arch/cpu.h>
#include <arch/machine.h>
#include <lib/printk.h>
#include <lib/random.h>
#include <lib/string.h>
#include <mm/uaccess.h>
#include <proc/sched.h>
#include <proc/task.h>
#include <syscall/syscall.h>

SYSCALL_DEFINE1(set_tid_address, int __user *, tidptr)
{
	current->clear_child_tid = (uint64_t)tidptr;
	return current->tid;
}

#define ROBUST_LIST_HEAD_SIZE 24	/* struct robust_list_head */

SYSCALL_DEFINE2(set_robust_list, void __user *, head, size_t, len)
{
	if (len != ROBUST_LIST_HEAD_SIZE)
		return -EINVAL;
	current->robust_list = (uint64_t)head;
	current->robust_len = len;
	return 0;
}

SYSCALL_DEFINE3(get_robust_list, pid_t, pid, uint64_t __user *, head_ptr,
		size_t __user *, len_ptr)
{
	if (pid != 0 && pid != current->tid)
		return -ESRCH;
	if (put_user((size_t)ROBUST_LIST_HEAD_SIZE, len_ptr))
		return -EFAULT;
	return put_user(current->robust_list, head_ptr);
}

SYSCALL_DEFINE0(sched_yield)
{
	sched_yield();
	return 0;
}

/* ---- arch_prctl ------------------------------------------------------ */

#define ARCH_SET_GS	0x1001
#define ARCH_SET_FS	0x1002
#define ARCH_GET_FS	0x1003
#define ARCH_GET_GS	0x1004
#define ARCH_GET_CPUID	0x1011
#define ARCH_SET_CPUID	0x1012

/*
 * Linux refuses bases at or above TASK_SIZE_MAX (our USER_TOP) with EPERM.
 * The new FS base is live at once and kept in the task for the context
 * switch; the same holds for GS, except that while the kernel runs the
 * user GS base lives in MSR_KERNEL_GS_BASE (swapgs at entry). CPUID faulting is
 * never enabled: ARCH_GET_CPUID says CPUID works, and ARCH_SET_CPUID
 * fails with ENODEV as on a CPU without the feature. Other options
 * (the AMX permission calls) are EINVAL.
 */
SYSCALL_DEFINE2(arch_prctl, int, option, unsigned long, arg)
{
	switch (option) {
	case ARCH_SET_FS:
		if (arg >= USER_TOP)
			return -EPERM;
		current->fs_base = arg;
		wrmsr(MSR_FS_BASE, arg);
		return 0;
	case ARCH_GET_FS:
		return put_user(current->fs_base, (uint64_t __user *)arg);
	case ARCH_SET_GS:
		if (arg >= USER_TOP)
			return -EPERM;
		current->gs_base = arg;
		wrmsr(MSR_KERNEL_GS_BASE, arg);
		return 0;
	case ARCH_GET_GS:
		return put_user(current->gs_base, (uint64_t __user *)arg);
	case ARCH_GET_CPUID:
		return 1;
	case ARCH_SET_CPUID:
		return -ENODEV;
	default:
		return -EINVAL;
	}
}

/* ---- getrandom ------------------------------------------------------- */

#define GRND_NONBLOCK	0x0001
#define GRND_RANDOM	0x0002
#define GRND_INSECURE	0x0004
#define MAX_RW_COUNT	(INT32_MAX & PAGE_MASK)	/* Linux's cap per call */
#define YIELD_EVERY	(64 * 1024)	/* bytes between sched_yield()s */

/* Copy what fits before the first bad byte; returns the bytes copied. */
static size_t copy_partial(char __user *dst, const uint8_t *src, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (copy_to_user(dst + i, src + i, 1))
			break;
	return i;
}

/*
 * As Linux's get_random_bytes_user(): the byte count copied, -EFAULT if
 * none could be. A pending signal ends a long request at a page boundary
 * with what was copied so far.
 */
static long random_to_user(char __user *buf, size_t count)
{
	uint8_t chunk[256];
	size_t done = 0;

	while (done < count) {
		size_t n = MIN(count - done, sizeof(chunk));

		random_bytes(chunk, n);
		if (copy_to_user(buf + done, chunk, n)) {
			done += copy_partial(buf + done, chunk, n);
			break;
		}
		done += n;
		if (done < count && done % PAGE_SIZE == 0) {
			if (signal_pending())
				break;
			if (done % YIELD_EVERY == 0)
				sched_yield();
		}
	}
	memset(chunk, 0, sizeof(chunk));
	__asm__ volatile("" : : "r"(chunk) : "memory");
	return done ? (long)done : -EFAULT;
}

/*
 * The generator is seeded at boot and never blocks, so GRND_NONBLOCK and
 * GRND_RANDOM change nothing (as in Linux 5.6+ once the crng is ready);
 * combining GRND_INSECURE with GRND_RANDOM is EINVAL.
 */
SYSCALL_DEFINE3(getrandom, char __user *, buf, size_t, count,
		unsigned int, flags)
{
	if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if ((flags & (GRND_INSECURE | GRND_RANDOM)) ==
	    (GRND_INSECURE | GRND_RANDOM))
		return -EINVAL;
	count = MIN(count, MAX_RW_COUNT);
	if (!user_range_ok((uint64_t)buf, count))
		return -EFAULT;
	if (count == 0)
		return 0;
	return random_to_user(buf, count);
}

/* ---- reboot ---------------------------------------------------------- */

#define REBOOT_MAGIC1		0xfee1deadU
#define REBOOT_MAGIC2		672274793U	/* 0x28121969 */
#define REBOOT_MAGIC2A		85072278U	/* 0x05121996 */
#define REBOOT_MAGIC2B		369367448U	/* 0x16041998 */
#define REBOOT_MAGIC2C		537993216U	/* 0x20112000 */

#define REBOOT_CMD_RESTART	0x01234567U
#define REBOOT_CMD_HALT		0xCDEF0123U
#define REBOOT_CMD_CAD_ON	0x89ABCDEFU
#define REBOOT_CMD_CAD_OFF	0x00000000U
#define REBOOT_CMD_POWER_OFF	0x4321FEDCU
#define REBOOT_CMD_RESTART2	0xA1B2C3D4U

/*
 * Whether Ctrl-Alt-Del reboots at once (1) or signals init (0). Stored
 * for reboot(2)'s sake; no keyboard driver consumes it yet.
 */
static int ctrl_alt_del_reboots = 1;

static bool reboot_magic_ok(uint32_t m1, uint32_t m2)
{
	return m1 == REBOOT_MAGIC1 &&
	       (m2 == REBOOT_MAGIC2 || m2 == REBOOT_MAGIC2A ||
		m2 == REBOOT_MAGIC2B || m2 == REBOOT_MAGIC2C);
}

/* RESTART2 passes a command string for the firmware; we only log it. */
static long reboot_restart2(const char __user *arg)
{
	char cmd[256];
	long n = strncpy_from_user(cmd, arg, sizeof(cmd));

	if (n == -EFAULT)
		return -EFAULT;
	if (n >= 0)
		pr_info("reboot: Restarting system with command '%s'\n", cmd);
	else
		pr_info("reboot: Restarting system\n");
	machine_restart();
}

/*
 * Linux checks privilege (CAP_SYS_BOOT, here euid 0: EPERM) before the
 * magic numbers (EINVAL). HALT powers off too: a halted QEMU would only
 * sit there until the test harness times out. KEXEC and SW_SUSPEND are
 * EINVAL, as on a Linux with no kexec image or hibernation.
 */
SYSCALL_DEFINE4(reboot, int, magic1, int, magic2, unsigned int, cmd,
		void __user *, arg)
{
	if (current->cred.euid != 0)
		return -EPERM;
	if (!reboot_magic_ok((uint32_t)magic1, (uint32_t)magic2))
		return -EINVAL;
	switch (cmd) {
	case REBOOT_CMD_RESTART:
		pr_info("reboot: Restarting system\n");
		machine_restart();
	case REBOOT_CMD_RESTART2:
		return reboot_restart2(arg);
	case REBOOT_CMD_HALT:
	case REBOOT_CMD_POWER_OFF:
		pr_info("reboot: Power down\n");
		machine_power_off();
	case REBOOT_CMD_CAD_ON:
	case REBOOT_CMD_CAD_OFF:
		__atomic_store_n(&ctrl_alt_del_reboots,
				 cmd == REBOOT_CMD_CAD_ON, __ATOMIC_RELAXED);
		return 0;
	default:
		return -EINVAL;
	}
}
