/*
 * Core dumps (kernel/proc/coredump*.c; docs/coredump.md). A signal whose
 * default action dumps core ends the process through coredump_write,
 * which writes an ELF core file as Linux does when the process is
 * dumpable, RLIMIT_CORE allows it and kernel.core_pattern names a file.
 */
#ifndef BASALT_PROC_COREDUMP_H
#define BASALT_PROC_COREDUMP_H

#include <types.h>

struct task;
struct ksiginfo;

/* Whether sig's default action dumps core (SIGQUIT, SIGSEGV, ...). */
bool coredump_signal(int sig);

/*
 * The current thread takes sig's default action: start the group's exit
 * (every other thread is stopped at the edge of its exit, its registers
 * kept), write the core file if one is due, and return the wait status
 * the process ends with: sig, with 0x80 (WCOREDUMP) when a core was
 * written.
 */
int coredump_write(int sig, const struct ksiginfo *info);

/* do_exit: a thread killed while a dump of its process is under way
 * waits here (its registers are being written) until the dump is done. */
void coredump_wait_done(struct task *t);

/* /proc/sys/kernel/core_pattern and core_uses_pid: the text (or
 * -ENOENT); writes, root only (-EPERM, -EINVAL for a bad number). */
int coredump_sysctl_read(const char *name, char *buf, size_t size);
int coredump_sysctl_write(const char *name, const char *text, size_t len);

#endif
