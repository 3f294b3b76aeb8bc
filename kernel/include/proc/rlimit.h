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

#endif
