/*
 * The memory-management system calls: thin entry points that pass the
 * caller's address space to the vm_* functions (vm_internal.h), which
 * hold the logic and run in host tests as well.
 */
#include <types.h>
#include <proc/task.h>
#include <fs/fs.h>
#include <syscall/syscall.h>
#include <uapi/errno.h>
#include <uapi/mman.h>
#include "vm_internal.h"

SYSCALL_DEFINE6(mmap, unsigned long, addr, unsigned long, len,
		unsigned long, prot, unsigned long, flags, unsigned long, fd,
		unsigned long, off)
{
	struct file *f = NULL;
	long r;

	if (off & ~PAGE_MASK)
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS)) {
		f = fd_get_io((int)fd);
		if (!f)
			return -EBADF;
	}
	/* Root stands in for CAP_SYS_RAWIO, as for Linux's default caps. */
	r = vm_mmap(current->mm, addr, len, prot, flags, f, off,
		    current->cred.euid == 0);
	file_put(f);
	return r;
}

SYSCALL_DEFINE2(munmap, unsigned long, addr, unsigned long, len)
{
	return vm_munmap(current->mm, addr, len);
}

SYSCALL_DEFINE3(mprotect, unsigned long, start, unsigned long, len,
		unsigned long, prot)
{
	return vm_mprotect(current->mm, start, len, prot);
}

SYSCALL_DEFINE1(brk, unsigned long, brk)
{
	return (long)vm_brk(current->mm, brk);
}

SYSCALL_DEFINE3(madvise, unsigned long, start, unsigned long, len_in,
		int, advice)
{
	return vm_madvise(current->mm, start, len_in, advice);
}

SYSCALL_DEFINE5(mremap, unsigned long, addr, unsigned long, old_len,
		unsigned long, new_len, unsigned long, flags,
		unsigned long, new_addr)
{
	return vm_mremap(current->mm, addr, old_len, new_len, flags, new_addr,
			 current->cred.euid == 0);
}

SYSCALL_DEFINE3(msync, unsigned long, start, size_t, len, int, flags)
{
	return vm_msync(current->mm, start, len, flags);
}

SYSCALL_DEFINE3(mincore, unsigned long, start, size_t, len,
		unsigned char __user *, vec)
{
	return vm_mincore(current->mm, start, len, vec);
}
