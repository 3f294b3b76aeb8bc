/*
 * /proc/sys/vm: the memory knobs, as text (procfs places the files,
 * kernel/fs/procfs_ipc.c). Readable by all, writable by root, with
 * Linux's values:
 *
 *   overcommit_memory  0 or 1 (overcommit.c; 2 is refused with EINVAL)
 *   min_free_kbytes    the page allocator's emergency reserve
 *                      (page_alloc.c); Basalt refuses more than half of
 *                      RAM, which Linux would take and then starve on
 */
#include <types.h>
#include <lib/parse.h>
#include <lib/printk.h>
#include <lib/string.h>
#include <mm/page.h>
#include <mm/vm.h>
#include <proc/task.h>
#include <uapi/errno.h>

#define KB_PER_PAGE	(PAGE_SIZE / 1024)

int vm_sysctl_read(const char *name, char *buf, size_t size)
{
	long v;

	if (!strcmp(name, "overcommit_memory"))
		v = vm_overcommit_mode();
	else if (!strcmp(name, "min_free_kbytes"))
		v = (long)(page_count_reserve() * KB_PER_PAGE);
	else
		return -ENOENT;
	return snprintf(buf, size, "%ld\n", v);
}

int vm_sysctl_write(const char *name, const char *text, size_t len)
{
	long v;

	if (current->cred.euid != 0)
		return -EPERM;
	if (parse_long(text, len, &v) < 0)
		return -EINVAL;
	if (!strcmp(name, "overcommit_memory"))
		return v < 0 || v > 2 ? -EINVAL : vm_set_overcommit_mode((int)v);
	if (!strcmp(name, "min_free_kbytes")) {
		if (v < 0 || (uint64_t)v / KB_PER_PAGE > page_count_total() / 2)
			return -EINVAL;
		page_alloc_set_reserve((uint64_t)v / KB_PER_PAGE);
		return 0;
	}
	return -ENOENT;
}
