/*
 * /proc/sys/kernel's System V IPC limits (shmmax, shmall, shmmni, msgmax,
 * msgmnb, msgmni, sem: readable by all, writable by root), its
 * threads-max (kernel/proc), /proc/sys/vm's memory knobs (kernel/mm) and
 * /proc/sysvipc/{msg,sem,shm}, one line per IPC object in Linux's columns. The values and
 * lines come from kernel/ipc/ (ipc/ipc.h); this file only places them.
 */
#include "procfs.h"
#include <ipc/ipc.h>
#include <mm/vm.h>
#include <proc/rlimit.h>

static long sysctl_show(const char *name, char *buf, size_t size)
{
	int n = ipc_sysctl_read(name, buf, size);

	return n >= 0 && (size_t)n >= size ? -ENOMEM : n;
}

#define KNOB(n) { .name = n, .mode = S_IFREG | 0644, .arg = n, \
		  .show_arg = sysctl_show, .write_arg = ipc_sysctl_write }

/* The same for the knobs of another subsystem, read and written by its
 * own pair of functions. */
#define SUBSYS_KNOB(n, sub) { .name = n, .mode = S_IFREG | 0644, .arg = n, \
			      .show_arg = sub##_show, \
			      .write_arg = sub##_sysctl_write }

static long task_show(const char *name, char *buf, size_t size)
{
	int n = task_sysctl_read(name, buf, size);

	return n >= 0 && (size_t)n >= size ? -ENOMEM : n;
}

static long vm_show(const char *name, char *buf, size_t size)
{
	int n = vm_sysctl_read(name, buf, size);

	return n >= 0 && (size_t)n >= size ? -ENOMEM : n;
}

static const struct proc_entry sys_kernel_entries[] = {
	KNOB("msgmax"), KNOB("msgmnb"), KNOB("msgmni"), KNOB("sem"),
	KNOB("shmall"), KNOB("shmmax"), KNOB("shmmni"),
	SUBSYS_KNOB("threads-max", task),
};

static const struct proc_entry sys_vm_entries[] = {
	SUBSYS_KNOB("min_free_kbytes", vm),
	SUBSYS_KNOB("overcommit_memory", vm),
};

const struct proc_entry proc_sys_entries[PROC_SYS_N] = {
	{ .name = "kernel", .mode = S_IFDIR | 0555,
	  .children = sys_kernel_entries,
	  .nchildren = ARRAY_SIZE(sys_kernel_entries) },
	{ .name = "vm", .mode = S_IFDIR | 0555,
	  .children = sys_vm_entries,
	  .nchildren = ARRAY_SIZE(sys_vm_entries) },
};

static int emit_text(void *ctx, const char *s, size_t len)
{
	return proc_text_add(ctx, s, len);
}

static int sysvipc_msg(struct proc_text *t, pid_t pid)
{
	return msg_proc_show(emit_text, t);
}

static int sysvipc_sem(struct proc_text *t, pid_t pid)
{
	return sem_proc_show(emit_text, t);
}

static int sysvipc_shm(struct proc_text *t, pid_t pid)
{
	return shm_proc_show(emit_text, t);
}

const struct proc_entry proc_sysvipc_entries[PROC_SYSVIPC_N] = {
	{ .name = "msg", .mode = S_IFREG | 0444, .generate = sysvipc_msg },
	{ .name = "sem", .mode = S_IFREG | 0444, .generate = sysvipc_sem },
	{ .name = "shm", .mode = S_IFREG | 0444, .generate = sysvipc_shm },
};
