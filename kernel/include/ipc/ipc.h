/*
 * System V IPC (kernel/ipc/) as the rest of the kernel sees it: start-up,
 * and the views procfs shows (/proc/sysvipc and the limits in /proc/sys/kernel).
 * The system calls themselves live in kernel/ipc/.
 */
#ifndef BASALT_IPC_IPC_H
#define BASALT_IPC_IPC_H

#include <types.h>

void ipc_init(void);

/* Receives one line of a /proc/sysvipc file; 0 or -errno (stops). */
typedef int (*ipc_emit_fn)(void *ctx, const char *s, size_t len);
/* /proc/sysvipc/shm and /proc/sysvipc/msg in Linux's format. */
int shm_proc_show(ipc_emit_fn emit, void *ctx);
int msg_proc_show(ipc_emit_fn emit, void *ctx);

/*
 * The limits in /proc/sys/kernel: shmmax, shmall, shmmni, msgmax, msgmnb,
 * msgmni. ipc_sysctl_read writes the value and a newline into buf and
 * returns the length; ipc_sysctl_write parses a decimal number (root
 * only: -EPERM; -EINVAL for garbage or a value out of range).
 * -ENOENT for other names.
 */
int ipc_sysctl_read(const char *name, char *buf, size_t size);
int ipc_sysctl_write(const char *name, const char *text, size_t len);
/* The names, NULL-terminated, for listing the directory. */
extern const char *const ipc_sysctl_names[];

#endif
