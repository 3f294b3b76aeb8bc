/*
 * process.c - process wrappers: fork (with the locks of a threaded
 * process: internal/libc.h), execve, execv, execvp, the ids,
 * sessions and groups, wait, waitpid, wait4. (vfork is in vfork.S: the
 * child borrows the parent's stack, so it cannot be a C function.)
 */
#include <errno.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../internal/libc.h"
#include "../internal/syscall.h"
#include "../internal/thread.h"

/*
 * Runs the fork hooks of internal/libc.h: stdio's, then malloc's on the
 * way in, the other way round on the way out (their lock order).
 */
static void fork_hooks(enum fork_phase phase)
{
	if (phase == FORK_PREPARE && __basalt_stdio_fork)
		__basalt_stdio_fork(phase);
	if (__basalt_malloc_fork)
		__basalt_malloc_fork(phase);
	if (phase != FORK_PREPARE && __basalt_stdio_fork)
		__basalt_stdio_fork(phase);
}

/*
 * With other threads running, the locks they might hold are taken
 * first, so the child gets consistent copies (internal/libc.h). The
 * child has one thread: the caller.
 */
pid_t fork(void)
{
	bool threaded = __basalt_threaded();

	if (threaded)
		fork_hooks(FORK_PREPARE);
	long r = sys_call0(SYS_fork);
	if (r == 0)
		__basalt_thread_fork_child();
	if (threaded)
		fork_hooks(r == 0 ? FORK_CHILD : FORK_PARENT);
	return (pid_t)__syscall_ret(r);
}

int execve(const char *path, char *const argv[], char *const envp[])
{
	return (int)__syscall_ret(sys_call3(SYS_execve, (long)path,
					    (long)argv, (long)envp));
}

int execv(const char *path, char *const argv[])
{
	return execve(path, argv, environ);
}

/* Tries each directory of $PATH (or /bin:/usr/bin) for a bare name. */
int execvp(const char *file, char *const argv[])
{
	if (strchr(file, '/'))
		return execv(file, argv);
	const char *path = NULL;
	for (char **e = environ; e && *e; e++)
		if (strncmp(*e, "PATH=", 5) == 0)
			path = *e + 5;
	if (!path)
		path = "/bin:/usr/bin";

	char buf[4096];
	size_t flen = strlen(file);
	int err = ENOENT;
	while (*path) {
		size_t dlen = strcspn(path, ":");

		if (dlen + flen + 2 <= sizeof(buf)) {
			memcpy(buf, path, dlen);
			buf[dlen] = '/';
			memcpy(buf + dlen + 1, file, flen + 1);
			execv(dlen ? buf : file, argv);
			if (errno != ENOENT && errno != ENOTDIR)
				err = errno;
		}
		path += dlen + (path[dlen] == ':');
	}
	errno = err;
	return -1;
}

pid_t getpid(void) { return (pid_t)sys_call0(SYS_getpid); }
pid_t getppid(void) { return (pid_t)sys_call0(SYS_getppid); }
pid_t gettid(void) { return (pid_t)sys_call0(SYS_gettid); }
uid_t getuid(void) { return (uid_t)sys_call0(SYS_getuid); }
uid_t geteuid(void) { return (uid_t)sys_call0(SYS_geteuid); }
gid_t getgid(void) { return (gid_t)sys_call0(SYS_getgid); }
gid_t getegid(void) { return (gid_t)sys_call0(SYS_getegid); }
pid_t getpgrp(void) { return (pid_t)sys_call1(SYS_getpgid, 0); }

pid_t setsid(void)
{
	return (pid_t)__syscall_ret(sys_call0(SYS_setsid));
}

int setpgid(pid_t pid, pid_t pgid)
{
	return (int)__syscall_ret(sys_call2(SYS_setpgid, pid, pgid));
}

pid_t wait4(pid_t pid, int *status, int options, struct rusage *ru)
{
	return (pid_t)__syscall_ret(sys_call4(SYS_wait4, pid, (long)status,
					      options, (long)ru));
}

pid_t waitpid(pid_t pid, int *status, int options)
{
	return wait4(pid, status, options, NULL);
}

pid_t wait(int *status)
{
	return wait4(-1, status, 0, NULL);
}
