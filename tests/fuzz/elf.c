/*
 * elf.c - the one program in the sandbox, FZ_SANDBOX "/e0": the smallest
 * static ELF64 executable, one PT_LOAD segment whose code is exit(0). A
 * fuzzed execve of it runs the kernel's ELF loader and argument copying
 * to the end (and the worker exits, to be forked again); fuzzed writes,
 * truncations and mappings corrupt it, so later execs parse broken
 * headers.
 */
#include "fuzz.h"

#include <elf.h>
#include <string.h>

#define BASE	0x400000UL
#define CODE	(sizeof(Elf64_Ehdr) + sizeof(Elf64_Phdr))

static const uint8_t exit0[] = {
	0xb8, 0x3c, 0x00, 0x00, 0x00,	/* mov $60, %eax */
	0x31, 0xff,			/* xor %edi, %edi */
	0x0f, 0x05,			/* syscall */
};

size_t fz_tiny_elf(uint8_t *buf, size_t size)
{
	Elf64_Ehdr eh = {
		.e_ident = { ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64,
			     ELFDATA2LSB, EV_CURRENT, ELFOSABI_SYSV },
		.e_type = ET_EXEC,
		.e_machine = EM_X86_64,
		.e_version = EV_CURRENT,
		.e_entry = BASE + CODE,
		.e_phoff = sizeof(Elf64_Ehdr),
		.e_ehsize = sizeof(Elf64_Ehdr),
		.e_phentsize = sizeof(Elf64_Phdr),
		.e_phnum = 1,
	};
	Elf64_Phdr ph = {
		.p_type = PT_LOAD,
		.p_flags = PF_R | PF_X,
		.p_vaddr = BASE,
		.p_paddr = BASE,
		.p_filesz = CODE + sizeof(exit0),
		.p_memsz = CODE + sizeof(exit0),
		.p_align = 0x1000,
	};

	if (size < CODE + sizeof(exit0))
		return 0;
	memcpy(buf, &eh, sizeof(eh));
	memcpy(buf + sizeof(eh), &ph, sizeof(ph));
	memcpy(buf + CODE, exit0, sizeof(exit0));
	return CODE + sizeof(exit0);
}
