/*
 * exit.c - exit and _Exit. exit runs the atexit and __cxa_atexit
 * handlers (C++ global destructors among them), newest first, then the
 * .fini_array backwards, then flushes stdio, then ends the process with
 * exit_group, so that every thread goes (as in glibc and musl).
 */
#include <stdlib.h>
#include <unistd.h>
#include "../internal/libc.h"
#include "../internal/syscall.h"

extern void (*__fini_array_start[])(void) __attribute__((visibility("hidden")));
extern void (*__fini_array_end[])(void) __attribute__((visibility("hidden")));

void exit(int status)
{
	if (__basalt_run_atexit)
		__basalt_run_atexit();
	for (size_t n = __fini_array_end - __fini_array_start; n > 0; n--)
		__fini_array_start[n - 1]();
	if (__basalt_stdio_flush_all)
		__basalt_stdio_flush_all();
	_Exit(status);
}

void _Exit(int status)
{
	for (;;)
		sys_call1(SYS_exit_group, status);
}

void _exit(int status)
{
	_Exit(status);
}
