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
#include <proc/script.h>
#include <fs/fs.h>
#include <lib/string.h>
#include <mm/kmalloc.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>

#define MAX_DEPTH	5	/* scripts in a chain (Linux's depth > 5) */

struct script_state {
	char buf[SCRIPT_HEAD_SIZE];	/* the file's head, zero-padded */
	char prev[SCRIPT_HEAD_SIZE];	/* the previous interpreter's name */
};

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
	err = script_parse_line(st->buf, &name, &arg);
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
