/* The generated system-call table (build/gen/syscall_table.c). */
#ifndef BASALT_SYSCALL_TABLE_H
#define BASALT_SYSCALL_TABLE_H

#include <syscall/syscall.h>

struct syscall_entry {
	syscall_fn fn;		/* NULL: not implemented */
	const char *name;	/* NULL: no such call */
};

extern const struct syscall_entry syscall_table[];
extern const unsigned long syscall_table_len;

#endif
