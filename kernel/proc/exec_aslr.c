/*
 * The randomness execve puts into a new address space, and the
 * kernel.randomize_va_space knob that governs it (see proc/aslr.h).
 * Linux takes any integer for the knob (proc_dointvec) and treats every
 * value above 1 as 2; so does Basalt.
 */
#include <proc/aslr.h>
#include <proc/task.h>
#include <lib/parse.h>
#include <lib/printk.h>
#include <lib/random.h>
#include <lib/string.h>
#include <mm/layout.h>
#include <uapi/errno.h>

#define MMAP_RND_BITS	28		/* Linux x86-64's default */
#define BRK_RND_RANGE	(1UL << 30)	/* arch_randomize_brk: SZ_1G on 64-bit */

static int randomize_va_space = 2;	/* atomic */

int aslr_level(void)
{
	return __atomic_load_n(&randomize_va_space, __ATOMIC_RELAXED);
}

static uint64_t random_u64(void)
{
	uint64_t r;

	random_bytes(&r, sizeof(r));
	return r;
}

uint64_t aslr_mmap_offset(void)
{
	return (random_u64() & ((1UL << MMAP_RND_BITS) - 1)) << PAGE_SHIFT;
}

uint64_t aslr_randomize_brk(uint64_t brk)
{
	uint64_t start = ALIGN_UP(brk, PAGE_SIZE);
	uint64_t pages = (BRK_RND_RANGE - (start - brk)) >> PAGE_SHIFT;

	return start + (random_u64() % pages) * PAGE_SIZE;
}

int aslr_sysctl_read(const char *name, char *buf, size_t size)
{
	if (strcmp(name, "randomize_va_space"))
		return -ENOENT;
	return snprintf(buf, size, "%d\n", aslr_level());
}

int aslr_sysctl_write(const char *name, const char *text, size_t len)
{
	long v;

	if (strcmp(name, "randomize_va_space"))
		return -ENOENT;
	if (current->cred.euid != 0)
		return -EPERM;
	if (parse_long(text, len, &v) < 0 || v != (int)v)
		return -EINVAL;
	__atomic_store_n(&randomize_va_space, (int)v, __ATOMIC_RELAXED);
	return 0;
}
