// UNIT_SOURCES: kernel/proc/elf.c
/*
 * The ELF64 parser of execve: valid executables (ET_EXEC, static-PIE
 * ET_DYN, a PT_INTERP) built in memory are described correctly, and every
 * kind of malformed file is refused with ENOEXEC. A random-mutation run
 * checks that no input makes the parser read outside its buffers (ASan)
 * or accept a file that breaks the promises of proc/elf.h.
 */
#include <stdio.h>
#include <string.h>
#include <uapi/errno.h>
#include <proc/elf.h>
#include "unit.h"

#define FILE_MAX 0x4000

/* The file being parsed, and how reading it may fail. */
static uint8_t file[FILE_MAX];
static uint64_t file_size;
static int read_calls, fail_read_call = -1;

static struct elf64_ehdr *eh = (struct elf64_ehdr *)file;
static struct elf64_phdr *const ph = (struct elf64_phdr *)(file + 64);

static ssize_t mem_read(void *ctx, void *buf, size_t len, uint64_t off)
{
	(void)ctx;
	if (read_calls++ == fail_read_call)
		return -EIO;
	if (off >= file_size)
		return 0;
	len = MIN(len, file_size - off);
	memcpy(buf, file + off, len);
	return (ssize_t)len;
}

static struct elf_image img_storage;
static struct elf_image *const img = &img_storage;

static int parse(void)
{
	read_calls = 0;
	return elf_parse(img, file_size, mem_read, NULL);
}

static void set_ph(int i, uint32_t type, uint32_t flags, uint64_t off,
		   uint64_t vaddr, uint64_t filesz, uint64_t memsz,
		   uint64_t align)
{
	ph[i] = (struct elf64_phdr){ type, flags, off, vaddr, vaddr,
				     filesz, memsz, align };
}

static void set_ehdr(uint16_t type, uint64_t entry, uint16_t phnum)
{
	memset(eh, 0, sizeof(*eh));
	memcpy(eh->e_ident, "\x7f" "ELF", 4);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = type;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_entry = entry;
	eh->e_phoff = 64;
	eh->e_ehsize = 64;
	eh->e_phentsize = sizeof(struct elf64_phdr);
	eh->e_phnum = phnum;
}

/*
 * A static ET_EXEC like gcc -static makes: headers + rodata, text,
 * data + bss, TLS inside the data, a non-executable stack.
 */
static void build_exec(void)
{
	memset(file, 0, sizeof(file));
	file_size = 0x3000;
	set_ehdr(ET_EXEC, 0x401000, 5);
	set_ph(0, PT_LOAD, PF_R, 0, 0x400000, 0x1000, 0x1000, 0x1000);
	set_ph(1, PT_LOAD, PF_R | PF_X, 0x1000, 0x401000, 0x1000, 0x1000,
	       0x1000);
	set_ph(2, PT_LOAD, PF_R | PF_W, 0x2010, 0x402010, 0x100, 0x2000,
	       0x1000);
	set_ph(3, PT_TLS, PF_R, 0x2010, 0x402010, 0x10, 0x20, 8);
	set_ph(4, PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 16);
}

/* A static PIE: vaddrs from 0, a PT_PHDR, 2 MiB segment alignment. */
static void build_dyn(void)
{
	memset(file, 0, sizeof(file));
	file_size = 0x3000;
	set_ehdr(ET_DYN, 0x1040, 4);
	set_ph(0, PT_PHDR, PF_R, 64, 64, 4 * 56, 4 * 56, 8);
	set_ph(1, PT_LOAD, PF_R | PF_X, 0, 0, 0x2000, 0x2000, 0x200000);
	set_ph(2, PT_LOAD, PF_R | PF_W, 0x2000, 0x203000, 0x800, 0x5000,
	       0x200000);
	set_ph(3, PT_GNU_STACK, PF_R | PF_W | PF_X, 0, 0, 0, 0, 16);
}

static void test_valid_exec(void)
{
	build_exec();
	UT_ASSERT_EQ(parse(), 0);
	UT_ASSERT_EQ(img->type, ET_EXEC);
	UT_ASSERT_EQ(img->entry, 0x401000);
	UT_ASSERT_EQ(img->phnum, 5);
	UT_ASSERT_EQ(img->phdr_vaddr, 0x400040);
	UT_ASSERT_EQ(img->load_lo, 0x400000);
	UT_ASSERT_EQ(img->load_hi, 0x404010);
	UT_ASSERT_EQ(img->max_align, 0x1000);
	UT_ASSERT(!img->exec_stack);
	UT_ASSERT(img->has_tls);
	UT_ASSERT_EQ(img->tls.p_memsz, 0x20);
	UT_ASSERT(memcmp(img->phdrs, ph, 5 * sizeof(*ph)) == 0);
	UT_ASSERT_EQ(read_calls, 2);
}

