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
	uint64_t entry;
	uint64_t phdr;		/* user address of the program headers */
	uint64_t phent, phnum;
	uint64_t vdso;		/* AT_SYSINFO_EHDR */
	uid_t euid;		/* the credentials it runs with (exec_cred.c) */
	gid_t egid;
	bool secure;		/* AT_SECURE */
};

struct file;
/* The effective ids and AT_SECURE for running f, into img. */
void exec_cred_prepare(struct file *f, struct exec_image *img);
/* At the point of no return: current takes img's ids. */
void exec_cred_commit(const struct exec_image *img);

int exec_args_init(struct exec_args *a);
void exec_args_free(struct exec_args *a);
int exec_args_collect(struct exec_args *a, const struct exec_strings *src,
		      const char *execfn);
/* Map the stack in mm and write the initial stack; *sp gets the new rsp. */
int exec_build_stack(struct mm *mm, const struct exec_args *a,
		     const struct exec_image *img, uint64_t *sp);

#endif
