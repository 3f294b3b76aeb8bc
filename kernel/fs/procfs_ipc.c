/*
 * /proc/sysvipc/{msg,sem,shm}, one line per IPC object in Linux's
 * columns. The lines come from kernel/ipc/ (ipc/ipc.h); this file only
 * places them. (The IPC limits in /proc/sys/kernel: procfs_sys.c.)
 */
#include "procfs.h"
#include <ipc/ipc.h>

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