static void test_valid_static_pie(void)
{
	build_dyn();
	UT_ASSERT_EQ(parse(), 0);
	UT_ASSERT_EQ(img->type, ET_DYN);
	UT_ASSERT_EQ(img->entry, 0x1040);
	UT_ASSERT_EQ(img->phdr_vaddr, 64);
	UT_ASSERT_EQ(img->load_lo, 0);
	UT_ASSERT_EQ(img->load_hi, 0x208000);
	UT_ASSERT_EQ(img->max_align, 0x200000);
	UT_ASSERT(img->exec_stack);
	UT_ASSERT(!img->has_tls);
}

/* Accepted oddities: Linux runs these files too. */
static void test_valid_variants(void)
{
	build_exec();		/* no PT_GNU_STACK: stack not executable */
	ph[4].p_type = PT_NOTE;
	UT_ASSERT_EQ(parse(), 0);
	UT_ASSERT(!img->exec_stack);

	build_exec();		/* a PT_LOAD of zero size maps nothing */
	set_ph(4, PT_LOAD, PF_R, 0x2fff, 0x3000, 0, 0, 0x1000);
	UT_ASSERT_EQ(parse(), 0);
	UT_ASSERT_EQ(img->load_hi, 0x404010);

	build_exec();		/* non-power-of-two alignment is ignored */
	ph[1].p_align = 0x3000;
	UT_ASSERT_EQ(parse(), 0);
	UT_ASSERT_EQ(img->max_align, 0x1000);

	build_exec();		/* headers in no segment: AT_PHDR 0 + bias */
	ph[0].p_offset = 0x1000;
	ph[0].p_vaddr = 0x3ff000;
	ph[0].p_filesz = ph[0].p_memsz = 0x10;
	UT_ASSERT_EQ(parse(), 0);
	UT_ASSERT_EQ(img->phdr_vaddr, 0);

	build_exec();		/* segments may touch exactly */
	ph[2].p_offset = 0x2000;
	ph[2].p_vaddr = 0x402000;
	UT_ASSERT_EQ(parse(), 0);
}

static void test_max_phnum(void)
{
	build_exec();
	eh->e_phnum = ELF_MAX_PHNUM;	/* the rest are PT_NULL */
	UT_ASSERT_EQ(parse(), 0);
	UT_ASSERT_EQ(img->phnum, ELF_MAX_PHNUM);

	build_exec();
	eh->e_phnum = ELF_MAX_PHNUM + 1;
	UT_ASSERT_EQ(parse(), -ENOEXEC);
	eh->e_phnum = 0xffff;
	UT_ASSERT_EQ(parse(), -ENOEXEC);
	eh->e_phnum = 0;
	UT_ASSERT_EQ(parse(), -ENOEXEC);
}

#define EXPECT_NOEXEC(mutation)						\
	do {								\
		build_exec();						\
		mutation;						\
		UT_ASSERT_EQ(parse(), -ENOEXEC);			\
	} while (0)

static void test_bad_ident(void)
{
	EXPECT_NOEXEC(file[0] = 0x7e);
	EXPECT_NOEXEC(file[3] = 'f');
	EXPECT_NOEXEC(eh->e_ident[EI_CLASS] = 1);	/* ELFCLASS32 */
	EXPECT_NOEXEC(eh->e_ident[EI_CLASS] = 0);
	EXPECT_NOEXEC(eh->e_ident[EI_DATA] = 2);	/* big endian */
	EXPECT_NOEXEC(eh->e_ident[EI_VERSION] = 0);
	EXPECT_NOEXEC(memcpy(file, "#!/bin/sh\n", 10));
}

static void test_bad_type_machine(void)
{
	EXPECT_NOEXEC(eh->e_type = 1);			/* ET_REL */
	EXPECT_NOEXEC(eh->e_type = 4);			/* ET_CORE */
	EXPECT_NOEXEC(eh->e_type = 0);
	EXPECT_NOEXEC(eh->e_machine = 3);		/* EM_386 */
	EXPECT_NOEXEC(eh->e_machine = 183);		/* EM_AARCH64 */
	EXPECT_NOEXEC(eh->e_phentsize = 32);
	EXPECT_NOEXEC(eh->e_phentsize = 57);
}

