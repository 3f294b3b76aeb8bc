/*
 * ELF64 executables (kernel/proc/elf.c): the file format as execve needs
 * it, and a pure parser that validates a file's headers before anything
 * of the old program is torn down. The parser touches no kernel state;
 * it reads the file only through the callback it is given.
 */
#ifndef BASALT_PROC_ELF_H
#define BASALT_PROC_ELF_H

#include <types.h>
#include <mm/layout.h>

/* System V gABI ELF64 file header. */
struct elf64_ehdr {
	uint8_t e_ident[16];
	uint16_t e_type;
	uint16_t e_machine;
	uint32_t e_version;
	uint64_t e_entry;
	uint64_t e_phoff;
	uint64_t e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize;
	uint16_t e_phentsize;
	uint16_t e_phnum;
	uint16_t e_shentsize;
	uint16_t e_shnum;
	uint16_t e_shstrndx;
};

/* Program header: one segment. */
struct elf64_phdr {
	uint32_t p_type;
	uint32_t p_flags;
	uint64_t p_offset;
	uint64_t p_vaddr;
	uint64_t p_paddr;
	uint64_t p_filesz;
	uint64_t p_memsz;
	uint64_t p_align;
};

_Static_assert(sizeof(struct elf64_ehdr) == 64, "ELF64 header");
_Static_assert(sizeof(struct elf64_phdr) == 56, "ELF64 program header");

#define EI_CLASS	4
#define EI_DATA		5
#define EI_VERSION	6
#define ELFCLASS64	2
#define ELFDATA2LSB	1
#define EV_CURRENT	1

#define ET_EXEC		2
#define ET_DYN		3
#define EM_X86_64	62

#define PT_NULL		0
#define PT_LOAD		1
#define PT_DYNAMIC	2
#define PT_INTERP	3
#define PT_NOTE		4
#define PT_PHDR		6
#define PT_TLS		7
#define PT_GNU_STACK	0x6474e551
#define PT_GNU_RELRO	0x6474e552

#define PF_X		0x1
#define PF_W		0x2
#define PF_R		0x4

/* Linux reads at most one page of program headers: 73 entries. */
#define ELF_MAX_PHNUM	(PAGE_SIZE / sizeof(struct elf64_phdr))
/* The longest PT_INTERP path, its NUL included (Linux's PATH_MAX). */
#define ELF_INTERP_MAX	4096
/* Nothing may be mapped below Linux's default vm.mmap_min_addr. */
#define ELF_MIN_VADDR	0x10000UL

/*
 * Read len bytes at offset off of the file into buf. Returns the number
 * of bytes read (short only at end of file) or -errno.
 */
typedef ssize_t (*elf_read_fn)(void *ctx, void *buf, size_t len,
			       uint64_t off);

/*
 * What execve needs to know about a valid executable. Addresses are as
 * written in the file; for ET_DYN the loader adds a load bias, a multiple
 * of max_align, to every one of them (Linux: AT_PHDR = phdr_vaddr + bias,
 * AT_ENTRY = entry + bias, AT_PHENT = sizeof(struct elf64_phdr)).
 */
struct elf_image {
	uint16_t type;		/* ET_EXEC, or ET_DYN (PIE, shared object) */
	uint64_t entry;		/* e_entry */
	uint64_t phdr_vaddr;	/* where the PT_LOAD holding e_phoff maps
				   the program headers; 0 if none does */
	uint16_t phnum;		/* entries in phdrs[] (AT_PHNUM) */
	uint64_t load_lo;	/* lowest PT_LOAD vaddr, rounded down to a page */
	uint64_t load_hi;	/* highest PT_LOAD vaddr + memsz (brk starts
				   at its page-rounded value) */
	uint64_t max_align;	/* largest power-of-two PT_LOAD p_align,
				   at least PAGE_SIZE */
	bool exec_stack;	/* PT_GNU_STACK with PF_X (default: no) */
	bool has_interp;	/* a PT_INTERP names the dynamic loader: */
	uint64_t interp_off;	/* its path's bytes in the file, NUL */
	uint64_t interp_len;	/* included (the first PT_INTERP only) */
	bool has_tls;		/* a PT_TLS segment exists: tls is valid */
	struct elf64_phdr tls;
	/*
	 * Every program header as read. The loader maps each PT_LOAD with
	 * p_memsz > 0; they are sorted by p_vaddr and do not overlap, but
	 * two may share a page at their boundary.
	 */
	struct elf64_phdr phdrs[ELF_MAX_PHNUM];
};

/*
 * Validate the ELF64 executable of file_size bytes read through
 * read(ctx, ...) and describe it in *img (about 4 KiB: allocate it, do
 * not put it on the stack). Returns 0, or -ENOEXEC for anything that is
 * not a well-formed static x86-64 executable: bad identification, type
 * or machine; program headers of the wrong size, too many, or outside the
 * file; a PT_LOAD with p_filesz > p_memsz, p_offset and p_vaddr not
 * congruent modulo the page size, file bytes past the end of the file, an
 * address range that overflows or leaves user space (or starts below
 * ELF_MIN_VADDR for ET_EXEC), or that is out of order or overlaps the
 * previous one; no PT_LOAD at all; an entry point outside user space; a
 * first PT_INTERP whose path is shorter than 2 or longer than PATH_MAX
 * bytes (Linux's limits) or lies outside the file. A failing read is
 * -ENOEXEC too. (Whether the path ends in its NUL is execve's check.)
 */
int elf_parse(struct elf_image *img, uint64_t file_size, elf_read_fn read,
	      void *ctx);

#endif
