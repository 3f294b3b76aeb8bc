/*
 * /proc/sys: the kernel's tunables, one file each, with Linux's names and
 * defaults. Each subsystem owns its values and the checks on a write
 * (root only, the ranges Linux takes); this file only lays the tree out
 * and answers for the few values that are constants or belong to no
 * subsystem.
 *
 *   kernel/  System V IPC limits (ipc/), threads-max and pid_max (proc/),
 *            hostname and domainname (proc/sys_info.c), dmesg_restrict
 *            (lib/syslog.c), ostype, osrelease, version, ngroups_max,
 *            tainted, random/{boot_id,uuid}
 *   fs/      nr_open (fs/fdtable.c), file-max, file-nr
 *   vm/      min_free_kbytes, overcommit_memory, max_map_count (mm/)
 *
 * Read-only here, though writable on Linux: fs/file-max, which Basalt
 * does not enforce. file-nr's count of open files is 0: Basalt does not
 * count them (Linux's per-CPU count also reads 0 on an idle machine).
 */
#include "procfs.h"
#include <ipc/ipc.h>
#include <lib/parse.h>
#include <lib/printk.h>
#include <lib/random.h>
#include <lib/string.h>
#include <mm/page.h>
#include <mm/vm.h>
#include <proc/aslr.h>
#include <proc/coredump.h>
#include <proc/rlimit.h>
#include <proc/task.h>
#include <proc/uts.h>
#include <fs/fs.h>

#define NGROUPS_MAX	65536
#define NR_FILE		8192		/* Linux's least file-max */

static long sysctl_done(int n, size_t size)
{
	return n >= 0 && (size_t)n >= size ? -ENOMEM : n;
}

static long ipc_show(const char *name, char *buf, size_t size)
{
	return sysctl_done(ipc_sysctl_read(name, buf, size), size);
}

static long task_show(const char *name, char *buf, size_t size)
{
	return sysctl_done(task_sysctl_read(name, buf, size), size);
}

static long vm_show(const char *name, char *buf, size_t size)
{
	return sysctl_done(vm_sysctl_read(name, buf, size), size);
}

static long aslr_show(const char *name, char *buf, size_t size)
{
	return sysctl_done(aslr_sysctl_read(name, buf, size), size);
}

static long coredump_show(const char *name, char *buf, size_t size)
{
	return sysctl_done(coredump_sysctl_read(name, buf, size), size);
}

static long pipe_show(const char *name, char *buf, size_t size)
{
	return sysctl_done(pipe_sysctl_read(name, buf, size), size);
}

static long syslog_show(const char *name, char *buf, size_t size)
{
	return sysctl_done(syslog_sysctl_read(name, buf, size), size);
}

static long pid_max_show(const char *name, char *buf, size_t size)
{
	return sysctl_done(task_pid_max_read(buf, size), size);
}

static int pid_max_write(const char *name, const char *buf, size_t len)
{
	return task_pid_max_write(buf, len);
}

static long uts_show(const char *name, char *buf, size_t size)
{
	struct utsname u;
	const char *v;

	uts_get(&u);
	v = !strcmp(name, "hostname") ? u.nodename :
	    !strcmp(name, "domainname") ? u.domainname :
	    !strcmp(name, "ostype") ? u.sysname :
	    !strcmp(name, "osrelease") ? u.release : u.version;
	return sysctl_done(snprintf(buf, size, "%s\n", v), size);
}

/* Linux's file-max default: a tenth of memory in kB, at least NR_FILE. */
static long constant_show(const char *name, char *buf, size_t size)
{
	uint64_t file_max = MAX(page_count_total() * (PAGE_SIZE / 1024) / 10,
				(uint64_t)NR_FILE);
	int n;

	if (!strcmp(name, "ngroups_max"))
		n = snprintf(buf, size, "%d\n", NGROUPS_MAX);
	else if (!strcmp(name, "file-max"))
		n = snprintf(buf, size, "%lu\n", (unsigned long)file_max);
	else	/* file-nr: open files, free ones (always 0), the maximum */
		n = snprintf(buf, size, "0\t0\t%lu\n", (unsigned long)file_max);
	return sysctl_done(n, size);
}

static long nr_open_show(const char *name, char *buf, size_t size)
{
	return sysctl_done(snprintf(buf, size, "%d\n", files_nr_open()),
			   size);
}

static int nr_open_write(const char *name, const char *buf, size_t len)
{
	long v;

	if (current->cred.euid != 0)
		return -EPERM;
	if (parse_long(buf, len, &v) < 0)
		return -EINVAL;
	return files_set_nr_open(v);
}

/*
 * kernel.tainted: why the kernel may be untrustworthy. Nothing taints
 * Basalt; root may add bits (Linux's proc_taint only ever adds).
 */
static unsigned long tainted;		/* atomic */

static long tainted_show(const char *name, char *buf, size_t size)
{
	return sysctl_done(snprintf(buf, size, "%lu\n",
		__atomic_load_n(&tainted, __ATOMIC_RELAXED)), size);
}

