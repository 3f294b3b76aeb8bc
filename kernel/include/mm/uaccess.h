/*
 * The only ways the kernel touches user memory. Each checks that the range
 * lies below USER_TOP and recovers from page faults through the exception
 * table, returning -EFAULT instead of crashing (kernel/arch/x86_64/uaccess.*).
 *
 * A fault is normally resolved (the page is faulted in, which may sleep).
 * Called with a spinlock held, these functions never sleep: a page that is
 * not present (or not writable yet, e.g. copy-on-write) makes them fail
 * with -EFAULT at once, like Linux under pagefault_disable(). A caller
 * that needs the access then drops its locks, faults the page in with an
 * ordinary call and retries (kernel/proc/futex*.c do).
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

/*
 * Futex words: atomic operations on an aligned 32-bit user word. *cur or
 * *old receives the value the word held before; it is written only on
 * success. 0 or -EFAULT; futex_atomic_op_user also -ENOSYS for an op it
 * does not know (nothing is touched then).
 */
int futex_atomic_cmpxchg_user(uint32_t *cur, uint32_t __user *uaddr,
			      uint32_t old, uint32_t new);
#define FUTEX_ATOMIC_SET	0	/* *uaddr = oparg */
#define FUTEX_ATOMIC_ADD	1	/* *uaddr += oparg */
#define FUTEX_ATOMIC_OR		2	/* *uaddr |= oparg */
#define FUTEX_ATOMIC_ANDN	3	/* *uaddr &= ~oparg */
#define FUTEX_ATOMIC_XOR	4	/* *uaddr ^= oparg */
int futex_atomic_op_user(int op, uint32_t oparg, uint32_t __user *uaddr,
			 uint32_t *old);

#endif
