/*
 * Mapping an ELF program, and the interpreter it names, into the new
 * address space of execve (Linux's load_elf_binary and load_elf_interp),
 * and choosing where they go:
 *
 *   ET_EXEC                 at its own addresses
 *   ET_DYN with PT_INTERP   a PIE: ELF_ET_DYN_BASE, plus a random offset
 *                           (randomize_va_space >= 1), aligned to its
 *                           largest p_align
 *   ET_DYN without one      a static PIE, or ld.so run as a program: where
 *                           mmap would put it (below the mmap base)
 *   the interpreter         ET_DYN where mmap would put it, ET_EXEC at its
 *                           own addresses
 *
 * The break starts after the program's BSS; for an ET_DYN without an
 * interpreter at ELF_ET_DYN_BASE instead (Linux moves it out of the mmap
 * area, where it would soon meet other mappings). With randomize_va_space
 * 2 it then moves up by a random number of pages below 1 GiB, after a
 * one-page gap when it follows the BSS. (This is the oracle's, Debian's
 * 6.1, which has Linux 6.9's brk code.)
 */
#include <proc/aslr.h>
#include <proc/elf.h>
#include "exec.h"
#include <fs/fs.h>
#include <lib/string.h>
#include <mm/kmalloc.h>
#include <mm/layout.h>
#include <mm/vm.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/mman.h>

/* Linux's ELF_ET_DYN_BASE on x86-64: 2/3 of the user address space. */
#define ELF_ET_DYN_BASE	(USER_TOP / 3 * 2)

ssize_t exec_elf_read(void *ctx, void *buf, size_t len, uint64_t off)
{
	return kernel_read_at(ctx, buf, len, (off_t)off);
}

static int segment_prot(uint32_t flags)
{
	return ((flags & PF_R) ? PROT_READ : 0) |
	       ((flags & PF_W) ? PROT_WRITE : 0) |
	       ((flags & PF_X) ? PROT_EXEC : 0);
}

/*
 * Map one PT_LOAD segment as Linux's elf_map does: the pages holding
 * file bytes as a private mapping of the file (its own pages, read-only
 * until written: every run of a program shares one copy of its text, and
 * QEMU's translated code stays valid from run to run), the rest of the
 * memory size as anonymous memory, and the tail of the last file page
 * after p_filesz zeroed when there is a BSS (padzero). A later segment
 * mapped over a shared boundary page replaces it, as MAP_FIXED does.
 */
static int load_segment(struct mm *mm, struct file *f,
			const struct elf64_phdr *ph, uint64_t bias)
{
	uint64_t vaddr = ph->p_vaddr + bias, file_end = vaddr + ph->p_filesz;
	uint64_t start = ALIGN_DOWN(vaddr, PAGE_SIZE);
	uint64_t file_top = ALIGN_UP(file_end, PAGE_SIZE);
	uint64_t end = ALIGN_UP(vaddr + ph->p_memsz, PAGE_SIZE);
	int prot = segment_prot(ph->p_flags), err = 0;

	if ((vaddr - ph->p_offset) % PAGE_SIZE)
		return -EINVAL;		/* vm_mmap would refuse the offset */
	if (ph->p_filesz) {
		err = vm_map_file(mm, start, file_top - start, prot, f,
				  (ph->p_offset - (vaddr - start)) / PAGE_SIZE);
		if (!err && ph->p_memsz > ph->p_filesz && file_end < file_top)
			err = vm_zero(mm, file_end, file_top - file_end);
	} else {
		file_top = start;
	}
	if (!err && file_top < end)
		err = vm_map_anon(mm, file_top, end - file_top, prot);
	return err;
}

/* Map every PT_LOAD of f at bias. */
static int load_segments(struct mm *mm, struct file *f,
			 const struct elf_image *img, uint64_t bias)
{
	int err = 0;

	for (int i = 0; i < img->phnum && !err; i++) {
		const struct elf64_phdr *ph = &img->phdrs[i];

		if (ph->p_type == PT_LOAD && ph->p_memsz)
			err = load_segment(mm, f, ph, bias);
	}
	return err;
}

/* The bias that puts an ET_DYN where mmap would (0 for ET_EXEC). */
static long mmap_bias(struct mm *mm, const struct elf_image *img,
		      uint64_t *bias)
{
	long addr;

	*bias = 0;
	if (img->type != ET_DYN)
		return 0;
	addr = vm_find_free(mm, ALIGN_UP(img->load_hi, PAGE_SIZE) -
			    img->load_lo, img->max_align);
	if (addr < 0)
		return addr;
	*bias = (uint64_t)addr - img->load_lo;
	return 0;
}

