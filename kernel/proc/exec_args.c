/*
 * Gathering execve's argument and environment strings into kernel memory
 * before the old program is torn down (they usually live in its memory),
 * and writing them, with the auxiliary vector, as the new program's
 * initial stack in the System V x86-64 layout:
 *
 *   high  [ 8 zero bytes ]
 *         [ argv strings | envp strings | execfn string ]
 *         [ "x86_64" ] [ 16 random bytes (AT_RANDOM) ]   (16-aligned below)
 *         [ auxv pairs, AT_NULL ] [ NULL ] [ envp[] ] [ NULL ] [ argv[] ]
 *   rsp-> [ argc ]
 */
#include <proc/task.h>
#include "internal.h"
#include "exec.h"
#include <lib/random.h>
#include <lib/string.h>
#include <mm/kmalloc.h>
#include <mm/page.h>
#include <mm/uaccess.h>
#include <mm/vm.h>
#include <uapi/errno.h>

#define ARGS_ORDER 6			/* 256 KiB of strings at most */
#define ARGS_MAX (PAGE_SIZE << ARGS_ORDER)
#define MAX_ARG_STRINGS 0x7fffffff

int exec_args_init(struct exec_args *a)
{
	struct page *pg = alloc_pages(ARGS_ORDER);

	if (!pg)
		return -ENOMEM;
	a->buf = page_to_virt(pg);
	a->used = 0;
	a->argc = a->envc = 0;
	return 0;
}

void exec_args_free(struct exec_args *a)
{
	if (a->buf)
		free_pages(virt_to_page(a->buf), ARGS_ORDER);
	a->buf = NULL;
}

static int add_kernel_string(struct exec_args *a, const char *s)
{
	size_t n = strlen(s) + 1;

	if (n > ARGS_MAX - a->used)
		return -E2BIG;
	memcpy(a->buf + a->used, s, n);
	a->used += n;
	return 0;
}

static int add_user_string(struct exec_args *a, const char __user *s)
{
	long n = strncpy_from_user(a->buf + a->used, s, ARGS_MAX - a->used);

	if (n == -ENAMETOOLONG)
		return -E2BIG;
	if (n < 0)
		return (int)n;
	a->used += n + 1;
	return 0;
}

/* Append every string of a NULL-terminated vector; returns the count. */
static long add_vector(struct exec_args *a, const struct exec_strings *src,
		       bool env)
{
	long count = 0;

	for (;; count++) {
		int err;
		if (src->from_user) {
			const char __user *const __user *v =
				env ? src->user_envp : src->user_argv;
			const char __user *s;
			if (!v)		/* Linux treats NULL as empty */
				return 0;
			if (get_user(s, v + count))
				return -EFAULT;
			if (!s)
				return count;
			err = add_user_string(a, s);
		} else {
			const char *const *v = env ? src->kernel_envp
						   : src->kernel_argv;
			if (!v[count])
				return count;
			err = add_kernel_string(a, v[count]);
		}
		if (err)
			return err;
		if (count >= MAX_ARG_STRINGS)
			return -E2BIG;
	}
}

int exec_args_collect(struct exec_args *a, const struct exec_strings *src,
		      const char *execfn)
{
	long n = add_vector(a, src, false);

	if (n < 0)
		return (int)n;
	a->argc = n;
	n = add_vector(a, src, true);
	if (n < 0)
		return (int)n;
	a->envc = n;
	return add_kernel_string(a, execfn);
}

/* Put s at p; returns the byte after its NUL. */
static char *put_string(char *p, const char *s)
{
	size_t n = strlen(s) + 1;

	memcpy(p, s, n);
	return p + n;
}

int exec_args_shebang(struct exec_args *a, const char *name,
		      const char *arg, const char *script)
{
	size_t drop = a->argc ? strlen(a->buf) + 1 : 0;
	size_t add = strlen(name) + 1 + strlen(script) + 1 +
		     (arg ? strlen(arg) + 1 : 0);
	char *p = a->buf;

	if (a->used - drop + add > ARGS_MAX)
		return -E2BIG;
	memmove(a->buf + add, a->buf + drop, a->used - drop);
	p = put_string(p, name);
	if (arg)
		p = put_string(p, arg);
	put_string(p, script);
	a->used = a->used - drop + add;
	a->argc += (a->argc ? 1 : 2) + (arg ? 1 : 0);
	return 0;
}
