/*
 * System-call dispatch: bound-check the number, call the handler from the
 * generated table, and return -ENOSYS (logged once per number, with its
 * name) for calls Basalt does not implement. The "strace" command-line
 * option logs every call with its arguments and result.
 */
#include <syscall/table.h>
#include <proc/task.h>
#include <lib/printk.h>
#include <uapi/errno.h>

bool syscall_trace;
static uint64_t enosys_logged[512 / 64];	/* racy bits: at worst a 2nd log */

static long syscall_enosys(unsigned long nr)
{
	if (nr < 512 && !(enosys_logged[nr / 64] & (1UL << (nr % 64)))) {
		enosys_logged[nr / 64] |= 1UL << (nr % 64);
		const char *name = nr < syscall_table_len ? syscall_table[nr].name
							   : NULL;
		pr_warn("%s[%d]: system call %lu (%s) not implemented",
			current->comm, current->tid, nr, name ? name : "unknown");
	}
	return -ENOSYS;
}

long syscall_dispatch(unsigned long raw_nr, const struct syscall_args *args)
{
	/* Linux looks only at the low 32 bits of the number. */
	unsigned long nr = (uint32_t)raw_nr;
	long ret;

	if (nr >= syscall_table_len || !syscall_table[nr].fn) {
		ret = syscall_enosys(nr);
	} else {
		/* What fault injection counts (mm/fault_inject.c). */
		current->in_syscall = true;
		ret = syscall_table[nr].fn(args);
		current->in_syscall = false;
	}
	if (syscall_trace)
		pr_info("%s[%d] %s(%lx, %lx, %lx, %lx) = %ld", current->comm,
			current->tid, nr < syscall_table_len &&
			syscall_table[nr].name ? syscall_table[nr].name : "?",
			args->a[0], args->a[1], args->a[2], args->a[3], ret);
	return ret;
}
