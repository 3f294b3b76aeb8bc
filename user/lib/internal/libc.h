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

/* Writes a whole message to standard error with write(2), no stdio. */
void __basalt_say(const char *const *parts);

#endif
