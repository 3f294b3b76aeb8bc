/*
 * Checked user-memory access (mm/uaccess.h). The range check keeps the
 * kernel from being tricked into touching its own memory; faults inside
 * the range are caught by the exception table (uaccess.S). This is the
 * one place a __user pointer becomes a plain one (__force, for sparse):
 * the assembly routines take either kind.
 *
 * Every copy is also a preemption point (docs/locking.md), as Linux's
 * might_fault() is under voluntary preemption: a loop that moves user
 * data piece by piece yields through its copies, and one huge copy is
 * cut into UACCESS_CHUNK pieces with a preemption point between them.
 * A copy made with a spinlock held (the futex code's) is atomic: it
 * never yields, as it never sleeps on a fault.
 */
#include <types.h>
#include <arch/cpu.h>
#include <mm/uaccess.h>
#include <proc/sched.h>
#include <uapi/errno.h>

#define UACCESS_CHUNK (64 * 1024)

long arch_copy_user(void *dst, const void *src, size_t n);
long arch_clear_user(void *dst, size_t n);
long arch_strncpy_user(char *dst, const char *src, size_t max);
long arch_futex_cmpxchg(uint32_t *uaddr, uint32_t old, uint32_t new,
			uint32_t *cur);
long arch_futex_op(uint32_t *uaddr, int op, uint32_t oparg, uint32_t *old);

static void might_resched(void)
{
	if (this_cpu()->irq_depth == 0)
		cond_resched();
}

/*
 * Copy n bytes from src to dst, or zero them (clear): dst or src is user
 * memory, range-checked by the caller. (src may be user address 0, so it
 * cannot double as the "clear" flag.)
 */
static int copy_chunked(char *dst, const char *src, size_t n, bool clear)
{
	for (;;) {
		size_t k = MIN(n, (size_t)UACCESS_CHUNK);
		long err;

		might_resched();
		err = clear ? arch_clear_user(dst, k) : arch_copy_user(dst, src, k);
		if (err || k == n)
			return (int)err;
		dst += k;
		if (!clear)
			src += k;
		n -= k;
	}
}

int copy_from_user(void *dst, const void __user *src, size_t n)
{
	if (!user_range_ok((uint64_t)src, n))
		return -EFAULT;
	return copy_chunked(dst, (__force const char *)src, n, false);
}

int copy_to_user(void __user *dst, const void *src, size_t n)
{
	if (!user_range_ok((uint64_t)dst, n))
		return -EFAULT;
	return copy_chunked((__force char *)dst, src, n, false);
}

int clear_user(void __user *dst, size_t n)
{
	if (!user_range_ok((uint64_t)dst, n))
		return -EFAULT;
	return copy_chunked((__force char *)dst, NULL, n, true);
}

long strncpy_from_user(char *dst, const char __user *src, size_t max)
{
	uint64_t addr = (uint64_t)src;

	if (addr >= USER_TOP)
		return -EFAULT;
	/* Never read past USER_TOP, even when max would allow it. */
	size_t room = USER_TOP - addr;
	might_resched();
	long n = arch_strncpy_user(dst, (__force const char *)src,
				   MIN(max, room));
	if (n == -1)
		return max <= room ? -ENAMETOOLONG : -EFAULT;
	return n;
}

/* A futex word: aligned (so the atomic cannot split) and below USER_TOP. */
static bool futex_word_ok(const uint32_t __user *uaddr)
{
	return ((uint64_t)uaddr & 3) == 0 &&
	       user_range_ok((uint64_t)uaddr, sizeof(uint32_t));
}

int futex_atomic_cmpxchg_user(uint32_t *cur, uint32_t __user *uaddr,
			      uint32_t old, uint32_t new)
{
	if (!futex_word_ok(uaddr))
		return -EFAULT;
	return (int)arch_futex_cmpxchg((__force uint32_t *)uaddr, old, new, cur);
}

int futex_atomic_op_user(int op, uint32_t oparg, uint32_t __user *uaddr,
			 uint32_t *old)
{
	if (!futex_word_ok(uaddr))
		return -EFAULT;
	if (op < FUTEX_ATOMIC_SET || op > FUTEX_ATOMIC_XOR)
		return -ENOSYS;
	return (int)arch_futex_op((__force uint32_t *)uaddr, op, oparg, old);
}
