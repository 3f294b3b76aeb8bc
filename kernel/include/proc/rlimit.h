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

/*
 * RLIMIT_FSIZE, for the file systems (Linux's generic_write_check_limits
 * and inode_newsize_ok): a write at pos may not make a file larger than
 * the caller's limit. rlimit_fsize_write cuts *len so that pos + *len
 * stays within it, or, when pos is already at or past it, sends SIGXFSZ
 * to the caller's process and returns -EFBIG. rlimit_fsize_grow does
 * the same for a file growing to size (truncate, fallocate).
 */
int rlimit_fsize_write(uint64_t pos, size_t *len);
int rlimit_fsize_grow(uint64_t size);

/*
 * RLIMIT_AS and RLIMIT_DATA, for mm (Linux's may_expand_vm): whether a
 * process with total pages mapped, data of them private and writable,
 * may map npages more (data: the new pages are private and writable).
 */
bool rlimit_may_expand_vm(uint64_t total, uint64_t data, uint64_t npages,
			  bool is_data);

/* The stack execve maps (RLIMIT_STACK), at least need bytes. */
uint64_t rlimit_stack_size(uint64_t need);
int task_sysctl_read(const char *name, char *buf, size_t size);
int task_sysctl_write(const char *name, const char *text, size_t len);

#endif
