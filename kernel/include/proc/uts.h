/*
 * The machine's names (kernel/proc/sys_info.c), for procfs: uname's
 * fields, and writes to /proc/sys/kernel/{hostname,domainname}.
 */
#ifndef BASALT_PROC_UTS_H
#define BASALT_PROC_UTS_H

#include <types.h>
#include <uapi/utsname.h>

void uts_get(struct utsname *u);
/* 0, -ENOENT (another name), -EPERM (not root). */
int uts_sysctl_write(const char *name, const char *text, size_t len);

#endif
