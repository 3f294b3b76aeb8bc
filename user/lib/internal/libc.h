/*
 * internal/libc.h - what libbasalt's files share with each other and
 * with no one else: the start-up state and the hooks exit() calls.
 */
#ifndef BASALT_LIB_LIBC_H
#define BASALT_LIB_LIBC_H

#include <stddef.h>

/* The auxiliary vector, saved by __basalt_start (pairs of type, value). */
extern unsigned long *__basalt_auxv;

/*
 * Runs the atexit and __cxa_atexit handlers, newest first. Defined with
 * them (start/atexit.c); weak, so exit() pulls nothing in for programs
 * that never register one.
 */
void __basalt_run_atexit(void) __attribute__((weak));

/* Flushes every stdio stream (stdio/file.c); weak for the same reason. */
void __basalt_stdio_flush_all(void) __attribute__((weak));

/*
 * fork() in a process with threads: a thread other than the forking one
 * may hold the allocator's lock or a stream's when the memory is copied,
 * and the child would wait for it forever. So fork takes the stdio list
 * lock and the allocator's lock first (FORK_PREPARE), releases them in
 * the parent (FORK_PARENT) and makes them free in the child
 * (FORK_CHILD), with every stream's lock. Weak, as above.
 */
enum fork_phase { FORK_PREPARE, FORK_PARENT, FORK_CHILD };
void __basalt_stdio_fork(enum fork_phase phase) __attribute__((weak));
void __basalt_malloc_fork(enum fork_phase phase) __attribute__((weak));

/* A thread ends: its malloc cache goes back (malloc/cache.c); weak. */
void __malloc_thread_end(void) __attribute__((weak));

/* Writes a whole message to standard error with write(2), no stdio. */
void __basalt_say(const char *const *parts);

#endif
