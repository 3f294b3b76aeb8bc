/*
 * Checked user-memory access (mm/uaccess.h). The range check keeps the
 * kernel from being tricked into touching its own memory; faults inside
 * the range are caught by the exception table (uaccess.S).
 */
#include <types.h>
#include <mm/uaccess.h>
#include <uapi/errno.h>

long arch_copy_user(void *dst, const void *src, size_t n);
long arch_clear_user(void *dst, size_t n);
long arch_strncpy_user(char *dst, const char *src, size_t max);

int copy_from_user(void *dst, const void __user *src, size_t n)
{
	if (!user_range_ok((uint64_t)src, n))
		return -EFAULT;
	return (int)arch_copy_user(dst, (const void *)src, n);
}

int copy_to_user(void __user *dst, const void *src, size_t n)
{
	if (!user_range_ok((uint64_t)dst, n))
		return -EFAULT;
	return (int)arch_copy_user((void *)dst, src, n);
}

int clear_user(void __user *dst, size_t n)
{
	if (!user_range_ok((uint64_t)dst, n))
		return -EFAULT;
	return (int)arch_clear_user((void *)dst, n);
}

long strncpy_from_user(char *dst, const char __user *src, size_t max)
{
	uint64_t addr = (uint64_t)src;

	if (addr >= USER_TOP)
		return -EFAULT;
	/* Never read past USER_TOP, even when max would allow it. */
	size_t room = USER_TOP - addr;
	long n = arch_strncpy_user(dst, (const char *)src, MIN(max, room));
	if (n == -1)
		return max <= room ? -ENAMETOOLONG : -EFAULT;
	return n;
}
