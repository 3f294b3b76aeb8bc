/*
 * tls.c - thread-local storage: the program's TLS image (its PT_TLS
 * segment), the layout of a thread's TLS block under its control block
 * (internal/thread.h), and the main thread's setup at start.
 *
 * The linker resolves a __thread variable of a static program to a
 * fixed negative offset from the thread pointer: the variable's offset
 * in the PT_TLS segment minus the segment's size, rounded up so that the
 * block ends aligned (the rounding musl and glibc use for variant II).
 * So every thread's block is a copy of the image (.tdata), zeroes for
 * .tbss, and the control block right after it, at an address aligned to
 * the segment's alignment.
 *
 * The main thread's area is a static buffer when it fits (always, unless
 * the program has large __thread arrays), else a mapping. Nothing here
 * may touch errno or any other TLS before the FS base is set.
 */
#include <stdint.h>
#include <string.h>
#include <sys/auxv.h>
#include "../internal/syscall.h"
#include "../internal/thread.h"

#define PT_PHDR		6
#define PT_TLS		7
#define ARCH_SET_FS	0x1002
#define TCB_ALIGN	16UL

struct elf64_phdr {
	uint32_t p_type, p_flags;
	uint64_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
};

/* The program's TLS image, read once at start. */
static struct {
	const unsigned char *image;	/* .tdata's initial contents */
	size_t filesz;			/* bytes to copy from image */
	size_t size;			/* the block: memsz, rounded */
	size_t align;			/* of the block's end (the TP) */
} tls = { .align = TCB_ALIGN };

int __basalt_live_threads = 1;

static unsigned char main_area[4096] __attribute__((aligned(64)));

/* Finds the PT_TLS segment through the auxiliary vector's AT_PHDR. */
static void tls_find_image(unsigned long *auxv)
{
	unsigned long phdr = 0, phnum = 0, phent = sizeof(struct elf64_phdr);
	const struct elf64_phdr *t = NULL;
	uintptr_t bias = 0;

	for (unsigned long *a = auxv; a[0] != AT_NULL; a += 2) {
		if (a[0] == AT_PHDR)
			phdr = a[1];
		else if (a[0] == AT_PHNUM)
			phnum = a[1];
		else if (a[0] == AT_PHENT)
			phent = a[1];
	}
	for (unsigned long i = 0; phdr && i < phnum; i++) {
		const struct elf64_phdr *ph =
			(const struct elf64_phdr *)(phdr + i * phent);

		if (ph->p_type == PT_PHDR)	/* a relocated program */
			bias = phdr - ph->p_vaddr;
		else if (ph->p_type == PT_TLS)
			t = ph;
	}
	if (!t)
		return;
	size_t align = t->p_align > 1 ? t->p_align : 1;
	tls.image = (const unsigned char *)(bias + t->p_vaddr);
	tls.filesz = t->p_filesz;
	/* Rounded so that the block's end, where the TP goes, is aligned. */
	tls.size = t->p_memsz +
		   ((-t->p_memsz - (uintptr_t)tls.image) & (align - 1));
	if (align > tls.align)
		tls.align = align;
}

size_t __basalt_tls_area_size(void)
{
	return tls.size + sizeof(struct basalt_thread) + tls.align;
}

struct basalt_thread *__basalt_tls_place(void *base)
{
	uintptr_t end = (uintptr_t)base + __basalt_tls_area_size();
	uintptr_t tp = (end - sizeof(struct basalt_thread)) & -tls.align;
	struct basalt_thread *self = (struct basalt_thread *)tp;

	memcpy((void *)(tp - tls.size), tls.image, tls.filesz);
	self->self = self;
	return self;
}

/* No thread pointer, no errno: say why on stderr and end the process. */
static _Noreturn void tls_fail(const char *why, size_t len)
{
	sys_call3(SYS_write, 2, (long)why, (long)len);
	for (;;)
		sys_call1(SYS_exit_group, 127);
}

void __basalt_tls_init(unsigned long *auxv)
{
	static const char nomem[] = "libbasalt: no memory for the TLS block\n";
	static const char nofs[] = "libbasalt: arch_prctl(ARCH_SET_FS) failed\n";
	void *area = main_area;

	tls_find_image(auxv);
	if (__basalt_tls_area_size() > sizeof(main_area)) {
		long r = sys_call6(SYS_mmap, 0, (long)__basalt_tls_area_size(),
				   3 /* PROT_READ|PROT_WRITE */,
				   0x22 /* MAP_PRIVATE|MAP_ANONYMOUS */, -1, 0);
		if ((unsigned long)r > -4096UL)
			tls_fail(nomem, sizeof(nomem) - 1);
		area = (void *)r;
	}
	struct basalt_thread *self = __basalt_tls_place(area);
	self->tid = self->id = (int)sys_call0(SYS_gettid);
	if (sys_call2(SYS_arch_prctl, ARCH_SET_FS, (long)self) != 0)
		tls_fail(nofs, sizeof(nofs) - 1);
}
