/*
 * The ELF layout of a core file, as Linux's elf_core_dump writes it:
 *
 *   ELF header (ET_CORE) | program headers: PT_NOTE, then one PT_LOAD
 *   per memory area in address order | the notes | padding to a page |
 *   each area's dumped bytes, one after the other
 *
 * Every area gets a PT_LOAD (p_memsz its size); p_filesz says how much of
 * it is in the file, chosen as Linux's vma_dump_size chooses with the
 * default coredump_filter (0x33): all of anonymous memory, private or
 * shared, and the vDSO; of a private file mapping, all of it if it has
 * pages of its own (copies made on write: Linux's anon_vma), else only a
 * first page holding an ELF header (gdb finds the rest in the program);
 * nothing of shared file mappings or [vvar]. Pages never
 * touched are holes (sparse), and holes do not count against RLIMIT_CORE
 * (Linux counts only bytes written).
 */
#include "coredump_internal.h"
#include <proc/elf.h>
#include <proc/task.h>
#include <fs/fs.h>
#include <lib/string.h>
#include <mm/kmalloc.h>
#include <mm/page.h>
#include <mm/vm.h>
#include <uapi/elfcore.h>
#include <uapi/errno.h>
#include <uapi/mman.h>

static int emit(struct core_dump *cd, const void *buf, size_t len)
{
	ssize_t n;

	if (cd->written + len > cd->limit)
		return -EFBIG;
	n = kernel_write_at(cd->file, buf, len, (off_t)cd->pos);
	if (n < 0)
		return (int)n;
	if ((size_t)n != len)
		return -EIO;
	cd->pos += len;
	cd->written += len;
	cd->file_end = cd->pos;
	return 0;
}

static bool is_elf_page(const uint8_t *p)
{
	return p[0] == 0x7f && p[1] == 'E' && p[2] == 'L' && p[3] == 'F';
}

static bool named(const struct vm_area_info *a, const char *name)
{
	return !a->file && a->name && !strcmp(a->name, name);
}

/* How many bytes of area a go into the file (page is scratch). */
static uint64_t dump_size(struct core_dump *cd, const struct vm_area_info *a,
			  void *page)
{
	uint64_t whole = a->end - a->start;

	if (named(a, "[vvar]"))
		return 0;
	if (!a->file)
		return whole;	/* anonymous, shared anonymous, vDSO */
	if (a->shared)
		return 0;
	if (vm_area_has_private_pages(cd->mm, a->start, a->end))
		return whole;
	if (a->offset == 0 && (a->prot & PROT_READ) &&
	    vm_dump_page(cd->mm, a->start, page) == 1 && is_elf_page(page))
		return PAGE_SIZE;
	return 0;
}

static uint32_t phdr_flags(int prot)
{
	return ((prot & PROT_READ) ? PF_R : 0) |
	       ((prot & PROT_WRITE) ? PF_W : 0) |
	       ((prot & PROT_EXEC) ? PF_X : 0);
}

/* The headers: ELF header, PT_NOTE, a PT_LOAD per area (sizes[i]). */
static int write_headers(struct core_dump *cd, size_t notes_len,
			 const uint64_t *sizes)
{
	size_t nph = cd->nareas + 1;
	uint64_t off = sizeof(struct elf64_ehdr) + nph * sizeof(struct elf64_phdr);
	struct elf64_ehdr eh = {
		.e_ident = { 0x7f, 'E', 'L', 'F', ELFCLASS64, ELFDATA2LSB,
			     EV_CURRENT },
		.e_type = ET_CORE, .e_machine = EM_X86_64,
		.e_version = EV_CURRENT, .e_phoff = sizeof(eh),
		.e_ehsize = sizeof(eh),
		.e_phentsize = sizeof(struct elf64_phdr),
		.e_phnum = (uint16_t)nph,
	};
	struct elf64_phdr ph = { .p_type = PT_NOTE, .p_offset = off,
				 .p_filesz = notes_len };
	int err = emit(cd, &eh, sizeof(eh));

	if (!err)
		err = emit(cd, &ph, sizeof(ph));
	off = (off + notes_len + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
	for (size_t i = 0; i < cd->nareas && !err; i++) {
		const struct vm_area_info *a = &cd->areas[i];

		ph = (struct elf64_phdr){
			.p_type = PT_LOAD, .p_flags = phdr_flags(a->prot),
			.p_offset = off, .p_vaddr = a->start,
			.p_filesz = sizes[i], .p_memsz = a->end - a->start,
			.p_align = PAGE_SIZE,
		};
		err = emit(cd, &ph, sizeof(ph));
		off += sizes[i];
	}
	return err;
}

/* size bytes of area a, page by page; untouched pages become holes. */
static int write_area(struct core_dump *cd, const struct vm_area_info *a,
		      uint64_t size, void *page)
{
	for (uint64_t va = a->start; va < a->start + size; va += PAGE_SIZE) {
		int r = vm_dump_page(cd->mm, va, page);

		if (r == 1)
			r = emit(cd, page, PAGE_SIZE);
		else
			cd->pos += PAGE_SIZE;	/* a hole */
		if (r < 0)
			return r;
		if (fatal_signal_pending())
			return -EINTR;	/* Linux's dump_interrupted */
	}
	return 0;
}

static int write_body(struct core_dump *cd, uint64_t *sizes, void *page)
{
	size_t notes_len;
	void *notes = core_notes_build(cd, &notes_len);
	int err;

	if (!notes)
		return -ENOMEM;
	for (size_t i = 0; i < cd->nareas; i++)
		sizes[i] = dump_size(cd, &cd->areas[i], page);
	err = write_headers(cd, notes_len, sizes);
	if (!err)
		err = emit(cd, notes, notes_len);
	kfree(notes);
	cd->pos = (cd->pos + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
	for (size_t i = 0; i < cd->nareas && !err; i++)
		err = write_area(cd, &cd->areas[i], sizes[i], page);
	return err;
}

int core_elf_write(struct core_dump *cd)
{
	uint64_t *sizes = kmalloc(MAX(cd->nareas, (size_t)1) * sizeof(*sizes));
	void *page = kmalloc(PAGE_SIZE);
	uint64_t end;
	int err = -ENOMEM;

	if (sizes && page)
		err = write_body(cd, sizes, page);
	/* A file ending in a hole still has its full size (Linux writes
	 * the last byte for the same reason). */
	end = cd->pos;
	if (!err && end > cd->file_end) {
		static const char zero;

		cd->pos = end - 1;
		err = emit(cd, &zero, 1);
	}
	kfree(sizes);
	kfree(page);
	return err;
}
