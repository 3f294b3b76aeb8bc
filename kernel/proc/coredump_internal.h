/* What the files of the core dump (kernel/proc/coredump*.c) share. */
#ifndef BASALT_PROC_COREDUMP_INTERNAL_H
#define BASALT_PROC_COREDUMP_INTERNAL_H

#include <types.h>
#include <arch/trapframe.h>
#include <proc/signal.h>

struct file;
struct mm;
struct task;
struct vm_area_info;

/* One thread's state as the dump records it (NT_PRSTATUS, NT_PRFPREG). */
struct core_thread {
	pid_t tid;
	struct trapframe regs;
	uint64_t fs_base, gs_base;
	uint8_t fpu[512] __attribute__((aligned(16)));
	uint64_t sigmask, pending;
	long syscall_nr;		/* orig_rax: the call it was in, or -1 */
	uint64_t cpu_ns;
};

struct core_dump {
	int sig;
	struct ksiginfo info;
	struct task *task;		/* the dumping thread (current) */
	struct mm *mm;
	struct core_thread *threads;	/* [0] is the dumping thread */
	unsigned int nthreads;
	struct vm_area_info *areas;	/* every area, in address order */
	size_t nareas;
	struct file *file;
	uint64_t pos;			/* where the next byte goes */
	uint64_t written;		/* bytes written (holes do not count) */
	uint64_t file_end;		/* the end of the last bytes written */
	uint64_t limit;			/* RLIMIT_CORE */
};

/* coredump_notes.c: the PT_NOTE contents, in a buffer the caller frees
 * (kfree), or NULL when out of memory. */
void *core_notes_build(struct core_dump *cd, size_t *len);

/* coredump_elf.c: the whole file, at cd->file; 0 or -errno (-EFBIG
 * when RLIMIT_CORE cut it short). */
int core_elf_write(struct core_dump *cd);

#endif