static void test_truncated(void)
{
	EXPECT_NOEXEC(file_size = 0);
	EXPECT_NOEXEC(file_size = 40);			/* mid-header */
	EXPECT_NOEXEC(file_size = 64);			/* no phdrs */
	EXPECT_NOEXEC(file_size = 64 + 5 * 56 - 1);	/* last one cut */
	EXPECT_NOEXEC(eh->e_phoff = 0x3000 - 100);	/* phdrs past EOF */
	EXPECT_NOEXEC(eh->e_phoff = ~0ULL - 8);		/* offset overflow */
	EXPECT_NOEXEC(eh->e_phoff = 0x10000);
}

static void test_read_errors(void)
{
	EXPECT_NOEXEC(fail_read_call = 0);		/* header read */
	EXPECT_NOEXEC(fail_read_call = 1);		/* phdr read */
	fail_read_call = -1;
}

static void test_bad_segment_sizes(void)
{
	EXPECT_NOEXEC(ph[2].p_filesz = 0x2001);		/* filesz > memsz */
	EXPECT_NOEXEC(ph[0].p_memsz = 0);		/* filesz > memsz 0 */
	EXPECT_NOEXEC(ph[1].p_offset = 0x1800);		/* not congruent */
	EXPECT_NOEXEC(ph[1].p_vaddr = 0x401800);
	EXPECT_NOEXEC(ph[2].p_offset = 0x3010);		/* beyond the file */
	EXPECT_NOEXEC(ph[2].p_filesz = 0xff1);		/* ends past EOF */
	EXPECT_NOEXEC(ph[2].p_offset = ~0xfefULL);	/* off + size wraps */
}

static void test_bad_segment_addresses(void)
{
	EXPECT_NOEXEC(ph[2].p_memsz = USER_TOP);	/* leaves user space */
	EXPECT_NOEXEC(ph[2].p_vaddr = USER_TOP + 0x10;
		      ph[2].p_offset = 0x2010);
	EXPECT_NOEXEC(ph[2].p_vaddr = 0xfffffffffffff010ULL);
	EXPECT_NOEXEC(ph[2].p_vaddr = USER_TOP - 0x1ff0;
		      ph[2].p_memsz = 0x2000);		/* crosses the top */
	EXPECT_NOEXEC(ph[2].p_vaddr = 0x7fffffffe010ULL;
		      ph[2].p_memsz = ~0ULL - 0x100);	/* vaddr + memsz wraps */
	EXPECT_NOEXEC(ph[0].p_vaddr = 0; ph[1].p_vaddr = 0x1000;
		      ph[2].p_vaddr = 0x2010);		/* ET_EXEC at page 0 */
	EXPECT_NOEXEC(eh->e_entry = USER_TOP);
	EXPECT_NOEXEC(eh->e_entry = 0xffffffff80000000ULL);
}

static void test_overlap_and_order(void)
{
	EXPECT_NOEXEC(ph[1].p_vaddr = 0x400800;
		      ph[1].p_offset = 0x800);		/* overlaps ph[0] */
	EXPECT_NOEXEC(ph[2].p_vaddr = 0x401010);	/* inside ph[1] */
	EXPECT_NOEXEC(ph[2].p_vaddr = 0x3f0010;
		      ph[2].p_memsz = 0x100);		/* out of order */
	EXPECT_NOEXEC(struct elf64_phdr t = ph[0]; ph[0] = ph[1];
		      ph[1] = t);			/* swapped */
	EXPECT_NOEXEC(ph[1] = ph[0]);			/* duplicated */
}

static void test_no_load(void)
{
	EXPECT_NOEXEC(for (int i = 0; i < 3; i++) ph[i].p_type = PT_NOTE);
	EXPECT_NOEXEC(for (int i = 0; i < 3; i++) ph[i].p_memsz =
		      ph[i].p_filesz = 0);
}

