/*
 * The "#!" line of a script (kernel/proc/exec_script_line.c), parsed as
 * Linux's binfmt_script parses it. Pure code, unit-tested on the host
 * (tests/unit/test_script.c); execve's use of it is exec_script.c.
 */
#ifndef BASALT_PROC_SCRIPT_H
#define BASALT_PROC_SCRIPT_H

#include <types.h>

/* How much of a file execve reads to recognise it (BINPRM_BUF_SIZE). */
#define SCRIPT_HEAD_SIZE	256

/*
 * buf holds the first SCRIPT_HEAD_SIZE bytes of a file starting with
 * "#!", zero-padded past its end. Finds the interpreter's name and the
 * optional argument on the first line, NUL-terminates both in place and
 * points *name and *arg (NULL if none) at them. 0, or -ENOEXEC when the
 * line names nothing, or when it has no newline within the buffer and
 * the name runs to its end (it may have been cut).
 */
int script_parse_line(char *buf, char **name, char **arg);

#endif
