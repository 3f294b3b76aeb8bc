/*
 * Expanding kernel.core_pattern into a file name (coredump_name.c): pure
 * code, shared by the core dump and the host unit test.
 */
#ifndef BASALT_PROC_COREDUMP_NAME_H
#define BASALT_PROC_COREDUMP_NAME_H

#include <types.h>

/* What the % specifiers of a pattern stand for. */
struct core_name_info {
	const char *pattern;
	bool uses_pid;		/* kernel.core_uses_pid */
	int pid, tid;		/* %p (and %P), %i (and %I) */
	unsigned int uid, gid;	/* %u %g: the real ids */
	int sig;		/* %s */
	int dumpable;		/* %d */
	int64_t time;		/* %t: seconds since the Epoch */
	uint64_t limit;		/* %c: RLIMIT_CORE's soft limit */
	const char *host;	/* %h */
	const char *comm;	/* %e */
	const char *exe;	/* %E: the program's path; %f: its last part */
};

/*
 * The name, as Linux's format_corename makes it: %% is a '%', the
 * specifiers above are replaced (in %h %e %E %f every '/' becomes '!',
 * an empty value is "!", "." and ".." start with '!'), an unknown or
 * trailing % is dropped with its letter, and with uses_pid set and no %p
 * in the pattern ".PID" is appended. Returns 0, or -ENAMETOOLONG when
 * the name does not fit in size bytes.
 */
int core_name_format(char *out, size_t size, const struct core_name_info *ci);

#endif
