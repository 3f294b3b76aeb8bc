/*
 * System V IPC (kernel/ipc/) as the rest of the kernel sees it: start-up,
 * and the views procfs shows (/proc/sysvipc and the limits in /proc/sys/kernel).
 * The system calls themselves live in kernel/ipc/.
 */
#ifndef BASALT_IPC_IPC_H
#define BASALT_IPC_IPC_H

#include <types.h>

struct task;

void ipc_init(void);

/* Receives one line of a /proc/sysvipc file; 0 or -errno (stops). */
typedef int (*ipc_emit_fn)(void *ctx, const char *s, size_t len);
/* /proc/sysvipc/shm, msg and sem in Linux's format. */
int shm_proc_show(ipc_emit_fn emit, void *ctx);
int msg_proc_show(ipc_emit_fn emit, void *ctx);
int sem_proc_show(ipc_emit_fn emit, void *ctx);

/*
 * The limits in /proc/sys/kernel: shmmax, shmall, shmmni, msgmax, msgmnb,
 * msgmni, and sem (four numbers: SEMMSL SEMMNS SEMOPM SEMMNI).
 * ipc_sysctl_read writes the value(s) and a newline into buf and returns
 * the length; ipc_sysctl_write parses decimal numbers (root only: -EPERM;
 * -EINVAL for garbage or a value out of range, -ERANGE for a SEMMNI
 * above IPCMNI). -ENOENT for other names.
 */
int ipc_sysctl_read(const char *name, char *buf, size_t size);
int ipc_sysctl_write(const char *name, const char *text, size_t len);
/* The names, NULL-terminated, for listing the directory. */
extern const char *const ipc_sysctl_names[];

/*
 * System V semaphores and tasks (kernel/ipc/sem_undo.c). A task's SEM_UNDO
 * adjustments live in a list that clone shares with CLONE_SYSVSEM (the
 * child takes a reference; without the flag it starts with none), and
 * that the last task holding it applies at exit (Linux's copy_semundo
 * and exit_sem). execve keeps it.
 *
 * sem_copy_undo: called by clone for the new task child before it runs;
 * 0 or -ENOMEM. sem_exit: drop t's reference (t is current, or a child
 * whose clone failed); may sleep.
 */
int sem_copy_undo(unsigned long clone_flags, struct task *child);
void sem_exit(struct task *t);

#endif
