/*
 * The new program's initial stack (layout in exec_args.c). Everything is
 * assembled in kernel memory and written into the new address space with
 * vm_write, which works before that address space is active.
 */
#include <proc/task.h>
#include "internal.h"
#include "exec.h"
#include <lib/random.h>
#include <lib/string.h>
#include <mm/kmalloc.h>
#include <mm/vm.h>
#include <mm/layout.h>
#include <uapi/errno.h>
#include <uapi/mman.h>

#define AT_NULL		0
#define AT_PHDR		3
#define AT_PHENT	4
#define AT_PHNUM	5
#define AT_PAGESZ	6
#define AT_BASE		7
#define AT_FLAGS	8
#define AT_ENTRY	9
#define AT_UID		11
#define AT_EUID		12
#define AT_GID		13
#define AT_EGID		14
#define AT_PLATFORM	15
#define AT_HWCAP	16
#define AT_CLKTCK	17
#define AT_SECURE	23
#define AT_RANDOM	25
#define AT_HWCAP2	26
#define AT_EXECFN	31
#define AT_SYSINFO_EHDR	33
#define NAUXV		20	/* pairs written below, AT_NULL included */

static uint64_t cpu_hwcap(void)
{
	uint32_t a, b, c, d;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1));
	return d;
}

static uint64_t *put_auxv(uint64_t *v, const struct exec_image *img,
			  uint64_t platform, uint64_t random, uint64_t execfn)
{
	const struct cred *c = &current->cred;
	const uint64_t pairs[][2] = {
		{ AT_SYSINFO_EHDR, img->vdso }, { AT_HWCAP, cpu_hwcap() }, { AT_PAGESZ, PAGE_SIZE },
		{ AT_CLKTCK, 100 }, { AT_PHDR, img->phdr },
		{ AT_PHENT, img->phent }, { AT_PHNUM, img->phnum },
		{ AT_BASE, 0 }, { AT_FLAGS, 0 }, { AT_ENTRY, img->entry },
		{ AT_UID, c->uid }, { AT_EUID, img->euid }, { AT_GID, c->gid },
		{ AT_EGID, img->egid }, { AT_SECURE, img->secure },
		{ AT_RANDOM, random },
		{ AT_HWCAP2, 0 }, { AT_EXECFN, execfn },
		{ AT_PLATFORM, platform }, { AT_NULL, 0 },
	};
	_Static_assert(ARRAY_SIZE(pairs) == NAUXV, "auxv count");
	memcpy(v, pairs, sizeof(pairs));
	return v + 2 * NAUXV;
}

/* How many bytes the argv strings take, NULs included. */
static size_t argv_bytes(const struct exec_args *a)
{
	const char *s = a->buf;

	for (long i = 0; i < a->argc; i++)
		s += strlen(s) + 1;
	return (size_t)(s - a->buf);
}

/* Point count consecutive vector entries at consecutive strings. */
static uint64_t *put_vector(uint64_t *t, long count, const char **s,
			    uint64_t *uaddr)
{
	for (long i = 0; i < count; i++) {
		size_t n = strlen(*s) + 1;
		*t++ = *uaddr;
		*s += n;
		*uaddr += n;
	}
	*t++ = 0;
	return t;
}

/* Pointer table: argc, argv[], NULL, envp[], NULL, auxv. */
static void fill_table(uint64_t *t, const struct exec_args *a,
		       uint64_t strings, const struct exec_image *img,
		       uint64_t platform, uint64_t random)
{
	const char *s = a->buf;
	uint64_t p = strings;

	*t++ = a->argc;
	t = put_vector(t, a->argc, &s, &p);
	t = put_vector(t, a->envc, &s, &p);
	put_auxv(t, img, platform, random, p);	/* p: the execfn string */
}

int exec_build_stack(struct mm *mm, const struct exec_args *a,
		     const struct exec_image *img, uint64_t *sp_out)
{
	static const char platform[] = "x86_64";
	uint64_t sp = USER_STACK_TOP - 8;
	uint8_t rnd[16];
	int err;

	err = vm_map_anon(mm, USER_STACK_TOP - USER_STACK_SIZE,
			  USER_STACK_SIZE, PROT_READ | PROT_WRITE);
	if (err)
		return err;
	sp -= a->used;
	uint64_t strings = sp;
	mm_set_arg_range(mm, strings, strings + argv_bytes(a));
	sp -= sizeof(platform);
	uint64_t platform_at = sp;
	sp = (sp - sizeof(rnd)) & ~15UL;
	uint64_t random_at = sp;
	random_bytes(rnd, sizeof(rnd));

	size_t words = 1 + a->argc + 1 + a->envc + 1 + 2 * NAUXV;
	sp = (sp - words * 8) & ~15UL;
	uint64_t *table = kmalloc(words * 8);
	if (!table)
		return -ENOMEM;
	fill_table(table, a, strings, img, platform_at, random_at);
	err = vm_write(mm, strings, a->buf, a->used);
	if (!err)
		err = vm_write(mm, platform_at, platform, sizeof(platform));
	if (!err)
		err = vm_write(mm, random_at, rnd, sizeof(rnd));
	if (!err)
		err = vm_write(mm, sp, table, words * 8);
	kfree(table);
	*sp_out = sp;
	return err;
}
