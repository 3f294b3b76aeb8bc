/*
 * The only ways the kernel touches user memory. Each checks that the range
 * lies below USER_TOP and recovers from page faults through the exception
 * table, returning -EFAULT instead of crashing (kernel/arch/x86_64/uaccess.*).
 */
#ifndef BASALT_MM_UACCESS_H
#define BASALT_MM_UACCESS_H

#include <types.h>
#include <mm/layout.h>

static inline bool user_range_ok(uint64_t addr, uint64_t len)
{
	return addr <= USER_TOP && len <= USER_TOP - addr;
}

/* 0 on success, -EFAULT if any byte is not accessible. */
int copy_from_user(void *dst, const void __user *src, size_t n);
int copy_to_user(void __user *dst, const void *src, size_t n);
int clear_user(void __user *dst, size_t n);
/*
 * Copy a NUL-terminated string of at most max bytes including the NUL.
 * Returns its length, -EFAULT, or -ENAMETOOLONG when no NUL was found.
 */
long strncpy_from_user(char *dst, const char __user *src, size_t max);

#define get_user(x, ptr) copy_from_user(&(x), (ptr), sizeof(*(ptr)))
#define put_user(x, ptr)						\
	({ __typeof__(*(ptr)) __pu_v = (x);				\
	   copy_to_user((ptr), &__pu_v, sizeof(__pu_v)); })

#endif
