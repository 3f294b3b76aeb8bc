/* execve's pieces, shared by exec.c and exec_args.c only. */
#ifndef BASALT_PROC_EXEC_H
#define BASALT_PROC_EXEC_H

#include <types.h>

struct mm;
struct exec_strings;

/* The strings, packed: argc argv strings, envc envp strings, execfn. */
struct exec_args {
	char *buf;
	size_t used;
	long argc, envc;
};

/* What the ELF loader learned, for the auxiliary vector. */
struct exec_image {
	uint64_t entry;		/* the program's (AT_ENTRY) */
	uint64_t start;		/* where it starts: the interpreter's entry */
	uint64_t base;		/* where the interpreter is (AT_BASE), or 0 */
	uint64_t phdr;		/* user address of the program headers */
	uint64_t phent, phnum;
	uint64_t vdso;		/* AT_SYSINFO_EHDR */
	uid_t euid;		/* the credentials it runs with (exec_cred.c) */
	gid_t egid;
	bool secure;		/* AT_SECURE */
	bool unreadable;	/* the caller may not read the program: the
				 * process is not dumpable (Linux's
				 * BINPRM_FLAGS_ENFORCE_NONDUMP) */
};

struct file;
struct elf_image;
/* ELF loading (exec_load.c). elf_read_fn on a struct file. */
ssize_t exec_elf_read(void *ctx, void *buf, size_t len, uint64_t off);
/* Map the program described by img into mm, set the break; fills
 * out's entry, start, phdr, phent, phnum (base 0). 0 or -errno. */
int exec_load_program(struct mm *mm, struct file *f,
		      const struct elf_image *img, struct exec_image *out);
/* Open and check the interpreter img names (PT_INTERP): *out and its
 * description *interp. -ENOEXEC (path without its NUL), -EIO (short
 * file), the open's error (-ENOENT, -EACCES, ...), -ELIBBAD (not a
 * valid x86-64 ELF file). */
int exec_open_interp(struct file *f, const struct elf_image *img,
		     struct elf_image *interp, struct file **out);
/* Map the interpreter; fills out's base and start. */
int exec_load_interp(struct mm *mm, struct file *f,
		     const struct elf_image *img, struct exec_image *out);
/* Follow "#!" lines from *f (exec_script.c): rewrites a's argv as Linux's
 * binfmt_script and replaces *f by the interpreter, as long as the file
 * is a script (at most 5 deep, else -ELOOP). 0 or -errno (*f is then
 * still a file to put). */
int exec_follow_scripts(struct file **f, struct exec_args *a,
			const char *path);

/* The effective ids and AT_SECURE for running f, into img. */
void exec_cred_prepare(struct file *f, struct exec_image *img);
/* At the point of no return: current takes img's ids. */
void exec_cred_commit(const struct exec_image *img);

int exec_args_init(struct exec_args *a);
void exec_args_free(struct exec_args *a);
int exec_args_collect(struct exec_args *a, const struct exec_strings *src,
		      const char *execfn);
/* For a "#!" script: argv[0] (if any) replaced by name, arg (if not
 * NULL) and script. 0 or -E2BIG. */
int exec_args_shebang(struct exec_args *a, const char *name,
		      const char *arg, const char *script);
/* Map the stack in mm and write the initial stack; *sp gets the new rsp. */
int exec_build_stack(struct mm *mm, const struct exec_args *a,
		     const struct exec_image *img, uint64_t *sp);

#endif
