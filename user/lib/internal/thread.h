/*
 * internal/thread.h - the inside of a thread, shared by thread/ and the
 * parts of libbasalt that behave differently once threads exist.
 *
 * Each thread has a thread control block (struct basalt_thread) at its
 * thread pointer, the FS base: x86-64 TLS "variant II". The thread's
 * static TLS block (the program's __thread variables: a copy of the
 * PT_TLS image, .tdata then the zeroed .tbss) sits just below it, so the
 * linker's negative offsets from %fs reach them; the control block's
 * first word points to itself, so %fs:0 gives its address (the ABI's
 * rule, which gcc's TLS code relies on).
 *
 *     stack grows down <-  | TLS block (tls_size) | struct basalt_thread |
 *                                                 ^ %fs
 *
 * The main thread's block is set up by __basalt_tls_init before anything
 * else runs; a new thread's lives at the top of its stack mapping
 * (thread.c).
 */
#ifndef BASALT_LIB_THREAD_H
#define BASALT_LIB_THREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <basalt/thread.h>

struct basalt_thread {
	struct basalt_thread *self;	/* %fs:0, the ABI's self pointer */
	/*
	 * The thread's id while it runs: written by the kernel at clone
	 * (CLONE_PARENT_SETTID) and cleared, with a futex wake, when the
	 * thread is gone (CLONE_CHILD_CLEARTID). thread_join sleeps on it.
	 */
	int tid;
	int id;				/* the same id, kept after exit */
	void *(*fn)(void *);		/* what the thread runs */
	void *arg;
	void *result;			/* fn's value, or thread_exit's */
	void *map;			/* its stack mapping (NULL: main) */
	size_t map_size;
};

/* Sets up the main thread's TLS and thread pointer; first thing at start. */
void __basalt_tls_init(unsigned long *auxv);

/* Size and alignment of a thread's TLS block plus control block. */
size_t __basalt_tls_area_size(void);
/*
 * Lays out a TLS block and control block at the top of the area
 * [base, base + __basalt_tls_area_size()), which the caller zeroed
 * (fresh mmap), copying the TLS image in. Returns the control block.
 */
struct basalt_thread *__basalt_tls_place(void *base);

/*
 * Threads running in the process, the main thread included (1 until the
 * first thread_create). Raised before clone, lowered by a thread's last
 * act before the exit system call, so once a thread sees 1 it is alone:
 * the others have run their last user instruction but the exit call.
 */
extern int __basalt_live_threads;

/* True while other threads may run: locks must be taken. */
static inline bool __basalt_threaded(void)
{
	return __atomic_load_n(&__basalt_live_threads, __ATOMIC_ACQUIRE) > 1;
}

/* After fork, in the child: only the calling thread exists there. */
void __basalt_thread_fork_child(void);

#endif