/* Where the program goes (see the table above). */
static long program_bias(struct mm *mm, const struct elf_image *img,
			 int level, uint64_t *bias)
{
	uint64_t base = ELF_ET_DYN_BASE;

	if (img->type != ET_DYN || !img->has_interp)
		return mmap_bias(mm, img, bias);
	if (level)
		base += aslr_mmap_offset();
	base = ALIGN_DOWN(base, img->max_align);
	*bias = ALIGN_DOWN(base - img->load_lo, PAGE_SIZE);
	return 0;
}

/* Where the break starts, as Linux's load_elf_binary decides. */
static uint64_t program_brk(const struct elf_image *img, uint64_t bias,
			    int level)
{
	uint64_t brk = img->load_hi + bias;
	bool moved = img->type == ET_DYN && !img->has_interp;

	if (moved)
		brk = ELF_ET_DYN_BASE;
	brk = ALIGN_UP(brk, PAGE_SIZE);
	if (level > 1) {
		if (!moved)
			brk += PAGE_SIZE;	/* a gap after the BSS */
		brk = aslr_randomize_brk(brk);
	}
	return brk;
}

int exec_load_program(struct mm *mm, struct file *f,
		      const struct elf_image *img, struct exec_image *out)
{
	int level = aslr_level();
	uint64_t bias;
	long err;

	err = program_bias(mm, img, level, &bias);
	if (!err)
		err = load_segments(mm, f, img, bias);
	if (err)
		return (int)err;
	vm_set_brk(mm, program_brk(img, bias, level));
	out->entry = out->start = img->entry + bias;
	out->phdr = img->phdr_vaddr + bias;	/* as Linux, even if 0 */
	out->phent = sizeof(struct elf64_phdr);
	out->phnum = img->phnum;
	out->base = 0;
	return 0;
}

/*
 * The interpreter's header, checked as Linux checks it before the point
 * of no return: a short file is -EIO, anything but an x86-64 ELF file
 * -ELIBBAD. Basalt then validates the rest up front as well (ELIBBAD),
 * where Linux would find a bad segment only after the point of no return
 * and kill the process.
 */
static int parse_interp(struct file *f, struct elf_image *img)
{
	struct elf64_ehdr eh;
	ssize_t n = kernel_read_at(f, &eh, sizeof(eh), 0);

	if (n < 0)
		return (int)n;
	if (n != sizeof(eh))
		return -EIO;
	if (memcmp(eh.e_ident, "\x7f" "ELF", 4) || eh.e_machine != EM_X86_64)
		return -ELIBBAD;
	if (elf_parse(img, file_size(f), exec_elf_read, f))
		return -ELIBBAD;
	return 0;
}

/* The program's PT_INTERP path (allocated, NUL-terminated), or -errno. */
static char *read_interp_path(struct file *f, const struct elf_image *img)
{
	char *path = kmalloc(img->interp_len);
	ssize_t n;

	if (!path)
		return ERR_PTR(-ENOMEM);
	n = kernel_read_at(f, path, img->interp_len, (off_t)img->interp_off);
	if (n == (ssize_t)img->interp_len && path[n - 1] == '\0')
		return path;
	kfree(path);
	return ERR_PTR(n < 0 ? (int)n : n != (ssize_t)img->interp_len ?
		       -EIO : -ENOEXEC);
}

/* Open the interpreter a program names and check it; its elf_image
 * goes to *interp. */
int exec_open_interp(struct file *f, const struct elf_image *img,
		     struct elf_image *interp, struct file **out)
{
	char *path = read_interp_path(f, img);
	struct file *i;
	int err;

	if (IS_ERR(path))
		return (int)PTR_ERR(path);
	i = kernel_open(path, O_RDONLY, true);
	kfree(path);
	if (IS_ERR(i))
		return (int)PTR_ERR(i);
	err = parse_interp(i, interp);
	if (err) {
		file_put(i);
		return err;
	}
	*out = i;
	return 0;
}

int exec_load_interp(struct mm *mm, struct file *f,
		     const struct elf_image *img, struct exec_image *out)
{
	uint64_t bias;
	long err = mmap_bias(mm, img, &bias);

	if (!err)
		err = load_segments(mm, f, img, bias);
	if (err)
		return (int)err;
	out->base = bias;		/* AT_BASE: 0 for an ET_EXEC */
	out->start = img->entry + bias;
	return 0;
}
