/* Resource limits (kernel/proc/sys_rlimit.c). */
#ifndef BASALT_PROC_RLIMIT_H
#define BASALT_PROC_RLIMIT_H

#include <types.h>

/*
 * Fill rl (struct task's rlimits: [RLIMIT_*][0 = soft, 1 = hard]) with the
 * limits Linux gives init: 8 MiB soft stack, 1024/4096 open files, NPROC
 * and SIGPENDING from the amount of RAM, and so on. Call once for the
 * first task, after the page allocator knows all memory; every later task
 * copies its parent's limits.
 */
void rlimit_init_defaults(uint64_t rl[16][2]);

/*
 * The machine-wide task limit (kernel/proc/task_limits.c): Linux's
 * default kernel.threads-max for this much RAM, and the
 * /proc/sys/kernel/threads-max file (read: the text or -ENOENT; write,
 * root only: 0, -EPERM or -EINVAL outside 1..2^30-1).
 */
long task_default_max_threads(void);
int task_sysctl_read(const char *name, char *buf, size_t size);
int task_sysctl_write(const char *name, const char *text, size_t len);

#endif