static int tainted_write(const char *name, const char *buf, size_t len)
{
	long v;

	if (current->cred.euid != 0)
		return -EPERM;
	if (parse_long(buf, len, &v) < 0 || v < 0)
		return -EINVAL;
	__atomic_fetch_or(&tainted, (unsigned long)v, __ATOMIC_RELAXED);
	return 0;
}

/* A random (version 4) UUID in its text form, as Linux's. */
static int uuid_text(char *buf, size_t size, const uint8_t u[16])
{
	return snprintf(buf, size, "%02x%02x%02x%02x-%02x%02x-%02x%02x-"
			"%02x%02x-%02x%02x%02x%02x%02x%02x\n", u[0], u[1],
			u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10],
			u[11], u[12], u[13], u[14], u[15]);
}

static void uuid_make(uint8_t u[16])
{
	random_bytes(u, 16);
	u[6] = (u[6] & 0x0f) | 0x40;	/* version 4 */
	u[8] = (u[8] & 0x3f) | 0x80;	/* the RFC 4122 variant */
}

/* random/uuid: a new one at each read; random/boot_id: one per boot. */
static long uuid_show(const char *name, char *buf, size_t size)
{
	static struct spinlock boot_id_lock = SPINLOCK_INIT("boot_id");
	static uint8_t boot_id[16];	/* guarded by boot_id_lock */
	static bool boot_id_set;
	uint8_t u[16], fresh[16];

	uuid_make(fresh);
	if (!strcmp(name, "uuid"))
		return sysctl_done(uuid_text(buf, size, fresh), size);
	spin_lock(&boot_id_lock);
	if (!boot_id_set) {
		memcpy(boot_id, fresh, 16);
		boot_id_set = true;
	}
	memcpy(u, boot_id, 16);
	spin_unlock(&boot_id_lock);
	return sysctl_done(uuid_text(buf, size, u), size);
}

/* A tunable: mode 0644, read by sub_show, written by write_fn. */
#define KNOB(n, sub, write_fn) { .name = n, .mode = S_IFREG | 0644, \
	.arg = n, .show_arg = sub, .write_arg = write_fn }
/* A value that cannot be changed. */
#define CONST(n, sub) { .name = n, .mode = S_IFREG | 0444, .arg = n, \
	.show_arg = sub }

static const struct proc_entry sys_random_entries[] = {
	CONST("boot_id", uuid_show),
	CONST("uuid", uuid_show),
};

static const struct proc_entry sys_kernel_entries[] = {
	KNOB("core_pattern", coredump_show, coredump_sysctl_write),
	KNOB("core_uses_pid", coredump_show, coredump_sysctl_write),
	KNOB("dmesg_restrict", syslog_show, syslog_sysctl_write),
	KNOB("domainname", uts_show, uts_sysctl_write),
	KNOB("hostname", uts_show, uts_sysctl_write),
	KNOB("msgmax", ipc_show, ipc_sysctl_write),
	KNOB("msgmnb", ipc_show, ipc_sysctl_write),
	KNOB("msgmni", ipc_show, ipc_sysctl_write),
	CONST("ngroups_max", constant_show),
	CONST("osrelease", uts_show),
	CONST("ostype", uts_show),
	KNOB("pid_max", pid_max_show, pid_max_write),
	KNOB("randomize_va_space", aslr_show, aslr_sysctl_write),
	{ .name = "random", .mode = S_IFDIR | 0555,
	  .children = sys_random_entries,
	  .nchildren = ARRAY_SIZE(sys_random_entries) },
	KNOB("sem", ipc_show, ipc_sysctl_write),
	KNOB("shmall", ipc_show, ipc_sysctl_write),
	KNOB("shmmax", ipc_show, ipc_sysctl_write),
	KNOB("shmmni", ipc_show, ipc_sysctl_write),
	KNOB("tainted", tainted_show, tainted_write),
	KNOB("threads-max", task_show, task_sysctl_write),
	CONST("version", uts_show),
};

static const struct proc_entry sys_fs_entries[] = {
	CONST("file-max", constant_show),
	CONST("file-nr", constant_show),
	KNOB("nr_open", nr_open_show, nr_open_write),
	KNOB("pipe-max-size", pipe_show, pipe_sysctl_write),
	KNOB("pipe-user-pages-soft", pipe_show, pipe_sysctl_write),
};

static const struct proc_entry sys_vm_entries[] = {
	KNOB("max_map_count", vm_show, vm_sysctl_write),
	KNOB("min_free_kbytes", vm_show, vm_sysctl_write),
	KNOB("overcommit_memory", vm_show, vm_sysctl_write),
};

const struct proc_entry proc_sys_entries[PROC_SYS_N] = {
	{ .name = "fs", .mode = S_IFDIR | 0555, .children = sys_fs_entries,
	  .nchildren = ARRAY_SIZE(sys_fs_entries) },
	{ .name = "kernel", .mode = S_IFDIR | 0555,
	  .children = sys_kernel_entries,
	  .nchildren = ARRAY_SIZE(sys_kernel_entries) },
	{ .name = "vm", .mode = S_IFDIR | 0555, .children = sys_vm_entries,
	  .nchildren = ARRAY_SIZE(sys_vm_entries) },
};
