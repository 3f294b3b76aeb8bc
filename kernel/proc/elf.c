/*
 * The ELF64 parser of execve: reads an executable's file header and
 * program headers through a callback and checks everything the loader
 * will rely on, so that execve can fail cleanly with ENOEXEC before the
 * old program is destroyed. (Linux checks less up front and kills the
 * process when a bad segment shows up after the point of no return; a
 * file it would run, Basalt runs too.) The same parser checks a dynamic
 * program's interpreter (ld.so).
 *
 * Pure code: no kernel state, no allocation, so it is unit-tested on the
 * host (tests/unit/test_elf.c).
 */
#include <types.h>
#include <uapi/errno.h>
#include <lib/string.h>
#include <proc/elf.h>

static const uint8_t elf_magic[4] = { 0x7f, 'E', 'L', 'F' };

/* Read exactly len bytes at off; any error or short read is ENOEXEC. */
static int read_exact(elf_read_fn read, void *ctx, void *buf, size_t len,
		      uint64_t off)
{
	ssize_t n = read(ctx, buf, len, off);

	return n == (ssize_t)len ? 0 : -ENOEXEC;
}

static int check_ehdr(const struct elf64_ehdr *eh)
{
	if (memcmp(eh->e_ident, elf_magic, sizeof(elf_magic)) != 0 ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh->e_ident[EI_VERSION] != EV_CURRENT)
		return -ENOEXEC;
	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
		return -ENOEXEC;
	if (eh->e_machine != EM_X86_64)
		return -ENOEXEC;
	if (eh->e_phentsize != sizeof(struct elf64_phdr) ||
	    eh->e_phnum == 0 || eh->e_phnum > ELF_MAX_PHNUM)
		return -ENOEXEC;
	return 0;
}

static bool is_power_of_2(uint64_t x)
{
	return x != 0 && (x & (x - 1)) == 0;
}

/*
 * Check one PT_LOAD with p_memsz > 0 against the file, user space and
 * the previous segment's end (*prev_end), which it then advances.
 */
static int check_load(const struct elf64_phdr *ph, uint16_t type,
		      uint64_t file_size, uint64_t *prev_end)
{
	if (ph->p_filesz > ph->p_memsz)
		return -ENOEXEC;
	if ((ph->p_offset & (PAGE_SIZE - 1)) != (ph->p_vaddr & (PAGE_SIZE - 1)))
		return -ENOEXEC;
	if (ph->p_offset > file_size || ph->p_filesz > file_size - ph->p_offset)
		return -ENOEXEC;
	if (ph->p_vaddr >= USER_TOP || ph->p_memsz > USER_TOP - ph->p_vaddr)
		return -ENOEXEC;
	if (type == ET_EXEC && ph->p_vaddr < ELF_MIN_VADDR)
		return -ENOEXEC;
	if (ph->p_vaddr < *prev_end)
		return -ENOEXEC;
	*prev_end = ph->p_vaddr + ph->p_memsz;
	return 0;
}

/* Record what a loadable segment contributes to the image's summary. */
static void note_load(struct elf_image *img, const struct elf64_phdr *ph,
		      uint64_t phoff, bool first)
{
	if (first)
		img->load_lo = ALIGN_DOWN(ph->p_vaddr, PAGE_SIZE);
	img->load_hi = ph->p_vaddr + ph->p_memsz;
	/* Linux skips alignments that are not powers of two as invalid. */
	if (is_power_of_2(ph->p_align) && ph->p_align > img->max_align)
		img->max_align = ph->p_align;
	/* As Linux 5.18+: the last PT_LOAD whose file bytes hold them. */
	if (ph->p_offset <= phoff && phoff - ph->p_offset < ph->p_filesz)
		img->phdr_vaddr = phoff - ph->p_offset + ph->p_vaddr;
}

/* The first PT_INTERP names the interpreter (later ones are ignored,
 * as by Linux); its length is checked as Linux checks it. */
static int note_interp(struct elf_image *img, const struct elf64_phdr *ph,
		       uint64_t file_size)
{
	if (img->has_interp)
		return 0;
	if (ph->p_filesz < 2 || ph->p_filesz > ELF_INTERP_MAX)
		return -ENOEXEC;
	if (ph->p_offset > file_size || ph->p_filesz > file_size - ph->p_offset)
		return -ENOEXEC;
	img->has_interp = true;
	img->interp_off = ph->p_offset;
	img->interp_len = ph->p_filesz;
	return 0;
}

/* Walk the program headers, validating and summarising them. */
static int scan_phdrs(struct elf_image *img, uint64_t phoff,
		      uint64_t file_size)
{
	uint64_t prev_end = 0;
	bool seen_load = false;

	for (unsigned int i = 0; i < img->phnum; i++) {
		const struct elf64_phdr *ph = &img->phdrs[i];
		int err;

		switch (ph->p_type) {
		case PT_INTERP:
			err = note_interp(img, ph, file_size);
			if (err)
				return err;
			break;
		case PT_GNU_STACK:
			img->exec_stack = (ph->p_flags & PF_X) != 0;
			break;
		case PT_TLS:
			if (!img->has_tls) {
				img->has_tls = true;
				img->tls = *ph;
			}
			break;
		case PT_LOAD:
			if (ph->p_memsz == 0) {
				/* Linux maps nothing for it. */
				if (ph->p_filesz != 0)
					return -ENOEXEC;
				break;
			}
			err = check_load(ph, img->type, file_size, &prev_end);
			if (err)
				return err;
			note_load(img, ph, phoff, !seen_load);
			seen_load = true;
			break;
		}
	}
	return seen_load ? 0 : -ENOEXEC;
}

int elf_parse(struct elf_image *img, uint64_t file_size, elf_read_fn read,
	      void *ctx)
{
	struct elf64_ehdr eh;
	size_t ph_bytes;
	int err;

	memset(img, 0, sizeof(*img));
	if (file_size < sizeof(eh) ||
	    read_exact(read, ctx, &eh, sizeof(eh), 0) != 0)
		return -ENOEXEC;
	err = check_ehdr(&eh);
	if (err)
		return err;
	ph_bytes = (size_t)eh.e_phnum * sizeof(struct elf64_phdr);
	if (eh.e_phoff > file_size || ph_bytes > file_size - eh.e_phoff)
		return -ENOEXEC;
	if (read_exact(read, ctx, img->phdrs, ph_bytes, eh.e_phoff) != 0)
		return -ENOEXEC;
	img->type = eh.e_type;
	img->entry = eh.e_entry;
	img->phnum = eh.e_phnum;
	img->max_align = PAGE_SIZE;
	err = scan_phdrs(img, eh.e_phoff, file_size);
	if (err == 0 && img->entry >= USER_TOP)
		err = -ENOEXEC;
	if (err)
		memset(img, 0, sizeof(*img));
	return err;
}
