/*
 * "#!" scripts (Linux's binfmt_script). The first line of the file,
 * within its first 256 bytes, names an interpreter and at most one
 * argument (the rest of the line, inner blanks included):
 *
 *   #! /bin/sh -e      argv becomes  /bin/sh  -e  SCRIPT  argv[1] ...
 *
 * where SCRIPT is the path execve was given and the original argv[0] is
 * dropped. The interpreter may itself be a script, five deep at most
 * (then -ELOOP), or a dynamic program. A line without its newline in
 * those 256 bytes is taken as far as it goes, unless the interpreter's
 * name runs to the end (it may have been cut: -ENOEXEC). Only the
 * program finally run gives its set-user-ID bits (exec_cred.c).
 */
#include "exec.h"
#include <fs/fs.h>
#include <lib/string.h>
#include <mm/kmalloc.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>

#define BINPRM_BUF_SIZE	256
#define MAX_DEPTH	5	/* scripts in a chain (Linux's depth > 5) */

struct script_state {
	char buf[BINPRM_BUF_SIZE];	/* the file's head, zero-padded */
	char prev[BINPRM_BUF_SIZE];	/* the previous interpreter's name */
};

static bool spacetab(char c)
{
	return c == ' ' || c == '\t';
}

/* The first char in [first, last] that is not a blank, or NULL. */
static char *next_non_spacetab(char *first, char *last)
{
	for (; first <= last; first++)
		if (!spacetab(*first))
			return first;
	return NULL;
}

/* The first blank or NUL in [first, last], or NULL. */
static char *next_terminator(char *first, char *last)
{
	for (; first <= last; first++)
		if (spacetab(*first) || !*first)
			return first;
	return NULL;
}

/*
 * Split a "#!" line in buf (BINPRM_BUF_SIZE bytes) into the interpreter's
 * name and the optional argument, NUL-terminating both in place, as
 * Linux's load_script does. 0 or -ENOEXEC.
 */
static int script_parse(char *buf, char **name, char **arg)
{
	char *buf_end = buf + BINPRM_BUF_SIZE - 1;
	char *i_end = NULL, *i_sep;

	/* The newline, looked for up to the first NUL (strnchr). */
	for (char *p = buf; p <= buf_end && *p && !i_end; p++)
		if (*p == '\n')
			i_end = p;

	if (!i_end) {
		i_end = next_non_spacetab(buf + 2, buf_end);
		if (!i_end || !next_terminator(i_end, buf_end))
			return -ENOEXEC;	/* blank, or a cut name */
		i_end = buf_end;
	}
	while (spacetab(i_end[-1]))
		i_end--;
	*name = next_non_spacetab(buf + 2, i_end);
	if (!*name || *name == i_end)
		return -ENOEXEC;		/* no interpreter named */
	*arg = NULL;
	i_sep = next_terminator(*name, i_end);
	if (i_sep && *i_sep != '\0')
		*arg = next_non_spacetab(i_sep, i_end);
	*i_end = '\0';
	if (i_sep)
		*i_sep = '\0';
	return 0;
}

/* One level: *f is a script? Then rewrite argv and open its interpreter,
 * whose name goes to st->prev. 1 if followed, 0 if not a script. */
static int follow_one(struct script_state *st, struct file **f,
		      struct exec_args *a, const char *script)
{
	ssize_t n;
	char *name, *arg;
	struct file *interp;
	int err;

	memset(st->buf, 0, sizeof(st->buf));
	n = kernel_read_at(*f, st->buf, sizeof(st->buf), 0);
	if (n < 0)
		return (int)n;
	if (st->buf[0] != '#' || st->buf[1] != '!')
		return 0;
	err = script_parse(st->buf, &name, &arg);
	err = err ?: exec_args_shebang(a, name, arg, script);
	if (err)
		return err;
	interp = kernel_open(name, O_RDONLY, true);
	if (IS_ERR(interp))
		return (int)PTR_ERR(interp);
	strlcpy(st->prev, name, sizeof(st->prev));
	file_put(*f);
	*f = interp;
	return 1;
}

int exec_follow_scripts(struct file **f, struct exec_args *a,
			const char *path)
{
	struct script_state *st = kmalloc(sizeof(*st));
	int r;

	if (!st)
		return -ENOMEM;
	for (int depth = 0;; depth++) {
		r = follow_one(st, f, a, depth ? st->prev : path);
		if (r <= 0)
			break;
		if (depth + 1 > MAX_DEPTH) {
			r = -ELOOP;
			break;
		}
	}
	kfree(st);
	return r;
}
