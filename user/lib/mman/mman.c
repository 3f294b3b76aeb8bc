/*
 * mman.c - mapping wrappers: mmap, munmap, mprotect, mremap, madvise,
 * msync. mmap's offset must be page-aligned; the kernel checks it.
 */
#include <stdarg.h>
#include <sys/mman.h>
#include "../internal/syscall.h"

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	return (void *)__syscall_ret(sys_call6(SYS_mmap, (long)addr,
					       (long)len, prot, flags, fd,
					       off));
}

int munmap(void *addr, size_t len)
{
	return (int)__syscall_ret(sys_call2(SYS_munmap, (long)addr,
					    (long)len));
}

int mprotect(void *addr, size_t len, int prot)
{
	return (int)__syscall_ret(sys_call3(SYS_mprotect, (long)addr,
					    (long)len, prot));
}

void *mremap(void *addr, size_t old_len, size_t new_len, int flags, ...)
{
	void *new_addr = NULL;

	if (flags & MREMAP_FIXED) {
		va_list ap;

		va_start(ap, flags);
		new_addr = va_arg(ap, void *);
		va_end(ap);
	}
	return (void *)__syscall_ret(sys_call5(SYS_mremap, (long)addr,
					       (long)old_len, (long)new_len,
					       flags, (long)new_addr));
}

int madvise(void *addr, size_t len, int advice)
{
	return (int)__syscall_ret(sys_call3(SYS_madvise, (long)addr,
					    (long)len, advice));
}

int msync(void *addr, size_t len, int flags)
{
	return (int)__syscall_ret(sys_call3(SYS_msync, (long)addr,
					    (long)len, flags));
}
