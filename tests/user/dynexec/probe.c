/*
 * probe.c - a dynamically linked program that reports what execve gave
 * it, for tests/user/dynexec*.c and loader*.c. Built for glibc (PIE and
 * -no-pie) and musl (dynamexec.mk); run through their loaders.
 *
 * Prints one "key=value" line per fact, then exits 0:
 *   argc, argv0..argvN   its arguments
 *   bias                 load bias: AT_PHDR minus PT_PHDR's p_vaddr
 *   base                 AT_BASE (where the interpreter was put)
 *   base_is_interp       1 if the mapping at AT_BASE is the PT_INTERP file
 *   entry_ok             1 if AT_ENTRY is this program's _start
 *   brk, end             the break at start, and page-rounded &end
 *   exe, execfn          /proc/self/exe and AT_EXECFN
 *   bad                  an auxv entry with a wrong value (one line each)
 * The break is read first, before anything may allocate.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef AT_MINSIGSTKSZ
#define AT_MINSIGSTKSZ 51
#endif
#define PAGE 4096UL

extern void _start(void);
extern char end[];

static const Elf64_Phdr *find_phdr(unsigned type)
{
	const Elf64_Phdr *ph = (const Elf64_Phdr *)getauxval(AT_PHDR);
	unsigned long n = getauxval(AT_PHNUM);

	for (unsigned long i = 0; i < n; i++)
		if (ph[i].p_type == type)
			return &ph[i];
	return NULL;
}

/* Whether /proc/self/maps shows the file of inode ino at addr. */
static int mapped_inode_at(unsigned long addr, unsigned long ino)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	int found = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi, off, inode;
		char perms[8], dev[16];

		if (sscanf(line, "%lx-%lx %7s %lx %15s %lu", &lo, &hi, perms,
			   &off, dev, &inode) == 6 && lo == addr)
			found = inode == ino;
	}
	fclose(f);
	return found;
}

static void check_aux(const char *name, unsigned long got, unsigned long want)
{
	if (got != want)
		printf("bad=%s %#lx (want %#lx)\n", name, got, want);
}

static void check_auxv(void)
{
	const char *plat = (const char *)getauxval(AT_PLATFORM);
	const unsigned char *rnd = (const unsigned char *)getauxval(AT_RANDOM);
	int nonzero = 0;

	check_aux("AT_PAGESZ", getauxval(AT_PAGESZ), PAGE);
	check_aux("AT_CLKTCK", getauxval(AT_CLKTCK), 100);
	check_aux("AT_PHENT", getauxval(AT_PHENT), sizeof(Elf64_Phdr));
	check_aux("AT_FLAGS", getauxval(AT_FLAGS), 0);
	check_aux("AT_SECURE", getauxval(AT_SECURE), 0);
	check_aux("AT_UID", getauxval(AT_UID), getuid());
	check_aux("AT_EUID", getauxval(AT_EUID), geteuid());
	check_aux("AT_GID", getauxval(AT_GID), getgid());
	check_aux("AT_EGID", getauxval(AT_EGID), getegid());
	if (!getauxval(AT_SYSINFO_EHDR))
		printf("bad=AT_SYSINFO_EHDR\n");
	if (!getauxval(AT_HWCAP))
		printf("bad=AT_HWCAP\n");
	if (getauxval(AT_MINSIGSTKSZ) < 1024)
		printf("bad=AT_MINSIGSTKSZ %lu\n", getauxval(AT_MINSIGSTKSZ));
	if (!plat || strcmp(plat, "x86_64"))
		printf("bad=AT_PLATFORM\n");
	for (int i = 0; rnd && i < 16; i++)
		nonzero |= rnd[i];
	if (!nonzero)
		printf("bad=AT_RANDOM\n");
}

static void report_layout(void)
{
	const Elf64_Phdr *phdr = find_phdr(PT_PHDR);
	const Elf64_Phdr *interp = find_phdr(PT_INTERP);
	unsigned long bias = getauxval(AT_PHDR) - (phdr ? phdr->p_vaddr : 0);
	unsigned long base = getauxval(AT_BASE);
	struct stat st;

	printf("bias=%#lx\nbase=%#lx\n", bias, base);
	printf("entry_ok=%d\n", getauxval(AT_ENTRY) == (unsigned long)_start);
	if (interp && stat((const char *)(bias + interp->p_vaddr), &st) == 0)
		printf("base_is_interp=%d\n", mapped_inode_at(base, st.st_ino));
}

int main(int argc, char **argv)
{
	unsigned long brk = (unsigned long)syscall(SYS_brk, 0);
	char exe[256];
	ssize_t n;

	printf("argc=%d\n", argc);
	for (int i = 0; i < argc; i++)
		printf("argv%d=%s\n", i, argv[i]);
	report_layout();
	printf("brk=%#lx\nend=%#lx\n", brk,
	       ((unsigned long)end + PAGE - 1) & ~(PAGE - 1));
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	printf("exe=%.*s\n", n < 0 ? 0 : (int)n, exe);
	printf("execfn=%s\n", (const char *)getauxval(AT_EXECFN));
	check_auxv();
	return 0;
}
