/*
 * start.c - from the kernel's initial stack to main, and from main to
 * exit: the work glibc's __libc_start_main does for a static program.
 *
 * The stack holds argc, argv[], NULL, envp[], NULL, then the auxiliary
 * vector. __basalt_start records environ and the vector, gives the main
 * thread its TLS block and thread pointer (before anything can touch
 * errno, which lives there: thread/tls.c), runs the
 * constructors the linker gathered (.preinit_array, then .init_array,
 * which is where C++ global constructors live, each called with argc,
 * argv and envp as glibc does), and passes main's result to exit().
 * The .fini_array runs in exit() after the atexit handlers.
 */
#include <stdlib.h>
#include "../internal/libc.h"
#include "../internal/thread.h"

char **environ;
unsigned long *__basalt_auxv;

/* Provided by the default linker script for static executables. */
extern void (*__preinit_array_start[])(int, char **, char **)
	__attribute__((visibility("hidden")));
extern void (*__preinit_array_end[])(int, char **, char **)
	__attribute__((visibility("hidden")));
extern void (*__init_array_start[])(int, char **, char **)
	__attribute__((visibility("hidden")));
extern void (*__init_array_end[])(int, char **, char **)
	__attribute__((visibility("hidden")));

int main(int argc, char **argv, char **envp);
__attribute__((noreturn)) void __basalt_start(long *sp);

void __basalt_start(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);
	char **envp = argv + argc + 1;
	char **e = envp;

	environ = envp;
	while (*e)
		e++;
	__basalt_auxv = (unsigned long *)(e + 1);
	__basalt_tls_init(__basalt_auxv);

	size_t n = __preinit_array_end - __preinit_array_start;
	for (size_t i = 0; i < n; i++)
		__preinit_array_start[i](argc, argv, envp);
	n = __init_array_end - __init_array_start;
	for (size_t i = 0; i < n; i++)
		__init_array_start[i](argc, argv, envp);

	exit(main(argc, argv, envp));
}