/* A dynamically linked PIE: the first PT_INTERP is recorded. */
static void test_interp(void)
{
	build_dyn();
	set_ph(3, PT_INTERP, PF_R, 0x200, 0x200, 28, 28, 1);
	UT_ASSERT_EQ(parse(), 0);
	UT_ASSERT(img->has_interp);
	UT_ASSERT_EQ(img->interp_off, 0x200);
	UT_ASSERT_EQ(img->interp_len, 28);
	build_exec();
	UT_ASSERT_EQ(parse(), 0);
	UT_ASSERT(!img->has_interp);
	set_ph(4, PT_INTERP, PF_R, 0x300, 0x400300, 2, 2, 1);
	UT_ASSERT_EQ(parse(), 0);
	UT_ASSERT_EQ(img->interp_len, 2);
	EXPECT_NOEXEC(set_ph(4, PT_INTERP, PF_R, 0x200, 0x400200, 1, 1, 1));
	EXPECT_NOEXEC(set_ph(4, PT_INTERP, PF_R, 0, 0x400000,
			     ELF_INTERP_MAX + 1, ELF_INTERP_MAX + 1, 1));
	EXPECT_NOEXEC(set_ph(4, PT_INTERP, PF_R, 0x2ff0, 0x402ff0, 0x20,
			     0x20, 1));		/* past the end of the file */
}

/* A failed parse leaves no half-filled description behind. */
static void test_failure_clears_image(void)
{
	build_exec();
	UT_ASSERT_EQ(parse(), 0);
	ph[2].p_filesz = 0x2001;
	UT_ASSERT_EQ(parse(), -ENOEXEC);
	UT_ASSERT_EQ(img->entry, 0);
	UT_ASSERT_EQ(img->phnum, 0);
}

/* What elf.h promises about any file the parser accepts. */
static void check_promises(void)
{
	uint64_t prev_end = 0;
	bool any = false;

	UT_ASSERT(img->phnum >= 1 && img->phnum <= ELF_MAX_PHNUM);
	UT_ASSERT(img->entry < USER_TOP);
	for (unsigned int i = 0; i < img->phnum; i++) {
		const struct elf64_phdr *p = &img->phdrs[i];

		if (img->has_interp)
			UT_ASSERT(img->interp_len >= 2 &&
				  img->interp_off + img->interp_len <= file_size);
		if (p->p_type != PT_LOAD || p->p_memsz == 0)
			continue;
		UT_ASSERT(p->p_filesz <= p->p_memsz);
		UT_ASSERT(p->p_offset + p->p_filesz <= file_size);
		UT_ASSERT(p->p_offset + p->p_filesz >= p->p_offset);
		UT_ASSERT(p->p_vaddr + p->p_memsz <= USER_TOP);
		UT_ASSERT(p->p_vaddr >= prev_end);
		UT_ASSERT((p->p_vaddr - p->p_offset) % PAGE_SIZE == 0);
		prev_end = p->p_vaddr + p->p_memsz;
		any = true;
	}
	UT_ASSERT(any);
	UT_ASSERT_EQ(img->load_hi, prev_end);
}

/* Flip random bytes of the header area of valid files, many times. */
static void test_random_mutations(void)
{
	int accepted = 0;

	for (int round = 0; round < 20000; round++) {
		if (round % 2)
			build_exec();
		else
			build_dyn();
		for (int k = 1 + (int)unit_rand_below(4); k > 0; k--) {
			size_t at = unit_rand_below(64 + 6 * 56);

			file[at] = (uint8_t)unit_rand();
		}
		if (unit_rand_below(8) == 0)
			file_size = unit_rand_below(FILE_MAX);
		if (parse() == 0) {
			check_promises();
			accepted++;
		}
	}
	/* Enough files survive mutation for the promises to be tested. */
	printf("    %d of 20000 mutated files accepted\n", accepted);
	UT_ASSERT(accepted > 1000);
}

UNIT_MAIN(UNIT_CASE(test_valid_exec),
	  UNIT_CASE(test_valid_static_pie),
	  UNIT_CASE(test_valid_variants),
	  UNIT_CASE(test_max_phnum),
	  UNIT_CASE(test_bad_ident),
	  UNIT_CASE(test_bad_type_machine),
	  UNIT_CASE(test_truncated),
	  UNIT_CASE(test_read_errors),
	  UNIT_CASE(test_bad_segment_sizes),
	  UNIT_CASE(test_bad_segment_addresses),
	  UNIT_CASE(test_overlap_and_order),
	  UNIT_CASE(test_no_load),
	  UNIT_CASE(test_interp),
	  UNIT_CASE(test_failure_clears_image),
	  UNIT_CASE(test_random_mutations))
